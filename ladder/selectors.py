"""Reading the ladder: a programme's sources and the nominations a person may follow."""

from __future__ import annotations

from django.db.models import QuerySet

from applications.models import Application
from programmes.models import Cycle

from .eligibility import CANDIDATE_STATES
from .models import Nomination, ProgrammeLadder


def source_ids(programme_id: int) -> list[int]:
    """The programmes ``programme_id`` takes nominations from."""
    return list(
        ProgrammeLadder.nominated_from.through.objects.filter(
            programmeladder_id=programme_id
        ).values_list("programme_id", flat=True)
    )


def nominations_for(user, cycle: Cycle) -> QuerySet[Nomination]:
    """The nominations into ``cycle`` that ``user`` follows: every one for the upper
    programme's staff, their own nominees for a lower programme's staff."""
    qs = Nomination.objects.filter(cycle=cycle).select_related(
        "application__organisation",
        "nominated_from__cycle__programme",
        "nominated_by",
    )
    if not user.serves(cycle.programme_id):
        served = [pk for pk in source_ids(cycle.programme_id) if user.serves(pk)]
        qs = qs.filter(nominated_from__cycle__programme_id__in=served)
    return qs.order_by("-created_at", "-id")


def nominable(user, cycle: Cycle, accepts_candidates: bool) -> QuerySet[Application]:
    """The lower applications ``user``'s office could nominate into ``cycle`` (for the page's
    form; the service decides)."""
    served = [pk for pk in source_ids(cycle.programme_id) if user.serves(pk)]
    states = {"awarded", *(CANDIDATE_STATES if accepts_candidates else ())}
    taken = Nomination.objects.filter(cycle=cycle, status="open").values("nominated_from_id")
    return (
        Application.objects.filter(cycle__programme_id__in=served, status__in=states)
        .exclude(pk__in=taken)
        .select_related("organisation", "cycle__programme")
        .order_by("-cycle__year", "organisation__name")
    )


def ladder_settings(programme_id: int) -> ProgrammeLadder | None:
    return ProgrammeLadder.objects.filter(programme_id=programme_id).first()


def posted_lower_application(user, raw: str) -> Application | None:
    """The lower award's application a nominating office posted (by id), if that office
    serves its programme; None for anything else (a forged id, another county's)."""
    if not (raw.isdigit() and len(raw) < 10):
        return None
    lower = (
        Application.objects.select_related("cycle__programme", "organisation")
        .filter(pk=int(raw))
        .first()
    )
    return lower if lower is not None and user.serves(lower.cycle.programme_id) else None
