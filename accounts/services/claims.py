"""Claiming an organisation whose USCC another account already holds (认领申请, issue 8 item 13).

Registration never tells a stranger that a code is taken, and never lets the first to register a
code keep it against its owner: the new account is created without the organisation and a claim
is filed; the claimant sends proof (the business licence); the office checks it and either moves
the organisation to the claimant (the accounts that held it lose it, unless the office keeps
them because they belong to the same organisation) or rejects the claim with reasons. Both sides
are told. The procedure for people is docs/claims.md.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import audit
from common.exceptions import ApplicationError, StateConflict
from common.uploads import JPEG, PDF, PNG, check_upload
from notifications.services import notify
from organisations.models import Organisation

from ..enums import (
    CLAIM_TRANSITIONS,
    OPEN_CLAIM_STATES,
    ClaimEvidenceKind,
    ClaimStatus,
    Role,
)
from ..models import ClaimEvidence, OrganisationClaim, User

EVIDENCE_TYPES = (PDF, JPEG, PNG)
MAX_STATEMENT_CHARS = 2000
MAX_REASONS_CHARS = 2000


def lock_claim(claim: OrganisationClaim) -> OrganisationClaim:
    return OrganisationClaim.objects.select_for_update().get(pk=claim.pk)


def _check_transition(claim: OrganisationClaim, to: str) -> None:
    if to not in CLAIM_TRANSITIONS[claim.status]:
        raise StateConflict(
            _("该认领申请当前为“%(status)s”，不能进行此操作。")
            % {"status": claim.get_status_display()}
        )


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def claim_url(claim: OrganisationClaim) -> str:
    return reverse("accounts:claim_detail", args=[claim.pk])


@transaction.atomic
def file_claim(*, claimant: User, organisation: Organisation, submitted: dict) -> OrganisationClaim:
    """Open a claim of ``claimant`` on ``organisation``; ``submitted`` is what the claimant typed
    about the organisation at registration. The claim waits for the claimant's proof."""
    claim = OrganisationClaim.objects.create(
        claimant=claimant,
        organisation=organisation,
        uscc=organisation.uscc,
        submitted_name=str(submitted.get("name", ""))[:200],
        submitted_data=_json_safe(submitted),
    )
    audit.record(
        action="claim.filed",
        actor=claimant,
        obj=claim,
        to_state=claim.status,
        data={"organisation": organisation.pk, "uscc": organisation.uscc},
    )
    return claim


def _store_evidence(claim: OrganisationClaim, upload, kind: str) -> ClaimEvidence:
    file_type = check_upload(upload)
    if file_type not in EVIDENCE_TYPES:
        raise ApplicationError(
            _("证明材料须为 PDF、JPEG 或 PNG 文件（营业执照的扫描件或照片）。"), field=kind
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    evidence = ClaimEvidence(
        claim=claim,
        kind=kind,
        original_name="".join(c for c in name if c.isprintable())[:200] or "file",
        content_type=file_type.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
    evidence.file.save(f"evidence.{file_type.extension}", upload, save=False)
    evidence.save()
    return evidence


def _office_users():
    return User.objects.filter(groups__name=Role.OFFICE, is_active=True).distinct()


@transaction.atomic
def submit_claim(
    *,
    claim: OrganisationClaim,
    licence,
    authorisation=None,
    statement: str = "",
    actor: User,
) -> OrganisationClaim:
    """The claimant sends the proof (``licence``: the business licence or registration
    certificate; ``authorisation``: optional letter) and the claim goes to the office.
    The office and the accounts now holding the organisation are notified."""
    claim = lock_claim(claim)
    if claim.claimant_id != actor.pk:
        raise ApplicationError(_("只有申请人本人可以提交认领材料。"), code="forbidden")
    _check_transition(claim, ClaimStatus.SUBMITTED)
    if licence is None:
        raise ApplicationError(_("请上传营业执照或登记证书。"), field="licence")
    statement = (statement or "").strip()
    if len(statement) > MAX_STATEMENT_CHARS:
        raise ApplicationError(
            _("申请说明不能超过%(n)d个字。") % {"n": MAX_STATEMENT_CHARS}, field="statement"
        )
    stored = [_store_evidence(claim, licence, ClaimEvidenceKind.LICENCE)]
    if authorisation is not None:
        stored.append(_store_evidence(claim, authorisation, ClaimEvidenceKind.AUTHORISATION))
    claim.status = ClaimStatus.SUBMITTED
    claim.statement = statement
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "statement", "submitted_at", "updated_at"])
    audit.record(
        action="claim.submitted",
        actor=actor,
        obj=claim,
        from_state=ClaimStatus.AWAITING_EVIDENCE,
        to_state=ClaimStatus.SUBMITTED,
        data={"evidence": [{"id": e.pk, "kind": e.kind, "sha256": e.sha256} for e in stored]},
    )
    organisation = claim.organisation
    notify(
        recipients=_office_users(),
        subject=_("组织认领申请待核实：%(name)s") % {"name": organisation.name},
        body=_(
            "有账号申请认领统一社会信用代码为 %(uscc)s 的组织“%(name)s”，并已上传证明材料，"
            "请核实后作出决定。"
        )
        % {"uscc": organisation.uscc, "name": organisation.name},
        url=claim_url(claim),
    )
    notify(
        recipients=organisation.users.exclude(pk=claim.claimant_id),
        subject=_("关于贵单位账号的认领申请"),
        body=_(
            "有人以贵单位的统一社会信用代码 %(uscc)s 申请认领“%(name)s”，评审委员会办公室将核实"
            "其证明材料。如该申请与贵单位无关或您有异议，请尽快与办公室联系并提供营业执照。"
        )
        % {"uscc": organisation.uscc, "name": organisation.name},
    )
    return claim


