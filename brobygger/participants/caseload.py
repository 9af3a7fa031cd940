"""The caseload: where each open period stands on a day, what needs attention, and what changed in a week.

Read-only: nothing here writes. Each alert carries a stable code, a bokmål text and the legal or principle reference;
where a rule exists (first employer contact, up-to-date plan, duration and extension, caseload) the code, text and
reference come from the rule's result, so the page explains itself the same way the Regelverk page does.

Every figure comes from a fixed number of queries however large the caseload is: the dates the alerts need are
annotated onto the periods with Min/Max/Exists subqueries, a week's changes are fetched with one query per kind, and
the rules themselves are pure Python.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger import compiled
from brobygger.accounts.models import IpsService, JobSpecialist, TreatmentTeam, User
from brobygger.participants import services
from brobygger.participants.models import (
    Contact,
    Education,
    EmployerContact,
    FollowUpPlan,
    Job,
    Period,
    PlanRevision,
    StatusChange,
)
from brobygger.regelverk.services import reason_text, rule_evaluate
from brobygger.rules.base import RuleInputError, RuleResult, fmt_date

# What an alert is about; the team view counts alerts per kind.
EMPLOYER_CONTACT = "employer_contact"
PLAN = "plan"
DURATION = "duration"
WAITING = "waiting"
BENEFITS = "benefits"
CASELOAD = "caseload"

# The kinds of alert a period can have, in the order the pages show them.
PERIOD_ALERT_KINDS: dict[str, Any] = {
    EMPLOYER_CONTACT: gettext_lazy("Arbeidsgiverkontakt"),
    PLAN: gettext_lazy("Oppfølgingsplan"),
    DURATION: gettext_lazy("Varighet"),
    WAITING: gettext_lazy("Ventetid"),
    BENEFITS: gettext_lazy("Økonomiveiledning"),
}
ALERT_KINDS: dict[str, Any] = {**PERIOD_ALERT_KINDS, CASELOAD: gettext_lazy("Saksmengde")}

DANGER, WARNING, INFO = "danger", "warning", "info"
SEVERITY_RANK = {DANGER: 0, WARNING: 1, INFO: 2}

# How far ahead the last permitted day is warned about (principle 8: "warned about ahead of time").
DURATION_WARNING_DAYS = 60
# How many days back the treatment team's weekly meeting looks, the meeting day included.
MEETING_WINDOW_DAYS = 7

# Alerts without a rule of their own cite the principle or provision they serve.
WAITING_REFERENCE = (
    "IPS-prinsipp 6 (rask jobbsøking); ventetid rapporteres etter regelverk for tilskuddsordningen pkt. 6; "
    "antall dager er Brobyggers standard"
)
BENEFITS_REFERENCE = (
    "IPS-prinsipp 5 (individuell veiledning om ytelser og økonomi); IPS-kvalitetsskala (IPS-25) punkt 12"
)
PLAN_REFERENCE = "Egenregiforskriften § 3-3"


@dataclass(frozen=True)
class Alert:
    kind: str
    code: str
    text: str
    reference: str
    severity: str

    @property
    def kind_label(self) -> str:
        return str(ALERT_KINDS[self.kind])


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    due: date


@dataclass
class PeriodStatus:
    """Where one open period stands on ``on``."""

    period: Period
    on: date
    days_since_start: int | None
    waiting_days: int | None
    deadlines: list[Deadline] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    # None when not assessed (the last permitted day is not near); otherwise the rule's result.
    extension: RuleResult | None = None

    @property
    def participant(self):
        return self.period.participant

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    @property
    def severity(self) -> str | None:
        return min((alert.severity for alert in self.alerts), key=SEVERITY_RANK.__getitem__, default=None)

    @property
    def extension_possible(self) -> bool | None:
        return None if self.extension is None else _extension_room(self.period, self.extension) is not None

    def urgency_key(self) -> tuple:
        """Most severe alert first, then the nearest deadline, then more alerts before fewer."""
        rank = SEVERITY_RANK.get(self.severity or "", len(SEVERITY_RANK))
        due = self.next_deadline.due if self.next_deadline else date.max
        return (rank, due, -len(self.alerts), *_name_key(self))


@dataclass
class SpecialistLoad:
    """A job specialist's caseload against the limit per full-time position (rule "saksmengde")."""

    user: User
    active: int
    position_fraction: Decimal | None
    result: RuleResult | None
    alert: Alert | None

    @property
    def per_fte(self) -> Decimal | None:
        return None if self.result is None else self.result.details["participants_per_fte"]


