"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division code
(6 digits), organisation code (9), check character (1). The alphabet has 31 characters: the
digits and the capital letters without I, O, S, V and Z. The check character makes the weighted
sum of all 18 values a multiple of 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """The reason ``code`` is not a valid USCC, in Chinese, or ``None`` when it is valid."""
    code = normalise(code)
    if len(code) != 18:
        return _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。") % {
            "chars": "、".join(bad)
        }
    if not code[2:8].isdigit():
        return _("统一社会信用代码第3至8位应为行政区划代码（6位数字）。")
    if check_character(code[:17]) != code[17]:
        return _("统一社会信用代码校验位不正确，请核对后重新输入。")
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None


def validate_uscc(code: str) -> None:
    """Django validator for model and form fields."""
    error = uscc_error(code)
    if error:
        raise ValidationError(error, code="invalid_uscc")


def division_code(code: str) -> str:
    """The six-digit administrative division code inside a valid USCC."""
    return normalise(code)[2:8]
