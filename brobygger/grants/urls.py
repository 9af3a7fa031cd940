"""Pages for the grant scheme, under /tilskudd/. URLs carry database ids only."""

from django.urls import path

from brobygger.grants import views
from brobygger.grants.views import figures as figure_views
from brobygger.grants.views import payments as payment_views
from brobygger.grants.views import reports as report_views

urlpatterns = [
    path("utlysninger/", views.call_list, name="grants_call_list"),
    path("utlysninger/ny/", views.call_create, name="grants_call_create"),
    path("utlysninger/<int:pk>/", views.call_detail, name="grants_call"),
    path("utlysninger/<int:pk>/publiser/", views.call_publish, name="grants_call_publish"),
    path("utlysninger/<int:pk>/avslutt/", views.call_close, name="grants_call_close"),
    path("utlysninger/<int:call_pk>/sok/", views.application_create, name="grants_application_create"),
    path("utlysninger/<int:pk>/fordeling/", views.allocation, name="grants_allocation"),
    path("utlysninger/<int:pk>/fordeling/sum/", views.allocation_preview, name="grants_allocation_preview"),
    path("utlysninger/<int:pk>/innstilling/", views.recommendation_submit, name="grants_recommendation_submit"),
    path("innstillinger/<int:pk>/godkjenn/", views.recommendation_approve, name="grants_recommendation_approve"),
    path("innstillinger/<int:pk>/send-tilbake/", views.recommendation_return, name="grants_recommendation_return"),
    path("soknader/", views.application_list, name="grants_application_list"),
    path("soknader/<int:pk>/", views.application_detail, name="grants_application"),
    path("soknader/<int:pk>/endre/", views.application_edit, name="grants_application_edit"),
    path("soknader/<int:pk>/tiltak/<str:measure>/", views.measure_edit, name="grants_measure_edit"),
    path("soknader/<int:pk>/budsjett/", views.budget_line_add, name="grants_budget_line_add"),
    path("soknader/<int:pk>/milepaeler/", views.milestone_add, name="grants_milestone_add"),
    path("soknader/<int:pk>/signer/", views.signature_add, name="grants_signature_add"),
    path("soknader/<int:pk>/vedlegg/", views.attachment_add, name="grants_attachment_add"),
    path(
        "soknader/<int:pk>/vedlegg/<int:attachment_pk>.pdf",
        views.attachment_download,
        name="grants_attachment",
    ),
    path(
        "soknader/<int:pk>/fjern/<str:kind>/<int:part_pk>/",
        views.application_part_remove,
        name="grants_application_part_remove",
    ),
    path("soknader/<int:pk>/send-inn/", views.application_submit, name="grants_application_submit"),
    path("soknader/<int:pk>/ny-versjon/", views.application_new_version, name="grants_application_new_version"),
    path("soknader/<int:pk>/unntak/", views.deadline_exception, name="grants_deadline_exception"),
    path("soknader/<int:pk>/habilitet/", views.declare, name="grants_declare"),
    path("soknader/<int:pk>/vurdering/", views.assess, name="grants_assess"),
    path("vedtak/<int:pk>/", views.decision_detail, name="grants_decision"),
    path("vedtak/<int:pk>/godkjenn/", views.decision_approve, name="grants_decision_approve"),
    path("vedtak/<int:pk>/send/", views.decision_send, name="grants_decision_send"),
    path("vedtak/<int:pk>/brev.pdf", views.decision_letter, name="grants_decision_letter"),
    path("vedtak/<int:pk>/klage/", views.appeal_register, name="grants_appeal_register"),
    path("klager/", views.appeal_list, name="grants_appeal_list"),
    path("klager/<int:pk>/", views.appeal_detail, name="grants_appeal"),
    path("klager/<int:pk>/forelopig-svar/", views.appeal_preliminary_reply, name="grants_appeal_reply"),
    path("klager/<int:pk>/omgjor/", views.appeal_change, name="grants_appeal_change"),
    path("klager/<int:pk>/oversend/", views.appeal_forward, name="grants_appeal_forward"),
    path("klager/<int:pk>/departementet/", views.appeal_ministry, name="grants_appeal_ministry"),
    path("klager/<int:pk>/oversendelse.pdf", views.appeal_summary, name="grants_appeal_summary"),
    path("tidligere-tilskudd/", views.earlier_grants, name="grants_earlier_grant_add"),
    path("tall/", figure_views.figures, name="grants_figures"),
    path("tall.xlsx", figure_views.figures_xlsx, name="grants_figures_xlsx"),
    path("tall.pdf", figure_views.figures_pdf, name="grants_figures_pdf"),
]

