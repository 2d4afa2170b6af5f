"""The audit trail and the base model every app builds on."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditImmutableError(Exception):
    """The audit trail is append-only: entries are never changed or deleted."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AuditImmutableError("审计记录只能追加，不能删除。")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutableError("审计记录只能追加，不能修改。")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One recorded step: who did what to which object, from which state to which, and why.

    Entries form a hash chain: ``hash`` is the SHA-256 of the entry's own content together with
    ``prev_hash``, the hash of the entry before it. Changing or removing any entry breaks the
    chain from that point on, which ``manage.py verify_audit`` reports. Write entries only
    through :func:`common.audit.record`.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    created_at = models.DateTimeField(_("时间"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_name = models.CharField(_("操作人名称"), max_length=150, editable=False)
    # Every role the actor held, comma-joined: a person may hold all eight (issue 11 found 32
    # characters too few on PostgreSQL).
    actor_role = models.CharField(_("角色"), max_length=255, editable=False, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, editable=False)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=255, blank=True, editable=False)
    action = models.CharField(_("操作"), max_length=64, editable=False, db_index=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True, editable=False)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True, editable=False)
    reason = models.TextField(_("理由"), blank=True, editable=False)
    data = models.JSONField(_("数据"), default=dict, blank=True, editable=False)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ("seq",)
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=("content_type", "object_id"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("审计记录只能追加，不能删除。")

    def content(self) -> dict:
        """What the hash covers: every field but the hash itself."""
        return {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "object_type": (
                f"{self.content_type.app_label}.{self.content_type.model}"
                if self.content_type_id
                else ""
            ),
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "reason": self.reason,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(
            self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """The end of the chain: one row, locked while an entry is appended, so that concurrent
    transactions on several web processes append one after the other and never fork the chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    QUEUED = "queued", _("已排队")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败，待处理")


class OutboxMessage(models.Model):
    """A side effect of a committed change (an e-mail, a PDF, a certificate), written in the
    same transaction as the change and handed to the task queue after commit.

    Nothing is lost when the queue is down or a worker dies: the row stays until its task has
    run, the periodic flush hands it over again, and one that keeps failing waits for the office.
    """

    task = models.CharField(_("任务"), max_length=100)
    kwargs = models.JSONField(_("参数"), default=dict)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    # The programme the job belongs to, for whose office sees it (a plain id: common depends on
    # no other app).
    programme_id = models.BigIntegerField(_("质量奖"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("status", "next_attempt_at"))]

    def __str__(self) -> str:
        return self.label or self.task