@dataclass
class SpecialistGroup:
    load: SpecialistLoad
    periods: list[PeriodStatus]

    @property
    def alert_counts(self) -> Counter:
        return Counter(alert.kind for period in self.periods for alert in period.alerts)


@dataclass
class ServiceCaseload:
    service: IpsService
    specialists: list[SpecialistGroup]
    unassigned: list[PeriodStatus]
    # The rule "saksmengde" for the service as a whole: its open periods on the unit's positions (IPS-25 item 1).
    result: RuleResult | None = None

    @property
    def periods(self) -> list[PeriodStatus]:
        return [p for group in self.specialists for p in group.periods] + self.unassigned

    @property
    def alert_counts(self) -> Counter:
        return Counter(alert.kind for period in self.periods for alert in period.alerts)

    @property
    def total_fte(self) -> Decimal:
        return sum((g.load.position_fraction or Decimal(0) for g in self.specialists), Decimal(0))

    @property
    def per_fte(self) -> Decimal | None:
        return None if self.result is None else self.result.details["participants_per_fte"]


@dataclass(frozen=True)
class Change:
    day: date
    kind: str
    text: str


@dataclass
class MeetingEntry:
    period: Period
    status: PeriodStatus | None  # None for a period closed during the week
    changes: list[Change]

    @property
    def participant(self):
        return self.period.participant


@dataclass
class TeamMeeting:
    team: TreatmentTeam
    on: date
    since: date
    entries: list[MeetingEntry]

    @property
    def change_count(self) -> int:
        return sum(len(entry.changes) for entry in self.entries)


# --- Evaluating the open periods ---------------------------------------------------------------------------------


def annotate_for_alerts(periods: QuerySet[Period], *, on: date) -> QuerySet[Period]:
    """The open periods of ``periods`` with every date the alerts need, in one query."""
    return (
        periods.filter(closed_on__isnull=True)
        .select_related("participant", "referral__team", "job_specialist")
        .annotate(**_alert_annotations(on))
    )


@lru_cache(maxsize=8)
def _alert_annotations(on: date) -> dict[str, Subquery | Exists]:
    """The subqueries ``annotate_for_alerts`` adds, built once per day: building them cost each caseload page
    several milliseconds. Sharing them is safe, since Django resolves a copy of an expression into each query."""
    return {
        "first_employer_contact": Subquery(
            # IPS-25 item 15 counts the first face-to-face contact with an employer.
            EmployerContact.objects.filter(
                participants=OuterRef("participant_id"),
                face_to_face=True,
                date__gte=OuterRef("start_date"),
                date__lte=on,
            )
            .values("participants")
            .annotate(first=Min("date"))
            .values("first")
        ),
        "plan_created_on": Subquery(
            FollowUpPlan.objects.filter(period=OuterRef("pk"), created_on__lte=on).values("created_on")[:1]
        ),
        "plan_last_revised": Subquery(
            PlanRevision.objects.filter(plan__period=OuterRef("pk"), revised_on__lte=on)
            .order_by()
            .values("plan")
            .annotate(last=Max("revised_on"))
            .values("last")
        ),
        "has_benefits_counselling": Exists(
            Contact.objects.filter(
                period=OuterRef("pk"),
                kind=Contact.Kind.BENEFITS_COUNSELLING,
                date__gte=OuterRef("start_date"),
                date__lte=on,
            )
        ),
        "in_education": Exists(
            Education.objects.filter(period=OuterRef("pk"), start_date__lte=on).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=on)
            )
        ),
    }


def period_statuses(periods: QuerySet[Period], *, on: date) -> list[PeriodStatus]:
    """Status, days, deadlines and alerts of each open period in ``periods`` on ``on``: one query in all."""
    return [period_status(period, on=on) for period in annotate_for_alerts(periods, on=on)]


