"""The expert pool (专家库): profiles, status (R23), the confidentiality pledge, conflicts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from common import audit
from common.exceptions import ApplicationError

from ..enums import LIVE_ASSIGNMENT_STATES, AssignmentStatus, ExpertStatus
from ..models import Assignment, ConflictOfInterest, ExpertProfile

PROFILE_FIELDS = ("qualifications", "industries", "employer", "term_starts_on", "term_ends_on")


def profile_of(user) -> ExpertProfile:
    """The expert's profile, created on first use for a user holding the expert role."""
    if not user.has_role("expert"):
        raise ApplicationError("该用户不是评审专家。", field="expert")
    profile, _ = ExpertProfile.objects.get_or_create(user=user)
    return profile


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
    count = 0
    for a in assignments.select_for_update():
        a.status = AssignmentStatus.REVOKED
        a.revoked_at = timezone.now()
        a.revoked_reason = reason
        a.save(update_fields=["status", "revoked_at", "revoked_reason"])
        audit.record(
            action="assignment.revoked",
            actor=actor,
            obj=a.application,
            from_state=AssignmentStatus.ASSIGNED,
            to_state=AssignmentStatus.REVOKED,
            reason=reason,
            data={"assignment": a.pk, "expert": a.expert_id, "stage": a.stage},
        )
        count += 1
    return count


@transaction.atomic
def set_expert_status(*, expert, status: str, reason: str, actor) -> ExpertProfile:
    """Suspend, reinstate or disqualify (R23) an expert. Suspension and disqualification end
    the expert's unfinished assignments; submitted scores stay on record."""
    if status not in ExpertStatus.values:
        raise ApplicationError("状态不正确。", field="status")
    if status != ExpertStatus.ACTIVE and not (reason or "").strip():
        raise ApplicationError("暂停或取消资格须写明理由。", rule="R23", field="reason")
    profile = ExpertProfile.objects.select_for_update().get(pk=profile_of(expert).pk)
    previous = profile.status
    if previous == ExpertStatus.DISQUALIFIED and status != previous:
        raise ApplicationError("已取消资格的专家不能恢复。", rule="R23")
    profile.status, profile.status_reason = status, reason or ""
    profile.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        action="expert.status",
        actor=actor,
        obj=profile,
        from_state=previous,
        to_state=status,
        reason=reason,
    )
    if status != ExpertStatus.ACTIVE:
        _revoke_assignments(
            Assignment.objects.filter(expert=expert, status=AssignmentStatus.ASSIGNED),
            actor=actor,
            reason=f"专家{ExpertStatus(status).label}：{reason}",
        )
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
    """Record a conflict of interest (by the expert or the office). The expert's live
    assignments on that organisation's applications are revoked at once: access ends."""
    if not (reason or "").strip():
        raise ApplicationError("请写明回避理由。", field="reason")
    profile_of(expert)
    try:
        with transaction.atomic():
            conflict = ConflictOfInterest.objects.create(
                expert=expert, organisation=organisation, reason=reason.strip(), declared_by=actor
            )
    except IntegrityError as exc:
        raise ApplicationError("该回避关系已登记。", field="expert") from exc
    audit.record(
        action="expert.conflict_declared",
        actor=actor,
        obj=organisation,
        reason=reason,
        data={"expert": expert.pk},
    )
    _revoke_assignments(
        Assignment.objects.filter(
            expert=expert, application__organisation=organisation, status__in=LIVE_ASSIGNMENT_STATES
        ),
        actor=actor,
        reason="利益冲突回避",
    )
    return conflict


def has_conflict(expert, organisation) -> bool:
    return ConflictOfInterest.objects.filter(expert=expert, organisation=organisation).exists()
