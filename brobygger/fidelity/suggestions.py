"""Suggested scores from the pathway data: what Brobygger's own records say about an item for the review period.

Each measure is computed in the database from the service's periods, contacts, jobs and job specialists over the
period the review covers, and comes with the figure, how many cases it rests on and how it was computed, in
words. The scale file says which band of the figure gives which score (``scales.score_from_measure``). The
reviewer decides: a suggestion is shown beside the reviewer's score, never instead of it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Lower, Trim
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from brobygger.accounts.models import IpsService, JobSpecialist, Membership
from brobygger.participants.models import Contact, EmployerContact, Job, Period

ONE_DECIMAL = Decimal("0.1")
# Follow-along within this many days after a job start (IPS-25 item 23: within three days).
FOLLOW_ALONG_DAYS = 3
FOLLOW_ALONG_KINDS = (Contact.Kind.FOLLOW_ALONG, Contact.Kind.PARTICIPANT_MEETING)


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    unit: Promise


@dataclass(frozen=True)
class Measurement:
    """A measured figure (None when there is nothing to measure), the number of cases, and how it was computed."""

    key: str
    figure: Decimal | None
    n: int
    explanation: str


MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure("caseload", gettext_lazy("Aktive deltakere per årsverk"), gettext_lazy("per årsverk")),
        Measure("team_assignment", gettext_lazy("Andel deltakere fra egne team"), gettext_lazy("%")),
        Measure(
            "benefits_before_start", gettext_lazy("Andel jobbstarter med veiledning om ytelser før"), gettext_lazy("%")
        ),
        Measure(
            "days_to_employer_contact",
            gettext_lazy("Dager til første arbeidsgiverkontakt (median)"),
            gettext_lazy("dager"),
        ),
        Measure(
            "employer_contacts_per_week",
            gettext_lazy("Arbeidsgiverkontakter per årsverk per uke"),
            gettext_lazy("per uke"),
        ),
        Measure("job_type_diversity", gettext_lazy("Andel ulike jobbtyper"), gettext_lazy("%")),
        Measure("employer_diversity", gettext_lazy("Andel ulike arbeidsgivere"), gettext_lazy("%")),
        Measure("competitive_jobs", gettext_lazy("Andel ordinære jobber"), gettext_lazy("%")),
        Measure(
            "follow_along_after_start",
            gettext_lazy("Andel jobbstarter fulgt opp innen tre dager"),
            gettext_lazy("%"),
        ),
        Measure("community_contacts", gettext_lazy("Andel møter ute i samfunnet"), gettext_lazy("%")),
    )
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal:
    return _round(Decimal(100 * part) / Decimal(whole))


def _fmt(value: Decimal | int | str) -> str:
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def _fmt_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _active_on(service: IpsService, day: date) -> QuerySet[Period]:
    """Periods of the service that had started and were not closed on the day."""
    return Period.objects.filter(service=service, start_date__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def _fte(service: IpsService) -> Decimal:
    total = JobSpecialist.objects.filter(unit__service=service).aggregate(fte=Sum("position_fraction"))["fte"]
    return total or Decimal(0)


def _jobs_started(service: IpsService, start: date, end: date) -> QuerySet[Job]:
    return Job.objects.filter(period__service=service, start_date__gte=start, start_date__lte=end)


def caseload(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 1: active participants on the last day of the period per full-time job specialist."""
    active = _active_on(service, end).count()
    fte = _fte(service)
    if not active:
        # No one to count is no evidence of a small caseload: the service may not record its periods here.
        return Measurement("caseload", None, 0, _("Ingen aktive forløp %(end)s.") % {"end": _fmt_date(end)})
    if not fte:
        return Measurement("caseload", None, active, _("Ingen jobbspesialister er registrert i enheten."))
    figure = _round(Decimal(active) / fte)
    text = _(
        "%(active)s deltakere hadde et aktivt forløp %(end)s, og jobbspesialistene i enheten har til sammen "
        "%(fte)s årsverk: %(active)s / %(fte)s = %(figure)s per årsverk."
    ) % {"active": active, "end": _fmt_date(end), "fte": _fmt(fte), "figure": _fmt(figure)}
    return Measurement("caseload", figure, active, text)


