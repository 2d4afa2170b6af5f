"""Issue 10 §2 / issue 11: the header shows a role exactly the pages that role may open. The
menu and the views ask the same named permissions, so every link shown opens."""

import re

import pytest

from accounts.enums import Role
from tests.factories import EnterpriseUserFactory, ProgrammeFactory, staff_user

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav[^>]*class="[^"]*main-nav[^"]*"[^>]*>(.*?)</nav>', re.S)


def menu_links(client) -> list[str]:
    page = client.get("/").content.decode()
    block = NAV.search(page)
    assert block, "the header's navigation is on the landing page"
    return re.findall(r'href="([^"]+)"', block.group(1))


def people():
    programme = ProgrammeFactory()
    people = {"enterprise": EnterpriseUserFactory()}
    for role in Role.values:
        extra = {}
        if role == Role.RECOMMENDER:
            extra = {"recommender_level": "county"}
        people[role] = staff_user(role, **extra)
    return programme, people


@pytest.mark.parametrize("who", ["enterprise", *Role.values])
def test_every_link_in_a_roles_menu_opens(client, who):
    _, users = people()
    client.force_login(users[who])
    links = menu_links(client)
    assert len(links) >= 4
    for url in links:
        response = client.get(url)
        assert response.status_code in (200, 302), (who, url, response.status_code)
        if response.status_code == 302:  # a redirect lands on a page the role may open
            assert client.get(response["Location"]).status_code == 200, (who, url)


def test_the_menu_leaves_out_what_a_role_may_not_open(client):
    _, users = people()
    client.force_login(users[Role.RECOMMENDER])
    links = menu_links(client)
    assert "/applications/recommend/" in links or any("recommend" in u for u in links)
    assert not any(u.startswith("/awards/approvals") for u in links)
    assert not any("experts" in u for u in links)
    client.force_login(users[Role.GOVERNMENT])
    links = menu_links(client)
    assert any("approvals" in u for u in links)
    assert not any("recommend" in u for u in links)


def test_anonymous_sees_only_public_pages(client):
    for url in menu_links(client):
        assert client.get(url).status_code == 200, url
