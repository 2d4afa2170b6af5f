"""Assigning experts (R10.2, R12.4, R12.5): never a conflicted, suspended or disqualified
expert; the first document assignment starts the document review."""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.workflow import lock, transition_application
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from programmes.enums import CycleStatus
from programmes.phases import ensure_review_begun

from ..enums import (
    ASSIGNMENT_MACHINE,
    LIVE_ASSIGNMENT_STATES,
    AssignmentStatus,
    ExpertStatus,
    Stage,
)
from ..models import Assignment, ConflictOfInterest, ExpertProfile
from ..selectors import expert_pool

# The application statuses in which experts can be assigned at each stage.
ASSIGNABLE = {
    Stage.DOCUMENT: frozenset({S.ACCEPTED, S.DOCUMENT_REVIEW}),
    Stage.ONSITE: frozenset({S.ONSITE_REVIEW}),
}


def _check_expert(expert, app: Application) -> None:
    profile = ExpertProfile.objects.filter(user=expert).first()
    if not expert.has_role("expert") or not expert.is_active:
        raise ApplicationError(gettext("该用户不是在库专家。"), field="expert")
    if not expert.serves(app.cycle.programme_id):
        raise ApplicationError(gettext("该专家不服务于本质量奖。"), field="expert")
    if profile is not None and profile.status != ExpertStatus.ACTIVE:
        raise ApplicationError(
            gettext("该专家状态为“%(get_status_display)s”，不能指派。")
            % {"get_status_display": profile.get_status_display()},
            rule="R23",
            field="expert",
        )
    if profile is not None and not profile.in_term(today()):
        raise ApplicationError(gettext("该专家不在聘期内，不能指派。"), field="expert")
    if ConflictOfInterest.objects.filter(expert=expert, organisation=app.organisation_id).exists():
        raise ApplicationError(gettext("该专家与申报组织存在利益冲突，须回避。"), field="expert")


@transaction.atomic
def assign_expert(
    *, application: Application, expert, stage: str, actor, leader: bool = False
) -> Assignment:
    if stage not in Stage.values:
        raise ApplicationError(gettext("阶段应为 document 或 onsite。"), field="stage")
    app = lock(application)
    ensure_review_begun(app.cycle, step="指派评审专家", rule="R12.4")
    if app.status not in ASSIGNABLE[stage]:
        raise StateConflict(
            gettext("申报状态为“%(label)s”，不能指派%(label2)s专家。")
            % {"label": S(app.status).label, "label2": Stage(stage).label}
        )
    _check_expert(expert, app)
    live = Assignment.objects.filter(
        application=app, stage=stage, status__in=LIVE_ASSIGNMENT_STATES
    )
    if stage == Stage.ONSITE and leader and live.filter(leader=True).exists():
        raise ApplicationError(gettext("该现场评审组已有组长。"), field="leader")
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                application=app,
                expert=expert,
                stage=stage,
                leader=leader and stage == Stage.ONSITE,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise ApplicationError(gettext("该专家已指派到本申报的这一阶段。"), field="expert") from exc
    audit.record(
        action="assignment.created",
        actor=actor,
        obj=app,
        to_state=AssignmentStatus.ASSIGNED,
        data={
            "assignment": assignment.pk,
            "expert": expert.pk,
            "stage": stage,
            "leader": assignment.leader,
        },
    )
    if stage == Stage.DOCUMENT and app.status == S.ACCEPTED:
        transition_application(
            app, S.DOCUMENT_REVIEW, actor=actor, reason="资料评审专家已指派", told=""
        )
    return assignment


@transaction.atomic
def auto_assign(*, cycle, stage: str, actor) -> list[Assignment]:
    """Fill every assignable application of the cycle up to the programme's number of experts
    (document: 3, on-site: 5 with a leader), balancing load and matching industry first."""
    ensure_review_begun(cycle, step="指派评审专家", rule="R12.4")
    programme = cycle.programme
    rules = cycle.settings
    wanted = rules.document_experts if stage == Stage.DOCUMENT else rules.onsite_group_size
    day = today()
    pool = [
        u
        for u in expert_pool(programme.pk)
        if getattr(u, "expert_profile", None) is None
        or (u.expert_profile.status == ExpertStatus.ACTIVE and u.expert_profile.in_term(day))
    ]
    load = Counter({u.pk: u.load for u in pool})
    conflicts = set(ConflictOfInterest.objects.values_list("expert_id", "organisation_id"))
    created = []
    apps = (
        Application.objects.filter(cycle=cycle, status__in=ASSIGNABLE[stage])
        .select_related("organisation")
        .order_by("pk")
    )
    for app in apps:
        current = list(
            Assignment.objects.filter(
                application=app, stage=stage, status__in=LIVE_ASSIGNMENT_STATES
            )
        )
        taken = {a.expert_id for a in current}
        has_leader = any(a.leader for a in current)
        candidates = [
            u for u in pool if u.pk not in taken and (u.pk, app.organisation_id) not in conflicts
        ]
        candidates.sort(
            key=lambda u: (
                not (
                    getattr(u, "expert_profile", None) is not None
                    and u.expert_profile.matches_industry(app.organisation.industry)
                ),
                load[u.pk],
                u.username,
            )
        )
        for expert in candidates[: max(wanted - len(current), 0)]:
            leader = stage == Stage.ONSITE and not has_leader
            created.append(
                assign_expert(
                    application=app, expert=expert, stage=stage, actor=actor, leader=leader
                )
            )
            has_leader = has_leader or leader
            load[expert.pk] += 1
    return created


@transaction.atomic
def revoke_assignment(*, assignment: Assignment, reason: str, actor) -> Assignment:
    """The office withdraws an expert's unfinished assignment (撤回分配), with a reason.

    Only an assignment still being worked on (``assigned``) of an open cycle: a submitted
    sheet leaves the composite only through a conflict or a suspension (R23), and a closed
    cycle's record never changes. The row is locked, so a second request for the same
    assignment finds it revoked and is refused (409); the audit entry is filed under the
    application with the expert and the stage."""
    if not (reason or "").strip():
        raise ApplicationError(gettext("请写明撤回原因。"), field="reason")
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__cycle")
        .get(pk=assignment.pk)
    )
    if locked.status != AssignmentStatus.ASSIGNED:
        raise StateConflict(gettext("只能撤回尚未提交的评审任务。"))
    if locked.application.cycle.status != CycleStatus.OPEN:
        raise StateConflict(gettext("该年度评审已结束，评审任务不能再撤回。"))
    reason = reason.strip()
    revoked = transition(
        ASSIGNMENT_MACHINE,
        locked,
        AssignmentStatus.REVOKED,
        actor=actor,
        action="assignment.revoked",
        reason=reason,
        fields={"revoked_at": timezone.now(), "revoked_reason": reason},
        audit_obj=locked.application,
        data={"assignment": locked.pk, "expert": locked.expert_id, "stage": locked.stage},
    )
    assignment.status = revoked.status
    assignment.revoked_at, assignment.revoked_reason = revoked.revoked_at, revoked.revoked_reason
    return revoked
