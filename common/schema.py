"""The OpenAPI schema's error answers (drf-spectacular): every operation declares the error
statuses it can give, in the one error format of API.md (``common.api.exception_handler``), so
that a client (and the schema fuzzing of ``tests/test_schemathesis.py``) knows every answer.

Which statuses an operation declares follows from how the portal answers, not from a blanket
list:

- ``400`` everywhere: bad input, and a NUL byte in any path, query or header
  (``RejectNulBytesMiddleware``) whatever the operation.
- ``401`` where the view authenticates (an absent, wrong or expired token).
- ``403`` where the view authenticates or its permission is not "anyone" (roles, objects of
  another programme, CSRF of a session), and on the token endpoint (the login lockout).
- ``404`` where the path names an object, or the list is paginated (a page past the end).
- ``409`` on every write: a step taken in the wrong state (``StateConflict``).
- ``415`` on every write: a body in a media type the view does not parse (or none).
- ``429`` where the view is rate-limited.

An operation's own ``extend_schema(responses=...)`` wins over these defaults.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


# An error (API.md): ``detail`` for the whole request, ``rule`` when a rule of RULES.md refused
# it, and a list of messages under the name of each field at fault.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "rule": {"type": "string", "description": "RULES.md 的规则编号，如 R7"},
    },
    "additionalProperties": {
        "description": "字段名 → 错误信息",
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}],
    },
}
ERROR_COMPONENT = ResolvedComponent(
    name="Error", type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object="common.schema.Error"
)

ERROR_DESCRIPTIONS = {
    "400": "请求数据有误（字段错误在字段名下，规则错误带 rule）",
    "401": "未提供或无效的身份凭据（令牌过期亦然）",
    "403": "无权执行此操作",
    "404": "对象不存在或无权查看",
    "409": "当前状态不允许此操作",
    "415": "不支持的请求数据类型",
    "429": "请求过于频繁，请稍后再试",
}


def _allows_anyone(view) -> bool:
    return all(isinstance(p, permissions.AllowAny) for p in view.get_permissions())


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the portal's error answers added to each operation."""

    def error_statuses(self) -> list[str]:
        view = self.view
        authenticates = bool(view.get_authenticators())
        codes = ["400"]
        if authenticates:
            codes.append("401")
        if authenticates or not _allows_anyone(view) or self.path.endswith("/auth/token/"):
            codes.append("403")
        if "{" in self.path or (self._is_list_view() and getattr(view, "pagination_class", None)):
            codes.append("404")
        if self.method in UNSAFE_METHODS:
            codes += ["409", "415"]
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        self.registry.register_on_missing(ERROR_COMPONENT)
        for code in self.error_statuses():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR_COMPONENT.ref, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return responses
