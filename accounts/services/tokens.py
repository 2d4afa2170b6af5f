"""API tokens (API.md: ``Authorization: Token <token>``): they live API_TOKEN_TTL_HOURS from
issue, an expired one is deleted when it is next shown, and every token of a user is revoked
when the password changes (issue 8 item 12)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from common import audit


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


def token_expired(token: Token, *, now: dt.datetime | None = None) -> bool:
    """True once the token's lifetime has run out (at ``now``, by default the present)."""
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def expire_token(token: Token) -> None:
    """Delete a token found expired. Idempotent: a token already gone is left alone."""
    deleted, _ = Token.objects.filter(pk=token.pk).delete()
    if deleted:
        audit.record(
            action="api_token.expired",
            obj=token.user,
            data={"issued_at": token.created.isoformat()},
        )


@transaction.atomic
def issue_api_token(*, user, now: dt.datetime | None = None) -> Token:
    """The user's token: the current one while it is valid, else a new one (an expired one is
    deleted first). Call only after the user proved who they are (password, and the one-time
    code where two-factor login applies)."""
    current = Token.objects.select_for_update().filter(user=user).first()
    if current is not None and not token_expired(current, now=now):
        return current
    if current is not None:
        expire_token(current)
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit.record(action="api_token.issued", actor=user, obj=user)
    return token


@transaction.atomic
def revoke_api_tokens(*, user, reason: str) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(action="api_token.revoked", obj=user, reason=reason)
    return deleted
