"""Pages: caseload. Thin views over services.py and access.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
