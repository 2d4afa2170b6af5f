"""The role-aware navigation of the header."""

import functools
from dataclasses import dataclass

import rules
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .enums import Role

# (url name, label, the named permission that opens the page; None = everyone). The same
# permissions guard the views, so a link is shown exactly when its page would open.
NAV_ITEMS = [
    ("home", _("首页"), None),
    ("awards:registry", _("获奖名录"), None),
    ("awards:publicity", _("公示"), None),
    ("applications:mine", _("我的申报"), "applications.list_own_applications"),
    ("applications:recommend_list", _("待推荐"), "applications.view_recommendation_queue"),
    ("applications:signed_recommendations", _("已签推荐"), "applications.list_own_recommendations"),
    ("applications:office_list", _("申报受理"), "applications.view_intake_list"),
    ("organisations:mine", _("组织信息"), "organisations.view_own_organisation"),
    ("organisations:list", _("申报组织"), "organisations.list_organisations"),
    ("review:my_assignments", _("评审任务"), "review.score"),
    ("review:dashboard", _("评审工作台"), "review.open_dashboard"),
    ("review:cycles", _("历年评审"), "review.list_cycles"),
    ("review:experts", _("专家库"), "review.view_experts"),
    ("awards:approvals", _("批准公告"), "awards.view_approvals"),
    ("awards:office_list", _("获奖管理"), "awards.list_awards"),
    ("honours:overview_index", _("辖区概览"), "honours.open_overview"),
    ("accounts:claims", _("组织认领"), "accounts.list_claims"),
    ("accounts:my_claims", _("组织认领"), "accounts.follow_own_claims"),
    ("notifications:inbox", _("消息"), "notifications.read_inbox"),
    ("accounts:two_factor", _("两步验证"), "accounts.use_two_factor"),
]


def _visible(perm, user) -> bool:
    # rules.has_perm asks the rule itself (no superuser shortcut): the menu shows a role's pages.
    return perm is None or rules.has_perm(perm, user)


@functools.cache
def _url(url_name: str, prefix: str) -> str:
    return reverse(url_name)


# Permissions of NAV_ITEMS whose rule asks more than the person's roles: asked on every page.
# Every other item's rule is of roles only (tests/accounts/test_navigation.py checks it), so its
# answer is the same for everyone with the same User.role_key() and is asked once per process
# and key (issue 12: the menu's 15 rules were a tenth of a logged-in page's Python calls).
PER_PERSON = frozenset({"accounts.follow_own_claims"})
_by_roles: dict[tuple | None, frozenset[int]] = {}


def _shown(user) -> tuple[int, ...]:
    """The indexes of the NAV_ITEMS the user sees."""
    key = user.role_key() if user.is_authenticated else None
    by_roles = _by_roles.get(key)
    if by_roles is None:
        by_roles = _by_roles[key] = frozenset(
            i
            for i, (_, _, perm) in enumerate(NAV_ITEMS)
            if perm not in PER_PERSON and _visible(perm, user)
        )
    return tuple(
        i
        for i, (_, _, perm) in enumerate(NAV_ITEMS)
        if i in by_roles or (perm in PER_PERSON and _visible(perm, user))
    )


@dataclass(frozen=True)
class Menu:
    """The header's menu as a page shows it: the items (indexes of NAV_ITEMS), the path of the
    page when it is one of them, the admin's link. base.html renders each menu once per
    language ({% fixed by menu %}), since nothing else of the request or person is in it."""

    shown: tuple[int, ...]
    current: str
    admin_link: bool

    @property
    def items(self) -> list[dict]:
        prefix = get_script_prefix()
        items = [(_url(NAV_ITEMS[i][0], prefix), NAV_ITEMS[i][1]) for i in self.shown]
        return [{"url": url, "label": label, "active": url == self.current} for url, label in items]


def _roles_text(user) -> str:
    return "、".join(
        str(Role(r).label) if r in Role.values else str(_("申报单位")) for r in user.role_names()
    )


def navigation(request):
    user = request.user
    prefix = get_script_prefix()
    shown = _shown(user)
    current = request.path if request.path in {_url(NAV_ITEMS[i][0], prefix) for i in shown} else ""
    admin_link = user.is_authenticated and user.is_staff
    menu = Menu(shown, current, admin_link)
    return {
        "menu": menu,
        "nav_items": SimpleLazyObject(lambda: menu.items),
        "user_roles_text": _roles_text(user) if user.is_authenticated else "",
        "show_admin_link": admin_link,
    }