# Annual reports (issue 14 items 3-4): /tilskudd/rapporter/.
urlpatterns += [
    path("rapporter/", report_views.report_list, name="grants_report_list"),
    path("rapporter/vedtak/<int:decision_pk>/lag/", report_views.report_prepare, name="grants_report_prepare"),
    path("rapporter/<int:pk>/", report_views.report_detail, name="grants_report"),
    path("rapporter/<int:pk>/endre/", report_views.report_edit, name="grants_report_edit"),
    path("rapporter/<int:pk>/signer/", report_views.report_sign, name="grants_report_sign"),
    path("rapporter/<int:pk>/send-inn/", report_views.report_submit, name="grants_report_submit"),
    path("rapporter/<int:pk>/hent-tall/", report_views.report_refresh, name="grants_report_refresh"),
    path("rapporter/<int:pk>/godkjenn/", report_views.report_approve, name="grants_report_approve"),
    path("rapporter/<int:pk>/send-tilbake/", report_views.report_return, name="grants_report_return"),
    path("rapporter/soknader/<int:pk>/tilbud/", report_views.covered_service_add, name="grants_covered_service_add"),
    # Payments (issue 14)
    path("utbetalinger/", payment_views.order_list, name="grants_payment_orders"),
    path("utbetalinger/<int:pk>/", payment_views.order_detail, name="grants_payment_order"),
    path("utbetalinger/<int:pk>/attester/", payment_views.order_attest, name="grants_payment_order_attest"),
    path("utbetalinger/<int:pk>/godkjenn/", payment_views.order_approve, name="grants_payment_order_approve"),
    path("utbetalinger/eksporter/", payment_views.export, name="grants_payment_export"),
    path("utbetalinger/filer/<int:pk>/", payment_views.file_detail, name="grants_payment_file"),
    path("utbetalinger/filer/<int:pk>/pain001.xml", payment_views.file_xml, name="grants_payment_file_xml"),
    path("utbetalinger/filer/<int:pk>/utbetalinger.csv", payment_views.file_csv, name="grants_payment_file_csv"),
    path("utbetalinger/stans/", payment_views.stop_list, name="grants_payment_stops"),
    path("utbetalinger/stans/<int:pk>/opphev/", payment_views.stop_lift, name="grants_payment_stop_lift"),
    path("utbetalinger/endringer/", payment_views.change_list, name="grants_recipient_changes"),
    path(
        "utbetalinger/endringer/<int:pk>/kontroller/",
        payment_views.change_verify,
        name="grants_recipient_change_verify",
    ),
    path(
        "utbetalinger/endringer/<int:pk>/godkjenn/",
        payment_views.change_approve,
        name="grants_recipient_change_approve",
    ),
    path("utbetalinger/endringer/<int:pk>/avvis/", payment_views.change_reject, name="grants_recipient_change_reject"),
    path(
        "utbetalinger/ubrukte-midler/<int:pk>/innbetaling/",
        payment_views.repayment_register,
        name="grants_repayment_register",
    ),
    path("vedtak/<int:pk>/forplikt/", payment_views.commitment_create, name="grants_commitment_create"),
    path("vedtak/<int:pk>/ubrukte-midler/", payment_views.overpayment_register, name="grants_overpayment_register"),
    path("mottaker/", payment_views.recipient, name="grants_recipient"),
    path("mottaker/endre/", payment_views.recipient_change_report, name="grants_recipient_change_report"),
]
