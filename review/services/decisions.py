"""The cycle-level steps of the review: the on-site shortlist (R12.4), the candidates (R12.6)
and the committee's proposed winners (R12.7, R7)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.workflow import transition_application
from common import audit
from common.exceptions import ApplicationError, StateConflict
from programmes.models import Cycle
from programmes.selectors import criteria_items

from ..enums import Stage
from ..scores import composite, dispersion, stage_score
from ..selectors import with_score_inputs


def _ids(values) -> set[int]:
    try:
        return {int(v) for v in values}
    except (TypeError, ValueError) as exc:
        raise ApplicationError("applications 应为申报编号列表。", field="applications") from exc


def _refuse_others(cycle: Cycle, unknown: set[int], step: str, field: str) -> None:
    """Ids of the cycle's applications that have left the step (a repeated request) are a
    conflict (409); ids that are not the cycle's at all are invalid input (400)."""
    if not unknown:
        return
    storable = [pk for pk in unknown if 0 < pk < 2**63]  # larger ids cannot be rows
    moved = set(
        Application.objects.filter(cycle=cycle, pk__in=storable).values_list("pk", flat=True)
    )
    if moved:
        raise StateConflict(f"以下申报已不在{step}阶段：{sorted(moved)}。")
    raise ApplicationError(f"以下申报不属于本年度评审：{sorted(unknown)}。", field=field)


def _locked_cycle(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)


@transaction.atomic
def shortlist(*, cycle: Cycle, application_ids, actor) -> dict[str, list[int]]:
    """Listed applications go on-site; the other reviewed ones become ``not_shortlisted`` and
    see their feedback report. Every application in document review must be fully scored,
    with a consensus value on every flagged item."""
    cycle = _locked_cycle(cycle)
    wanted = _ids(application_ids)
    apps = list(
        with_score_inputs(
            Application.objects.filter(cycle=cycle, status=S.DOCUMENT_REVIEW).order_by("pk")
        )
    )
    _refuse_others(cycle, wanted - {a.pk for a in apps}, "资料评审", "applications")
    if not apps:
        raise StateConflict("本年度没有处于资料评审阶段的申报。")
    items = criteria_items(cycle.criteria_set_id)
    problems = []
    for app in apps:
        score = stage_score(app, Stage.DOCUMENT, items, cycle.settings)
        if score.score is None:
            problems.append(f"{app.organisation.name}：资料评审尚未全部提交")
            continue
        open_flags = [
            d.item.code
            for d in dispersion(app, items, cycle.settings)
            if d.flagged and d.consensus is None
        ]
        if open_flags:
            problems.append(
                f"{app.organisation.name}：条款{'、'.join(open_flags)}分歧过大，待记录一致意见"
            )
    if problems:
        raise ApplicationError(
            "尚不能确定现场评审名单：" + "；".join(problems) + "。", rule="R12.4"
        )
    result = {"onsite_review": [], "not_shortlisted": []}
    for app in apps:
        to = S.ONSITE_REVIEW if app.pk in wanted else S.NOT_SHORTLISTED
        transition_application(app, to, actor=actor, reason="确定现场评审名单")
        result[to].append(app.pk)
    audit.record(action="cycle.shortlisted", actor=actor, obj=cycle, data=result)
    return result


@transaction.atomic
def propose_candidates(*, cycle: Cycle, application_ids, actor) -> dict[str, list[int]]:
    """Listed applications become candidates; the rest of the on-site ones ``not_candidate``.
    A listed application below the programme's floor is refused (R12.6)."""
    cycle = _locked_cycle(cycle)
    wanted = _ids(application_ids)
    apps = list(
        with_score_inputs(
            Application.objects.filter(cycle=cycle, status=S.ONSITE_REVIEW).order_by("pk")
        )
    )
    _refuse_others(cycle, wanted - {a.pk for a in apps}, "现场评审", "applications")
    if not apps:
        raise StateConflict("本年度没有处于现场评审阶段的申报。")
    items = criteria_items(cycle.criteria_set_id)
    scores = {a.pk: composite(a, items, cycle.settings) for a in apps}
    for app in apps:
        if app.pk not in wanted:
            continue
        result = scores[app.pk]
        if result.composite is None:
            raise ApplicationError(
                f"{app.organisation.name}的综合评价尚不完整（资料评审、现场评审"
                f"和满意度测评均须有结果）。",
                rule="R12.6",
            )
        if not result.reaches_floor:
            raise ApplicationError(
                f"{app.organisation.name}综合得分{result.composite}，低于候选"
                f"最低分{result.floor}。",
                rule="R12.6",
            )
    out = {"candidate": [], "not_candidate": []}
    for app in apps:
        to = S.CANDIDATE if app.pk in wanted else S.NOT_CANDIDATE
        transition_application(
            app, to, actor=actor, reason="综合评价", data={"composite": scores[app.pk].composite}
        )
        out[to].append(app.pk)
    audit.record(action="cycle.candidates", actor=actor, obj=cycle, data=out)
    return out


@transaction.atomic
def decide_winners(*, cycle: Cycle, winner_ids, rationale: str, actor) -> dict[str, list[int]]:
    """The committee fixes the proposed winners among the candidates. More than the quota is
    refused (R7); fewer is allowed (vacancies)."""
    cycle = _locked_cycle(cycle)
    if not (rationale or "").strip():
        raise ApplicationError("请写明审定理由。", field="rationale")
    wanted = _ids(winner_ids)
    quota = cycle.settings.quota
    if len(wanted) > quota:
        raise ApplicationError(f"拟获奖名单{len(wanted)}个，超过年度名额{quota}个。", rule="R7")
    candidates = list(Application.objects.filter(cycle=cycle, status=S.CANDIDATE).order_by("pk"))
    if not candidates:
        raise StateConflict("本年度没有候选获奖组织。")
    _refuse_others(cycle, wanted - {a.pk for a in candidates}, "候选", "winners")
    already = Application.objects.filter(
        cycle=cycle, status__in=(S.PROPOSED, S.PUBLICITY, S.AWARDED)
    ).count()
    if already + len(wanted) > quota:
        raise ApplicationError(
            f"本年度已有{already}个拟获奖或获奖，再加{len(wanted)}个将超过名额{quota}个。",
            rule="R7",
        )
    out = {"proposed": [], "not_proposed": []}
    for app in candidates:
        to = S.PROPOSED if app.pk in wanted else S.NOT_PROPOSED
        transition_application(app, to, actor=actor, reason=rationale)
        out[to].append(app.pk)
    cycle.decided_at = timezone.now()
    cycle.decision_rationale = rationale.strip()
    cycle.save(update_fields=["decided_at", "decision_rationale", "updated_at"])
    audit.record(
        action="cycle.winners_proposed", actor=actor, obj=cycle, reason=rationale, data=out
    )
    return out