def participants_with_alert(periods: QuerySet[Period], kind: str, *, on: date) -> list[int]:
    """The participants whose open period in ``periods`` has an alert of ``kind`` on ``on``. The alerts are the
    caseload's own, so a list filtered on them agrees with the caseload; one query however many periods."""
    return [
        status.period.participant_id
        for status in period_statuses(periods, on=on)
        if any(alert.kind == kind for alert in status.alerts)
    ]


def period_status(period: Period, *, on: date) -> PeriodStatus:
    """One period evaluated on ``on``; ``forlop`` must come from ``annotate_for_alerts``."""
    started = period.start_date is not None and period.start_date <= on
    referred_on = period.referral.referred_on
    if period.start_date is not None:
        waiting_days = (period.start_date - referred_on).days
    else:
        waiting_days = max((on - referred_on).days, 0)
    status = PeriodStatus(
        period=period,
        on=on,
        days_since_start=(on - period.start_date).days if started else None,
        waiting_days=waiting_days,
    )
    if started:
        _check_employer_contact(status)
        _check_plan(status)
        _check_duration(status)
        _check_benefits(status)
    elif period.status == Period.Status.WAITING:
        _check_waiting(status)
    status.deadlines.sort(key=lambda deadline: deadline.due)
    return status


def _evaluate(rule_id: str, inputs: dict[str, Any]) -> RuleResult | None:
    """The rule's result, or None where the law has no value for the day (a day before the regulation)."""
    try:
        return rule_evaluate(rule_id=rule_id, inputs=inputs)
    except RuleInputError:
        return None


def _alert_from(result: RuleResult, kind: str, severity: str) -> Alert:
    """The alert for a failed rule: its first failed reason, with the reason's own code, text and reference."""
    reason = next(reason for reason in result.reasons if not reason.passed)
    return Alert(kind=kind, code=reason.code, text=reason_text(reason), reference=reason.reference, severity=severity)


def _check_employer_contact(status: PeriodStatus) -> None:
    """IPS principle 6: the first employer contact within 30 days of the start (rule "forste-arbeidsgiverkontakt")."""
    period = status.period
    result = _evaluate(
        "forste-arbeidsgiverkontakt",
        {"on": status.on, "start_date": period.start_date, "first_contact_date": period.first_employer_contact},
    )
    if result is None:
        return
    if result.outcome == "forfalt":
        status.alerts.append(_alert_from(result, EMPLOYER_CONTACT, DANGER))
    elif result.outcome == "venter":
        status.deadlines.append(Deadline(EMPLOYER_CONTACT, _("Første arbeidsgiverkontakt"), result.details["deadline"]))


def _check_plan(status: PeriodStatus) -> None:
    """§ 3-3: the plan is kept up to date (rule "plan-oppdatert"); a started period without a plan is flagged too."""
    period = status.period
    if period.plan_created_on is None:
        status.alerts.append(
            Alert(
                kind=PLAN,
                code="PLAN_MANGLER",
                text=_("Forløpet har ingen oppfølgingsplan. Planen lages sammen med deltakeren og behandleren."),
                reference=PLAN_REFERENCE,
                severity=WARNING,
            )
        )
        return
    last_revised = max(filter(None, (period.plan_created_on, period.plan_last_revised)))
    result = _evaluate("plan-oppdatert", {"on": status.on, "last_revised": last_revised})
    if result is None:
        return
    if result.outcome == "utdatert":
        status.alerts.append(_alert_from(result, PLAN, WARNING))
    else:
        due = last_revised + timedelta(days=result.details["max_days"])
        status.deadlines.append(Deadline(PLAN, _("Revidere oppfølgingsplanen"), due))


