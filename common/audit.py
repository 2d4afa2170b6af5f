"""Writing and checking the hash-chained audit trail (R4: every decision carries who, when, why)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditChainHead, AuditEntry

SYSTEM_ROLE = "system"
PUBLIC_ROLE = "public"


def _role_of(actor) -> str:
    if actor is None:
        return SYSTEM_ROLE
    if not getattr(actor, "is_authenticated", False):
        return PUBLIC_ROLE
    roles = actor.role_names() if hasattr(actor, "role_names") else []
    return ",".join(roles) if roles else "user"


def _json_safe(data: dict | None) -> dict:
    # Decimals, dates and the like become strings now, so the hash is the same after a
    # round trip through the database.
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


@transaction.atomic
def record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    role: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail and return it.

    Runs inside the caller's transaction: if the state change rolls back, so does its entry.
    Locks the chain head, so appends are serialised across processes.
    """
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else (role or _role_of(actor)),
        actor_role=role or _role_of(actor),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=_json_safe(data),
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.last_seq = entry.seq
    head.last_hash = entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Walk the chain from the first entry and return where it first breaks, if it does."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    entries = AuditEntry.objects.select_related("content_type").order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainReport(checked, entry.seq, f"缺少序号 {expected_seq} 的记录（记录被删除）")
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry.seq, "与前一条记录的哈希链接不符")
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.seq, "记录内容与其哈希不符（记录被修改）")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (expected_seq - 1, prev_hash):
        return ChainReport(checked, expected_seq, "链尾记录缺失（最后的记录被删除）")
    return ChainReport(checked)
