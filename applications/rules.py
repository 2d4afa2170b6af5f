"""Who may see and do what with an application (django-rules). Views and the API ask these
names through ``has_perm``; a view answers 404 when even ``view_application`` is refused."""

import rules

from accounts.rules import (
    is_committee,
    is_enterprise,
    is_government,
    is_office,
    is_recommender,
    is_staff_member,
    is_supervisor,
    reads_programme,
    serves_programme,
)


@rules.predicate
def is_own_application(user, application) -> bool:
    return (
        application is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and user.organisation_id == application.organisation_id
    )


@rules.predicate
def is_submitted(user, application) -> bool:
    """Drafts are the applicant's own: staff see an application from its first submission."""
    return application is not None and application.submitted_at is not None


@rules.predicate
def covers_industry(user, application) -> bool:
    """An industry authority reads and signs only its industries' applications (R12.2)."""
    return application is not None and user.covers_industry(application.organisation.industry)


# Readers other apps add (the review app's assigned experts), so that this app never imports
# them and the permission is declared once, here, instead of being overridden elsewhere.
_READERS: list = []


def register_reader(predicate) -> None:
    """Let another app's predicate grant ``view_application`` (e.g. an assigned expert)."""
    if predicate not in _READERS:
        _READERS.append(predicate)


@rules.predicate
def is_registered_reader(user, application) -> bool:
    return any(predicate.test(user, application) for predicate in _READERS)


# Staff who read a programme's applications. Experts are not among them: they see only the
# applications assigned to them, through the review app.
reads_intake = is_office | is_supervisor | is_committee | is_government | is_recommender

rules.add_perm(
    "applications.view_application",
    is_own_application
    | (reads_intake & reads_programme & is_submitted & covers_industry)
    | is_registered_reader,
)
# Who may ask; whether the application's state allows it is the service's answer (409).
rules.add_perm("applications.change_application", is_own_application)
rules.add_perm("applications.submit_application", is_own_application)
rules.add_perm("applications.withdraw_application", is_own_application)
rules.add_perm(
    "applications.recommend_application", is_recommender & serves_programme & covers_industry
)
rules.add_perm("applications.decide_eligibility", is_office & serves_programme)
rules.add_perm("applications.create_application", is_enterprise)
rules.add_perm("applications.list_intake", reads_intake)
# Pages of their own: the enterprise's applications, the recommenders' queue, the intake list.
rules.add_perm("applications.list_own_applications", is_enterprise)
rules.add_perm("applications.view_recommendation_queue", is_recommender)
# Issue 11: a recommender's list of the opinions it has signed (its own only).
rules.add_perm("applications.list_own_recommendations", is_recommender)
rules.add_perm("applications.view_intake_list", is_office | is_supervisor)
# The applicant follows its own application (feedback not yet released is a 404 to it).
rules.add_perm("applications.follow_application", is_own_application)
# The review record beside an application (history, today's checks): staff only.
rules.add_perm("applications.view_review_record", is_staff_member)
