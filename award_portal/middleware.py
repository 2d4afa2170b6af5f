from django.conf import settings
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
