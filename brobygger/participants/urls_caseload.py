"""Pages: caseload. Thin views over caseload.py and access.py."""

from django.urls import path

from brobygger.participants.views import caseload as views

urlpatterns = [
    path("", views.caseload_view, name="caseload"),
    path("team/", views.caseload_team, name="caseload_team"),
    # One name for the choice of team and the meeting itself, so the menu item stays current on both.
    path("teammote/", views.team_meeting, name="team_meeting"),
    path("teammote/<int:team_pk>/", views.team_meeting, name="team_meeting"),
]
