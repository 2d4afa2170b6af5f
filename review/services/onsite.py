"""On-site review (现场评审, R12.5): the visit and the satisfaction survey (满意度测评)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.workflow import lock
from common import audit
from common.exceptions import ApplicationError, StateConflict

from ..enums import RespondentKind
from ..models import SiteVisit, SurveyResponse, SurveyToken

MAX_TOKENS_AT_ONCE = 500


def _onsite(application: Application) -> Application:
    app = lock(application)
    if app.status != S.ONSITE_REVIEW:
        raise StateConflict(
            gettext("申报状态为“%(label)s”，不在现场评审阶段。") % {"label": S(app.status).label}
        )
    return app


@transaction.atomic
def schedule_visit(
    *, application: Application, scheduled_on: dt.date, notes: str, actor
) -> SiteVisit:
    app = _onsite(application)
    visit, created = SiteVisit.objects.update_or_create(
        application=app,
        defaults={"scheduled_on": scheduled_on, "notes": notes or "", "scheduled_by": actor},
    )
    audit.record(
        action="onsite.visit_scheduled",
        actor=actor,
        obj=app,
        data={"scheduled_on": scheduled_on, "rescheduled": not created},
    )
    return visit


def respondent_kind(text) -> str | None:
    """The respondent kind a person typed: its code (``customer``) or its label, in Chinese
    (顾客) or in the page's language; None when it names no kind."""
    typed = str(text or "").strip()
    if typed.lower() in RespondentKind.values:
        return typed.lower()
    labels = {str(label): value for value, label in RespondentKind.choices}
    with translation.override("zh-hans"):
        labels.update({str(label): value for value, label in RespondentKind.choices})
    return labels.get(typed)


def kind_labels() -> str:
    """The kinds as a person may type them, for messages: 顾客（customer）、…"""
    return "、".join(f"{label}（{value}）" for value, label in RespondentKind.choices)


def clean_response(row) -> tuple[int, str, str]:
    """One survey response checked: a score 0-100 and a respondent kind (R12.5)."""
    if not isinstance(row, dict):
        raise ApplicationError(
            gettext("每条结果应包含 score 和 respondent_kind。"), field="responses"
        )
    try:
        score = int(str(row.get("score")).strip())
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            gettext("满意度应为0到100的整数，收到“%(score)s”。") % {"score": row.get("score")},
            field="responses",
        ) from exc
    if not 0 <= score <= 100:
        raise ApplicationError(
            gettext("满意度应为0到100的整数，收到%(score)s。") % {"score": score}, field="responses"
        )
    kind = respondent_kind(row.get("respondent_kind"))
    if kind is None:
        raise ApplicationError(
            gettext("测评对象“%(kind)s”无法识别，应为%(join)s之一。")
            % {"kind": row.get("respondent_kind") or "", "join": kind_labels()},
            field="responses",
        )
    return score, kind, str(row.get("comment") or "")[:2000]


_clean_response = clean_response


@transaction.atomic
def record_survey(*, application: Application, responses: list, actor) -> list[SurveyResponse]:
    """The office records survey responses collected on paper or by interview."""
    app = _onsite(application)
    if not isinstance(responses, list) or not responses:
        raise ApplicationError(gettext("请至少录入一条测评结果。"), field="responses")
    if len(responses) > 5000:
        raise ApplicationError(gettext("一次最多录入5000条。"), field="responses")
    cleaned, errors = [], []
    for n, row in enumerate(responses, start=1):
        try:
            cleaned.append(clean_response(row))
        except ApplicationError as exc:
            errors.append(gettext("第%(n)s条：%(error)s") % {"n": n, "error": exc.message})
    if errors:
        # Every bad row at once, so a person corrects them all in one go.
        raise ApplicationError("；".join(errors), field="responses")
    created = SurveyResponse.objects.bulk_create(
        SurveyResponse(application=app, score=s, respondent_kind=k, comment=c, recorded_by=actor)
        for s, k, c in cleaned
    )
    audit.record(action="survey.recorded", actor=actor, obj=app, data={"count": len(created)})
    return created


@transaction.atomic
def issue_survey_tokens(*, application: Application, count: int, actor) -> list[SurveyToken]:
    """Single-use links to share with customers, who answer on their phones."""
    app = _onsite(application)
    if not 1 <= count <= MAX_TOKENS_AT_ONCE:
        raise ApplicationError(
            gettext("一次可生成1到%(MAX_TOKENS_AT_ONCE)s个链接。")
            % {"MAX_TOKENS_AT_ONCE": MAX_TOKENS_AT_ONCE},
            field="count",
        )
    tokens = SurveyToken.objects.bulk_create(SurveyToken(application=app) for _ in range(count))
    audit.record(action="survey.tokens_issued", actor=actor, obj=app, data={"count": count})
    return tokens


@transaction.atomic
def answer_survey(*, token: str, score, respondent_kind: str, comment: str = "") -> SurveyResponse:
    """A customer answers through a single-use link. A used or unknown link is refused."""
    found = (
        SurveyToken.objects.select_for_update()
        .select_related("application")
        .filter(token=token)
        .first()
    )
    if found is None:
        raise ApplicationError(gettext("链接无效。"), code="not_found")
    if found.used_at is not None:
        raise StateConflict(gettext("该链接已使用过，每个链接只能提交一次。"))
    if found.application.status != S.ONSITE_REVIEW:
        raise StateConflict(gettext("本次满意度测评已结束。"))
    s, k, c = _clean_response(
        {"score": score, "respondent_kind": respondent_kind, "comment": comment}
    )
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    response = SurveyResponse.objects.create(
        application=found.application, score=s, respondent_kind=k, comment=c, token=found
    )
    audit.record(
        action="survey.answered", obj=found.application, role="public", data={"token": found.pk}
    )
    return response
