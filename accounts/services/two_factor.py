"""Two-factor login (TOTP, django-otp): open to every staff account; required for the office,
committee, government and supervisor when a programme they serve says so (Programme
``require_two_factor``; for users serving all programmes, when any programme says so)."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from common import audit
from common.exceptions import ApplicationError, StateConflict

from ..enums import TWO_FACTOR_ROLES, Role
from ..models import programme_model

DEVICE_NAME = "身份验证器"
# What the session remembers of the user's two-factor state, and for how long: a change of a
# programme's setting reaches logged-in users within this time.
STATE_KEY = "accounts_two_factor"
STATE_TTL = dt.timedelta(seconds=60)


def may_use_two_factor(user) -> bool:
    """Every staff account may log in with two factors (enterprise accounts do not)."""
    return user.is_authenticated and (user.is_staff or user.has_role(*Role.values))


def two_factor_required(user) -> bool:
    """The user must log in with two factors: they hold a role of TWO_FACTOR_ROLES and a
    programme they serve (any programme, for those serving all) requires it."""
    if not user.is_authenticated or not user.has_role(*TWO_FACTOR_ROLES):
        return False
    flagged = programme_model().objects.filter(require_two_factor=True)
    if not user.all_programmes:
        flagged = flagged.filter(memberships__user=user)
    return flagged.exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def session_state(session, user, *, now: dt.datetime) -> dict:
    """``{"device": bool, "required": bool}`` for the user of this session, read from the
    session when noted less than STATE_TTL ago, else looked up and noted."""
    state = session.get(STATE_KEY)
    if (
        isinstance(state, dict)
        and state.get("user") == user.pk
        and isinstance(state.get("at"), int)
        and 0 <= now.timestamp() - state["at"] < STATE_TTL.total_seconds()
    ):
        return state
    state = {
        "user": user.pk,
        "at": int(now.timestamp()),
        "device": confirmed_device(user) is not None,
        "required": two_factor_required(user),
    }
    session[STATE_KEY] = state
    return state


def forget_session_state(session) -> None:
    session.pop(STATE_KEY, None)


def _clean_token(token: str | None) -> str:
    token = (token or "").strip().replace(" ", "")
    if not token:
        raise ApplicationError(_("请输入验证器应用显示的6位动态验证码。"), field="otp")
    return token


def _verify(device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against ``device`` under a row lock (a code is accepted once: django-otp
    keeps the last time step used). Failures are counted by django-otp, which then makes the
    user wait (1, 2, 4 ... seconds) before the next try."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = 1
        if info and info.get("locked_until"):
            wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
        raise ApplicationError(
            _("动态验证码错误次数过多，请%(s)d秒后再试。") % {"s": wait}, field="otp"
        )
    if not token.isdigit() or len(token) != device.digits:
        return False
    return device.verify_token(token)


def _wrong_code() -> ApplicationError:
    return ApplicationError(
        _("动态验证码不正确或已使用过，请输入验证器应用中当前显示的6位数字。"), field="otp"
    )


def verify_code(*, user, token: str | None) -> TOTPDevice:
    """The user's confirmed device when ``token`` is its current code, else ApplicationError."""
    token = _clean_token(token)
    # The failure count must be saved even when the code is wrong: decide inside the
    # transaction, raise after it.
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise StateConflict(_("该账号尚未启用两步验证。"))
        verified = _verify(device, token)
    if not verified:
        raise _wrong_code()
    return device


@transaction.atomic
def start_enrolment(*, user) -> TOTPDevice:
    """The device being enrolled (a new secret the first time; the same one on every reload,
    so the QR code the person scanned stays valid until they confirm it)."""
    if not may_use_two_factor(user):
        raise ApplicationError(_("只有工作人员账号可以启用两步验证。"), code="forbidden")
    if confirmed_device(user) is not None:
        raise StateConflict(_("该账号已启用两步验证。"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_enrolment(*, user, token: str | None) -> TOTPDevice:
    """Confirm the device being enrolled with a code it shows: from now on the user logs in
    with two factors."""
    token = _clean_token(token)
    with transaction.atomic():
        if confirmed_device(user) is not None:
            raise StateConflict(_("该账号已启用两步验证。"))
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise StateConflict(_("请重新打开启用页面，扫描二维码后再输入验证码。"))
        verified = _verify(device, token)
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            audit.record(action="two_factor.enabled", actor=user, obj=user)
    if not verified:
        raise _wrong_code()
    return device


@transaction.atomic
def remove_two_factor(*, user, password: str) -> None:
    """Stop logging in with two factors; the password confirms it is the user. A user who must
    use two factors is asked to enrol again before any other page."""
    if not user.check_password(password or ""):
        raise ApplicationError(_("密码不正确。"), field="password")
    deleted, _counts = TOTPDevice.objects.filter(user=user).delete()
    if not deleted:
        raise StateConflict(_("该账号尚未启用两步验证。"))
    audit.record(action="two_factor.removed", actor=user, obj=user)


def check_api_login(*, user, token: str | None) -> None:
    """The token endpoint's second factor: a user with a device gives its code (``otp``); a
    user who must have one and has none cannot get a token until they enrol on the web."""
    if confirmed_device(user) is not None:
        if not (token or "").strip():
            raise ApplicationError(
                _("该账号已启用两步验证，请在 otp 字段填写验证器应用显示的6位动态验证码。"),
                field="otp",
            )
        verify_code(user=user, token=token)
    elif two_factor_required(user):
        raise ApplicationError(
            _("您服务的质量奖要求两步验证：请先登录网页启用两步验证，再获取令牌。"),
            field="otp",
        )


def provisioning(device: TOTPDevice) -> dict:
    """What the enrolment page shows: the otpauth URI as a QR code (an SVG data URI) and the
    secret in groups of four, for typing into the app by hand."""
    import segno  # noqa: PLC0415 - only the enrolment page draws QR codes

    secret = b32encode(device.bin_key).decode().rstrip("=")
    uri = device.config_url
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": uri,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
    }
