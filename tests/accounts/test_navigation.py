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


# --- the menu kept per set of roles (issue 12) ------------------------------------------------

# The predicates of accounts.rules that ask only the roles (User.role_key()): a menu item whose
# rule is built of these alone is kept per set of roles; any other goes in PER_PERSON.
ROLE_ONLY = {
    "is_office",
    "is_committee",
    "is_recommender",
    "is_expert",
    "is_supervisor",
    "is_government",
    "is_enterprise",
    "is_staff_member",
    "is_authenticated",
}


def test_every_kept_menu_rule_asks_only_the_roles():
    import rules

    from accounts.context_processors import NAV_ITEMS, PER_PERSON

    for _, _, perm in NAV_ITEMS:
        if perm is None or perm in PER_PERSON:
            continue
        name = rules.permissions.permissions[perm].name
        words = set(re.findall(r"\w+", name))
        assert words <= ROLE_ONLY, (perm, name, "asks more than the roles: add it to PER_PERSON")


def labels(client, path="/") -> list[str]:
    block = NAV.search(client.get(path).content.decode())
    return re.findall(r">([^<>]+)</a>", block.group(1))


def test_the_menu_follows_a_change_of_roles(client):
    from django.contrib.auth.models import Group

    office = staff_user(Role.OFFICE)
    client.force_login(office)
    assert "专家库" in labels(client) and "评审任务" not in labels(client)
    office.groups.set([Group.objects.get_or_create(name=Role.EXPERT)[0]])
    shown = labels(client)
    assert "评审任务" in shown and "专家库" not in shown
    office.groups.clear()  # no role left: the staff's pages go
    assert "专家库" not in labels(client) and "评审任务" not in labels(client)


def test_each_person_gets_the_menu_of_their_own_roles(client):
    _, users = people()
    seen = {}
    for _ in range(2):  # the second round is served from what the first kept
        for who in (Role.OFFICE, Role.GOVERNMENT, "enterprise", Role.EXPERT):
            client.force_login(users[who])
            seen.setdefault(who, labels(client))
            assert labels(client) == seen[who], who
    assert "批准公告" in seen[Role.GOVERNMENT] and "批准公告" not in seen[Role.OFFICE]
    assert "我的申报" in seen["enterprise"] and "我的申报" not in seen[Role.EXPERT]
    assert "评审任务" in seen[Role.EXPERT] and "评审任务" not in seen[Role.GOVERNMENT]


def test_the_menu_comes_in_the_language_chosen(client, settings):
    client.force_login(staff_user(Role.OFFICE))
    assert "专家库" in labels(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = labels(client)
    assert "专家库" not in english and "Expert pool" in english, english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "专家库" in labels(client)


def test_the_claims_item_is_asked_per_person(client):
    """follows_own_claims asks the person's claims, not their roles: two people without a role
    or an organisation see it only when they have a claim."""
    from tests.factories import OrganisationClaimFactory, UserFactory

    claimant = OrganisationClaimFactory().claimant
    other = UserFactory()
    for _ in range(2):
        client.force_login(claimant)
        assert "/accounts/claims/mine/" in menu_links(client)
        client.force_login(other)
        assert "/accounts/claims/mine/" not in menu_links(client)


def test_the_current_page_is_marked_on_its_own_page_only(client):
    client.force_login(staff_user(Role.OFFICE))
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    assert current.findall(client.get("/").content.decode()) == ["/"]
    assert current.findall(client.get("/notifications/").content.decode()) == ["/notifications/"]
    assert current.findall(client.get("/").content.decode()) == ["/"]


def test_the_admin_link_is_for_the_admins_staff_flag_only(client):
    admin = re.compile(r'<li><a href="/admin/">')
    client.force_login(staff_user(Role.OFFICE, is_staff=True))
    assert admin.search(client.get("/").content.decode())
    client.force_login(staff_user(Role.OFFICE, is_staff=False))
    assert not admin.search(client.get("/").content.decode())


def test_the_header_names_the_person_and_all_their_roles(client):
    user = staff_user([Role.OFFICE, Role.EXPERT], name="王五")
    client.force_login(user)
    page = client.get("/").content.decode()
    roles = "评审委员会办公室、评审专家"
    assert f'<span class="who" title="{roles}">王五<small>{roles}</small>' in page
