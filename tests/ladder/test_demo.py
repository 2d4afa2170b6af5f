"""The demo shows a league-level award above the banner award, with one enterprise nominated
(issue 13, Tests)."""

import pytest

from applications.enums import ApplicationStatus as S
from demo.world import load_demo
from ladder.models import Nomination
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_nominates_the_banner_winner_into_the_league_award():
    result = load_demo(stage="awarded")
    city = Programme.objects.get(code="ordos")
    assert (city.level, city.region) == ("city", "150600")
    assert [p.code for p in city.ladder.nominated_from.all()] == ["etkqq"]
    [nomination] = Nomination.objects.all()
    assert nomination.application.organisation.name == "鄂托克前旗绿原乳业有限公司"
    assert nomination.application.status == S.DRAFT
    assert nomination.nominated_from.status == S.AWARDED
    assert nomination.application.documents.count() == 2  # the evidence and the dossier
    assert "cityoffice" in result.passwords
    again = load_demo(stage="awarded")
    assert not again.created
    assert Nomination.objects.count() == 1 and "cityoffice" in again.passwords
