"""The expert pool (专家库): profiles, status (R23), the confidentiality pledge, conflicts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import Role
from accounts.models import User
from accounts.services.users import create_staff_user
from applications.enums import ApplicationStatus as S
from common import audit
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from notifications.services import notify
from programmes.models import Programme

from ..enums import (
    ASSIGNMENT_MACHINE,
    EXPERT_MACHINE,
    AssignmentStatus,
    ConflictScoresDecision,
    ExpertStatus,
    Stage,
)
from ..models import Assignment, ConflictOfInterest, ConsensusScore, ExpertProfile
from .totals import store_sheet_totals

PROFILE_FIELDS = ("qualifications", "industries", "employer", "term_starts_on", "term_ends_on")


def profile_of(user) -> ExpertProfile:
    """The expert's profile, created on first use for a user holding the expert role."""
    if not user.has_role("expert"):
        raise ApplicationError(gettext("该用户不是评审专家。"), field="expert")
    profile, _ = ExpertProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def add_expert(
    *,
    actor,
    username: str,
    password: str,
    name: str,
    email: str = "",
    phone: str = "",
    programmes: list[str] | None = None,
    qualifications: str = "",
    industries: str = "",
    employer: str = "",
    term_starts_on=None,
    term_ends_on=None,
) -> User:
    """The office adds a member to the expert pool (专家库, R10.2): a user holding the expert
    role, through the same ``create_staff_user`` as the operators' ``create_user --role
    expert``, and the expert's profile. The new expert serves ``programmes`` (codes), each one
    the office serves; an office serving every programme may leave them empty (the expert
    then serves every programme too). Writes ``user.created`` and ``expert.added``."""
    codes = sorted(set(programmes or []))
    if not codes and not actor.all_programmes:
        raise ApplicationError(gettext("请选择该专家服务的质量奖。"), field="programmes")
    served = {p.code: p.pk for p in Programme.objects.filter(code__in=codes) if actor.serves(p.pk)}
    if set(codes) - set(served):
        raise ApplicationError(
            gettext("只能为本办公室服务的质量奖添加专家。"), field="programmes", code="forbidden"
        )
    if not (name or "").strip():
        raise ApplicationError(gettext("请填写专家姓名。"), field="name")
    if term_starts_on and term_ends_on and term_ends_on < term_starts_on:
        raise ApplicationError(gettext("聘期结束不能早于聘期开始。"), field="term_ends_on")
    user = create_staff_user(
        username=(username or "").strip(),
        password=password,
        roles=[Role.EXPERT],
        programmes=codes,
        name=name.strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        actor=actor,
    )
    profile = ExpertProfile(
        user=user,
        qualifications=qualifications,
        industries=industries,
        employer=employer,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
    )
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages)) from exc
    profile.save()
    audit.record(
        action="expert.added",
        actor=actor,
        obj=profile,
        to_state=profile.status,
        data={"expert": user.pk, "username": user.username, "programmes": codes},
    )
    return user


@transaction.atomic
def update_expert(*, expert, data: dict, actor) -> ExpertProfile:
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_of(expert).pk)
    changed = {k: v for k, v in data.items() if k in PROFILE_FIELDS and getattr(profile, k) != v}
    for name, value in changed.items():
        setattr(profile, name, value)
    if changed:
        profile.full_clean()
        profile.save()
        audit.record(
            action="expert.profile_changed",
            actor=actor,
            obj=profile,
            data={"fields": sorted(changed)},
        )
    return profile


def _revoke_assignments(assignments, *, actor, reason: str) -> int:
    """Revoke these assignments. A submitted sheet that is revoked leaves the composite (its
    scores stay on record, marked revoked) and the office is told the stage needs another
    expert."""
    count = 0
    for a in assignments.select_for_update(of=("self",)).select_related(
        "application__organisation", "application__cycle__programme"
    ):
        previous = a.status
        transition(
            ASSIGNMENT_MACHINE,
            a,
            AssignmentStatus.REVOKED,
            actor=actor,
            action="assignment.revoked",
            reason=reason,
            fields={"revoked_at": timezone.now(), "revoked_reason": reason},
            audit_obj=a.application,
            data={"assignment": a.pk, "expert": a.expert_id, "stage": a.stage},
        )
        if previous == AssignmentStatus.SUBMITTED:
            _tell_office_stage_short(a, reason)
            store_sheet_totals(application_id=a.application_id, stage=a.stage)
        count += 1
    return count


def _tell_office_stage_short(assignment: Assignment, reason: str) -> None:
    app = assignment.application
    programme = app.cycle.programme
    office = User.objects.filter(groups__name=Role.OFFICE, is_active=True).filter(
        Q(all_programmes=True) | Q(memberships__programme_id=programme.pk)
    )
    notify(
        recipients=office.distinct(),
        subject=gettext("【%(programme)s】%(organisation)s：%(stage)s需另派专家")
        % {
            "programme": programme.name,
            "organisation": app.organisation.name,
            "stage": Stage(assignment.stage).label,
        },
        body=gettext(
            "一份已提交的%(stage)s评分不再计入（%(reason)s），综合得分已重新计算。请另行指派专家。"
        )
        % {"stage": Stage(assignment.stage).label, "reason": reason},
        url=reverse("review:application", args=[app.pk]),
        programme_id=programme.pk,
    )


