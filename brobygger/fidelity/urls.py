"""Pages for fidelity reviews, under /modelltrohet/. URLs carry database ids only."""

from django.urls import path

from brobygger.fidelity import views

urlpatterns = [
    path("", views.index, name="fidelity_index"),
    path("maleplan/", views.schedule_page, name="fidelity_schedule"),
    path("sammenligning/", views.comparison, name="fidelity_comparison"),
    path("varmekart/", views.heatmap, name="fidelity_heatmap"),
    path("skalaer/", views.scale_list, name="fidelity_scale_list"),
    path("skalaer/<int:pk>/", views.scale_detail, name="fidelity_scale_detail"),
    path("skalaer/<int:pk>/fil/", views.scale_file, name="fidelity_scale_file"),
    path("tilbud/<int:pk>/", views.service_reviews, name="fidelity_service"),
    path("tilbud/<int:pk>/ny/", views.review_create, name="fidelity_review_create"),
    path("gjennomganger/<int:pk>/", views.review_detail, name="fidelity_review"),
    path("gjennomganger/<int:pk>/endre/", views.review_edit, name="fidelity_review_edit"),
    path("gjennomganger/<int:pk>/skar/", views.review_score, name="fidelity_review_score"),
    path("gjennomganger/<int:pk>/forslag/", views.review_refresh, name="fidelity_review_refresh"),
    path("gjennomganger/<int:pk>/lever/", views.review_submit, name="fidelity_review_submit"),
    path("gjennomganger/<int:pk>/gjenapne/", views.review_reopen, name="fidelity_review_reopen"),
    path("gjennomganger/<int:pk>/ferdigstill/", views.review_finalise, name="fidelity_review_finalise"),
    path("gjennomganger/<int:pk>/rett/", views.review_correct, name="fidelity_review_correct"),
    path("gjennomganger/<int:pk>/rapport.pdf", views.review_pdf, name="fidelity_review_pdf"),
    path("gjennomganger/<int:pk>/rapport.xlsx", views.review_xlsx, name="fidelity_review_xlsx"),
    path("gjennomganger/<int:pk>/tiltak/", views.actions, name="fidelity_actions"),
    path("gjennomganger/<int:pk>/tiltak/<int:action_pk>/", views.action_edit, name="fidelity_action_edit"),
]
