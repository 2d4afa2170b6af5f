"""Experts' scores and consensus values (SCORING.md): percentages in steps of 5, every item of
the cycle's criteria set, strengths and opportunities for improvement."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.workflow import lock
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from programmes.selectors import criteria_items

from ..enums import ASSIGNMENT_MACHINE, AssignmentStatus, ExpertStatus, Stage
from ..models import Assignment, ConsensusScore, ExpertProfile, ItemScore, SiteVisit
from ..scores import dispersion
from ..selectors import with_score_inputs
from .totals import store_sheet_totals

# The application must still be at the assignment's stage for scores to change.
SCORING_STATUS = {Stage.DOCUMENT: S.DOCUMENT_REVIEW, Stage.ONSITE: S.ONSITE_REVIEW}


def _clean_items(
    items_in, app: Application, *, require_all: bool, text_fields: tuple[str, ...]
) -> dict:
    if not isinstance(items_in, list):
        raise ApplicationError(gettext("items 应为列表。"), field="items")
    by_code = {i.code: i for i in criteria_items(app.cycle.criteria_set_id)}
    cleaned, errors = {}, []
    for row in items_in:
        if not isinstance(row, dict):
            errors.append("每一项应包含 item 和 percent。")
            continue
        code = str(row.get("item", "")).strip()
        item = by_code.get(code)
        if item is None:
            errors.append(f"评价准则中没有条款“{code}”。")
            continue
        try:
            percent = int(str(row.get("percent")))
        except (TypeError, ValueError):
            errors.append(f"{code}的百分比应为0到100之间5的倍数。")
            continue
        if not 0 <= percent <= 100 or percent % 5:
            errors.append(f"{code}的百分比应为0到100之间5的倍数，收到{row.get('percent')}。")
            continue
        cleaned[code] = (
            item,
            percent,
            *(str(row.get(f) or "").strip()[:4000] for f in text_fields),
        )
    if require_all:
        absent = [c for c in by_code if c not in cleaned]
        if absent:
            errors.append(f"还有{len(absent)}个条款未评分：{'、'.join(absent)}。")
    if errors:
        raise ApplicationError(" ".join(errors), field="items")
    return cleaned


def _check_may_score(assignment: Assignment, expert) -> None:
    if assignment.expert_id != expert.pk:
        raise ApplicationError(gettext("这不是您的评审任务。"), code="not_found")
    profile = ExpertProfile.objects.filter(user=expert).first()
    if profile is None or profile.status != ExpertStatus.ACTIVE:
        raise ApplicationError(gettext("您当前不能评审。"), rule="R23", code="forbidden")
    if profile.pledge_accepted_at is None:
        raise ApplicationError(gettext("请先签署保密承诺。"), rule="R23", code="forbidden")
    if assignment.status == AssignmentStatus.REVOKED:
        raise ApplicationError(gettext("该评审任务已撤销。"), code="not_found")
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise StateConflict(gettext("评分已提交，不能再修改。"))
    if assignment.application.status != SCORING_STATUS[assignment.stage]:
        raise StateConflict(gettext("该申报已不在本阶段评审中。"))


def ensure_visit_held(app: Application, what: str) -> None:
    """R12.5: on-site scores and the group's consensus come from the visit: once its date is
    recorded, they are accepted on or after that day, never before."""
    visit = SiteVisit.objects.filter(application=app).first()
    if visit is not None and today() < visit.scheduled_on:
        raise StateConflict(
            gettext("现场评审日期为%(scheduled_on)s，%(what)s须在当日或之后。")
            % {"scheduled_on": format(visit.scheduled_on, "%Y-%m-%d"), "what": what},
            rule="R12.5",
        )


@transaction.atomic
def save_scores(*, assignment: Assignment, items: list, expert) -> Assignment:
    """Save (autosave) the expert's marks; incomplete sheets are allowed until submission."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__cycle")
        .get(pk=assignment.pk)
    )
    _check_may_score(locked, expert)
    cleaned = _clean_items(
        items, locked.application, require_all=False, text_fields=("strengths", "improvements")
    )
    for item, percent, strengths, improvements in cleaned.values():
        ItemScore.objects.update_or_create(
            assignment=locked,
            item=item,
            defaults={"percent": percent, "strengths": strengths, "improvements": improvements},
        )
    return locked


