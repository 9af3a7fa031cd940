from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from brobygger import health
from brobygger.accounts import views as accounts_views
from brobygger.accounts.forms import LoginForm
from brobygger.api.api import api
from brobygger.regelverk import views as regelverk_views

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("helse/", health.live, name="health_live"),
    path("helse/klar/", health.ready, name="health_ready"),
    path("logg-inn/", accounts_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logg-inn/totrinn/", accounts_views.second_factor_verify, name="second_factor_verify"),
    path("logg-inn/totrinn/oppsett/", accounts_views.second_factor_enrol, name="second_factor_enrol"),
    path("logg-inn/oidc/", include("mozilla_django_oidc.urls")),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("passord/", accounts_views.PasswordChangeView.as_view(), name="password_change"),
    # Before Django's own: the switch also remembers the choice on the signed-in user.
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("innstillinger/", accounts_views.preferences, name="preferences"),
    path("tilbud/", accounts_views.service_list, name="service_list"),
    path("tilbud/nytt/", accounts_views.service_edit, name="service_create"),
    path("tilbud/<int:pk>/", accounts_views.service_detail, name="service_detail"),
    path("tilbud/<int:pk>/endre/", accounts_views.service_edit, name="service_edit"),
    path("organisasjoner/", accounts_views.organisation_list, name="organisation_list"),
    path("organisasjoner/ny/", accounts_views.organisation_edit, name="organisation_create"),
    path("organisasjoner/<int:pk>/endre/", accounts_views.organisation_edit, name="organisation_edit"),
    path("revisjon/", accounts_views.audit_search, name="audit_search"),
    path("regelverk/", regelverk_views.rule_list, name="rule_list"),
    path("regelverk/endringer/", regelverk_views.changelog, name="rule_changelog"),
    path("regelverk/<slug:rule_id>/", regelverk_views.rule_detail, name="rule_detail"),
    path("deltakere/", include("brobygger.participants.urls_pathway")),
    path("deltakere/", include("brobygger.participants.urls_followup")),
    path("saksoversikt/", include("brobygger.participants.urls_caseload")),
    path("statistikk/", include("brobygger.reporting.urls")),
    path("modelltrohet/", include("brobygger.fidelity.urls")),
    path("personvern/", include("brobygger.privacy.urls")),
    path("tilskudd/", include("brobygger.grants.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
