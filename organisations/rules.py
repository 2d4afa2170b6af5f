import rules

from accounts.rules import is_committee, is_enterprise, is_government, is_office, is_supervisor


@rules.predicate
def is_member(user, organisation) -> bool:
    return (
        organisation is not None
        and user.is_authenticated
        and user.organisation_id == organisation.pk
    )


# Organisations are shared by every programme of a deployment: the office keeps their records.
rules.add_perm(
    "organisations.view_organisation_record",
    is_member | is_office | is_supervisor | is_committee | is_government,
)
rules.add_perm("organisations.edit_profile", is_member | is_office)
rules.add_perm("organisations.rate_credit", is_office)
rules.add_perm("organisations.record_incident", is_office)
rules.add_perm("organisations.list_organisations", is_office | is_supervisor)
rules.add_perm("organisations.view_own_organisation", is_enterprise)
