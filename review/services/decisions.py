"""The cycle-level steps of the review: the on-site shortlist (R12.4), the candidates (R12.6)
and the committee's proposed winners (R12.7, R7)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from applications.enums import FINAL_STATES
from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.eligibility import ensure_still_eligible
from applications.services.workflow import transition_application
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from programmes.enums import CYCLE_MACHINE, CycleStatus
from programmes.models import Cycle
from programmes.phases import ensure_review_begun
from programmes.selectors import criteria_items

from ..enums import Stage
from ..ranking import cycle_ranking, tie_at_quota
from ..scores import composite, dispersion, stage_score
from ..selectors import with_score_inputs
from .handoffs import tell_candidates_proposed, tell_winners_decided

# Before the shortlist every application must be in document review or have ended: none may
# be left behind in intake (issue 9 §5).
_BEFORE_DOCUMENT_REVIEW = (S.SUBMITTED, S.RECOMMENDED, S.RETURNED, S.ACCEPTED)


def _ids(values) -> set[int]:
    try:
        return {int(v) for v in values}
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            gettext("applications 应为申报编号列表。"), field="applications"
        ) from exc


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
        raise StateConflict(
            gettext("以下申报已不在%(step)s阶段：%(sorted)s。")
            % {"step": step, "sorted": sorted(moved)}
        )
    raise ApplicationError(
        gettext("以下申报不属于本年度评审：%(sorted)s。") % {"sorted": sorted(unknown)}, field=field
    )


def _locked_cycle(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)


@transaction.atomic
def shortlist(*, cycle: Cycle, application_ids, actor) -> dict[str, list[int]]:
    """Listed applications go on-site; the other reviewed ones become ``not_shortlisted`` and
    see their feedback report. Every application in document review must be fully scored,
    with a consensus value on every flagged item."""
    cycle = _locked_cycle(cycle)
    ensure_review_begun(cycle, step=pgettext("step", "确定现场评审名单"), rule="R12.4")
    wanted = _ids(application_ids)
    apps = list(
        with_score_inputs(
            Application.objects.filter(cycle=cycle, status=S.DOCUMENT_REVIEW).order_by("pk")
        )
    )
    _refuse_others(
        cycle, wanted - {a.pk for a in apps}, pgettext("step", "资料评审"), "applications"
    )
    if not apps:
        raise StateConflict(gettext("本年度没有处于资料评审阶段的申报。"))
    behind = list(
        Application.objects.filter(cycle=cycle, status__in=_BEFORE_DOCUMENT_REVIEW)
        .select_related("organisation")
        .order_by("pk")
    )
    if behind:
        raise StateConflict(
            gettext(
                "尚有申报未进入资料评审也未结束，不能确定现场评审名单：%(applications)s。"
                "请完成资格审查并指派专家，或终止其申报。"
            )
            % {"applications": _named_with_status(behind)},
            rule="R12.4",
        )
    items = criteria_items(cycle.criteria_set_id)
    rules = cycle.settings
    problems = []
    for app in apps:
        score = stage_score(app, Stage.DOCUMENT, items, rules)
        if score.submitted < rules.document_experts:
            problems.append(
                gettext(
                    "%(organisation)s：已提交资料评审%(submitted)s份，须至少%(required)s名专家评分"
                )
                % {
                    "organisation": app.organisation.name,
                    "submitted": score.submitted,
                    "required": rules.document_experts,
                }
            )
            continue
        if score.score is None:
            problems.append(
                gettext("%(organisation)s：资料评审尚未全部提交")
                % {"organisation": app.organisation.name}
            )
            continue
        open_flags = [
            d.item.code
            for d in dispersion(app, items, cycle.settings)
            if d.flagged and d.consensus is None
        ]
        if open_flags:
            problems.append(
                gettext("%(organisation)s：条款%(items)s分歧过大，待记录一致意见")
                % {"organisation": app.organisation.name, "items": "、".join(open_flags)}
            )
    if problems:
        raise ApplicationError(
            gettext("尚不能确定现场评审名单：%(problems)s。") % {"problems": "；".join(problems)},
            rule="R12.4",
        )
    rechecks = ensure_still_eligible(
        [a for a in apps if a.pk in wanted], on=today(), gate=pgettext("step", "进入现场评审")
    )
    result = {"onsite_review": [], "not_shortlisted": []}
    for app in apps:
        to = S.ONSITE_REVIEW if app.pk in wanted else S.NOT_SHORTLISTED
        data = {"eligibility": rechecks[app.pk].as_dict()} if app.pk in rechecks else None
        transition_application(app, to, actor=actor, reason="确定现场评审名单", data=data, told="")
        result[to].append(app.pk)
    audit.record(action="cycle.shortlisted", actor=actor, obj=cycle, data=result)
    return result


@transaction.atomic
def propose_candidates(*, cycle: Cycle, application_ids, actor) -> dict[str, list[int]]:
    """Listed applications become candidates; the rest of the on-site ones ``not_candidate``.
    A listed application below the programme's floor is refused (R12.6)."""
    cycle = _locked_cycle(cycle)
    ensure_review_begun(cycle, step=pgettext("step", "提出候选名单"), rule="R12.6")
    wanted = _ids(application_ids)
    apps = list(
        with_score_inputs(
            Application.objects.filter(cycle=cycle, status=S.ONSITE_REVIEW).order_by("pk")
        )
    )
    _refuse_others(
        cycle, wanted - {a.pk for a in apps}, pgettext("step", "现场评审"), "applications"
    )
    if not apps:
        raise StateConflict(gettext("本年度没有处于现场评审阶段的申报。"))
    items = criteria_items(cycle.criteria_set_id)
    rules = cycle.settings
    scores = {a.pk: composite(a, items, rules) for a in apps}
    short = [
        gettext("%(organisation)s（已提交%(submitted)s份%(leader)s）")
        % {
            "organisation": app.organisation.name,
            "submitted": scores[app.pk].onsite.submitted,
            "leader": "" if scores[app.pk].onsite.leader_submitted else gettext("，组长未提交"),
        }
        for app in apps
        if scores[app.pk].onsite.submitted < rules.onsite_group_size
        or not scores[app.pk].onsite.leader_submitted
    ]
    if short:
        raise ApplicationError(
            gettext("现场评审组须有%(size)s名专家（含组长）提交评分：%(applications)s。")
            % {"size": rules.onsite_group_size, "applications": "、".join(short)},
            rule="R12.5",
        )
    for app in apps:
        if app.pk not in wanted:
            continue
        result = scores[app.pk]
        if result.composite is None:
            raise ApplicationError(
                gettext("%(name)s的综合评价尚不完整（资料评审、现场评审和满意度测评均须有结果）。")
                % {"name": app.organisation.name},
                rule="R12.6",
            )
        if not result.reaches_floor:
            raise ApplicationError(
                gettext("%(name)s综合得分%(composite)s，低于候选最低分%(floor)s。")
                % {
                    "name": app.organisation.name,
                    "composite": result.composite,
                    "floor": result.floor,
                },
                rule="R12.6",
            )
    rechecks = ensure_still_eligible(
        [a for a in apps if a.pk in wanted], on=today(), gate=pgettext("step", "列为候选")
    )
    out = {"candidate": [], "not_candidate": []}
    for app in apps:
        to = S.CANDIDATE if app.pk in wanted else S.NOT_CANDIDATE
        data = {"composite": scores[app.pk].composite}
        if app.pk in rechecks:
            data["eligibility"] = rechecks[app.pk].as_dict()
        transition_application(app, to, actor=actor, reason="综合评价", data=data, told="")
        out[to].append(app.pk)
    audit.record(action="cycle.candidates", actor=actor, obj=cycle, data=out)
    if out["candidate"]:
        tell_candidates_proposed(cycle, len(out["candidate"]))
    return out


