"""Session rules that hold on every page, the admin and the session-authenticated API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .services.sessions import idle_limit, last_activity, session_idle_expired, touch
from .services.two_factor import may_use_two_factor, session_state


class StaffSessionIdleMiddleware:
    """A staff session idle longer than STAFF_SESSION_IDLE_MINUTES ends: the person is logged
    out and sent to the login page, which says why (issue 8 item 12). An API call in such a
    session goes on as anonymous (401/403 from the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and idle_limit(user) is not None:
            now = timezone.now()
            if session_idle_expired(user=user, last=last_activity(request.session), now=now):
                logout(request)
                if not request.path.startswith("/api/"):
                    query = urlencode({"next": request.get_full_path(), "reason": "idle"})
                    return redirect(f"{reverse('accounts:login')}?{query}")
            else:
                touch(request.session, now=now)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Two-factor login holds on every page, the admin and the session API:

    - the admin's own login page sends people to the portal's, which asks for the code;
    - a session whose user has a device but did not give a code (logged in by another path)
      is sent to the code page before any other;
    - a user who must use two factors (a programme they serve requires it) and has no device
      is sent to enrolment before any other page.

    Verified sessions cost nothing more; an unverified staff session is looked up at most once
    a minute (accounts.services.two_factor.session_state). Runs after OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == reverse("admin:login"):
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
        user = request.user
        if not user.is_authenticated or user.is_verified() or not may_use_two_factor(user):
            return self.get_response(request)
        state = session_state(request.session, user, now=timezone.now())
        if state["device"]:
            target, message = "accounts:login_code", _("请先输入验证器应用显示的动态验证码。")
        elif state["required"]:
            target, message = "accounts:two_factor", _("您服务的质量奖要求两步验证，请先启用。")
        else:
            return self.get_response(request)
        allowed = {reverse(target), reverse("accounts:logout"), reverse("set_language")}
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(message)}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
