from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "brobygger.reporting"
    verbose_name = "Statistikk og indikatorer"
