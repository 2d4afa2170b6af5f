"""The bars to applying that the awards hold (R6, R20, R21), registered with the eligibility
checks of the applications app at start-up (awards/apps.py)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from applications.services.eligibility import Check, Reading, _d, read
from organisations.models import Organisation
from programmes.models import Programme

from .enums import AwardStatus
from .models import Award, Ban


def active_ban(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> Ban | None:
    bans = read(
        reading,
        ("bans", org.pk, programme.pk),
        lambda: list(Ban.objects.filter(organisation=org, programme=programme, lifted_at=None)),
    )
    return next((b for b in bans if b.applies_on(on)), None)


def check_ban(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> Check:
    """R20/R21: not under a ban after a revocation."""
    ban = active_ban(org, programme, on, reading)
    if ban is None:
        return Check("R21", gettext("禁止申报期"), True, gettext("不在撤销奖项后的禁止申报期内。"))
    return Check(
        ban.rule,
        gettext("禁止申报期"),
        False,
        gettext("因%(get_rule_display)s，%(_d)s至%(_d2)s不得申报。")
        % {
            "get_rule_display": ban.get_rule_display(),
            "_d": _d(ban.starts_on),
            "_d2": _d(ban.ends_on),
        },
    )


def valid_award(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> Award | None:
    awards = read(
        reading,
        ("active_awards", org.pk, programme.pk),
        lambda: list(
            Award.objects.filter(organisation=org, programme=programme, status=AwardStatus.ACTIVE)
        ),
    )
    return next((a for a in awards if a.is_valid_on(on)), None)


def check_valid_award(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> Check:
    """R6: an organisation holding a valid award cannot apply again until it expires."""
    award = valid_award(org, programme, on, reading)
    if award is None:
        return Check("R6", gettext("有效期内奖项"), True, gettext("未持有有效期内的本奖项。"))
    return Check(
        "R6",
        gettext("有效期内奖项"),
        False,
        gettext("持有%(year)s年度%(name)s，有效期至%(_d)s，期满后方可再次申报。")
        % {"year": award.year, "name": programme.name, "_d": _d(award.valid_until)},
    )
