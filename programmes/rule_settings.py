"""The rule settings of a programme (RULES.md, "Programme settings"), as a value a cycle keeps.

A cycle copies the settings in force when it opens (``Cycle.settings_snapshot``); every rule of
that cycle reads ``cycle.settings``, so a later edit of the programme moves only later cycles
(issue 9, §5).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal


@dataclass(frozen=True)
class RuleSettings:
    quota: int
    validity_years: int
    min_operating_years: int
    lookback_years: int
    required_credit_grade: str
    watch_years: int
    ban_years: int
    fraud_ban_years: int
    reward_amount: Decimal
    publicity_days: int
    document_experts: int
    onsite_group_size: int
    weight_document: int
    weight_onsite: int
    weight_satisfaction: int
    min_composite_score: Decimal
    trimmed_mean: bool
    dispersion_threshold: int
    evidence_total_mb: int
    correction_days: int

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, programme) -> RuleSettings:
        """The settings a programme holds now."""
        return cls(**{name: getattr(programme, name) for name in cls.names()})

    @classmethod
    def from_snapshot(cls, snapshot: dict, fallback: RuleSettings) -> RuleSettings:
        """A cycle's copy; a setting added after the cycle opened comes from ``fallback``."""
        values = {}
        for f in fields(cls):
            if f.name not in snapshot:
                values[f.name] = getattr(fallback, f.name)
            elif f.type == "Decimal":
                values[f.name] = Decimal(str(snapshot[f.name]))
            else:
                values[f.name] = snapshot[f.name]
        return cls(**values)

    def snapshot(self) -> dict:
        """JSON-safe: money and scores as decimal strings."""
        return {
            f.name: str(getattr(self, f.name)) if f.type == "Decimal" else getattr(self, f.name)
            for f in fields(self)
        }