def team_assignment(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 4: share of the specialists' active caseload referred from a team the specialist belongs to."""
    own_team = Membership.objects.filter(user=OuterRef("job_specialist"), team=OuterRef("referral__team"))
    counts = (
        _active_on(service, end)
        .filter(job_specialist__isnull=False)
        .annotate(from_own_team=Exists(own_team))
        .aggregate(total=Count("pk"), own=Count("pk", filter=Q(from_own_team=True)))
    )
    total, own = counts["total"], counts["own"]
    if not total:
        return Measurement(
            "team_assignment", None, 0, _("Ingen aktive forløp med jobbspesialist %(end)s.") % {"end": _fmt_date(end)}
        )
    figure = _share(own, total)
    many_teams = (
        Membership.objects.filter(service=service, team__isnull=False, user__job_specialist__unit__service=service)
        .values("user")
        .annotate(teams=Count("team", distinct=True))
        .filter(teams__gt=2)
        .count()
    )
    text = _(
        "Av %(total)s aktive forløp med jobbspesialist %(end)s kom %(own)s fra et behandlingsteam "
        "jobbspesialisten selv er knyttet til: %(figure)s %%."
    ) % {"total": total, "end": _fmt_date(end), "own": own, "figure": _fmt(figure)}
    if many_teams:
        text += " " + ngettext(
            "%(count)s jobbspesialist er knyttet til tre eller flere team, som etter skalaen gir skår 2.",
            "%(count)s jobbspesialister er knyttet til tre eller flere team, som etter skalaen gir skår 2.",
            many_teams,
        ) % {"count": many_teams}
    return Measurement("team_assignment", figure, total, text)


def benefits_before_start(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 12: share of job starts in the period with benefits counselling on or before the start."""
    counselled = Contact.objects.filter(
        period=OuterRef("period"), kind=Contact.Kind.BENEFITS_COUNSELLING, date__lte=OuterRef("start_date")
    )
    counts = (
        _jobs_started(service, start, end)
        .annotate(has_counselling=Exists(counselled))
        .aggregate(total=Count("pk"), counselled=Count("pk", filter=Q(has_counselling=True)))
    )
    total, done = counts["total"], counts["counselled"]
    if not total:
        return Measurement("benefits_before_start", None, 0, _("Ingen jobbstarter i perioden."))
    figure = _share(done, total)
    text = _(
        "Av %(total)s jobbstarter i perioden hadde %(done)s en registrert veiledning om ytelser og økonomi samme "
        "dag eller før: %(figure)s %%."
    ) % {"total": total, "done": done, "figure": _fmt(figure)}
    return Measurement("benefits_before_start", figure, total, text)


def days_to_employer_contact(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 15: median days from the start of a period to the first face-to-face employer contact for the
    participant, over the periods that started in the review period."""
    first_contact = (
        EmployerContact.objects.filter(
            participants=OuterRef("participant"), face_to_face=True, date__gte=OuterRef("start_date"), date__lte=end
        )
        .order_by("date")
        .values("date")[:1]
    )
    rows = list(
        Period.objects.filter(service=service, start_date__gte=start, start_date__lte=end)
        .annotate(first_contact=Subquery(first_contact))
        .values_list("start_date", "first_contact")
    )
    if not rows:
        return Measurement("days_to_employer_contact", None, 0, _("Ingen forløp startet i perioden."))
    days = [((contact or end) - started).days for started, contact in rows]
    without = sum(1 for _started, contact in rows if contact is None)
    figure = _round(Decimal(str(statistics.median(days))))
    text = _(
        "Median antall dager fra oppstart til første arbeidsgiverkontakt ansikt til ansikt for de %(count)s "
        "forløpene som startet i perioden: %(figure)s dager."
    ) % {"count": len(rows), "figure": _fmt(figure)}
    if without:
        text += " " + _(
            "%(without)s av dem hadde ingen slik kontakt innen %(end)s og er regnet med dagene fram til da, så "
            "tallet er et minimum."
        ) % {"without": without, "end": _fmt_date(end)}
    return Measurement("days_to_employer_contact", figure, len(rows), text)


def employer_contacts_per_week(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 17: face-to-face employer contacts by the unit's job specialists per full-time specialist per
    week of the period."""
    contacts = EmployerContact.objects.filter(
        job_specialist__job_specialist__unit__service=service, face_to_face=True, date__gte=start, date__lte=end
    ).count()
    fte = _fte(service)
    if not contacts:
        return Measurement(
            "employer_contacts_per_week",
            None,
            0,
            _("Ingen arbeidsgiverkontakter ansikt til ansikt er registrert i perioden; kontaktene føres kanskje ikke."),
        )
    if not fte:
        return Measurement("employer_contacts_per_week", None, contacts, _("Ingen jobbspesialister er registrert."))
    weeks = Decimal((end - start).days + 1) / Decimal(7)
    figure = _round(Decimal(contacts) / fte / weeks)
    text = _(
        "%(contacts)s arbeidsgiverkontakter ansikt til ansikt fra %(start)s til %(end)s (%(weeks)s uker), "
        "delt på %(fte)s årsverk: %(figure)s per årsverk per uke."
    ) % {
        "contacts": contacts,
        "start": _fmt_date(start),
        "end": _fmt_date(end),
        "weeks": _fmt(_round(weeks)),
        "fte": _fmt(fte),
        "figure": _fmt(figure),
    }
    return Measurement("employer_contacts_per_week", figure, contacts, text)


def _job_counts(service: IpsService, start: date, end: date) -> dict[str, int]:
    return _jobs_started(service, start, end).aggregate(
        total=Count("pk"),
        titles=Count(Lower(Trim("title")), distinct=True),
        employers=Count("employer", distinct=True),
        ordinary=Count("pk", filter=Q(counts_as_outcome=True)),
    )


def job_type_diversity(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 19: different job types as a share of the jobs started in the period. The job title is the
    type: the industry categories are too coarse for what the scale means by a type of job."""
    counts = _job_counts(service, start, end)
    if not counts["total"]:
        return Measurement("job_type_diversity", None, 0, _("Ingen jobbstarter i perioden."))
    figure = _share(counts["titles"], counts["total"])
    text = _("%(titles)s ulike stillingstitler blant %(total)s jobber som startet i perioden: %(figure)s %%.") % {
        "titles": counts["titles"],
        "total": counts["total"],
        "figure": _fmt(figure),
    }
    return Measurement("job_type_diversity", figure, counts["total"], text)


def employer_diversity(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 20: different employers as a share of the jobs started in the period."""
    counts = _job_counts(service, start, end)
    if not counts["total"]:
        return Measurement("employer_diversity", None, 0, _("Ingen jobbstarter i perioden."))
    figure = _share(counts["employers"], counts["total"])
    text = _("%(employers)s ulike arbeidsgivere blant %(total)s jobber som startet i perioden: %(figure)s %%.") % {
        "employers": counts["employers"],
        "total": counts["total"],
        "figure": _fmt(figure),
    }
    return Measurement("employer_diversity", figure, counts["total"], text)


def competitive_jobs(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 21: share of the jobs started in the period that count as ordinary paid work by the rule."""
    counts = _job_counts(service, start, end)
    if not counts["total"]:
        return Measurement("competitive_jobs", None, 0, _("Ingen jobbstarter i perioden."))
    figure = _share(counts["ordinary"], counts["total"])
    text = _(
        "%(ordinary)s av %(total)s jobber som startet i perioden er ordinært lønnet arbeid etter regelen "
        "(åpent arbeidsmarked, minst minstelønn eller tariff, og en jobb hvem som helst kan søke på): %(figure)s %%."
    ) % {"ordinary": counts["ordinary"], "total": counts["total"], "figure": _fmt(figure)}
    return Measurement("competitive_jobs", figure, counts["total"], text)


def follow_along_after_start(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 23: share of the job starts in the period followed up within three days of the start."""
    first_follow_up = (
        Contact.objects.filter(period=OuterRef("period"), kind__in=FOLLOW_ALONG_KINDS, date__gte=OuterRef("start_date"))
        .order_by("date")
        .values("date")[:1]
    )
    rows = list(
        _jobs_started(service, start, end).annotate(first=Subquery(first_follow_up)).values_list("start_date", "first")
    )
    if not rows:
        return Measurement("follow_along_after_start", None, 0, _("Ingen jobbstarter i perioden."))
    in_time = sum(1 for started, first in rows if first is not None and first - started <= timedelta(FOLLOW_ALONG_DAYS))
    figure = _share(in_time, len(rows))
    text = _(
        "%(in_time)s av %(total)s jobbstarter i perioden hadde et møte eller en oppfølgingskontakt med deltakeren "
        "innen %(days)s dager etter starten: %(figure)s %%. Skalaen spør også om kontakt uken før og jevnlig "
        "kontakt senere; det vurderer gjennomgåeren."
    ) % {"in_time": in_time, "total": len(rows), "days": FOLLOW_ALONG_DAYS, "figure": _fmt(figure)}
    return Measurement("follow_along_after_start", figure, len(rows), text)


def community_contacts(service: IpsService, start: date, end: date) -> Measurement:
    """IPS-25 item 24: share of the meetings with participants in the period that took place in the community.
    The scale asks for the share of scheduled time; the share of meetings is what the records show."""
    counts = Contact.objects.filter(
        period__service=service, date__gte=start, date__lte=end, place__in=Contact.Place.values
    ).aggregate(total=Count("pk"), community=Count("pk", filter=Q(place=Contact.Place.COMMUNITY)))
    if not counts["total"]:
        return Measurement("community_contacts", None, 0, _("Ingen møter med sted registrert i perioden."))
    figure = _share(counts["community"], counts["total"])
    text = _(
        "%(community)s av %(total)s møter med deltakere i perioden var ute i samfunnet (ikke på kontoret eller "
        "digitalt): %(figure)s %%. Skalaen spør om andelen av den planlagte tiden; her telles møter."
    ) % {"community": counts["community"], "total": counts["total"], "figure": _fmt(figure)}
    return Measurement("community_contacts", figure, counts["total"], text)


COMPUTE: dict[str, Callable[[IpsService, date, date], Measurement]] = {
    "caseload": caseload,
    "team_assignment": team_assignment,
    "benefits_before_start": benefits_before_start,
    "days_to_employer_contact": days_to_employer_contact,
    "employer_contacts_per_week": employer_contacts_per_week,
    "job_type_diversity": job_type_diversity,
    "employer_diversity": employer_diversity,
    "competitive_jobs": competitive_jobs,
    "follow_along_after_start": follow_along_after_start,
    "community_contacts": community_contacts,
}


def measure(key: str, service: IpsService, start: date, end: date) -> Measurement:
    return COMPUTE[key](service, start, end)


def score_from_measure(figure: Decimal, spec: dict[str, Any]) -> int:
    """The score a measured figure implies: the first band (highest score first) whose limit it meets."""
    for band in spec["bands"]:
        limit = band["limit"]
        if limit is None:
            return int(band["score"])
        if (spec["better"] == "lower" and figure <= Decimal(limit)) or (
            spec["better"] == "higher" and figure >= Decimal(limit)
        ):
            return int(band["score"])
    raise AssertionError("the last band has no limit")


def band_text(spec: dict[str, Any], score: int) -> str:
    """The range of the figure that gives ``score``, in words: «over 20 og høyst 25», «minst 90»."""
    bands = spec["bands"]
    index = next(i for i, band in enumerate(bands) if band["score"] == score)
    limit = bands[index]["limit"]
    previous = bands[index - 1]["limit"] if index else None
    number = _fmt
    if spec["better"] == "lower":
        if previous is None:
            return _("høyst %(limit)s") % {"limit": number(limit)}
        if limit is None:
            return _("over %(previous)s") % {"previous": number(previous)}
        return _("over %(previous)s og høyst %(limit)s") % {"previous": number(previous), "limit": number(limit)}
    if previous is None:
        return _("minst %(limit)s") % {"limit": number(limit)}
    if limit is None:
        return _("under %(previous)s") % {"previous": number(previous)}
    return _("minst %(limit)s og under %(previous)s") % {"previous": number(previous), "limit": number(limit)}


def suggest(measure_spec: dict[str, Any], service: IpsService, start: date, end: date) -> dict[str, Any]:
    """The stored suggestion for an item: the measured figure, the score and band it implies, and how."""
    measurement = measure(measure_spec["key"], service, start, end)
    definition = MEASURES[measure_spec["key"]]
    suggestion: dict[str, Any] = {
        "measure": measurement.key,
        "label": str(definition.label),
        "unit": str(definition.unit),
        "figure": None if measurement.figure is None else str(measurement.figure),
        "figure_text": "" if measurement.figure is None else _fmt(measurement.figure),
        "n": measurement.n,
        "explanation": measurement.explanation,
        "score": None,
        "band": "",
        "verified": measure_spec.get("verified", True),
        "period": [start.isoformat(), end.isoformat()],
    }
    if measurement.figure is not None:
        score = score_from_measure(measurement.figure, measure_spec)
        suggestion["score"] = score
        suggestion["band"] = band_text(measure_spec, score)
    return suggestion
