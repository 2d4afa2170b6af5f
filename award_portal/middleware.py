from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class ChineseFirstLocaleMiddleware(MiddlewareMixin):
    """Simplified Chinese unless the person chose another language (the language cookie set by
    the switcher in the header). The browser's Accept-Language is not followed: a Chinese
    government portal opens in Chinese on every machine."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _has_nul(values) -> bool:
    return any("\x00" in v for v in values if isinstance(v, str))


class RejectNulBytesMiddleware:
    """A NUL byte has no place in a URL or a form field, and PostgreSQL cannot store or compare
    it: answer 400 before it reaches a query (a 500 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET.keys())
            or any(_has_nul(request.GET.getlist(k)) for k in request.GET)
        ):
            return HttpResponseBadRequest("请求中含有不允许的字符。")
        if (
            request.method == "POST"
            and request.content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
            and any(_has_nul(request.POST.getlist(k)) for k in request.POST)
        ):
            return HttpResponseBadRequest("请求中含有不允许的字符。")
        return self.get_response(request)
