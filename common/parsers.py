"""The API's JSON parser. A module of its own: DRF imports it while it reads its settings."""

import io
import re

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# No request of the API nests deeper than a few levels; 32 leaves room and keeps every
# recursive walk (json itself, serializers, our NUL check) far from Python's stack limit.
MAX_JSON_DEPTH = 32
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw`` (brackets inside strings ignored)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class StrictJSONParser(JSONParser):
    """JSON without NUL characters (PostgreSQL cannot store them) and nested at most
    ``MAX_JSON_DEPTH`` levels (deeper input would exhaust the stack: a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("JSON 嵌套层数超过 %(n)d 层，请求无效。") % {"n": MAX_JSON_DEPTH}
            )
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _contains_nul(data):
            raise exceptions.ParseError(_("请求中含有不允许的字符（NUL）。"))
        return data


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False
