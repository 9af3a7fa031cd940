from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegelverkConfig(AppConfig):
    name = "brobygger.regelverk"
    label = "regelverk"
    verbose_name = _("Regelverk")

    def ready(self):
        from brobygger.regelverk import checks  # noqa: F401  (registers the system checks)
