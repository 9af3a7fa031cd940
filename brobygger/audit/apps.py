from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "brobygger.audit"
    label = "audit"
    verbose_name = _("Revisjonsspor og innsynslogg")

    def ready(self):
        # Django announces logins only through these signals; recording them is the one use we make of signals.
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from brobygger.audit import checks  # noqa: F401  (registers the deployment check of the database role)
        from brobygger.audit.models import AuditEvent
        from brobygger.audit.services import record_account_event

        def on_login(sender, request, user, **kwargs):
            record_account_event(user=user, action=AuditEvent.Action.LOGIN)

        def on_logout(sender, request, user, **kwargs):
            if user is not None:
                record_account_event(user=user, action=AuditEvent.Action.LOGOUT)

        user_logged_in.connect(on_login, weak=False, dispatch_uid="audit_login")
        user_logged_out.connect(on_logout, weak=False, dispatch_uid="audit_logout")
