"""Pages: pathway. Thin views over services.py and access.py. Mounted at /deltakere/; URLs carry database ids only."""

from django.urls import path

from brobygger.participants.views import imports, pathway, referrals

urlpatterns = [
    path("", pathway.participant_list, name="participant_list"),
    path("ny/", pathway.participant_register, name="participant_register"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/mal.csv", imports.import_template, {"fmt": "csv"}, name="import_template_csv"),
    path("import/mal.xlsx", imports.import_template, {"fmt": "xlsx"}, name="import_template_xlsx"),
    path("<int:pk>/", pathway.participant_detail, name="participant_detail"),
    path("<int:pk>/endre/", pathway.participant_edit, name="participant_edit"),
    path("<int:pk>/kontaktopplysninger/", pathway.contact_details_edit, name="contact_details_edit"),
    path("<int:pk>/fodselsnummer/", pathway.participant_reveal_identity, name="participant_reveal_identity"),
    path("<int:pk>/henvisning/ny/", pathway.referral_create, name="referral_create"),
    path("henvisninger/", referrals.referral_inbox, name="referral_inbox"),
    path("henvisninger/<int:pk>/avgjor/", pathway.referral_decide, name="referral_decide"),
    path("henvisninger/<int:pk>/samtykke/", referrals.referral_consent, name="referral_consent"),
    path("henvisninger/<int:pk>/rett/", referrals.referral_correct, name="referral_correct"),
    path("henvisninger/<int:pk>/trekk-tilbake/", referrals.referral_withdraw, name="referral_withdraw"),
    path("forlop/<int:pk>/start/", pathway.period_start, name="period_start"),
    path("forlop/<int:pk>/forleng/", pathway.period_extend, name="period_extend"),
    path("forlop/<int:pk>/avslutt/", pathway.period_close, name="period_close"),
]
