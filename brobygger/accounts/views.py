from base64 import b32encode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit
from qrcode.image.svg import SvgPathImage

from brobygger.accounts import access, services, twofactor
from brobygger.accounts.client_ip import client_ip
from brobygger.accounts.forms import (
    IpsServiceForm,
    OrganisationForm,
    PreferencesForm,
    SecondFactorEnrolForm,
    SecondFactorForm,
)
from brobygger.accounts.middleware import LANGUAGE_CODES
from brobygger.accounts.models import IpsService, JobSpecialist, Organisation, Role
from brobygger.accounts.navigation import ROLE_PURPOSE
from brobygger.audit.forms import AuditSearchForm
from brobygger.audit.models import AuditEvent
from brobygger.audit.queries import search
from brobygger.audit.services import record_event
from brobygger.submit import add_service_errors, submit


def _require(decision: access.Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


@login_required
def home(request):
    user = request.user
    context = {
        "purpose": ROLE_PURPOSE.get(user.role, ""),
        "services": access.visible_services(user).annotate(team_count=Count("teams")),
        "teams": access.visible_teams(user).select_related("service"),
    }
    if user.role == Role.SYSTEM_ADMINISTRATOR:
        context["recent_events"] = AuditEvent.objects.select_related("actor")[:5]
    return render(request, f"accounts/home/{user.role}.html", context)


@login_required
def service_list(request):
    services_qs = (
        access.visible_services(request.user)
        .annotate(
            team_count=Count("teams", distinct=True),
            municipality_count=Count("municipalities", distinct=True),
        )
        .order_by("health_region", "name")
    )
    return render(
        request,
        "accounts/service_list.html",
        {"services": services_qs, "can_edit": access.can_manage_organisations(request.user)[0]},
    )


@login_required
def service_detail(request, pk: int):
    service = access.get_service_for_user(request.user, pk)
    context = {
        "service": service,
        "owners": service.owners.all(),
        "municipalities": service.municipalities.select_related("county"),
        "teams": service.teams.select_related("organisation"),
        "unit": getattr(service, "unit", None),
        "specialists": JobSpecialist.objects.filter(unit__service=service).select_related("user", "employer"),
        "can_edit": access.can_manage_organisations(request.user)[0],
    }
    return render(request, "accounts/service_detail.html", context)


@login_required
def service_edit(request, pk: int | None = None):
    _require(access.can_manage_organisations(request.user))
    service = access.get_service_for_user(request.user, pk) if pk else IpsService()
    form = IpsServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        saved = services.ips_service_save(
            actor=request.user,
            service=form.save(commit=False),
            owners=list(form.cleaned_data["owners"]),
            municipalities=list(form.cleaned_data["municipalities"]),
        )
        messages.success(request, _("IPS-tilbudet er lagret."))
        return redirect("service_detail", pk=saved.pk)
    return render(request, "accounts/service_form.html", {"form": form, "service": service})


@login_required
def organisation_list(request):
    _require(access.can_view_organisations(request.user))
    organisations = Organisation.objects.select_related("municipality")
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations, "can_edit": access.can_manage_organisations(request.user)[0]},
    )