@transaction.atomic
def submit_scores(*, assignment: Assignment, expert) -> Assignment:
    """Submit a complete score sheet; it cannot change afterwards."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__cycle")
        .get(pk=assignment.pk)
    )
    _check_may_score(locked, expert)
    if locked.stage == Stage.ONSITE:
        ensure_visit_held(locked.application, pgettext("step", "提交现场评审评分"))
    scored = set(locked.scores.values_list("item__code", flat=True))
    absent = [
        i.code
        for i in criteria_items(locked.application.cycle.criteria_set_id)
        if i.code not in scored
    ]
    if absent:
        raise ApplicationError(
            gettext("还有%(len)s个条款未评分：%(join)s。")
            % {"len": len(absent), "join": "、".join(absent)},
            field="items",
        )
    transition(
        ASSIGNMENT_MACHINE,
        locked,
        AssignmentStatus.SUBMITTED,
        actor=expert,
        action="assignment.submitted",
        fields={"submitted_at": timezone.now()},
        audit_obj=locked.application,
        data={
            "assignment": locked.pk,
            "stage": locked.stage,
            "scores": {s.item.code: s.percent for s in locked.scores.select_related("item")},
        },
    )
    store_sheet_totals(application_id=locked.application_id, stage=locked.stage)
    locked.refresh_from_db(fields=["own_total", "total", "own_by_category", "by_category"])
    return locked


def _check_document_consensus(app: Application, cleaned: dict) -> None:
    """R12.4: the office records a document-stage consensus only where the experts' spread
    carries a dispersion flag, and says why; every other item stays the experts' own."""
    loaded = with_score_inputs(Application.objects.filter(pk=app.pk)).get()
    items = criteria_items(app.cycle.criteria_set_id)
    flagged = {d.item.code for d in dispersion(loaded, items, app.cycle.settings) if d.flagged}
    unflagged = sorted(code for code in cleaned if code not in flagged)
    if unflagged:
        raise ApplicationError(
            gettext("条款%(join)s专家分歧未超过阈值，评分以专家本人为准，不能记录一致意见。")
            % {"join": "、".join(unflagged)},
            rule="R12.4",
            field="items",
        )
    silent = sorted(code for code, row in cleaned.items() if not row[2])
    if silent:
        raise ApplicationError(
            gettext("请为条款%(join)s写明一致意见的理由。") % {"join": "、".join(silent)},
            rule="R12.4",
            field="items",
        )


@transaction.atomic
def record_consensus(*, application: Application, stage: str, items: list, actor) -> list:
    """The consensus values of a stage: the office for document-review dispersion flags, the
    on-site group's leader for the on-site sheet (which must cover every item)."""
    if stage not in Stage.values:
        raise ApplicationError(gettext("阶段应为 document 或 onsite。"), field="stage")
    app = lock(application)
    if app.status != SCORING_STATUS[stage]:
        raise StateConflict(
            gettext("申报状态为“%(label)s”，不能记录%(label2)s一致意见。")
            % {"label": S(app.status).label, "label2": Stage(stage).label}
        )
    if stage == Stage.ONSITE:
        is_leader = (
            Assignment.objects.filter(
                application=app, stage=Stage.ONSITE, leader=True, expert=actor
            )
            .exclude(status=AssignmentStatus.REVOKED)
            .exists()
        )
        if not is_leader:
            raise ApplicationError(
                gettext("只有现场评审组组长可以记录现场评审一致意见。"), code="forbidden"
            )
        waiting = Assignment.objects.filter(
            application=app, stage=Stage.ONSITE, status=AssignmentStatus.ASSIGNED
        ).count()
        if waiting:
            raise StateConflict(
                gettext("现场评审组尚有%(waiting)s名专家未提交评分，全部提交后方可记录一致意见。")
                % {"waiting": waiting},
                rule="R12.5",
            )
        ensure_visit_held(app, pgettext("step", "记录现场评审一致意见"))
    elif not actor.has_role("office"):
        raise ApplicationError(
            gettext("资料评审一致意见由评审委员会办公室记录。"), code="forbidden"
        )
    cleaned = _clean_items(items, app, require_all=stage == Stage.ONSITE, text_fields=("comment",))
    if stage == Stage.DOCUMENT:
        _check_document_consensus(app, cleaned)
    saved = []
    for item, percent, comment in cleaned.values():
        obj, _ = ConsensusScore.objects.update_or_create(
            voided_at=None,
            application=app,
            stage=stage,
            item=item,
            defaults={"percent": percent, "comment": comment, "recorded_by": actor},
        )
        saved.append(obj)
    audit.record(
        action="consensus.recorded",
        actor=actor,
        obj=app,
        data={"stage": stage, "items": {code: v[1] for code, v in cleaned.items()}},
    )
    return saved
