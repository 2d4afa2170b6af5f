"""bench.seed's data (issue 12): the scales it promises, the same rows every time, an audit
chain that verifies, and no seeding over data the benchmark did not make."""

from __future__ import annotations

import hashlib

import pytest

from applications.models import Application
from awards.models import Award
from bench.data import SCALES, Scale, seed
from common.audit import record, verify_chain
from common.models import AuditEntry
from programmes.models import Cycle
from review.models import Assignment, ItemScore
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _digest() -> str:
    rows = [
        *Application.objects.order_by("pk").values_list("organisation__name", "status"),
        *ItemScore.objects.order_by("pk").values_list("percent"),
        *Award.objects.order_by("pk").values_list("code"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_county_scale_seeds_a_verifiable_audit_chain_R4():
    counts = seed(SCALES["county"], log=lambda *_: None)

    assert counts["programmes"] == 1
    assert Cycle.objects.count() == 3
    assert Application.objects.count() == 90
    assert Assignment.objects.count() == counts["assignments"] > 0
    assert ItemScore.objects.count() == counts["item_scores"] > 0
    assert Award.objects.count() == counts["awards"] > 0
    report = verify_chain()
    assert report.ok, report.problem
    assert report.checked == AuditEntry.objects.count() == counts["audit_entries"]
    # The real trail goes on from the seeded head.
    record(action="bench.check", reason="after seeding")
    assert verify_chain().ok


def test_seeding_adds_programmes_after_the_existing_ones_and_keeps_the_chain_R4():
    seed(Scale("tiny", programmes=1, cycles=2), log=lambda *_: None)
    seed(Scale("tiny", programmes=2, cycles=2), log=lambda *_: None)

    assert Application.objects.values("cycle__programme").distinct().count() == 3
    assert verify_chain().ok


# Recorded once: a change to the generator that changes the data changes this digest on purpose
# (then record the new one); anything else means the data is no longer deterministic.
TINY_DIGEST = "94e02f7bb7e3f431ae364976ead555264b46b1b918c73d604b1114df992eb755"


def test_the_same_scale_and_seed_give_the_same_rows():
    seed(Scale("tiny", programmes=1, cycles=2), log=lambda *_: None)

    assert _digest() == TINY_DIGEST, _digest()


def test_refuses_a_database_with_data_it_did_not_make():
    ProgrammeFactory(code="etkqq")

    with pytest.raises(RuntimeError, match="not made by the benchmark"):
        seed(SCALES["county"], log=lambda *_: None)
