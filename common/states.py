"""One transition for every stateful object (issue 10 §1), in the style of the applications'
``transition_application``: a ``TRANSITIONS`` map beside each status enum, and ``transition``
that locks the row, checks the map, saves with ``update_fields``, writes the audit entry and
leaves side effects to the caller's ``transaction.on_commit`` (or the outbox).

A second identical request finds the object already moved and gets ``StateConflict`` (409):
double submission changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext

from . import audit
from .exceptions import StateConflict


@dataclass(frozen=True)
class StateMachine:
    """The lifecycle of one model's ``status_field``: ``transitions`` maps each status to the
    statuses it may become."""

    name: str  # for the documentation: "Award", "Case" ...
    statuses: type[models.TextChoices]
    transitions: Mapping[str, frozenset[str]]
    status_field: str = "status"
    initial: str | None = None
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self):
        missing = set(self.statuses.values) - set(self.transitions)
        unknown = {t for targets in self.transitions.values() for t in targets} - set(
            self.statuses.values
        )
        if missing or unknown:
            raise ValueError(f"{self.name}: statuses without a row {missing}, unknown {unknown}")

    def allows(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, ())

    @property
    def final(self) -> frozenset[str]:
        return frozenset(s for s, targets in self.transitions.items() if not targets)

    def label(self, value: str) -> str:
        return str(self.statuses(value).label)


@transaction.atomic
def transition(
    machine: StateMachine,
    obj: models.Model,
    to: str,
    *,
    actor,
    action: str,
    reason: str = "",
    data: dict | None = None,
    fields: dict | None = None,
    audit_obj: models.Model | None = None,
    message: str = "",
) -> models.Model:
    """Move ``obj`` to ``to`` if ``machine`` allows it from its current status (read from the
    locked row). ``fields`` are other columns saved with it; ``audit_obj`` is the object the
    entry is filed under (default ``obj``). Returns the locked, updated row."""
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    current = getattr(locked, machine.status_field)
    if not machine.allows(current, to):
        raise StateConflict(
            message
            or gettext("当前状态为“%(label)s”，不能变为“%(label2)s”。")
            % {"label": machine.label(current), "label2": machine.label(to)}
        )
    setattr(locked, machine.status_field, to)
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
    update = [machine.status_field, *(fields or {})]
    if any(f.name == "updated_at" for f in model._meta.fields):
        update.append("updated_at")
    locked.save(update_fields=update)
    audit.record(
        action=action,
        actor=actor,
        obj=audit_obj if audit_obj is not None else locked,
        from_state=current,
        to_state=to,
        reason=reason,
        data=data,
    )
    # The caller's instance follows the row.
    setattr(obj, machine.status_field, to)
    for name in fields or {}:
        setattr(obj, name, getattr(locked, name))
    return locked
