"""Pages: statistics. Thin views over indicators.py, published.py and access.py."""

from django.urls import path

from brobygger.reporting import views

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("eksport.csv", views.export, {"fmt": "csv"}, name="statistics_export_csv"),
    path("eksport.xlsx", views.export, {"fmt": "xlsx"}, name="statistics_export_xlsx"),
    path("sysselsetting/", views.employment, name="statistics_employment"),
    path("modelltrohet/", views.fidelity_outcomes, name="statistics_fidelity"),
    path("ips-ung/", views.ips_ung, name="statistics_ips_ung"),
    path("ips-ung/mal/nytt/", views.goal_edit, name="statistics_goal_create"),
    path("ips-ung/mal/<int:pk>/", views.goal_edit, name="statistics_goal_edit"),
    path("publiser/", views.publish, name="statistics_publish"),
    path("arsrapport/", views.annual_pdf, name="statistics_annual_pdf"),
    path("jobb/<int:pk>/", views.job, name="statistics_job"),
    path("jobb/<int:pk>/fil/", views.job_download, name="statistics_job_download"),
]
