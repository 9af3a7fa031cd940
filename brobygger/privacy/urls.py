from django.urls import path

from brobygger.privacy import views

urlpatterns = [
    path("", views.index, name="privacy_index"),
    path("innsyn/", views.access_report, name="privacy_access_report"),
    path("sletting/", views.retention, name="privacy_retention"),
]
