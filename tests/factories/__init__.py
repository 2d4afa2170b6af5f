"""Factories for tests, one module per app, all importable from here. No hidden side effects:
each builds exactly the rows it names (and the parents it needs, unless they are given)."""

from tests.factories.accounts import (
    EnterpriseUserFactory,
    OrganisationClaimFactory,
    UserFactory,
    staff_user,
)
from tests.factories.applications import ApplicationFactory, ApplicationVersionFactory
from tests.factories.awards import (
    AwardFactory,
    BanFactory,
    CaseFactory,
    LedgerEntryFactory,
    ObjectionFactory,
)
from tests.factories.common import OutboxMessageFactory
from tests.factories.honours import HonourRewardAmountFactory
from tests.factories.organisations import (
    CreditRatingFactory,
    DishonestyListingFactory,
    IncidentFactory,
    OrganisationFactory,
    make_uscc,
)
from tests.factories.programmes import (
    CycleFactory,
    ProgrammeFactory,
    default_criteria_set,
    ensure_divisions,
)
from tests.factories.review import (
    AssignmentFactory,
    ConflictOfInterestFactory,
    ConsensusScoreFactory,
    ExpertProfileFactory,
    ItemScoreFactory,
    SiteVisitFactory,
    SurveyResponseFactory,
)

__all__ = [
    "ApplicationFactory",
    "ApplicationVersionFactory",
    "AssignmentFactory",
    "AwardFactory",
    "BanFactory",
    "CaseFactory",
    "ConflictOfInterestFactory",
    "ConsensusScoreFactory",
    "CreditRatingFactory",
    "CycleFactory",
    "DishonestyListingFactory",
    "EnterpriseUserFactory",
    "ExpertProfileFactory",
    "HonourRewardAmountFactory",
    "IncidentFactory",
    "ItemScoreFactory",
    "LedgerEntryFactory",
    "ObjectionFactory",
    "OrganisationClaimFactory",
    "OrganisationFactory",
    "OutboxMessageFactory",
    "ProgrammeFactory",
    "SiteVisitFactory",
    "SurveyResponseFactory",
    "UserFactory",
    "default_criteria_set",
    "ensure_divisions",
    "make_uscc",
    "staff_user",
]
