"""R3.nomination: a programme that requires a lower award takes applicants holding a valid
award of a programme it takes nominations from (or, where it accepts candidates, a live
candidacy there). Registered with the eligibility checks at start-up (ladder/apps.py), so it
bars applying, submitting and every later gate, whether the application came by nomination or
not."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.eligibility import Check, Reading, _d, read
from awards.models import Award
from organisations.models import Organisation
from programmes.models import Programme

from .enums import RULE
from .models import ProgrammeLadder

# A lower application that may be nominated where the upper programme accepts candidates
# (``awarded`` counts through its award, which may since have been revoked).
CANDIDATE_STATES = frozenset({S.CANDIDATE, S.PROPOSED, S.PUBLICITY})


def valid_lower_award(
    org: Organisation, sources: list[int], on: dt.date, reading: Reading | None = None
) -> Award | None:
    awards = read(
        reading,
        ("lower_awards", org.pk, tuple(sources)),
        lambda: list(
            Award.objects.filter(organisation=org, programme_id__in=sources)
            .select_related("programme")
            .order_by("-announced_on")
        ),
    )
    return next((a for a in awards if a.is_valid_on(on)), None)


def _ladder(programme: Programme) -> ProgrammeLadder | None:
    return (
        ProgrammeLadder.objects.filter(programme_id=programme.pk, requires_lower_award=True)
        .prefetch_related("nominated_from")
        .first()
    )


def _candidacy(org: Organisation, ids: list[int]) -> Application | None:
    return (
        Application.objects.filter(
            organisation=org, cycle__programme_id__in=ids, status__in=CANDIDATE_STATES
        )
        .select_related("cycle__programme")
        .first()
    )


def check_lower_award(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> Check | None:
    """R3.nomination, only for a programme with ``requires_lower_award``."""
    ladder = read(reading, ("ladder", programme.pk), lambda: _ladder(programme))
    if ladder is None:
        return None
    title = gettext("下级质量奖")
    sources = list(ladder.nominated_from.all())
    ids = [p.pk for p in sources]
    award = valid_lower_award(org, ids, on, reading)
    if award is not None:
        return Check(
            RULE,
            title,
            True,
            gettext("持有%(year)s年度%(name)s，有效期至%(until)s。")
            % {"year": award.year, "name": award.programme.name, "until": _d(award.valid_until)},
        )
    if ladder.accepts_candidates:
        candidacy = read(reading, ("candidacy", org.pk, tuple(ids)), lambda: _candidacy(org, ids))
        if candidacy is not None:
            return Check(
                RULE,
                title,
                True,
                gettext("%(year)s年度%(name)s：%(status)s。")
                % {
                    "year": candidacy.cycle.year,
                    "name": candidacy.cycle.programme.name,
                    "status": S(candidacy.status).label,
                },
            )
    names = "、".join(p.name for p in sources) or gettext("（未指定下级质量奖）")
    return Check(
        RULE,
        title,
        False,
        gettext("%(name)s只接受%(date)s持有%(sources)s有效奖项的组织申报。")
        % {"name": programme.name, "date": _d(on), "sources": names},
    )
