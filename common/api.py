"""DRF glue shared by every app: pagination and the error format of API.md."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError

_STATUS_BY_CODE = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "conflict": status.HTTP_409_CONFLICT,
    "not_found": status.HTTP_404_NOT_FOUND,
    "forbidden": status.HTTP_403_FORBIDDEN,
}


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def application_error_response(error: ApplicationError) -> Response:
    return Response(error.as_dict(), status=_STATUS_BY_CODE.get(error.code, 400))


def exception_handler(exc, context):
    """Maps rule failures to 400/409 with their rule id, model validation to 400, and keeps
    DRF's answers for the rest (401, 403, 404)."""
    if isinstance(exc, ApplicationError):
        return application_error_response(exc)
    if isinstance(exc, RecursionError):
        # Input nested too deep for a parser of its own (StrictJSONParser refuses it first).
        exc = exceptions.ParseError("请求数据嵌套过深。")
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