@transaction.atomic
def decide_winners(*, cycle: Cycle, winner_ids, rationale: str, actor) -> dict[str, list[int]]:
    """The committee fixes the proposed winners among the candidates. More than the quota is
    refused (R7); fewer is allowed (vacancies), none too: with no winner at all the cycle
    closes and every application ends with its result (R5, R7). Winners are re-checked on the
    day (R11); a tie across the quota boundary is recorded with the committee's rationale."""
    cycle = _locked_cycle(cycle)
    ensure_review_begun(cycle, step=pgettext("step", "审定拟获奖名单"), rule="R12.7")
    if not (rationale or "").strip():
        raise ApplicationError(gettext("请写明审定理由。"), field="rationale")
    wanted = _ids(winner_ids)
    quota = cycle.settings.quota
    if len(wanted) > quota:
        raise ApplicationError(
            gettext("拟获奖名单%(len)s个，超过年度名额%(quota)s个。")
            % {"len": len(wanted), "quota": quota},
            rule="R7",
        )
    candidates = list(Application.objects.filter(cycle=cycle, status=S.CANDIDATE).order_by("pk"))
    if not candidates:
        raise StateConflict(gettext("本年度没有候选获奖组织。"))
    _refuse_others(cycle, wanted - {a.pk for a in candidates}, pgettext("step", "候选"), "winners")
    already = Application.objects.filter(
        cycle=cycle, status__in=(S.PROPOSED, S.PUBLICITY, S.AWARDED)
    ).count()
    if already + len(wanted) > quota:
        raise ApplicationError(
            gettext("本年度已有%(already)s个拟获奖或获奖，再加%(len)s个将超过名额%(quota)s个。")
            % {"already": already, "len": len(wanted), "quota": quota},
            rule="R7",
        )
    rechecks = ensure_still_eligible(
        [a for a in candidates if a.pk in wanted], on=today(), gate=pgettext("step", "审定为拟获奖")
    )
    ranking = cycle_ranking(cycle, states=(S.CANDIDATE,))
    tie = tie_at_quota(ranking, quota - already)
    out = {"proposed": [], "not_proposed": []}
    for app in candidates:
        to = S.PROPOSED if app.pk in wanted else S.NOT_PROPOSED
        data = {"eligibility": rechecks[app.pk].as_dict()} if app.pk in rechecks else None
        # The rationale weighs the candidates against each other (R23: their results are not
        # each other's to read): the audit keeps it, the applicant reads its own result.
        transition_application(app, to, actor=actor, reason=rationale, data=data, told="")
        out[to].append(app.pk)
    cycle.decided_at = timezone.now()
    cycle.decision_rationale = rationale.strip()
    cycle.save(update_fields=["decided_at", "decision_rationale", "updated_at"])
    audit.record(
        action="cycle.winners_proposed",
        actor=actor,
        obj=cycle,
        reason=rationale,
        data={**out, "tie_at_quota": tie},
    )
    tell_winners_decided(cycle, len(out["proposed"]))
    if not out["proposed"] and not already:
        close_cycle(
            cycle=cycle, actor=actor, reason=f"评审委员会审定本年度空缺：{rationale.strip()}"
        )
    return out


