"""The role-aware navigation of the header."""

import functools

import rules
from django.contrib.auth.models import AnonymousUser
from django.urls import get_script_prefix, reverse
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


@functools.cache
def _anonymous_items(prefix: str) -> tuple:
    """The menu of everyone not logged in: the same for all, so asked of the rules once per
    process instead of on every public page (issue 12: the menu was a seventh of the login
    page's time)."""
    anonymous = AnonymousUser()
    return tuple(
        (_url(url_name, prefix), label)
        for url_name, label, perm in NAV_ITEMS
        if _visible(perm, anonymous)
    )


def navigation(request):
    user = request.user
    prefix = get_script_prefix()
    if user.is_authenticated:
        user_roles = set(user.role_names())
        visible = [
            (_url(url_name, prefix), label)
            for url_name, label, perm in NAV_ITEMS
            if _visible(perm, user)
        ]
    else:
        user_roles, visible = set(), _anonymous_items(prefix)
    items = [{"url": url, "label": label, "active": request.path == url} for url, label in visible]
    return {
        "nav_items": items,
        "user_roles": [Role(r).label if r in Role.values else _("申报单位") for r in user_roles]
        if user.is_authenticated
        else [],
        "show_admin_link": user.is_authenticated and user.is_staff,
    }
