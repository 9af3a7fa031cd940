from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FidelityConfig(AppConfig):
    name = "brobygger.fidelity"
    verbose_name = _("Modelltrohet")
