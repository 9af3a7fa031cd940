"""Whether a session has passed the second factor, and how it did.

The password (or an OIDC login without asserted MFA) is the first step; roles in ROLES_REQUIRING_SECOND_FACTOR
then owe a TOTP code or a recovery code (django-otp devices) before SecondFactorMiddleware lets them reach anything
else. Every login starts with the debt: the marker is cleared on ``user_logged_in``, and only a verified code, an
OIDC provider that asserts MFA, or demo mode for a demo persona sets it.
"""

from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from brobygger.accounts.demo import PERSONAS
from brobygger.accounts.models import ROLES_REQUIRING_SECOND_FACTOR, User

SESSION_KEY = "second_factor"
DEMO_USERNAMES = frozenset(persona.username for persona in PERSONAS)


class Method:
    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"
    OIDC = "oidc"


def requires_second_factor(user: User) -> bool:
    return user.is_authenticated and user.role in ROLES_REQUIRING_SECOND_FACTOR


def is_demo_exempt(user: User) -> bool:
    """Only in demo mode, and only the demo personas, whose password is printed for anyone to use anyway."""
    return settings.DEMO_MODE and user.username in DEMO_USERNAMES


def is_satisfied(request: HttpRequest) -> bool:
    user = request.user
    return not requires_second_factor(user) or is_demo_exempt(user) or bool(request.session.get(SESSION_KEY))


def mark_passed(request: HttpRequest, method: str) -> None:
    mark_passed_in(request.session, method)


def mark_passed_in(session, method: str) -> None:
    session[SESSION_KEY] = method


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify(user: User, token: str) -> str | None:
    """The method that accepted ``token`` (a TOTP code, or a recovery code, used up), or None.

    django-otp throttles each device after failures (OTP_TOTP_THROTTLE_FACTOR), so codes cannot be guessed quickly.
    """
    token = "".join(token.split())
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return Method.RECOVERY_CODE if isinstance(device, StaticDevice) else Method.TOTP
    return None