def open_applications(cycle: Cycle):
    return Application.objects.filter(cycle=cycle).exclude(status__in=FINAL_STATES)


@transaction.atomic
def close_cycle(*, cycle: Cycle, actor, reason: str, announced_on=None) -> Cycle:
    """End a held cycle (R5): with its announcement, or with no winner. Refused while any of
    its applications has not reached a final status: every one ends with its result."""
    cycle = _locked_cycle(cycle)
    if cycle.status != CycleStatus.OPEN:
        raise StateConflict(gettext("本年度评审已结束。"))
    left = list(open_applications(cycle).select_related("organisation").order_by("pk"))
    if left:
        raise StateConflict(
            gettext("尚有申报未结束，本年度评审不能结束：%(applications)s。")
            % {"applications": _named_with_status(left)},
            rule="R5",
        )
    return transition(
        CYCLE_MACHINE,
        cycle,
        CycleStatus.CLOSED,
        actor=actor,
        action="cycle.announced" if announced_on else "cycle.closed_without_winner",
        reason=reason,
        fields={"announced_on": announced_on} if announced_on else None,
    )


def _named_with_status(applications) -> str:
    """ "Org A（status）、Org B（status）" for a refusal that lists what is still in the way."""
    return "、".join(
        gettext("%(organisation)s（%(status)s）")
        % {"organisation": a.organisation.name, "status": S(a.status).label}
        for a in applications
    )
