"""Session lifetime, the second-factor gate and the language of the pages, in front of every view.

The language is bokmål unless the user chose otherwise, whatever the browser's Accept-Language says.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from brobygger.accounts import twofactor

LOGIN_STARTED = "login_started"
LAST_SEEN = "last_seen"
# Writing the session on every request would be a database write per request; a minute's precision is plenty.
LAST_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Logs out a session idle for SESSION_IDLE_TIMEOUT, or older than SESSION_COOKIE_AGE since login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_STARTED, now)
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Du ble logget ut fordi økten var utløpt. Logg inn igjen."))
            elif now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On every login: the absolute lifetime starts now, and the second factor is owed again."""
    now = int(time.time())
    request.session[LOGIN_STARTED] = now
    request.session[LAST_SEEN] = now
    twofactor.clear(request)


class SecondFactorMiddleware:
    """A user who owes the second factor reaches only the pages that settle it (and logout)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if twofactor.is_satisfied(request) or self._is_exempt(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Fullfør innloggingen med totrinnsbekreftelse før du bruker API-et.")}, status=403
            )
        target = "second_factor_verify" if twofactor.has_device(request.user) else "second_factor_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _is_exempt(path: str) -> bool:
        allowed = (
            reverse("second_factor_verify"),
            reverse("second_factor_enrol"),
            reverse("logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed)


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