# The stage of a sheet is still running while its application is in that stage's review.
_STAGE_RUNNING = Q(stage=Stage.DOCUMENT, application__status=S.DOCUMENT_REVIEW) | Q(
    stage=Stage.ONSITE, application__status=S.ONSITE_REVIEW
)


def open_submitted_sheets(expert, organisation=None) -> QuerySet[Assignment]:
    """The expert's submitted sheets (on ``organisation``'s applications, or on any) whose
    stage is still running: the only submitted work a conflict, a suspension or a
    disqualification can still take out. A finished stage's scores, and a closed cycle's, are
    never changed."""
    sheets = Assignment.objects.filter(expert=expert, status=AssignmentStatus.SUBMITTED)
    if organisation is not None:
        sheets = sheets.filter(application__organisation=organisation)
    return sheets.filter(_STAGE_RUNNING)


def withdraw_counted_work(*, expert, reason: str, actor, organisation=None) -> int:
    """R23: work done by someone later conflicted, suspended or disqualified does not count.
    Their submitted sheets and the consensus they recorded, in stages still running, leave the
    composite (kept on record, marked); the office is told the stage needs another expert."""
    sheets = list(open_submitted_sheets(expert, organisation).values_list("pk", flat=True))
    _revoke_assignments(Assignment.objects.filter(pk__in=sheets), actor=actor, reason=reason)
    consensus = ConsensusScore.objects.filter(recorded_by=expert, voided_at=None).filter(
        Q(stage=Stage.DOCUMENT, application__status=S.DOCUMENT_REVIEW)
        | Q(stage=Stage.ONSITE, application__status=S.ONSITE_REVIEW)
    )
    if organisation is not None:
        consensus = consensus.filter(application__organisation=organisation)
    voided = list(consensus.select_related("application", "item"))
    for score in voided:
        score.voided_at, score.voided_reason = timezone.now(), reason
        score.save(update_fields=["voided_at", "voided_reason"])
    for app_id in sorted({s.application_id for s in voided}):
        app = next(s.application for s in voided if s.application_id == app_id)
        audit.record(
            action="consensus.voided",
            actor=actor,
            obj=app,
            reason=reason,
            data={
                "expert": expert.pk,
                "items": [s.item.code for s in voided if s.application_id == app_id],
            },
        )
    return len(sheets) + len(voided)


@transaction.atomic
def set_expert_status(*, expert, status: str, reason: str, actor) -> ExpertProfile:
    """Suspend, reinstate or disqualify (R23) an expert. Suspension and disqualification end
    the expert's unfinished assignments; submitted scores stay on record."""
    if status not in ExpertStatus.values:
        raise ApplicationError(gettext("状态不正确。"), field="status")
    if status != ExpertStatus.ACTIVE and not (reason or "").strip():
        raise ApplicationError(gettext("暂停或取消资格须写明理由。"), rule="R23", field="reason")
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_of(expert).pk)
    previous = profile.status
    if previous == ExpertStatus.DISQUALIFIED and status != previous:
        raise ApplicationError(gettext("已取消资格的专家不能恢复。"), rule="R23")
    if status == previous:
        # The same status again (a double submission, or a new reason): the reason is kept.
        if reason and reason != profile.status_reason:
            profile.status_reason = reason
            profile.save(update_fields=["status_reason", "updated_at"])
        return profile
    profile = transition(
        EXPERT_MACHINE,
        profile,
        status,
        actor=actor,
        action="expert.status",
        reason=reason,
        fields={"status_reason": reason or ""},
    )
    if status != ExpertStatus.ACTIVE:
        why = f"专家{ExpertStatus(status).label}：{reason}"
        _revoke_assignments(
            Assignment.objects.filter(expert=expert, status=AssignmentStatus.ASSIGNED),
            actor=actor,
            reason=why,
        )
        withdraw_counted_work(expert=expert, reason=why, actor=actor)
    return profile


