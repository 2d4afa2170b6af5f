"""The role-aware navigation of the header."""

import rules
from django.urls import reverse
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


def navigation(request):
    user = request.user
    user_roles = set(user.role_names()) if user.is_authenticated else set()
    items = []
    for url_name, label, perm in NAV_ITEMS:
        if not _visible(perm, user):
            continue
        url = reverse(url_name)
        items.append({"url": url, "label": label, "active": request.path == url})
    return {
        "nav_items": items,
        "user_roles": [Role(r).label if r in Role.values else _("申报单位") for r in user_roles]
        if user.is_authenticated
        else [],
        "show_admin_link": user.is_authenticated and user.is_staff,
    }
