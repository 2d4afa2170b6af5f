import rules

from accounts.rules import (
    is_committee,
    is_government,
    is_office,
    is_staff_member,
    is_supervisor,
    reads_programme,
    serves_programme,
)

rules.add_perm("awards.run_publicity", is_office & serves_programme)
rules.add_perm("awards.resolve_objection", is_office & serves_programme)
# The objector's real name and phone (R12.7: kept confidential): the office alone, which
# investigates. The committee, the supervisor and the government read the objection without them.
rules.add_perm("awards.view_objector", is_office & serves_programme)
rules.add_perm("awards.announce", is_government & serves_programme)


@rules.predicate
def is_holder(user, award) -> bool:
    return (
        award is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == award.organisation_id
    )


rules.add_perm(
    "awards.view_award_record",
    is_holder | ((is_office | is_committee | is_supervisor | is_government) & reads_programme),
)
rules.add_perm("awards.manage_award", is_office & serves_programme)
rules.add_perm("awards.decide_case", is_committee & serves_programme)
rules.add_perm("awards.approve_revocation", is_government & serves_programme)
rules.add_perm("awards.list_awards", is_office | is_committee | is_supervisor | is_government)
rules.add_perm("awards.view_approvals", is_government)
rules.add_perm("awards.import_history", is_office)
# Visits, dossiers and cases of an award: staff, never the holder.
rules.add_perm("awards.view_award_internals", is_staff_member)