@transaction.atomic
def decide_claim(
    *,
    claim: OrganisationClaim,
    approve: bool,
    reasons: str,
    actor: User,
    keep_other_users: bool = False,
) -> OrganisationClaim:
    """The office's decision on a submitted claim. Approved: the claimant's account gets the
    organisation, and the accounts that held it lose it (``keep_other_users`` keeps them, for a
    colleague of the same organisation). Rejected: nothing moves. Reasons are required (R4).
    A second decision on the same claim is a conflict (409)."""
    claim = lock_claim(claim)
    target = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    _check_transition(claim, target)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ApplicationError(_("请填写核实意见（R4：每项决定都须说明理由）。"), field="reasons")
    if len(reasons) > MAX_REASONS_CHARS:
        raise ApplicationError(
            _("核实意见不能超过%(n)d个字。") % {"n": MAX_REASONS_CHARS}, field="reasons"
        )
    organisation = Organisation.objects.select_for_update().get(pk=claim.organisation_id)
    claimant = User.objects.select_for_update().get(pk=claim.claimant_id)
    holders = list(
        User.objects.select_for_update()
        .filter(organisation=organisation)
        .exclude(pk=claimant.pk)
        .order_by("pk")
    )
    detached: list[int] = []
    if approve:
        if claimant.organisation_id not in (None, organisation.pk):
            raise StateConflict(_("申请人账号已关联其他组织，不能再认领该组织。"))
        claimant.organisation = organisation
        claimant.save(update_fields=["organisation"])
        if not keep_other_users:
            for holder in holders:
                holder.organisation = None
                holder.save(update_fields=["organisation"])
                detached.append(holder.pk)
    from_state = claim.status
    claim.status = target
    claim.reasons = reasons
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "reasons", "decided_by", "decided_at", "updated_at"])
    audit.record(
        action="claim.approved" if approve else "claim.rejected",
        actor=actor,
        obj=claim,
        from_state=from_state,
        to_state=target,
        reason=reasons,
        data={
            "organisation": organisation.pk,
            "claimant": claimant.pk,
            "detached_users": detached,
            "kept_users": [h.pk for h in holders if h.pk not in detached],
        },
    )
    if approve:
        audit.record(
            action="organisation.accounts_changed",
            actor=actor,
            obj=organisation,
            reason=reasons,
            data={"claim": claim.pk, "added": [claimant.pk], "removed": detached},
        )
    _notify_decision(claim, organisation, claimant, holders, detached)
    return claim


def _notify_decision(claim, organisation, claimant, holders, detached) -> None:
    names = {"name": organisation.name, "uscc": organisation.uscc, "reasons": claim.reasons}
    if claim.status == ClaimStatus.APPROVED:
        notify(
            recipients=[claimant],
            subject=_("认领申请已通过：%(name)s") % names,
            body=_(
                "经评审委员会办公室核实，组织“%(name)s”（%(uscc)s）已关联到您的账号，"
                "您现在可以维护组织信息并申报。核实意见：%(reasons)s"
            )
            % names,
            url=claim_url(claim),
        )
        lost = [h for h in holders if h.pk in detached]
        kept = [h for h in holders if h.pk not in detached]
        notify(
            recipients=lost,
            subject=_("您的账号已不再关联“%(name)s”") % names,
            body=_(
                "经评审委员会办公室核实证明材料，组织“%(name)s”（%(uscc)s）已转至经核实的账号，"
                "您的账号不再代表该组织。如有异议，请携营业执照与办公室联系。核实意见：%(reasons)s"
            )
            % names,
        )
        notify(
            recipients=kept,
            subject=_("“%(name)s”新增了一个经核实的账号") % names,
            body=_(
                "经评审委员会办公室核实，组织“%(name)s”（%(uscc)s）新增了一个账号，"
                "您的账号仍关联该组织。核实意见：%(reasons)s"
            )
            % names,
        )
        return
    notify(
        recipients=[claimant],
        subject=_("认领申请未通过"),
        body=_(
            "您对统一社会信用代码 %(uscc)s 的认领申请未通过核实。核实意见：%(reasons)s"
            "如能补充证明材料，可在“组织认领”页面重新申请。"
        )
        % names,
        url=claim_url(claim),
    )
    notify(
        recipients=holders,
        subject=_("关于贵单位账号的认领申请已处理"),
        body=_(
            "对贵单位“%(name)s”（%(uscc)s）的认领申请经评审委员会办公室核实未予通过，"
            "贵单位账号不受影响。"
        )
        % names,
    )


@transaction.atomic
def refile_claim(*, claim: OrganisationClaim, actor: User) -> OrganisationClaim:
    """After a rejection the claimant may try again with new proof: a new claim on the same
    organisation, with the same details."""
    claim = lock_claim(claim)
    if claim.claimant_id != actor.pk:
        raise ApplicationError(_("只有申请人本人可以重新申请。"), code="forbidden")
    if claim.status != ClaimStatus.REJECTED:
        raise StateConflict(_("只有未通过的认领申请可以重新申请。"))
    claimant = User.objects.select_for_update().get(pk=actor.pk)
    if claimant.organisation_id is not None:
        raise StateConflict(_("您的账号已关联组织，不能再认领。"))
    if OrganisationClaim.objects.filter(claimant=claimant, status__in=OPEN_CLAIM_STATES).exists():
        raise StateConflict(_("您已有进行中的认领申请，请先完成该申请。"))
    return file_claim(
        claimant=claimant, organisation=claim.organisation, submitted=claim.submitted_data
    )