def _check_duration(status: PeriodStatus) -> None:
    """§ 3-5: the last permitted day, warned about 60 days ahead, with whether an extension is possible."""
    period = status.period
    last_day = period.last_permitted_day
    if last_day is None:
        return
    days_left = (last_day - status.on).days
    if days_left >= 0:
        status.deadlines.append(Deadline(DURATION, _("Siste dag i tiltaket"), last_day))
    if days_left > DURATION_WARNING_DAYS:
        return
    # "In education" comes from the annotation, so the list asks the database nothing more per period.
    status.extension = services.extension_assess(period=period, on=status.on, in_education=period.in_education)
    if days_left >= 0:
        code, severity = "VARIGHET_SNART_SLUTT", WARNING
        text = _("Siste dag i tiltaket er %(date)s, om %(days)s dager.") % {
            "date": fmt_date(last_day),
            "days": days_left,
        }
    else:
        code, severity = "VARIGHET_UTLOPT", DANGER
        text = _("Lengste varighet gikk ut %(date)s. Forløpet skal avsluttes eller forlenges.") % {
            "date": fmt_date(last_day)
        }
    references = [_duration_reference(period)]
    if status.extension is not None:
        room = _extension_room(period, status.extension)
        if room is not None:
            text += " " + _("Forlengelse er mulig, til og med %(date)s.") % {"date": fmt_date(room)}
        elif status.extension.outcome == "kan_forlenges":
            text += " " + _("Forløpet er allerede forlenget så langt regelverket tillater.")
        else:
            failed = " ".join(reason_text(reason) for reason in status.extension.reasons if not reason.passed)
            text += " " + _("Forlengelse er ikke mulig: %(why)s") % {"why": failed}
        references.extend(status.extension.references)
    reference = "; ".join(dict.fromkeys(filter(None, references)))
    status.alerts.append(Alert(kind=DURATION, code=code, text=text, reference=reference, severity=severity))


def _duration_reference(period: Period) -> str:
    """The reference the duration was decided under, from the rule result stored when the period started."""
    reasons = (period.duration or {}).get("reasons") or [{}]
    return reasons[0].get("reference", "")


def _extension_room(period: Period, result: RuleResult) -> date | None:
    """The last day an extension could reach, if that is later than the period's last day now."""
    latest = result.details.get("max_extended_last_day") if result.outcome == "kan_forlenges" else None
    if latest is None or (period.last_permitted_day is not None and latest <= period.last_permitted_day):
        return None
    return latest


def _check_benefits(status: PeriodStatus) -> None:
    """IPS principle 5: benefits counselling is recorded; flagged while none has happened since the start."""
    if status.period.has_benefits_counselling:
        return
    status.alerts.append(
        Alert(
            kind=BENEFITS,
            code="OKONOMIVEILEDNING_MANGLER",
            text=_("Ingen veiledning om ytelser og økonomi er registrert siden oppstart."),
            reference=BENEFITS_REFERENCE,
            severity=INFO,
        )
    )


def _check_waiting(status: PeriodStatus) -> None:
    """A period still waiting to start more than CASELOAD_WAITING_ALERT_DAYS after the referral."""
    limit = settings.CASELOAD_WAITING_ALERT_DAYS
    referred_on = status.period.referral.referred_on
    if status.waiting_days is not None and status.waiting_days > limit:
        status.alerts.append(
            Alert(
                kind=WAITING,
                code="VENTETID_OVER_GRENSE",
                text=_("Henvist %(date)s og venter fortsatt på oppstart etter %(days)s dager (grense %(limit)s).")
                % {"date": fmt_date(referred_on), "days": status.waiting_days, "limit": limit},
                reference=WAITING_REFERENCE,
                severity=WARNING,
            )
        )
    else:
        due = referred_on + timedelta(days=limit)
        status.deadlines.append(Deadline(WAITING, _("Oppstart innen ventetidsgrensen"), due))


# --- Caseload per job specialist ---------------------------------------------------------------------------------


def specialist_loads(users: Iterable[User], *, on: date) -> dict[int, SpecialistLoad]:
    """Each user's open periods against the limit per full-time position (rule "saksmengde"), in two queries.

    Every open period assigned to the specialist counts, in any service, those waiting to start included: they are
    all on the specialist's caseload. ``users`` should come with ``select_related("job_specialist")``.
    """
    users = list(users)
    ids = tuple(user.pk for user in users)
    counts = {row["job_specialist"]: row["n"] for row in compiled.values(_open_period_counts, ids)}
    fractions = {row["user_id"]: row["position_fraction"] for row in compiled.values(_position_fractions, ids)}
    return {user.pk: specialist_load(user, counts.get(user.pk, 0), fractions.get(user.pk), on=on) for user in users}


def _open_period_counts(user_ids: tuple[int, ...]) -> QuerySet:
    return (
        Period.objects.filter(closed_on__isnull=True, job_specialist__in=user_ids)
        .order_by()
        .values("job_specialist")
        .annotate(n=Count("pk"))
        .values("job_specialist", "n")
    )


