"""Query counts of the main pages, through the test client as the users who open them."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.accounts.testing import LoggedInClient
from brobygger.participants.access import visible_participants
from brobygger.participants.models import Period

# (label, URL name, query string, role of the user who opens it)
PAGES = (
    (
        "Statistikk, IPS-leder (eget tilbud, per jobbspesialist)",
        "statistics",
        "?niva=jobbspesialist",
        "ips_leder",
    ),
    ("Statistikk, analytiker (nasjonalt, per fylke)", "statistics", "?niva=fylke", "analytiker"),
    ("Statistikk, analytiker (per kommune)", "statistics", "?niva=kommune", "analytiker"),
    ("Sysselsetting per kvartal, analytiker", "statistics_employment", "", "analytiker"),
    ("Sysselsetting per kvartal, IPS-leder", "statistics_employment", "", "ips_leder"),
    ("Modelltrofasthet og resultater, analytiker", "statistics_fidelity", "", "analytiker"),
    ("Saksoversikt, jobbspesialist", "caseload", "", "jobbspesialist"),
    ("Saksoversikt for tilbudet, IPS-leder", "caseload_team", "", "ips_leder"),
    ("Deltakersiden (personen med flest forløp), IPS-leder", "participant_detail", "", "ips_leder"),
)


def _user(role: str) -> User:
    """A bench user for the role, scoped to the busiest generated service (its leader, or one of its specialists)."""
    service = (
        IpsService.objects.filter(name__endswith="(syntetisk)").order_by("pk").first()
        or IpsService.objects.order_by("pk").first()
    )
    if role == Role.JOB_SPECIALIST:
        specialist = (
            Period.objects.filter(service=service, closed_on__isnull=True, job_specialist__isnull=False)
            .values_list("job_specialist", flat=True)
            .first()
        )
        return User.objects.get(pk=specialist)
    user, created = User.objects.get_or_create(username=f"bench-{role}", defaults={"role": role})
    if created and role == Role.IPS_LEADER:
        Membership.objects.create(user=user, service=service)
    return user


def _busiest_participant(user: User) -> int:
    """The person with the most periods the user may see: the page that grew by 13 queries a period."""
    return (
        visible_participants(user)
        .annotate(n=Count("periods", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def query_counts() -> dict[str, int]:
    counts = {}
    for label, name, query, role in PAGES:
        user = _user(role)
        try:
            args = [_busiest_participant(user)] if name == "participant_detail" else []
            path = reverse(name, args=args) + query
        except NoReverseMatch:
            continue
        client = LoggedInClient(SERVER_NAME="localhost")
        client.force_login(user)
        client.get(path)  # once to fill what a running server would have cached (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[label] = len(queries) if response.status_code == 200 else -response.status_code
    return counts
