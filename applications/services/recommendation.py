"""Recommendation opinions (推荐, R12.2): the industry authority and the leading group each sign
one before the cycle's recommendation deadline."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.enums import RecommenderLevel
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict

from ..enums import ApplicationStatus as S
from ..models import Application, Recommendation, RecommendationDecision
from .workflow import lock, transition_application


@transaction.atomic
def recommend_application(
    *, application: Application, level: str, decision: str, opinion: str, actor
) -> Recommendation:
    """Sign an opinion at ``level``. Both levels recommending → ``recommended``; a decline at
    either level → ``declined``. A recommender signs only at the level they hold."""
    if level not in RecommenderLevel.values:
        raise ApplicationError(gettext("推荐层级应为 industry 或 leading_group。"), field="level")
    if decision not in RecommendationDecision.values:
        raise ApplicationError(gettext("意见应为 recommend 或 decline。"), field="decision")
    if not (opinion or "").strip():
        raise ApplicationError(gettext("请填写推荐意见。"), field="opinion")
    if not actor.recommender_level:
        raise ApplicationError(
            gettext("您的账户未设置推荐层级，请联系管理员。"), rule="R12.2", code="forbidden"
        )
    if actor.recommender_level != level:
        raise ApplicationError(
            gettext("您的推荐层级为“%(label)s”，不能以“%(label2)s”签署。")
            % {
                "label": RecommenderLevel(actor.recommender_level).label,
                "label2": RecommenderLevel(level).label,
            },
            field="level",
            code="forbidden",
        )
    app = lock(application)
    if not actor.covers_industry(app.organisation.industry):
        raise ApplicationError(
            gettext("本申报组织所属行业（%(industry)s）不在您主管的行业范围内。")
            % {"industry": app.organisation.industry or "—"},
            rule="R12.2",
            code="forbidden",
        )
    if app.status != S.SUBMITTED:
        raise StateConflict(
            gettext("当前状态为“%(label)s”，不在待推荐阶段。") % {"label": S(app.status).label}
        )
    deadline = app.cycle.recommendation_deadline
    if today() > deadline:
        raise ApplicationError(
            gettext("推荐截止日期（%(deadline)s）已过。")
            % {"deadline": format(deadline, "%Y-%m-%d")},
            rule="R12.2",
        )
    if app.recommendations.filter(level=level).exists():
        raise StateConflict(
            gettext("“%(label)s”已签署推荐意见。") % {"label": RecommenderLevel(level).label}
        )
    try:
        with transaction.atomic():
            rec = Recommendation.objects.create(
                application=app,
                level=level,
                decision=decision,
                opinion=opinion.strip(),
                signed_by=actor,
            )
    except IntegrityError as exc:
        raise StateConflict(gettext("该层级已签署推荐意见。")) from exc
    audit.record(
        action="application.recommendation",
        actor=actor,
        obj=app,
        reason=rec.opinion,
        data={"level": level, "decision": decision},
    )
    if decision == RecommendationDecision.DECLINE:
        transition_application(
            app,
            S.DECLINED,
            actor=actor,
            reason=f"{RecommenderLevel(level).label}不推荐：{rec.opinion}",
            told=gettext("%(level)s的推荐意见：%(opinion)s")
            % {"level": RecommenderLevel(level).label, "opinion": rec.opinion},
        )
    elif app.recommendations.filter(decision=RecommendationDecision.RECOMMEND).count() == len(
        RecommenderLevel.values
    ):
        transition_application(
            app, S.RECOMMENDED, actor=actor, reason="两级推荐意见均为推荐", told=""
        )
    application.refresh_from_db()
    return rec