def _position_fractions(user_ids: tuple[int, ...]) -> QuerySet:
    return JobSpecialist.objects.filter(user__in=user_ids).values("user_id", "position_fraction")


def specialist_load(user: User, active: int, position_fraction: Decimal | None, *, on: date) -> SpecialistLoad:
    """One specialist's load; without a registered position fraction the rule cannot be applied."""
    result = None
    if position_fraction:
        result = _evaluate("saksmengde", {"on": on, "active_participants": active, "specialist_fte": position_fraction})
    alert = None
    if result is not None and result.outcome == "over":
        alert = _alert_from(result, CASELOAD, WARNING)
    return SpecialistLoad(user=user, active=active, position_fraction=position_fraction, result=result, alert=alert)


@dataclass
class OwnCaseload:
    load: SpecialistLoad
    periods: list[PeriodStatus]


def own_caseload(user: User, periods: QuerySet[Period], *, on: date) -> OwnCaseload:
    """The job specialist's own open periods (``periods`` already limited to what the user may see)."""
    statuses = period_statuses(periods.filter(job_specialist=user), on=on)
    return OwnCaseload(load=specialist_loads([user], on=on)[user.pk], periods=statuses)


def service_caseloads(services: Sequence[IpsService], periods: QuerySet[Period], *, on: date) -> list[ServiceCaseload]:
    """The open periods of each service grouped by job specialist, with each specialist's load and the
    unassigned periods. The unit's specialists are listed even with an empty caseload."""
    statuses = period_statuses(periods.filter(service__in=services), on=on)
    members = JobSpecialist.objects.filter(unit__service__in=services).select_related("user", "unit").order_by("pk")
    unit_of = {member.user_id: member.unit.service_id for member in members}
    users = {member.user_id: member.user for member in members}
    for status in statuses:
        specialist = status.period.job_specialist
        if specialist is not None:
            users.setdefault(specialist.pk, specialist)
    loads = specialist_loads(users.values(), on=on)
    result = []
    for service in services:
        grouped: dict[int, list[PeriodStatus]] = defaultdict(list)
        unassigned = []
        for status in statuses:
            if status.period.service_id != service.pk:
                continue
            if status.period.job_specialist_id is None:
                unassigned.append(status)
            else:
                grouped[status.period.job_specialist_id].append(status)
        ids = [pk for pk, service_id in unit_of.items() if service_id == service.pk]
        ids += [pk for pk in grouped if pk not in ids]
        groups = [SpecialistGroup(load=loads[pk], periods=sort_periods(grouped[pk], URGENCY)) for pk in ids]
        groups.sort(key=lambda group: _user_key(group.load.user))
        overview = ServiceCaseload(service=service, specialists=groups, unassigned=sort_periods(unassigned, URGENCY))
        if overview.total_fte:
            overview.result = _evaluate(
                "saksmengde",
                {"on": on, "active_participants": len(overview.periods), "specialist_fte": overview.total_fte},
            )
        result.append(overview)
    return result


# --- Sorting -------------------------------------------------------------------------------------------------------

URGENCY, NAME, START, LAST_DAY = "hast", "navn", "oppstart", "siste-dag"


def _name_key(status: PeriodStatus) -> tuple[str, str]:
    participant = status.period.participant
    return (participant.last_name.casefold(), participant.first_name.casefold())


def _user_key(user: User) -> tuple[str, str, str]:
    return (user.last_name.casefold(), user.first_name.casefold(), user.username)


SORT_ORDERS: dict[str, tuple[Any, Callable[[PeriodStatus], tuple]]] = {
    URGENCY: (gettext_lazy("Hastegrad"), PeriodStatus.urgency_key),
    NAME: (gettext_lazy("Navn"), _name_key),
    START: (gettext_lazy("Oppstartsdato"), lambda s: (s.period.start_date or date.max, *_name_key(s))),
    LAST_DAY: (
        gettext_lazy("Siste dag i tiltaket"),
        lambda s: (s.period.last_permitted_day or date.max, *_name_key(s)),
    ),
}


def sort_periods(statuses: list[PeriodStatus], order: str) -> list[PeriodStatus]:
    """The periods in the order asked for; an unknown order sorts by urgency."""
    _label, key = SORT_ORDERS.get(order, SORT_ORDERS[URGENCY])
    return sorted(statuses, key=key)