@transaction.atomic
def accept_pledge(*, expert) -> ExpertProfile:
    """The expert accepts the confidentiality pledge (R23) before seeing any material."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_of(expert).pk)
    if profile.pledge_accepted_at is None:
        profile.pledge_accepted_at = timezone.now()
        profile.save(update_fields=["pledge_accepted_at", "updated_at"])
        audit.record(action="expert.pledge_accepted", actor=expert, obj=profile)
    return profile


@transaction.atomic
def declare_conflict(*, expert, organisation, reason: str, actor) -> ConflictOfInterest:
    """Record a conflict of interest (by the expert or the office; R23).

    At once: the expert is never assigned to the organisation again, loses access to its
    material, and their unfinished assignments on it are revoked. Sheets already submitted in
    a stage that is still running are the office's decision: declared by the office, they stop
    counting now; declared by the expert, they wait for the office (``decide_conflict``), so
    no expert can take their own scores back. Sheets of a finished stage stand.
    """
    if not (reason or "").strip():
        raise ApplicationError(gettext("请写明回避理由。"), field="reason")
    profile_of(expert)
    by_office = actor.pk != expert.pk and actor.has_role(Role.OFFICE)
    submitted = list(open_submitted_sheets(expert, organisation).values_list("pk", flat=True))
    if not submitted:
        decision = ConflictScoresDecision.NOT_NEEDED
    elif by_office:
        decision = ConflictScoresDecision.WITHDRAWN
    else:
        decision = ConflictScoresDecision.PENDING
    try:
        with transaction.atomic():
            conflict = ConflictOfInterest.objects.create(
                expert=expert,
                organisation=organisation,
                reason=reason.strip(),
                declared_by=actor,
                scores_decision=decision,
                **(
                    {"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason}
                    if decision == ConflictScoresDecision.WITHDRAWN
                    else {}
                ),
            )
    except IntegrityError as exc:
        raise ApplicationError(gettext("该回避关系已登记。"), field="expert") from exc
    audit.record(
        action="expert.conflict_declared",
        actor=actor,
        obj=organisation,
        reason=reason,
        to_state=decision,
        data={"expert": expert.pk, "conflict": conflict.pk, "submitted_sheets": submitted},
    )
    _revoke_assignments(
        Assignment.objects.filter(
            expert=expert,
            application__organisation=organisation,
            status=AssignmentStatus.ASSIGNED,
        ),
        actor=actor,
        reason="利益冲突回避",
    )
    if decision == ConflictScoresDecision.WITHDRAWN:
        withdraw_counted_work(
            expert=expert, organisation=organisation, reason="利益冲突回避", actor=actor
        )
    elif decision == ConflictScoresDecision.PENDING:
        _tell_office_conflict_pending(conflict, len(submitted))
    return conflict


def _tell_office_conflict_pending(conflict: ConflictOfInterest, sheets: int) -> None:
    programme_ids = set(
        open_submitted_sheets(conflict.expert, conflict.organisation).values_list(
            "application__cycle__programme_id", flat=True
        )
    )
    office = User.objects.filter(groups__name=Role.OFFICE, is_active=True).filter(
        Q(all_programmes=True) | Q(memberships__programme_id__in=programme_ids)
    )
    notify(
        recipients=office.distinct(),
        subject=gettext("专家%(expert)s申报回避，待决定已提交评分的处理")
        % {"expert": conflict.expert.display_name},
        body=gettext("专家在提交%(sheets)s份评分后申报与%(organisation)s存在利益冲突：%(reason)s")
        % {"sheets": sheets, "organisation": conflict.organisation.name, "reason": conflict.reason}
        + "\n"
        + gettext("请决定这些评分是否继续计入。"),
        url=reverse("review:expert_detail", args=[conflict.expert_id]),
    )


@transaction.atomic
def decide_conflict(
    *, conflict: ConflictOfInterest, withdraw_scores: bool, reason: str, actor
) -> ConflictOfInterest:
    """The office decides whether the sheets an expert submitted before declaring a conflict
    keep counting (R23: work done in conflict does not count). Only sheets whose stage is still
    running can be withdrawn; the rest stand."""
    if not actor.has_role(Role.OFFICE):
        raise ApplicationError(gettext("由评审委员会办公室决定。"), code="forbidden")
    if not (reason or "").strip():
        raise ApplicationError(gettext("请写明决定理由。"), rule="R23", field="reason")
    locked = (
        ConflictOfInterest.objects.select_for_update(of=("self",))
        .select_related("expert", "organisation")
        .get(pk=conflict.pk)
    )
    if locked.scores_decision != ConflictScoresDecision.PENDING:
        raise StateConflict(gettext("该回避申报无待决定事项（已决定或无已提交评分）。"))
    decision = ConflictScoresDecision.WITHDRAWN if withdraw_scores else ConflictScoresDecision.KEPT
    sheets = list(open_submitted_sheets(locked.expert, locked.organisation))
    locked.scores_decision = decision
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["scores_decision", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        action="expert.conflict_decided",
        actor=actor,
        obj=locked.organisation,
        from_state=ConflictScoresDecision.PENDING,
        to_state=decision,
        reason=reason,
        data={"conflict": locked.pk, "expert": locked.expert_id, "sheets": [a.pk for a in sheets]},
    )
    if withdraw_scores:
        withdraw_counted_work(
            expert=locked.expert,
            organisation=locked.organisation,
            reason=f"利益冲突回避：{reason.strip()}",
            actor=actor,
        )
    return locked


def has_conflict(expert, organisation) -> bool:
    return ConflictOfInterest.objects.filter(expert=expert, organisation=organisation).exists()
