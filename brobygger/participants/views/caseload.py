"""Pages: the job specialist's caseload, the leader's view of the service, and the treatment team's weekly meeting.

Thin views: the figures and alerts come from ``participants.caseload``, who may see what from ``participants.access``.
Every list of people is a read of each of them and goes to the access log.
"""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import Role, TreatmentTeam, User
from brobygger.fields import DateField
from brobygger.participants import access, caseload
from brobygger.participants.models import Period
from brobygger.widgets import DateInput


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _log_reads(request: HttpRequest, statuses) -> None:
    access.participants_shown(status.period.participant for status in statuses)


def _with_links(items) -> list[tuple]:
    """Each period (or meeting entry) with the link to its participant's page; no link while the pathway pages are
    not installed."""
    items = list(items)
    try:
        reverse("participant_detail", args=[0])
    except NoReverseMatch:
        return [(item, "") for item in items]
    return [(item, reverse("participant_detail", args=[item.period.participant_id])) for item in items]


PAGE_SIZE = 50
OPEN_STATUSES = [(value, label) for value, label in Period.Status.choices if value != Period.Status.CLOSED]


class CaseloadFilterForm(forms.Form):
    """Narrow the caseload by status, team, job specialist and kind of alert; every field may be left empty."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle")), *OPEN_STATUSES], required=False)
    team = forms.ModelChoiceField(
        label=_("Behandlingsteam"), queryset=TreatmentTeam.objects.none(), required=False, empty_label=_("Alle")
    )
    job_specialist = forms.ModelChoiceField(
        label=_("Jobbspesialist"), queryset=User.objects.none(), required=False, empty_label=_("Alle")
    )
    alert = forms.ChoiceField(
        label=_("Varsel"),
        choices=[("", _("Alle")), ("any", _("Med varsel")), *caseload.PERIOD_ALERT_KINDS.items()],
        required=False,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        teams = access.referral_teams(user)
        self.fields["team"].queryset = teams.order_by("name")
        specialists = self.fields["job_specialist"]
        if user.role == Role.IPS_LEADER:
            specialists.queryset = (
                User.objects.filter(role=Role.JOB_SPECIALIST, memberships__service__in=access.caseload_services(user))
                .distinct()
                .order_by("last_name", "first_name")
            )
            specialists.label_from_instance = lambda specialist: specialist.get_full_name() or specialist.username
        else:
            del self.fields["job_specialist"]

    def keep(self, statuses) -> list:
        """The periods that pass the filters; all of them when the filters are invalid or empty."""
        if not self.is_bound or not self.is_valid():
            return list(statuses)
        data = self.cleaned_data
        kept = []
        for status in statuses:
            period = status.period
            kinds = {alert.kind for alert in status.alerts}
            if data.get("status") and period.status != data["status"]:
                continue
            if data.get("team") and period.referral.team_id != data["team"].pk:
                continue
            if data.get("job_specialist") and period.job_specialist_id != data["job_specialist"].pk:
                continue
            if data.get("alert") == "any" and not kinds:
                continue
            if data.get("alert") not in {"", "any", None} and data["alert"] not in kinds:
                continue
            kept.append(status)
        return kept


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
    filter_form = CaseloadFilterForm(request.GET if set(request.GET) - {"sorter", "side"} else None, user=user)
    shown = filter_form.keep(periods)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("side"))
    _log_reads(request, page.object_list)
    filters = {key: value for key, value in request.GET.items() if key not in {"sorter", "side"} and value}
    sort_links = [
        {"url": "?" + urlencode({**filters, "sorter": key}), "label": label, "current": key == order}
        for key, (label, _key) in caseload.SORT_ORDERS.items()
    ]
    context = {
        "load": own.load,
        "filter_form": filter_form,
        "page": page,
        "page_query": urlencode({**filters, "sorter": order}),
        "shown": len(shown),
        "periods": _with_links(page.object_list),
        "order": order,
        "total": len(periods),
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
    filter_form = CaseloadFilterForm(request.GET or None, user=user)
    shown = {id(status) for overview in overviews for status in filter_form.keep(overview.periods)}
    _log_reads(request, [status for overview in overviews for status in overview.periods if id(status) in shown])
    kinds = list(caseload.PERIOD_ALERT_KINDS)
    sections = [
        {
            "overview": overview,
            "alert_counts": [overview.alert_counts[kind] for kind in kinds],
            "specialists": [
                {
                    "group": group,
                    "alert_counts": [group.alert_counts[kind] for kind in kinds],
                    "periods": _with_links(status for status in group.periods if id(status) in shown),
                }
                for group in overview.specialists
            ],
            "unassigned": _with_links(status for status in overview.unassigned if id(status) in shown),
        }
        for overview in overviews
    ]
    context = {
        "sections": sections,
        "kind_labels": list(caseload.PERIOD_ALERT_KINDS.values()),
        "filter_form": filter_form,
        "filtered": filter_form.is_bound,
    }
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
    access.participants_shown(entry.participant for entry in meeting.entries)
    context = {
        "team": team,
        "teams": teams,
        "meeting": meeting,
        "form": form,
        "entries": _with_links(meeting.entries),
        "title": gettext("Teammøte: %(team)s") % {"team": team.name},
    }
    return render(request, "participants/team_meeting.html", context, status=400 if form.errors else 200)
