"""The language of the pages: bokmål unless the user chose otherwise, whatever the browser's Accept-Language says."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def language_for(request) -> str:
    """The signed-in user's own choice, else the switch's cookie (before login), else bokmål."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in LANGUAGE_CODES:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in LANGUAGE_CODES else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Django's LocaleMiddleware without the browser's say; after AuthenticationMiddleware, to read the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