@login_required
def organisation_edit(request, pk: int | None = None):
    _require(access.can_manage_organisations(request.user))
    organisation = access.get_organisation_for_user(request.user, pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        if organisation is None:
            services.organisation_create(actor=request.user, data=form.cleaned_data)
        else:
            services.organisation_update(actor=request.user, organisation=organisation, data=form.cleaned_data)
        messages.success(request, _("Organisasjonen er lagret."))
        return redirect("organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


# The audit trail and access log are audit's data, but who may search them is decided here, so the page lives with
# the access rules and audit imports nothing above itself.
@login_required
def audit_search(request):
    allowed, reason = access.can_view_audit(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    page = Paginator(search(criteria), 50).get_page(request.GET.get("side"))
    is_access_log = criteria.get("log") == "access"
    return render(request, "audit/search.html", {"form": form, "page": page, "is_access_log": is_access_log})


# --- Login, second factor, password ---------------------------------------------------------------------------------


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else fallback


def _rate_limited(request) -> HttpResponse:
    return render(request, "registration/rate_limited.html", status=429)


def _by_client(group, request) -> str:
    return client_ip(request)


def _login_rate(group, request) -> str:
    return settings.LOGIN_RATE_LIMIT


# Per client address, on every form that takes a secret; django-axes locks out on top of this.
login_rate_limit = ratelimit(key=_by_client, rate=_login_rate, method="POST", block=False)


@method_decorator(login_rate_limit, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's login, with a rate limit per client address and a link to OIDC when it is configured."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return _rate_limited(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "oidc_enabled": bool(settings.OIDC_RP_CLIENT_ID),
            "oidc_failed": "oidc" in self.request.GET,
        }


@login_required
@login_rate_limit
def second_factor_verify(request):
    if getattr(request, "limited", False):
        return _rate_limited(request)
    if not twofactor.requires_second_factor(request.user):
        return redirect("home")
    if not twofactor.has_device(request.user):
        return redirect("second_factor_enrol")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = twofactor.verify(request.user, form.cleaned_data["token"])
        if method:
            twofactor.mark_passed(request, method)
            if method == twofactor.Method.RECOVERY_CODE:
                messages.warning(request, _("Du brukte en gjenopprettingskode. Den kan ikke brukes igjen."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Koden stemmer ikke, eller du har prøvd for mange ganger. Vent litt og prøv igjen."))
    return render(request, "registration/second_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
@login_rate_limit
def second_factor_enrol(request):
    """Set up TOTP: scan the QR code, confirm with a code, see the recovery codes once."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    # The second factor is a duty of the role; a device that no login would ask for would only mislead.
    if not twofactor.requires_second_factor(request.user):
        return redirect("home")
    # Replacing a device needs the current one first: a stolen password alone must not swap the second factor.
    if twofactor.has_device(request.user) and not request.session.get(twofactor.SESSION_KEY):
        return redirect("second_factor_verify")
    form = SecondFactorEnrolForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.second_factor_enrol_confirm(
                actor=request.user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            twofactor.mark_passed(request, twofactor.Method.TOTP)
            return render(request, "registration/recovery_codes.html", {"codes": codes, "next": _safe_next(request)})
    if device is None or request.method == "GET":
        device = services.second_factor_enrol_start(actor=request.user)
    secret = b32encode(device.bin_key).decode()
    qr = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    context = {"form": form, "qr_svg": mark_safe(qr), "secret": secret, "next": _safe_next(request, "")}
    return render(request, "registration/second_factor_enrol.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view; the change is recorded in the audit trail (without the password, of course)."""

    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record_event(
                actor=self.request.user,
                action=AuditEvent.Action.UPDATE,
                obj=self.request.user,
                after={"password_changed": True},
            )
        messages.success(self.request, _("Passordet ditt er endret."))
        return response


@login_required
def preferences(request):
    """The user's own settings: the language of the pages and the daily e-mail with the caseload's alerts."""
    user = request.user
    digest_allowed, digest_reason = access.can_receive_digest(user)
    initial = {"language": user.language or settings.LANGUAGE_CODE, "daily_digest": user.daily_digest}
    form = PreferencesForm(request.POST or None, initial=initial)
    if not digest_allowed and not user.daily_digest:
        del form.fields["daily_digest"]
    if request.method == "POST" and submit(
        form,
        lambda data: services.user_preferences_save(
            actor=user, language=data["language"], daily_digest=data.get("daily_digest", False)
        ),
    ):
        response = redirect("preferences")
        translation.activate(user.language)
        messages.success(request, _("Innstillingene er lagret."))
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response
    return render(
        request,
        "accounts/preferences.html",
        {"form": form, "digest_allowed": digest_allowed, "digest_reason": digest_reason},
    )


@require_POST
def language_set(request):
    """The language switch in the header: Django's cookie, and for a signed-in user the choice kept on the user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        services.user_preferences_save(actor=request.user, language=language, daily_digest=request.user.daily_digest)
    return response