# --- The treatment team's weekly meeting ---------------------------------------------------------------------------


def team_meeting(team: TreatmentTeam, periods: QuerySet[Period], *, on: date) -> TeamMeeting:
    """The team's participants and what changed in the seven days up to and including ``on``.

    ``periods`` is what the user may see; the team's open periods are listed, and those closed during the week so
    the closure shows. One query per kind of change, whatever the number of participants.
    """
    since = on - timedelta(days=MEETING_WINDOW_DAYS - 1)
    window = (since, on)
    team_periods = periods.filter(referral__team=team)
    statuses = {status.period.pk: status for status in period_statuses(team_periods, on=on)}
    closed = list(
        team_periods.filter(closed_on__range=window).select_related(
            "participant", "referral__team", "service", "job_specialist"
        )
    )
    listed = [status.period for status in statuses.values()] + closed
    changes = _week_changes(listed, window)
    entries = [
        MeetingEntry(period=period, status=statuses.get(period.pk), changes=changes.get(period.pk, []))
        for period in listed
    ]
    entries.sort(key=lambda entry: (entry.participant.last_name.casefold(), entry.participant.first_name.casefold()))
    return TeamMeeting(team=team, on=on, since=since, entries=entries)


def _week_changes(listed: list[Period], window: tuple[date, date]) -> dict[int, list[Change]]:
    ids = [period.pk for period in listed]
    by_participant = {period.participant_id: period.pk for period in listed}
    changes: dict[int, list[Change]] = defaultdict(list)
    for row in StatusChange.objects.filter(period__in=ids, valid_from__range=window).order_by():
        changes[row.period_id].append(
            Change(row.valid_from, _("Status"), _("Ny status: %(status)s.") % {"status": row.get_status_display()})
        )
    for job in Job.objects.filter(period__in=ids, start_date__range=window).select_related("employer").order_by():
        text = _("Startet i jobb som %(title)s hos %(employer)s.") % {
            "title": job.title,
            "employer": job.employer.name,
        }
        if job.counts_as_outcome:
            text += " " + _("Teller som ordinært arbeid.")
        changes[job.period_id].append(Change(job.start_date, _("Ny jobb"), text))
    for job in Job.objects.filter(period__in=ids, end_date__range=window).select_related("employer").order_by():
        text = _("Sluttet som %(title)s hos %(employer)s.") % {"title": job.title, "employer": job.employer.name}
        changes[job.period_id].append(Change(job.end_date, _("Jobb avsluttet"), text))
    for education in Education.objects.filter(period__in=ids, start_date__range=window).order_by():
        text = _("Startet: %(level)s, %(institution)s.") % {
            "level": education.get_level_display(),
            "institution": education.institution,
        }
        changes[education.period_id].append(Change(education.start_date, _("Ny utdanning"), text))
    links = EmployerContact.participants.through.objects.filter(
        participant__in=list(by_participant), employercontact__date__range=window
    ).select_related("employercontact__employer")
    for link in links:
        employer_contact = link.employercontact
        how = _("ansikt til ansikt") if employer_contact.face_to_face else _("ikke ansikt til ansikt")
        text = _("%(employer)s, %(how)s.") % {"employer": employer_contact.employer.name, "how": how}
        changes[by_participant[link.participant_id]].append(
            Change(employer_contact.date, _("Arbeidsgiverkontakt"), text)
        )
    for contact in Contact.objects.filter(period__in=ids, date__range=window).order_by():
        text = contact.get_kind_display()
        if contact.place:
            text += f" ({contact.get_place_display().lower()})"
        changes[contact.period_id].append(Change(contact.date, _("Kontakt"), text + "."))
    for plan in FollowUpPlan.objects.filter(period__in=ids, created_on__range=window).order_by():
        changes[plan.period_id].append(Change(plan.created_on, _("Oppfølgingsplan"), _("Planen ble laget.")))
    revisions = PlanRevision.objects.filter(plan__period__in=ids, revised_on__range=window).select_related("plan")
    for revision in revisions.order_by():
        changes[revision.plan.period_id].append(
            Change(revision.revised_on, _("Oppfølgingsplan"), _("Planen ble revidert."))
        )
    for items in changes.values():
        items.sort(key=lambda change: change.day)
    return changes
