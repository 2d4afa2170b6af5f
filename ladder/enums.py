"""Nomination statuses and their state machine."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine

# The rule id of the ladder's own conditions (issue 13 §2): who may be nominated, and the lower
# award a programme may require of its applicants. A condition on who may apply, beside R3.
RULE = "R3.nomination"


class NominationStatus(models.TextChoices):
    OPEN = "open", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


NOMINATION_MACHINE = StateMachine(
    "Nomination",
    NominationStatus,
    {
        # A revoked lower award withdraws its open nominations (issue 13, Rules).
        NominationStatus.OPEN: frozenset({NominationStatus.WITHDRAWN}),
        NominationStatus.WITHDRAWN: frozenset(),
    },
    initial=NominationStatus.OPEN,
)

# The order of the levels: a programme takes nominations only from lower ones. A corps
# division (师市) sits under the corps (province level), like a city.
LEVEL_RANK = {"county": 1, "city": 2, "corps_division": 2, "province": 3}
