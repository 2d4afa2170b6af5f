"""Eligibility (R11) and the bars to applying at all (R3, R6, R20, R21), computed from data.

R11.1, R11.5, R11.6, the bans and R6 are checked here; R11.2-R11.4 are judged by the office from
the evidence. Every check carries its rule id and a sentence a person can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypeVar

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from common.dates import add_years, has_operated_years, today, years_before
from common.exceptions import ApplicationError
from organisations.enums import BLOCKING_INCIDENT_STATUSES, CreditScheme, OrganisationKind
from organisations.models import Organisation
from programmes.models import Cycle, Programme
from programmes.rule_settings import RuleSettings
from regions.selectors import division, lies_within

# A higher grade satisfies a lower requirement.
_GRADE_RANK = {"A": 4, "B": 3, "C": 2, "D": 1}

T = TypeVar("T")


class Reading:
    """One reading of the records the checks consult (an organisation's ratings, listings,
    incidents, bans, awards, its programme's ladder), shared by every date judged from it: the
    application page and the gates judge the submission date and today from the same rows
    instead of reading them twice. The checks stay the one place that decides; this only
    remembers what they read, for the duration of one judgement (never across requests)."""

    def __init__(self) -> None:
        self._rows: dict[tuple, object] = {}

    def of(self, key: tuple, load: Callable[[], T]) -> T:
        if key not in self._rows:
            self._rows[key] = load()
        return self._rows[key]  # type: ignore[return-value]


def read(reading: Reading | None, key: tuple, load: Callable[[], T]) -> T:
    """``load()``, once per ``reading`` (every time without one)."""
    return load() if reading is None else reading.of(key, load)


def _d(day: dt.date) -> str:
    """A day in the active language's DATE_FORMAT: 2026年12月3日, or 3 Dec 2026 in English."""
    return date_format(day)


@dataclass(frozen=True)
class Check:
    rule: str
    title: str
    passed: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _place(code: str) -> str:
    found = division(code)
    if not found:
        return code
    return gettext("%(name)s（%(code)s）") % {"name": found.full_name, "code": code}


def in_jurisdiction(org: Organisation, programme: Programme) -> bool:
    """R3: the organisation's division (GB/T 2260, from its USCC) is the programme's region or
    lies under it: a city's award takes its counties' organisations."""
    return lies_within(org.division_code, programme.region)


def check_jurisdiction(org: Organisation, programme: Programme) -> Check:
    """R3: one of the five kinds, registered in the programme's jurisdiction."""
    if org.kind not in OrganisationKind.values:
        return Check("R3", gettext("申报主体"), False, gettext("组织类型不在第三条所列范围内。"))
    if not in_jurisdiction(org, programme):
        return Check(
            "R3",
            gettext("申报主体"),
            False,
            gettext("注册地行政区划为%(_place)s，不在%(name)s的管辖区域%(_place2)s内。")
            % {
                "_place": _place(org.division_code),
                "name": programme.name,
                "_place2": _place(programme.region),
            },
        )
    return Check(
        "R3",
        gettext("申报主体"),
        True,
        gettext("%(get_kind_display)s，注册地%(_place)s。")
        % {"get_kind_display": org.get_kind_display(), "_place": _place(org.division_code)},
    )


def _rules(programme: Programme, rules: RuleSettings | None) -> RuleSettings:
    return rules or RuleSettings.of(programme)


def check_operating_years(
    org: Organisation,
    programme: Programme,
    on: dt.date,
    rules: RuleSettings | None = None,
    reading: Reading | None = None,
) -> Check:
    """R11.1: registered in the jurisdiction and operating at least N years by ``on``."""
    years = _rules(programme, rules).min_operating_years
    since = add_years(org.registered_on, years)
    within = read(
        reading, ("in_jurisdiction", org.pk, programme.pk), lambda: in_jurisdiction(org, programme)
    )
    if not within:
        return Check(
            "R11.1",
            gettext("注册登记与运行年限"),
            False,
            gettext("未在%(_place)s注册登记（注册地：%(_place2)s）。")
            % {"_place": _place(programme.region), "_place2": _place(org.division_code)},
        )
    if has_operated_years(org.registered_on, on, years):
        return Check(
            "R11.1",
            gettext("注册登记与运行年限"),
            True,
            gettext("%(_d)s注册，至%(_d2)s已满%(years)s年。")
            % {"_d": _d(org.registered_on), "_d2": _d(on), "years": years},
        )
    return Check(
        "R11.1",
        gettext("注册登记与运行年限"),
        False,
        gettext("%(_d)s注册，至%(_d2)s未满%(years)s年（%(_d3)s起满%(years2)s年）。")
        % {
            "_d": _d(org.registered_on),
            "_d2": _d(on),
            "years": years,
            "_d3": _d(since),
            "years2": years,
        },
    )


def check_credit_grade(
    org: Organisation,
    programme: Programme,
    on: dt.date,
    rules: RuleSettings | None = None,
    reading: Reading | None = None,
) -> Check:
    """R11.5: the quality credit grade in force on ``on`` is at least the required one."""
    required = _rules(programme, rules).required_credit_grade
    ratings = read(reading, ("credit_ratings", org.pk), org.credit_ratings_newest_first)
    rating = org.credit_grade_on_date(on, ratings)
    if rating is None:
        return Check(
            "R11.5",
            gettext("质量信用等级"),
            False,
            gettext("%(_d)s前没有质量信用评定记录，要求%(required)s级。")
            % {"_d": _d(on), "required": required},
        )
    equivalent = rating.equivalent
    passed = _GRADE_RANK.get(equivalent or "", 0) >= _GRADE_RANK[required]
    shown = (
        gettext("%(grade)s级") % {"grade": rating.grade}
        if rating.scheme == CreditScheme.A_D
        else gettext("%(grade)s级（%(scheme)s体系，相当于%(equivalent)s级）")
        % {"grade": rating.grade, "scheme": rating.scheme, "equivalent": equivalent or "—"}
    )
    detail = gettext("%(shown)s（%(source)s，%(_d)s评定），要求%(required)s级。") % {
        "shown": shown,
        "source": rating.source,
        "_d": _d(rating.rated_on),
        "required": required,
    }
    return Check("R11.5", gettext("质量信用等级"), passed, detail)


def check_dishonesty(org: Organisation, on: dt.date, reading: Reading | None = None) -> Check:
    """R11.5: not on the serious-dishonesty list (严重失信主体名单) on ``on``. A bar to
    applying at all, and rechecked at every gate: a listed organisation's live application
    stops there, as under a ban."""
    listings = read(reading, ("dishonesty", org.uscc), org.dishonesty_listings_newest_first)
    listing = org.dishonesty_listing_on(on, listings)
    if listing is None:
        return Check(
            "R11.5",
            gettext("严重失信主体名单"),
            True,
            gettext("%(_d)s不在严重失信主体名单内。") % {"_d": _d(on)},
        )
    until = gettext("，%(_d)s移出") % {"_d": _d(listing.removed_on)} if listing.removed_on else ""
    return Check(
        "R11.5",
        gettext("严重失信主体名单"),
        False,
        gettext("%(_d)s列入严重失信主体名单（%(source)s%(until)s），不得申报或参加评审。")
        % {"_d": _d(listing.listed_on), "source": listing.source, "until": until},
    )


def check_incidents(
    org: Organisation,
    programme: Programme,
    on: dt.date,
    rules: RuleSettings | None = None,
    reading: Reading | None = None,
) -> Check:
    """R11.6: no accident, major complaint or violation in the look-back window before ``on``.
    Reported incidents count until the office dismisses them."""
    window = years_before(on, _rules(programme, rules).lookback_years)
    incidents = read(reading, ("incidents", org.pk), lambda: list(org.incidents.all()))
    found = [
        i for i in incidents if i.status in BLOCKING_INCIDENT_STATUSES and i.occurred_on in window
    ]
    span = gettext("%(first)s至%(last)s") % {"first": _d(window.first), "last": _d(window.last)}
    if not found:
        return Check(
            "R11.6",
            gettext("近年事故与违法记录"),
            True,
            gettext("%(span)s无事故、重大投诉或违法记录。") % {"span": span},
        )
    items = gettext("；").join(
        gettext("%(_d)s %(kind)s（%(status)s）")
        % {"_d": _d(i.occurred_on), "kind": i.get_kind_display(), "status": i.get_status_display()}
        for i in found
    )
    return Check(
        "R11.6",
        gettext("近年事故与违法记录"),
        False,
        gettext("%(span)s内有记录：%(items)s。") % {"span": span, "items": items},
    )


# The bars to applying that other apps hold: the awards app registers R6 (a valid award) and
# the bans of R20/R21 at start-up (awards/apps.py), so that applications never imports awards.
# The ladder registers R3.nomination (a valid lower award, where the programme requires one).
# A bar takes ``reading=`` too: what it reads goes through ``read(reading, key, load)``, so that
# several dates judged together read its rows once.
Bar = Callable[..., "Check | None"]
_BARS: list[Bar] = []


def register_bar(check: Bar) -> None:
    """Add ``check(org, programme, on, reading=None) -> Check`` to every eligibility check and
    to the bars to applying at all (``ensure_may_apply``). A check that does not concern
    ``programme`` returns ``None`` and is left out. Idempotent."""
    if check not in _BARS:
        _BARS.append(check)


def bars(
    org: Organisation, programme: Programme, on: dt.date, reading: Reading | None = None
) -> list[Check]:
    found = (check(org, programme, on, reading=reading) for check in _BARS)
    return [c for c in found if c is not None]


def submission_date(application) -> dt.date:
    """The date R11 is judged on: the (latest) submission, or today for a draft."""
    moment = application.last_submitted_at
    return timezone.localdate(moment) if moment else today()


def eligibility_checks(
    application, on: dt.date | None = None, *, reading: Reading | None = None
) -> list[Check]:
    """Every automatic check of R11 (and R3, R6, R20/R21) on ``on``: by default the submission
    date; the gates after it pass the day of their step (R11: "still hold at every later step
    up to the announcement"). Several dates: ``eligibility_checks_on``."""
    on = on or submission_date(application)
    org, cycle = application.organisation, application.cycle
    programme, rules = cycle.programme, cycle.settings
    return [
        # The same on every date: judged once per reading.
        read(
            reading,
            ("jurisdiction", org.pk, programme.pk),
            lambda: check_jurisdiction(org, programme),
        ),
        check_operating_years(org, programme, on, rules, reading),
        check_credit_grade(org, programme, on, rules, reading),
        check_dishonesty(org, on, reading),
        check_incidents(org, programme, on, rules, reading),
        *bars(org, programme, on, reading),
    ]


def eligibility_checks_on(application, *days: dt.date | None) -> list[list[Check]]:
    """``eligibility_checks`` on each of ``days`` (``None``: the submission date), judged from
    one reading of the organisation's records: the same outcome as judging each day alone,
    with each record read once."""
    reading = Reading()
    return [eligibility_checks(application, day, reading=reading) for day in days]


@dataclass(frozen=True)
class Recheck:
    """An application's automatic checks on the day of a gate, beside those of its
    submission date."""

    application_id: int
    on: dt.date
    checks: list[Check]
    at_submission: list[Check]

    @property
    def failing(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def as_dict(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "checks": [c.as_dict() for c in self.checks],
            "at_submission": [c.as_dict() for c in self.at_submission],
        }


def recheck(application, on: dt.date) -> Recheck:
    checks, at_submission = eligibility_checks_on(application, on, None)
    return Recheck(application.pk, on, checks, at_submission)


def ensure_still_eligible(applications, *, on: dt.date, gate: str) -> dict[int, Recheck]:
    """R11, R20, R21 at a gate: every application about to pass ``gate`` must pass the
    automatic checks on ``on`` (the day of the step). Raises ``ApplicationError`` naming each
    one that fails (rule, the record that causes it, the date); the office then ends that
    application with a reason. Returns the re-checks, for the audit trail."""
    results = {app.pk: recheck(app, on) for app in applications}
    failing = [(app, results[app.pk].failing) for app in applications if results[app.pk].failing]
    if failing:
        lines = gettext("；").join(
            gettext("%(name)s：%(checks)s")
            % {
                "name": app.organisation.name,
                "checks": gettext("，").join(f"{c.rule} {c.detail}" for c in checks),
            }
            for app, checks in failing
        )
        raise ApplicationError(
            gettext("%(_d)s复核申报条件未通过，不能%(gate)s：%(lines)s请先终止其申报（写明理由）。")
            % {"_d": _d(on), "gate": gate, "lines": lines},
            rule=failing[0][1][0].rule,
        )
    return results


def ensure_may_apply(org: Organisation, cycle: Cycle, on: dt.date) -> None:
    """Refuse applying at all when R3, R6, a ban (R20/R21) or the serious-dishonesty list
    (R11.5) forbids it; raises ApplicationError naming the rule."""
    programme = cycle.programme
    for check in (
        check_jurisdiction(org, programme),
        check_dishonesty(org, on),
        *bars(org, programme, on),
    ):
        if not check.passed:
            raise ApplicationError(check.detail, rule=check.rule)
