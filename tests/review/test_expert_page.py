"""One expert's page (issue 12): the office manages an expert there (profile, status, a new
conflict and the decisions on pending ones), the supervisor reads it, and the pool only lists
the experts with a link to each, so its page no longer renders 25 experts' forms."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from common.models import AuditEntry
from review.enums import ConflictScoresDecision, ExpertStatus
from review.models import ConflictOfInterest
from review.services.experts import declare_conflict
from tests.factories import ConflictOfInterestFactory, OrganisationFactory
from tests.queries import assert_get_queries
from tests.review.conftest import make_experts

pytestmark = pytest.mark.django_db

FORMS = ("profile", "status", "conflicts")  # the office's posts about one expert


def _page(pk: int) -> str:
    return reverse("review:expert_detail", args=[pk])


def _posts(pk: int) -> list[str]:
    return [f"/review/experts/{pk}/{name}/" for name in FORMS]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office", 200),
        ("supervisor", 200),
        ("committee", 403),
        ("government", 403),
        ("expert", 403),
        ("owner", 403),  # an enterprise
        ("other_enterprise", 403),
        ("other_programme", 404),  # office and supervisor of another programme's pool
    ],
)
def test_the_experts_page_is_the_pools_office_manages_supervisor_reads(client, w, role, expected):
    client.force_login(w.user(role))
    response = client.get(_page(w.expert.pk))
    assert response.status_code == expected, role
    if expected != 200:
        return
    page = response.content.decode()
    assert w.expert.display_name in page and w.expert.username in page
    forms = [url for url in _posts(w.expert.pk) if f'action="{url}"' in page]
    assert forms == (_posts(w.expert.pk) if role == "office" else []), role


def test_the_experts_page_sends_anonymous_to_log_in(client, w):
    response = client.get(_page(w.expert.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["abc/", "0/", "999999/", "99999999999999999999999/", "-1/"])
def test_a_bad_or_unknown_expert_id_is_404_never_500(client, w, path):
    client.force_login(w.office)
    assert client.get(f"/review/experts/{path}").status_code == 404, path


def test_a_user_who_is_not_an_expert_has_no_page_in_the_pool(client, w):
    client.force_login(w.office)
    assert client.get(_page(w.committee.pk)).status_code == 404


def test_the_office_manages_the_expert_on_the_experts_page_and_comes_back_to_it(client, w):
    client.force_login(w.office)
    response = client.post(
        f"/review/experts/{w.expert.pk}/status/",
        {"status": ExpertStatus.SUSPENDED, "reason": "长期未响应", "page": "2"},
    )
    assert response.status_code == 302
    assert response["Location"] == _page(w.expert.pk) + "?page=2"
    page = client.get(response["Location"]).content.decode()
    assert "专家状态已更新。" in page
    assert 'href="/review/experts/?page=2#expert-' in page  # back to the page of the pool
    assert 'name="page" value="2"' in page
    w.expert.expert_profile.refresh_from_db()
    assert w.expert.expert_profile.status == ExpertStatus.SUSPENDED


@pytest.mark.parametrize(
    ("form", "data", "says"),
    [
        ("status", {"status": "bogus"}, "专家状态未更新：状态："),
        (
            "profile",
            {"term_starts_on": "2026-13-45", "industries": "乳制品"},
            "专家信息未保存：聘期开始：",
        ),
        (
            "profile",
            {"industries": "乳" * 256},
            "专家信息未保存：擅长行业：",
        ),
        (
            "conflicts",
            {"organisation": "91150623MA00000000", "reason": "亲属"},
            "没有统一社会信用代码为“91150623MA00000000”的组织。",
        ),
        ("conflicts", {"organisation": "", "reason": ""}, "回避理由：该字段是必填项。"),
    ],
)
def test_bad_input_on_each_form_is_said_on_the_experts_page_and_changes_nothing(
    client, w, form, data, says
):
    OrganisationFactory()
    client.force_login(w.office)
    before = AuditEntry.objects.count()
    response = client.post(f"/review/experts/{w.expert.pk}/{form}/", data, follow=True)
    assert response.redirect_chain == [(_page(w.expert.pk), 302)]
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and says in messages[0], messages
    assert says in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert not ConflictOfInterest.objects.exists()
    w.expert.expert_profile.refresh_from_db()
    assert w.expert.expert_profile.status == ExpertStatus.ACTIVE
    assert w.expert.expert_profile.industries == ""


def _pending(w) -> ConflictOfInterest:
    conflict = ConflictOfInterestFactory(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", declared_by=w.expert
    )
    conflict.scores_decision = ConflictScoresDecision.PENDING
    conflict.save(update_fields=["scores_decision"])
    return conflict


def test_a_pending_conflicts_decision_is_on_the_experts_page_for_the_office_only_R23(client, w):
    conflict = _pending(w)
    action = f'action="{reverse("review:conflict_decision", args=[conflict.pk])}"'
    client.force_login(w.office)
    page = client.get(_page(w.expert.pk)).content.decode()
    assert action in page and f'id="id_c{conflict.pk}_reasons"' in page
    client.force_login(w.supervisor)
    page = client.get(_page(w.expert.pk)).content.decode()
    assert action not in page
    assert w.app.organisation.name in page and "亲属任职" in page  # read, not decided


def test_bad_input_on_a_conflict_decision_is_said_on_the_experts_page_R23(client, w):
    conflict = _pending(w)
    client.force_login(w.office)
    response = client.post(
        reverse("review:conflict_decision", args=[conflict.pk]),
        {"withdraw_scores": "x", "page": "3"},
        follow=True,
    )
    assert response.redirect_chain == [(_page(w.expert.pk) + "?page=3", 302)]
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith("决定未记录：已提交的评分："), messages
    assert "决定理由：该字段是必填项。" in messages[0]
    conflict.refresh_from_db()
    assert conflict.scores_decision == ConflictScoresDecision.PENDING


def test_the_pool_lists_the_experts_without_their_management_forms(client, w):
    _pending(w)
    client.force_login(w.office)
    page = client.get("/review/experts/").content.decode()
    for expert in w.pool:
        assert f'href="{_page(expert.pk)}"' in page
        for url in _posts(expert.pk):
            assert url not in page
    assert "/decision/" not in page
    # What a reader scans stays: the name, the status, the employer, the conflicts.
    assert w.expert.display_name in page and "单位0" in page and "亲属任职" in page
    # The only forms left: adding an expert, and the header's log-out and language.
    actions = re.findall(r'<form[^>]*action="([^"]*)"', page)
    assert sorted(actions) == sorted(
        [reverse("review:expert_add"), reverse("accounts:logout"), reverse("set_language")]
    )


def test_the_pool_page_links_each_expert_back_with_its_page(client, programme, office):
    make_experts(programme, 27)
    client.force_login(office)
    page = client.get("/review/experts/?page=2").content.decode()
    links = re.findall(r'href="(/review/experts/\d+/[^"]*)"', page)
    assert len(links) == 2 and all(link.endswith("/?page=2") for link in links)


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_experts_page_costs_a_fixed_number_of_queries_whatever_the_conflicts(
    client, w, item_count
):
    for _ in range(item_count):
        org = OrganisationFactory()
        conflict = declare_conflict(
            expert=w.expert, organisation=org, reason="曾任顾问", actor=w.office
        )
        conflict.scores_decision = ConflictScoresDecision.PENDING  # with a decision form
        conflict.save(update_fields=["scores_decision"])
    client.force_login(w.office)
    # The session, the caller (user, roles, programmes), then the expert with the load and the
    # profile, the programmes the expert serves, the conflicts with their organisations.
    response = assert_get_queries(7, client, _page(w.expert.pk))
    assert response.content.decode().count("/decision/") == item_count
