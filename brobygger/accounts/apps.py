from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "brobygger.accounts"
    label = "accounts"
    verbose_name = _("Brukere, organisasjoner og IPS-tilbud")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from brobygger.accounts import checks  # noqa: F401  (registers the check of the OIDC client authentication)
        from brobygger.accounts.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, weak=False, dispatch_uid="accounts_session_clock")


class BrobyggerAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to system administrators only."""

    default = False
    default_site = "brobygger.accounts.admin_site.BrobyggerAdminSite"
