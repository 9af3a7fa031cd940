"""Pages: the job specialist's caseload, the leader's view of the service, and the treatment team's weekly meeting.

Thin views: the figures and alerts come from ``participants.caseload``, who may see what from ``participants.access``.
Every list of people is a read of each of them and goes to the access log.
"""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import Role
from brobygger.audit.models import AccessLogEntry
from brobygger.audit.services import log_access_many
from brobygger.fields import DateField
from brobygger.participants import access, caseload
from brobygger.widgets import DateInput


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _log_reads(request: HttpRequest, statuses) -> None:
    log_access_many(
        actor=request.user,
        objs=[status.period.participant for status in statuses],
        purpose=AccessLogEntry.Purpose.VIEW,
        path=request.path,
    )


def _with_links(items) -> list[tuple]:
    """Each period (or meeting entry) with the link to its participant's page; no link while the pathway pages are
    not installed."""
    items = list(items)
    try:
        reverse("participant_detail", args=[0])
    except NoReverseMatch:
        return [(item, "") for item in items]
    return [(item, reverse("participant_detail", args=[item.period.participant_id])) for item in items]


@login_required
def caseload_view(request: HttpRequest) -> HttpResponse:
    """The job specialist's own open periods, most urgent first, with the alerts and the caseload limit."""
    user = request.user
    if user.role == Role.IPS_LEADER:
        return redirect("caseload_team")
    _require(access.can_view_own_caseload(user))
    order = request.GET.get("sorter", caseload.URGENCY)
    if order not in caseload.SORT_ORDERS:
        order = caseload.URGENCY
    own = caseload.own_caseload(user, access.caseload_periods(user), on=timezone.localdate())
    periods = caseload.sort_periods(own.periods, order)
    _log_reads(request, periods)
    sort_links = [
        {"url": "?" + urlencode({"sorter": key}), "label": label, "current": key == order}
        for key, (label, _key) in caseload.SORT_ORDERS.items()
    ]
    context = {
        "load": own.load,
        "periods": _with_links(periods),
        "order_label": caseload.SORT_ORDERS[order][0],
        "sort_links": sort_links,
        "with_alerts": sum(1 for period in periods if period.alerts),
        "kinds": _kind_counts(periods),
        "meeting_teams": access.meeting_teams(user),
    }
    return render(request, "participants/caseload.html", context)


def _kind_counts(periods) -> list[tuple[str, int]]:
    counts = {kind: 0 for kind in caseload.PERIOD_ALERT_KINDS}
    for period in periods:
        for alert in period.alerts:
            counts[alert.kind] += 1
    return [(caseload.PERIOD_ALERT_KINDS[kind], n) for kind, n in counts.items()]


@login_required
def caseload_team(request: HttpRequest) -> HttpResponse:
    """The leader's services: open periods grouped by job specialist, the load of each, and unassigned periods."""
    user = request.user
    _require(access.can_view_service_caseload(user))
    services = list(access.caseload_services(user))
    overviews = caseload.service_caseloads(services, access.caseload_periods(user), on=timezone.localdate())
    all_periods = [period for overview in overviews for period in overview.periods]
    _log_reads(request, all_periods)
    kinds = list(caseload.PERIOD_ALERT_KINDS)
    sections = [
        {
            "overview": overview,
            "alert_counts": [overview.alert_counts[kind] for kind in kinds],
            "specialists": [
                {
                    "group": group,
                    "alert_counts": [group.alert_counts[kind] for kind in kinds],
                    "periods": _with_links(group.periods),
                }
                for group in overview.specialists
            ],
            "unassigned": _with_links(overview.unassigned),
        }
        for overview in overviews
    ]
    context = {"sections": sections, "kind_labels": list(caseload.PERIOD_ALERT_KINDS.values())}
    return render(request, "participants/caseload_team.html", context)


class MeetingDateForm(forms.Form):
    dato = DateField(
        label=_("Møtedato"),
        required=False,
        widget=DateInput(),
        help_text=_("Viser endringene de sju dagene fram til og med denne datoen. Tom: i dag."),
        error_messages={"invalid": _("Skriv en gyldig dato, for eksempel 23.11.2026.")},
    )

    def clean_dato(self) -> date | None:
        day = self.cleaned_data["dato"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Møtedatoen kan ikke være fram i tid."))
        return day


@login_required
def team_meeting(request: HttpRequest, team_pk: int | None = None) -> HttpResponse:
    """The treatment team's weekly meeting: its participants and what changed in the last seven days. Without a
    team, the choice of the user's teams."""
    user = request.user
    _require(access.can_view_team_meeting(user))
    teams = list(access.meeting_teams(user))
    if team_pk is None:
        return render(request, "participants/team_meeting_choose.html", {"teams": teams})
    team = access.get_meeting_team_for_user(user, team_pk)
    on = timezone.localdate()
    form = MeetingDateForm(request.GET or None, initial={"dato": on})
    if form.is_bound and form.is_valid() and form.cleaned_data["dato"]:
        on = form.cleaned_data["dato"]
    meeting = caseload.team_meeting(team, access.caseload_periods(user), on=on)
    log_access_many(
        actor=user,
        objs=[entry.participant for entry in meeting.entries],
        purpose=AccessLogEntry.Purpose.VIEW,
        path=request.path,
    )
    context = {
        "team": team,
        "teams": teams,
        "meeting": meeting,
        "form": form,
        "entries": _with_links(meeting.entries),
        "title": gettext("Teammøte: %(team)s") % {"team": team.name},
    }
    return render(request, "participants/team_meeting.html", context, status=400 if form.errors else 200)
