"""DRF authentication of the portal's API tokens."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .services.tokens import expire_token, token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` (API.md), valid for API_TOKEN_TTL_HOURS after issue. An
    expired token is deleted and answered 401 with a message saying how to get a new one."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            expire_token(token)
            raise AuthenticationFailed(
                _("登录令牌已过期，请重新获取（POST /api/v1/auth/token/）。"), code="token_expired"
            )
        return user, token
