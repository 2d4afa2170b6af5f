"""Honours' reference rows."""

from __future__ import annotations

from decimal import Decimal

import factory

from honours.models import HonourRewardAmount
from tests.factories.programmes import ProgrammeFactory


class HonourRewardAmountFactory(factory.django.DjangoModelFactory):
    """A programme's own reward for a kind of honour (R13), instead of the default amount."""

    class Meta:
        model = HonourRewardAmount

    programme = factory.SubFactory(ProgrammeFactory)
    kind = "famous_brand"
    amount = Decimal("50000")
