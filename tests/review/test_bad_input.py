"""The expert's scoring page answers forged percentages plainly (issue 8, item 5)."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from programmes.selectors import criteria_items
from review.enums import Stage
from review.models import ItemScore
from tests.factories import AssignmentFactory
from tests.review.conftest import set_status

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value", ["abc", "1e400", "-5", "7", "999999999999999999999"])
def test_scoring_page_refuses_a_percent_that_is_not_a_choice(client, w, value):
    set_status(w.app, S.DOCUMENT_REVIEW)
    assignment = AssignmentFactory(application=w.app, expert=w.expert, stage=Stage.DOCUMENT)
    first = criteria_items(w.cycle.criteria_set_id)[0]
    client.force_login(w.expert)
    response = client.post(
        reverse("review:score", args=[assignment.pk]), {f"p_{first.code}": value}
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not ItemScore.objects.exists()
