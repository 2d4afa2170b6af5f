"""What the application page shows a viewer: the reads (selectors) and the actions open to
them, decided here so that the page's view only renders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from common.dates import today
from programmes.selectors import criteria_items

from .eligibility_advice import for_applicant, for_office
from .enums import AWAITING_RECOMMENDATION, FINAL_STATES
from .enums import ApplicationStatus as S
from .models import Application
from .selectors import live_documents
from .services.eligibility import eligibility_checks, eligibility_checks_on
from .services.form import FORM_FIELDS, SECTION_KEYS, SECTIONS, missing_by_section
from .services.form import self_evaluation_total as evaluation_total
from .services.intake import ENDABLE_AFTER_ACCEPTANCE
from .timeline import application_timeline, transitions_of

# How the office's reasons are shown: bad news in red, a correction to make in yellow, the rest
# (acceptance and every step after it) as good news.
DECISION_TONES = {
    S.INELIGIBLE: "error",
    S.DECLINED: "error",
    S.RETURNED: "warning",
    S.WITHDRAWN: "info",
}


@dataclass(frozen=True)
class Actions:
    """What the viewer may do on this application now (permission and status together)."""

    own: bool
    staff: bool
    recommend: bool
    decide: bool
    end: bool
    withdraw: bool


def actions_for(app: Application, user) -> Actions:
    own = user.has_perm("applications.change_application", app)
    decides = user.has_perm("applications.decide_eligibility", app)
    return Actions(
        own=own,
        staff=user.has_perm("applications.view_review_record"),
        recommend=user.has_perm("applications.recommend_application", app)
        and app.status in AWAITING_RECOMMENDATION
        and not app.recommendations.filter(level=user.recommender_level).exists(),
        decide=decides and app.status == S.RECOMMENDED,
        end=decides and app.status in ENDABLE_AFTER_ACCEPTANCE,
        withdraw=own and app.status in (S.SUBMITTED, S.RECOMMENDED, S.RETURNED),
    )


def _checks(app: Application, user, may: Actions) -> dict:
    """The automatic checks as submitted, and (for the office, while the application is live)
    as they stand today; each failed one says what to do (the applicant's steps or the
    office's)."""
    day = today()
    advise = for_office if may.staff else for_applicant
    shown = bool(app.submitted_at or may.own)
    live = bool(may.staff and app.submitted_at and app.status not in FINAL_STATES)
    # Both dates from one reading of the organisation's records.
    days = [None] if shown else []
    days += [day] if live else []
    judged = iter(eligibility_checks_on(app, *days))
    checks = next(judged) if shown else []
    checks_today = next(judged) if live else []
    return {
        "checks": advise(checks),
        "checks_today": advise(checks_today),
        "checks_failing_today": any(not c.passed for c in checks_today),
        "advice_links": user.has_perm("applications.decide_eligibility", app),
        "today": day,
    }


def _self_evaluation(app: Application) -> dict:
    items = criteria_items(app.cycle.criteria_set_id)
    # What the page reads of a mark, present when missing (the page shows the same; a missing
    # key costs the template a failed lookup on every row).
    blank = {"percent": None, "comment": ""}
    marks = {r["item"]: {**blank, **r} for r in app.self_evaluation or []}
    missing = missing_by_section(app, items=items) if app.is_editable else {}
    return {
        "evaluation": [(i, marks.get(i.code, blank)) for i in items],
        "total": evaluation_total(app.self_evaluation, items),
        "missing": [(s.title, m) for s in SECTIONS for m in missing.get(s.key, [])],
    }


def application_page(app: Application, user, may: Actions) -> dict:
    """Everything the page reads about ``app`` for ``user``."""
    history = None
    if may.staff:
        # The same rows date the timeline's steps: read once.
        history = list(transitions_of(app).select_related("actor"))
    return {
        "app": app,
        "own": may.own,
        "timeline": application_timeline(app, history),
        "decision_tone": DECISION_TONES.get(app.status, "success"),
        "documents": live_documents(app),
        "recommendations": app.recommendations.select_related("signed_by"),
        "versions": app.versions.all(),
        "can_feedback": user.has_perm("review.view_feedback", app),
        "can_view_award": app.status == S.AWARDED
        and user.has_perm("awards.view_award_record", getattr(app, "award", None)),
        "history": history,
        **_checks(app, user, may),
        **_self_evaluation(app),
    }


def next_section(section: str) -> str | None:
    index = SECTION_KEYS.index(section)
    return SECTION_KEYS[index + 1] if index + 1 < len(SECTION_KEYS) else None


def section_page(app: Application, section: str) -> dict:
    """What the page of one section shows besides its form: the sections and how complete
    each is, what this one still lacks, the evidence so far, the running self-evaluation."""
    items = criteria_items(app.cycle.criteria_set_id)
    missing = missing_by_section(app, items=items)
    done = sum(1 for key in SECTION_KEYS if not missing[key])
    return {
        "app": app,
        "section": section,
        "sections": [
            {"key": s.key, "title": s.title, "complete": not missing[s.key]} for s in SECTIONS
        ],
        "section_title": next(s.title for s in SECTIONS if s.key == section),
        "missing": missing[section],
        "progress": round(100 * done / len(SECTIONS)),
        "documents": live_documents(app) if section == "evidence" else None,
        "total": evaluation_total(app.self_evaluation, items),
        "next_section": next_section(section),
    }


def draft_content(app: Application) -> dict:
    """The form's fields as they stand: what a submission would freeze now."""
    return {name: getattr(app, name) for name in FORM_FIELDS}


def application_form(
    app: Application, content: dict, documents, *, submitted_at: dt.datetime | None
) -> dict:
    """The whole form as the PDF and the submit page's preview show it: ``content`` (a
    version's, or the draft's now) with the self-evaluation against the cycle's criteria, the
    evidence, and the rule settings the integrity pledge quotes (R20, R21)."""
    items = criteria_items(app.cycle.criteria_set_id)
    marks = {row.get("item"): row for row in content.get("self_evaluation") or []}
    rows = []
    for item in items:
        row = marks.get(item.code, {})
        percent = row.get("percent")
        rows.append(
            {
                "category": item.category,
                "item": item,
                "percent": percent,
                "points": item.points_for(percent) if percent is not None else None,
                "comment": row.get("comment", ""),
            }
        )
    return {
        "app": app,
        "content": content,
        "rows": rows,
        "total": evaluation_total(content.get("self_evaluation") or [], items),
        "documents": documents,
        "submitted_at": timezone.localtime(submitted_at) if submitted_at else None,
        "rule_settings": app.cycle.settings,
    }


def submit_page(app: Application) -> dict:
    """The submit page of a draft or returned application: what still lacks, today's automatic
    checks (each failing one with what to do), and the whole form as it would be submitted."""
    day = today()
    documents = list(live_documents(app))
    form = application_form(app, draft_content(app), documents, submitted_at=None)
    items = [r["item"] for r in form["rows"]]
    missing = missing_by_section(app, items=items, on=day)
    checks = for_applicant(eligibility_checks(app, day))
    return {
        **form,
        "missing": [(s.title, missing[s.key]) for s in SECTIONS if missing[s.key]],
        "checks": checks,
        "checks_failing": [c for c in checks if not c.passed],
    }
