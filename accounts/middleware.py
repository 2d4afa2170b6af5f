"""Session rules that hold on every page, the admin and the session-authenticated API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .services.sessions import idle_limit, last_activity, session_idle_expired, touch


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
