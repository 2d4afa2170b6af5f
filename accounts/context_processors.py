"""The role-aware navigation of the header."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import ENTERPRISE_ROLE, Role

# (url name, label, roles that see it; None = everyone, "anonymous" = logged out only)
NAV_ITEMS = [
    ("home", _("首页"), None),
    ("awards:registry", _("获奖名录"), None),
    ("awards:publicity", _("公示"), None),
    ("applications:mine", _("我的申报"), {ENTERPRISE_ROLE}),
    ("applications:recommend_list", _("待推荐"), {Role.RECOMMENDER}),
    ("applications:office_list", _("申报受理"), {Role.OFFICE, Role.SUPERVISOR}),
    ("organisations:mine", _("组织信息"), {ENTERPRISE_ROLE}),
    ("organisations:list", _("申报组织"), {Role.OFFICE, Role.SUPERVISOR}),
    ("review:my_assignments", _("评审任务"), {Role.EXPERT}),
    (
        "review:dashboard",
        _("评审工作台"),
        {Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT},
    ),
    ("review:experts", _("专家库"), {Role.OFFICE, Role.SUPERVISOR}),
    ("awards:approvals", _("批准公告"), {Role.GOVERNMENT}),
    (
        "awards:office_list",
        _("获奖管理"),
        {Role.OFFICE, Role.SUPERVISOR, Role.GOVERNMENT, Role.COMMITTEE},
    ),
    (
        "honours:overview_index",
        _("辖区概览"),
        {Role.OFFICE, Role.SUPERVISOR, Role.GOVERNMENT, Role.COMMITTEE},
    ),
    ("accounts:claims", _("组织认领"), {Role.OFFICE, Role.SUPERVISOR}),
    ("accounts:my_claims", _("组织认领"), {"claimant"}),
    ("notifications:inbox", _("消息"), {"authenticated"}),
    ("accounts:two_factor", _("两步验证"), set(Role.values)),
]


def _visible(roles, user, user_roles: set[str]) -> bool:
    if roles is None:
        return True
    if "authenticated" in roles:
        return user.is_authenticated
    if "claimant" in roles:
        # A person with neither an organisation nor a role: registered with a USCC that was
        # taken, so they follow their claim (issue 8 item 13).
        return user.is_authenticated and not user_roles and user.organisation_claims.exists()
    return bool(user_roles.intersection(roles))


def navigation(request):
    user = request.user
    user_roles = set(user.role_names()) if user.is_authenticated else set()
    items = []
    for url_name, label, roles in NAV_ITEMS:
        if not _visible(roles, user, user_roles):
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
