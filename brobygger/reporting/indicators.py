"""The regulation's indicators, defined in one place and computed in the database.

Every figure is an aggregate query (COUNT DISTINCT, AVG, EXISTS) grouped by the unit of the chosen level; no code
here loops over participants or periods. Each indicator, its stored bokmål code, its source and the small-cell
suppression rule are written out in docs/indicators.md, which rests on docs/domain.md §§ 6-8. In short
(regelverket pkt. 2 and 6, seed 003, seed 000):

- **Participants** (``deltakere``): unique persons with a started period that was open on at least one day of the
  period: started on or before its last day, and not closed before its first day. A person is counted once per
  unit and period, however many periods they had.
- **Reporting category**: psychosis, else substance problems, else neither: a person with both is counted under
  psychosis only (the rule "rapporteringskategori", regelverket pkt. 2 and 6).
- **In ordinary paid work** (``arbeid``): participants with an ordinary job (the rule "ordinaert-arbeid", stored
  as ``Job.counts_as_outcome``) that started on or before the period's last day and had not ended before its
  first day, recorded on any of the person's periods: a job still running on an earlier, closed period counts.
- **Started or in education** (``utdanning``): the same for education.
- **Age** is the age on the period's last day ("as of 31 December" for a year), by ``rules.dates.age_on``, also
  for a person whose last active day came earlier; the age groups are IPS ung's 16-17, 18-24, 25-29, and 30 or
  older.
- **Waiting time**: days from the referral date to the start date, averaged over periods started in the period.
- **Closed periods**: periods closed in the period; the outcome share is the share closed for work, education or
  both (seed 003: 53 % in 2024). Counted per period, not per person.
- **Employers**: unique employers (one registration per organisation number) with an employer contact in the
  period by the unit's job specialists, and the participants of the unit who started ordinary work in the period
  at one of those employers. A contact belongs to the job specialist who made it and so to the IPS service of
  their unit; the figures exist for the levels job specialist, IPS service, health region and national.
- **Municipalities with an IPS offer**: municipalities valid on the period's last day (or in the earliest structure
  recorded, for periods before it) that an IPS service started by then covers, by service level (municipal
  services, specialist services, ACT/FACT teams), out of all municipalities (357 in 2024; seed 003: about 115 with
  an offer in municipal services).
- **Quarterly employment rate**: participants on the caseload in the quarter who held ordinary work in it, out of
  all participants on the caseload in the quarter, with the US learning collaborative's benchmarks 31 % (minimal),
  41 % (average) and 50 % (excellent) (docs/fidelity.md).
- **IPS ung, 16-year-olds registered**: persons starting an IPS ung period while 16 years old, per month of the
  start date (seed 002: 68 in 2025, 55 of them from 1 August).
- **Fidelity score**: each IPS service's most recent fidelity total (reviewed on or before the period's last day),
  averaged over the services of the unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Mod, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger import compiled
from brobygger.accounts.models import County, HealthRegion, IpsService, Municipality, TreatmentTeam, User
from brobygger.participants.models import Education, EmployerContact, Job, Period
from brobygger.reporting.periods import Level, ReportingPeriod, birth_date_cutoff

# --- Reporting category and age groups ---------------------------------------------------------------------------

PSYCHOSIS, SUBSTANCE, OTHERS = "psykose", "rus", "andre"
CATEGORIES = (PSYCHOSIS, SUBSTANCE, OTHERS)
CATEGORY_LABELS = {
    PSYCHOSIS: gettext_lazy("psykoselidelse"),
    SUBSTANCE: gettext_lazy("rusmiddelproblemer"),
    OTHERS: gettext_lazy("andre"),
}

AGE_16_17, AGE_18_24, AGE_25_29, AGE_30_PLUS = "16-17", "18-24", "25-29", "30+"
AGE_GROUPS = (AGE_16_17, AGE_18_24, AGE_25_29, AGE_30_PLUS)
UNDER_30 = (AGE_16_17, AGE_18_24, AGE_25_29)
AGE_GROUP_LABELS = {
    AGE_16_17: gettext_lazy("16–17 år"),
    AGE_18_24: gettext_lazy("18–24 år"),
    AGE_25_29: gettext_lazy("25–29 år"),
    AGE_30_PLUS: gettext_lazy("30 år og eldre"),
}

# The US learning collaborative's benchmarks for the quarterly employment rate (docs/fidelity.md).
EMPLOYMENT_RATE_BENCHMARKS = (
    (31, gettext_lazy("Minimum (31 %)")),
    (41, gettext_lazy("Gjennomsnitt (41 %)")),
    (50, gettext_lazy("Svært godt (50 %)")),
)

# Service levels for the municipality coverage figure (seed 003: municipal services, specialist services).
SERVICE_LEVELS = {
    "kommunal": (IpsService.Anchoring.MUNICIPAL,),
    "spesialist": (IpsService.Anchoring.MENTAL_HEALTH_CARE, IpsService.Anchoring.TSB),
    "act_fact": (IpsService.Anchoring.ACT, IpsService.Anchoring.FACT, IpsService.Anchoring.FACT_UNG),
}


def category_expression(prefix: str = "participant__") -> Case:
    """The reporting category in SQL: psychosis takes precedence over substance problems."""
    return Case(
        When(**{f"{prefix}has_psychosis": True}, then=Value(PSYCHOSIS)),
        When(**{f"{prefix}has_substance_problems": True}, then=Value(SUBSTANCE)),
        default=Value(OTHERS),
        output_field=CharField(),
    )


def age_group_expression(on: date, prefix: str = "participant__") -> Case:
    """The age group on ``on``, by comparing the birth date with each group's cutoff (computed once, in Python)."""
    return Case(
        When(**{f"{prefix}birth_date__gt": birth_date_cutoff(on, 18)}, then=Value(AGE_16_17)),
        When(**{f"{prefix}birth_date__gt": birth_date_cutoff(on, 25)}, then=Value(AGE_18_24)),
        When(**{f"{prefix}birth_date__gt": birth_date_cutoff(on, 30)}, then=Value(AGE_25_29)),
        default=Value(AGE_30_PLUS),
        output_field=CharField(),
    )


# --- Levels and scope --------------------------------------------------------------------------------------------

# Where a period's unit is found, for each level.
PERIOD_PATHS: dict[str, str | None] = {
    Level.NATIONAL: None,
    Level.HEALTH_REGION: "service__health_region",
    Level.COUNTY: "participant__municipality__county_id",
    Level.MUNICIPALITY: "participant__municipality_id",
    Level.SERVICE: "service_id",
    Level.TEAM: "referral__team_id",
    Level.JOB_SPECIALIST: "job_specialist_id",
}
# Where an employer contact's unit is found: through the job specialist's unit and its service.
CONTACT_PATHS: dict[str, str | None] = {
    Level.NATIONAL: None,
    Level.HEALTH_REGION: "job_specialist__job_specialist__unit__service__health_region",
    Level.SERVICE: "job_specialist__job_specialist__unit__service_id",
    Level.JOB_SPECIALIST: "job_specialist_id",
}
EMPLOYER_LEVELS = frozenset(CONTACT_PATHS)
# Where a municipality's unit is found, for the coverage figure.
MUNICIPALITY_PATHS: dict[str, str | None] = {
    Level.NATIONAL: None,
    Level.HEALTH_REGION: "ips_services__health_region",
    Level.COUNTY: "county_id",
    Level.MUNICIPALITY: "id",
    Level.SERVICE: "ips_services__id",
}
MUNICIPALITY_LEVELS = frozenset(MUNICIPALITY_PATHS)


def unit_expression(path: str | None, prefix: str = ""):
    return Value("") if path is None else F(f"{prefix}{path}")


@dataclass(frozen=True)
class Scope:
    """Which periods a report may count: all (national roles) or those of some IPS services (their leader)."""

    service_ids: tuple[int, ...] | None = None

    @property
    def is_national(self) -> bool:
        return self.service_ids is None

    def q(self, path: str) -> Q:
        return Q() if self.service_ids is None else Q(**{f"{path}__in": self.service_ids})


NATIONAL = Scope()


# --- Queries ------------------------------------------------------------------------------------------------------


def active_periods(period: ReportingPeriod, scope: Scope = NATIONAL, *, track: str | None = None) -> QuerySet[Period]:
    """Started periods open on at least one day of ``period``."""
    qs = Period.objects.filter(start_date__isnull=False, start_date__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start), scope.q("service_id")
    )
    return qs.filter(track=track) if track else qs


def _person_test(held: QuerySet, scope: Scope) -> ExpressionWrapper:
    """Whether the person of the outer period is among the people of ``held`` (work or education rows joined to
    their periods; any of the person's periods, so one still running on an earlier, closed period counts too).

    Nationally an IN over everyone with such a row: the database hashes the set once and probes it per period.
    Within a scope of a few services a correlated EXISTS per period instead, through the indexes on the person's
    periods and their rows: hashing the whole country's rows cost an IPS leader's page most of its time."""
    if scope.is_national:
        return ExpressionWrapper(
            Q(participant_id__in=held.values("period__participant_id")), output_field=BooleanField()
        )
    return ExpressionWrapper(
        Exists(held.filter(period__participant_id=OuterRef("participant_id"))), output_field=BooleanField()
    )


def _work_in(period: ReportingPeriod, scope: Scope = NATIONAL) -> ExpressionWrapper:
    """Whether the person of the outer period held ordinary work in ``period`` (docs/indicators.md, decision b)."""
    return _person_test(
        Job.objects.filter(counts_as_outcome=True, start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        ),
        scope,
    )


def _education_in(period: ReportingPeriod, scope: Scope = NATIONAL) -> ExpressionWrapper:
    """The same for education: on any of the person's periods."""
    return _person_test(
        Education.objects.filter(start_date__lte=period.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
        ),
        scope,
    )


def _distinct_people(condition: Q | None = None) -> Count:
    return Count("participant_id", distinct=True, filter=condition)


def participant_cube(
    period: ReportingPeriod, level: str, scope: Scope = NATIONAL, *, track: str | None = None
) -> list[dict[str, Any]]:
    """One query: per unit, reporting category and age group, the participants and those in work or education.

    Category, age group and being in work or education are all properties of the person, so the groups of one
    unit are disjoint and add up to the unit's total. Grouping by the two tests evaluates each once per period,
    instead of once in every count that filters on it.
    """
    cells: dict[tuple[Any, str, str], dict[str, Any]] = {}
    for row in compiled.values(_cube_query, period, level, scope, track):
        key = (row["unit_key"], row["category"], row["age_group"])
        cell = cells.setdefault(
            key,
            {"unit_key": key[0], "category": key[1], "age_group": key[2]} | dict.fromkeys(PERSON_MEASURES, 0),
        )
        cell["deltakere"] += row["n"]
        cell["arbeid"] += row["n"] if row["in_work"] else 0
        cell["utdanning"] += row["n"] if row["in_education"] else 0
        cell["arbeid_eller_utdanning"] += row["n"] if row["in_work"] or row["in_education"] else 0
    return list(cells.values())


def _cube_query(period: ReportingPeriod, level: str, scope: Scope, track: str | None) -> QuerySet:
    return (
        active_periods(period, scope, track=track)
        .annotate(
            unit_key=unit_expression(PERIOD_PATHS[level]),
            category=category_expression(),
            age_group=age_group_expression(period.end),
            in_work=_work_in(period, scope),
            in_education=_education_in(period, scope),
        )
        .values("unit_key", "category", "age_group", "in_work", "in_education")
        .annotate(n=_distinct_people())
        .order_by()
    )


PERSON_MEASURES = ("deltakere", "arbeid", "utdanning", "arbeid_eller_utdanning")


def employment_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, int]]:
    """One query: per unit, participants on the caseload in the period and those who held ordinary work in it."""
    rows = (
        active_periods(period, scope)
        .annotate(unit_key=unit_expression(PERIOD_PATHS[level]), in_work=_work_in(period, scope))
        .values("unit_key", "in_work")
        .annotate(n=_distinct_people())
        .order_by()
    )
    units: dict[Any, dict[str, int]] = {}
    for row in rows:
        figures = units.setdefault(row["unit_key"], {"deltakere": 0, "arbeid": 0})
        figures["deltakere"] += row["n"]
        figures["arbeid"] += row["n"] if row["in_work"] else 0
    return units


def starts_and_closures_by_unit(
    period: ReportingPeriod, level: str, scope: Scope = NATIONAL
) -> dict[Any, dict[str, Any]]:
    """One query: per unit, periods started in the period with their average wait from referral to start, in
    days, and periods closed in the period, of those closed for work and/or education.

    One pass over the periods started or closed in the period, not a query each: every query is a round trip
    and, with PostgreSQL's JIT on, a compilation of its own."""
    return {
        row["unit_key"]: {
            "oppstarter": row["oppstarter"],
            "ventetid_dager": _days(row["ventetid"]),
            "avsluttet": row["avsluttet"],
            "avsluttet_resultat": row["avsluttet_resultat"],
            "avsluttet_annet": row["avsluttet"] - row["avsluttet_resultat"],
        }
        for row in compiled.values(_starts_and_closures_query, period, level, scope)
    }


def _starts_and_closures_query(period: ReportingPeriod, level: str, scope: Scope) -> QuerySet:
    started = Q(start_date__range=(period.start, period.end))
    closed = Q(closed_on__range=(period.start, period.end))
    wait = ExpressionWrapper(F("start_date") - F("referral__referred_on"), output_field=DurationField())
    return (
        Period.objects.filter(started | closed)
        .filter(scope.q("service_id"))
        .annotate(unit_key=unit_expression(PERIOD_PATHS[level]))
        .values("unit_key")
        .annotate(
            oppstarter=Count("pk", filter=started),
            ventetid=Avg(wait, filter=started),
            avsluttet=Count("pk", filter=closed),
            avsluttet_resultat=Count("pk", filter=closed & Q(closure_reason__in=Period.OUTCOME_REASONS)),
        )
        .order_by()
    )


def starts_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, Any]]:
    """Per unit, periods started in the period and their average wait from referral to start, in days."""
    return {
        key: {"oppstarter": figures["oppstarter"], "ventetid_dager": figures["ventetid_dager"]}
        for key, figures in starts_and_closures_by_unit(period, level, scope).items()
        if figures["oppstarter"]
    }


def _days(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def closures_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, int]]:
    """Per unit, periods closed in the period, and of those closed for work and/or education."""
    return {
        key: {name: figures[name] for name in ("avsluttet", "avsluttet_resultat", "avsluttet_annet")}
        for key, figures in starts_and_closures_by_unit(period, level, scope).items()
        if figures["avsluttet"]
    }


def _contacts_in(period: ReportingPeriod, scope: Scope) -> QuerySet[EmployerContact]:
    return EmployerContact.objects.filter(date__range=(period.start, period.end)).filter(
        scope.q("job_specialist__job_specialist__unit__service_id")
    )


def employers_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, int]]:
    """Two queries: per unit, the unique employers contacted in the period, and the participants they hired."""
    if level not in EMPLOYER_LEVELS:
        return {}
    figures: dict[Any, dict[str, int]] = defaultdict(lambda: {"arbeidsgivere": 0, "ansatt_hos_arbeidsgivere": 0})
    for row in compiled.values(_contacted_query, period, level, scope):
        figures[row["unit_key"]]["arbeidsgivere"] = row["arbeidsgivere"]
    for row in compiled.values(_hires_query, period, level, scope):
        figures[row["unit_key"]]["ansatt_hos_arbeidsgivere"] = row["ansatt"]
    return dict(figures)


def _contacted_query(period: ReportingPeriod, level: str, scope: Scope) -> QuerySet:
    return (
        _contacts_in(period, scope)
        .annotate(unit_key=unit_expression(CONTACT_PATHS[level]))
        .values("unit_key")
        .annotate(arbeidsgivere=Count("employer_id", distinct=True))
        .order_by()
    )


def _hires_query(period: ReportingPeriod, level: str, scope: Scope) -> QuerySet:
    contact_path = CONTACT_PATHS[level]
    if contact_path:
        same_unit = {contact_path: OuterRef(f"period__{PERIOD_PATHS[level]}")}
        at_contacted = Exists(_contacts_in(period, scope).filter(employer=OuterRef("employer_id"), **same_unit))
    else:
        # Nationally any contact will do: an IN over the employers contacted, which the database computes once.
        at_contacted = ExpressionWrapper(
            Q(employer_id__in=_contacts_in(period, scope).values("employer_id")), output_field=BooleanField()
        )
    return (
        Job.objects.filter(counts_as_outcome=True, start_date__range=(period.start, period.end))
        .filter(scope.q("period__service_id"))
        .annotate(unit_key=unit_expression(PERIOD_PATHS[level], "period__"), at_contacted=at_contacted)
        .values("unit_key")
        .annotate(ansatt=Count("period__participant_id", distinct=True, filter=Q(at_contacted=True)))
        .order_by()
    )


def municipalities_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, int]]:
    """One query: per unit, municipalities valid on the last day and those covered by a service started by then."""
    if level not in MUNICIPALITY_LEVELS:
        return {}
    # The day is read from the data, so it is one of what the compiled query is kept under.
    rows = compiled.values(_municipalities_query, period, level, scope, geography_day(period.end))
    return {row.pop("unit_key"): row for row in rows}


def _municipalities_query(period: ReportingPeriod, level: str, scope: Scope, geography: date) -> QuerySet:
    running = Q(ips_services__start_date__lte=period.end) & scope.q("ips_services__id")
    measures = {
        f"kommuner_{name}": Count("pk", distinct=True, filter=running & Q(ips_services__anchoring__in=anchorings))
        for name, anchorings in SERVICE_LEVELS.items()
    }
    qs = Municipality.objects.valid_on(geography)
    if level in (Level.HEALTH_REGION, Level.SERVICE):
        # The unit is reached through the services, so only municipalities with a service have one.
        qs = qs.filter(running)
    return (
        qs.annotate(unit_key=unit_expression(MUNICIPALITY_PATHS[level]))
        .values("unit_key")
        .annotate(
            kommuner_i_alt=Count("pk", distinct=True),
            kommuner_med_tilbud=Count("pk", distinct=True, filter=running),
            **measures,
        )
        .order_by()
    )


def geography_day(on: date) -> date:
    """The day whose municipal structure counts: ``on``, or the earliest structure recorded if ``on`` is before it
    (the reference data hold the 2024 structure; earlier years are counted on it and the page says so)."""
    if Municipality.objects.valid_on(on).exists():
        return on
    return Municipality.objects.order_by("valid_from").values_list("valid_from", flat=True).first() or on


def municipality_count(on: date) -> int:
    """All municipalities on a day (357 from 2024): the denominator of the coverage figure."""
    return Municipality.objects.valid_on(geography_day(on)).count()


def _start_age_annotations() -> dict[str, Any]:
    """The age on the start date in SQL, counted as ``rules.dates.age_on`` does: birthdays are compared as
    month * 100 + day, and a 29 February birthday counts as 28 February in non-leap years."""
    start_year = ExtractYear("start_date")
    leap = Q(leap4=0) & (~Q(leap100=0) | Q(leap400=0))
    return {
        "leap4": Mod(start_year, 4),
        "leap100": Mod(start_year, 100),
        "leap400": Mod(start_year, 400),
        "start_md": ExtractMonth("start_date") * 100 + ExtractDay("start_date"),
        "birth_md": Case(
            When(Q(participant__birth_date__month=2, participant__birth_date__day=29) & ~leap, then=Value(228)),
            default=ExtractMonth("participant__birth_date") * 100 + ExtractDay("participant__birth_date"),
            output_field=IntegerField(),
        ),
    }


def sixteen_year_olds_by_month(
    period: ReportingPeriod, level: str, scope: Scope = NATIONAL
) -> dict[Any, dict[str, int]]:
    """One query: per unit and month, persons who started an IPS ung period while 16 years old (seed 002)."""
    rows = (
        Period.objects.filter(track=Period.Track.IPS_UNG, start_date__range=(period.start, period.end))
        .filter(scope.q("service_id"))
        .annotate(**_start_age_annotations())
        .annotate(
            start_age=ExtractYear("start_date")
            - ExtractYear("participant__birth_date")
            - Case(When(start_md__lt=F("birth_md"), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .filter(start_age=16)
        .annotate(unit_key=unit_expression(PERIOD_PATHS[level]), month=TruncMonth("start_date"))
        .values("unit_key", "month")
        .annotate(n=_distinct_people())
        .order_by()
    )
    figures: dict[Any, dict[str, int]] = defaultdict(dict)
    for row in rows:
        figures[row["unit_key"]][f"{row['month']:%Y-%m}"] = row["n"]
    return dict(figures)


def fidelity_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, Any]]:
    """Per unit, the average of its services' most recent fidelity totals; empty until fidelity reviews exist."""
    from brobygger.reporting import fidelity_source

    return fidelity_source.fidelity_by_unit(period, level, scope)


# --- Labels for units ---------------------------------------------------------------------------------------------


def unit_labels(level: str, keys: Iterable[Any]) -> dict[Any, str]:
    """One query at most: the name of each unit."""
    keys = [key for key in keys if key not in (None, "")]
    labels: dict[Any, str] = {}
    if level == Level.NATIONAL:
        return {"": _("Hele landet")}
    if level == Level.HEALTH_REGION:
        labels = {key: str(HealthRegion(key).label) for key in keys if key in HealthRegion.values}
    elif level == Level.COUNTY:
        labels = dict(County.objects.filter(pk__in=keys).values_list("pk", "name"))
    elif level == Level.MUNICIPALITY:
        # Herøy and Våler exist twice: the label names the county where the name alone does not tell.
        labels = {m.pk: m.label for m in Municipality.objects.filter(pk__in=keys).select_related("county")}
    elif level == Level.SERVICE:
        labels = dict(IpsService.objects.filter(pk__in=keys).values_list("pk", "name"))
    elif level == Level.TEAM:
        labels = {pk: f"{name} ({service})" for pk, name, service in _teams(keys)}
    elif level == Level.JOB_SPECIALIST:
        labels = {
            pk: f"{first} {last}".strip() or username
            for pk, first, last, username in User.objects.filter(pk__in=keys).values_list(
                "pk", "first_name", "last_name", "username"
            )
        }
    labels[None] = _("Ikke fordelt")
    return labels


def _teams(keys: list[Any]):
    return TreatmentTeam.objects.filter(pk__in=keys).values_list("pk", "name", "service__name")


# --- The indicators, as data -------------------------------------------------------------------------------------

COUNT, SHARE, AVERAGE = "count", "share", "average"


@dataclass(frozen=True)
class Measure:
    """One column of figures. Counts of people are suppressed for roles without personal data; a share or an
    average is hidden with the count it is computed from."""

    id: str
    label: Promise
    kind: str = COUNT
    numerator: str | None = None  # shares
    denominator: str | None = None  # shares; for averages the count of what was averaged
    counts_people: bool = True
    decimals: int = 0


@dataclass(frozen=True)
class Indicator:
    """An indicator: what it counts, over what, where it comes from, and the measures that carry it."""

    id: str
    title: Promise
    numerator: Promise
    denominator: Promise | None
    reference: str
    measures: tuple[str, ...]
    breakdowns: tuple[Promise, ...] = ()
    levels: frozenset[str] = frozenset(Level.values)
    period_kinds: tuple[str, ...] = ("year", "quarter", "month")


MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("deltakere", gettext_lazy("Deltakere")),
        Measure("deltakere_psykose", gettext_lazy("av dem med psykoselidelse")),
        Measure("deltakere_rus", gettext_lazy("av dem med rusmiddelproblemer")),
        Measure("deltakere_andre", gettext_lazy("av dem andre")),
        Measure("arbeid", gettext_lazy("I ordinært arbeid")),
        Measure("arbeid_psykose", gettext_lazy("i arbeid, med psykoselidelse")),
        Measure("arbeid_rus", gettext_lazy("i arbeid, med rusmiddelproblemer")),
        Measure("arbeid_andre", gettext_lazy("i arbeid, andre")),
        Measure("utdanning", gettext_lazy("Startet i eller var i utdanning")),
        Measure("utdanning_psykose", gettext_lazy("i utdanning, med psykoselidelse")),
        Measure("utdanning_rus", gettext_lazy("i utdanning, med rusmiddelproblemer")),
        Measure("utdanning_andre", gettext_lazy("i utdanning, andre")),
        Measure("arbeid_eller_utdanning", gettext_lazy("I arbeid eller utdanning")),
        Measure("alder_16_17", gettext_lazy("16–17 år")),
        Measure("alder_18_24", gettext_lazy("18–24 år")),
        Measure("alder_25_29", gettext_lazy("25–29 år")),
        Measure("alder_30_pluss", gettext_lazy("30 år og eldre")),
        Measure("under_30", gettext_lazy("Under 30 år")),
        Measure("andel_arbeid", gettext_lazy("Andel i arbeid"), SHARE, "arbeid", "deltakere"),
        Measure("andel_utdanning", gettext_lazy("Andel i utdanning"), SHARE, "utdanning", "deltakere"),
        Measure(
            "andel_arbeid_eller_utdanning",
            gettext_lazy("Andel i arbeid eller utdanning"),
            SHARE,
            "arbeid_eller_utdanning",
            "deltakere",
        ),
        Measure("andel_under_30", gettext_lazy("Andel under 30 år"), SHARE, "under_30", "deltakere"),
        Measure("oppstarter", gettext_lazy("Oppstarter")),
        Measure(
            "ventetid_dager",
            gettext_lazy("Gjennomsnittlig ventetid (dager)"),
            AVERAGE,
            denominator="oppstarter",
            decimals=1,
        ),
        Measure("avsluttet", gettext_lazy("Avsluttede forløp")),
        Measure("avsluttet_resultat", gettext_lazy("avsluttet med arbeid eller utdanning")),
        Measure("avsluttet_annet", gettext_lazy("avsluttet av andre grunner")),
        Measure(
            "andel_avsluttet_resultat",
            gettext_lazy("Andel avsluttet med arbeid eller utdanning"),
            SHARE,
            "avsluttet_resultat",
            "avsluttet",
        ),
        Measure("arbeidsgivere", gettext_lazy("Unike arbeidsgivere"), counts_people=False),
        Measure("ansatt_hos_arbeidsgivere", gettext_lazy("Deltakere ansatt hos dem")),
        Measure("kommuner_med_tilbud", gettext_lazy("Kommuner med IPS-tilbud"), counts_people=False),
        Measure("kommuner_kommunal", gettext_lazy("i kommunale tjenester"), counts_people=False),
        Measure("kommuner_spesialist", gettext_lazy("i spesialisthelsetjenesten"), counts_people=False),
        Measure("kommuner_act_fact", gettext_lazy("i ACT-/FACT-team"), counts_people=False),
        # National and county: every municipality; municipality: itself; service and health region: the
        # municipalities of the service(s), so a service's own area (docs/indicators.md, decision a).
        Measure("kommuner_i_alt", gettext_lazy("Kommuner i alt i området"), counts_people=False),
        Measure(
            "modelltrohet",
            gettext_lazy("Modelltrofasthet (snitt av totalskår)"),
            AVERAGE,
            denominator="tilbud_vurdert",
            counts_people=False,
            decimals=1,
        ),
        Measure("tilbud_vurdert", gettext_lazy("Tilbud med gjennomgang"), counts_people=False),
    )
}

GRANT_REGULATIONS_6 = "Regelverk for tilskuddsordningen, pkt. 6 Rapportering"
BY_CATEGORY = gettext_lazy("av dem med psykoselidelse / rusmiddelproblemer (psykose går foran)")
BY_AGE = gettext_lazy("aldersgruppe 16–17, 18–24, 25–29, 30+")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "deltakere",
        gettext_lazy("Deltakere"),
        gettext_lazy("Unike personer med et aktivt forløp minst én dag i perioden"),
        None,
        f"{GRANT_REGULATIONS_6}; NAV (seed 003)",
        ("deltakere", "deltakere_psykose", "deltakere_rus", "deltakere_andre"),
        (BY_CATEGORY, BY_AGE),
    ),
    Indicator(
        "arbeid",
        gettext_lazy("I ordinært lønnet arbeid"),
        gettext_lazy("Deltakere med en jobb som teller som ordinært arbeid, startet eller pågående i perioden"),
        gettext_lazy("Deltakere"),
        f"{GRANT_REGULATIONS_6}; IPS-prinsipp 2",
        ("arbeid", "arbeid_psykose", "arbeid_rus", "arbeid_andre", "andel_arbeid"),
        (BY_CATEGORY,),
    ),
    Indicator(
        "utdanning",
        gettext_lazy("Startet i eller var i utdanning"),
        gettext_lazy("Deltakere som startet i eller var i utdanning i perioden"),
        gettext_lazy("Deltakere"),
        GRANT_REGULATIONS_6,
        ("utdanning", "utdanning_psykose", "utdanning_rus", "utdanning_andre", "andel_utdanning"),
        (BY_CATEGORY,),
    ),
    Indicator(
        "under_30",
        gettext_lazy("Andel under 30 år"),
        gettext_lazy("Deltakere under 30 år ved periodens slutt"),
        gettext_lazy("Deltakere"),
        "NAV (seed 003); IPS ung (seed 000)",
        ("under_30", "alder_16_17", "alder_18_24", "alder_25_29", "alder_30_pluss", "andel_under_30"),
        (BY_AGE,),
    ),
    Indicator(
        "ventetid",
        gettext_lazy("Gjennomsnittlig ventetid"),
        gettext_lazy("Dager fra henvisningsdato til oppstartsdato, summert over oppstarter i perioden"),
        gettext_lazy("Oppstarter i perioden"),
        GRANT_REGULATIONS_6,
        ("oppstarter", "ventetid_dager"),
    ),
    Indicator(
        "avsluttet",
        gettext_lazy("Avsluttede forløp som endte med arbeid eller utdanning"),
        gettext_lazy("Forløp avsluttet i perioden med arbeid, utdanning eller begge"),
        gettext_lazy("Forløp avsluttet i perioden"),
        "NAV (seed 003)",
        ("avsluttet", "avsluttet_resultat", "avsluttet_annet", "andel_avsluttet_resultat"),
    ),
    Indicator(
        "arbeidsgivere",
        gettext_lazy("Arbeidsgivere og deltakere de ansatte"),
        gettext_lazy(
            "Unike arbeidsgivere (organisasjonsnummer) med kontakt i perioden, og deltakere som startet i "
            "ordinært arbeid hos dem"
        ),
        None,
        f"{GRANT_REGULATIONS_6}; IPS-prinsipp 7",
        ("arbeidsgivere", "ansatt_hos_arbeidsgivere"),
        levels=EMPLOYER_LEVELS,
    ),
    Indicator(
        "kommuner",
        gettext_lazy("Kommuner med IPS-tilbud"),
        gettext_lazy("Kommuner som dekkes av et IPS-tilbud, etter tjenestenivå"),
        gettext_lazy("Alle kommuner (357 i 2024)"),
        "NAV (seed 003)",
        ("kommuner_med_tilbud", "kommuner_kommunal", "kommuner_spesialist", "kommuner_act_fact", "kommuner_i_alt"),
        levels=MUNICIPALITY_LEVELS,
    ),
    Indicator(
        "modelltrohet",
        gettext_lazy("Modelltrofasthet"),
        gettext_lazy("Siste totalskår på kvalitetsskalaen per IPS-tilbud, gjennomsnitt over tilbudene"),
        gettext_lazy("Tilbud med gjennomgang"),
        f"{GRANT_REGULATIONS_6}; IPS-kvalitetsskala (IPS-25)",
        ("modelltrohet", "tilbud_vurdert"),
        levels=frozenset({Level.NATIONAL, Level.HEALTH_REGION, Level.SERVICE}),
    ),
)

INDICATORS_BY_ID = {indicator.id: indicator for indicator in INDICATORS}

# Count measures that are sums of others, for every unit: what secondary suppression must keep consistent.
ROW_RELATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("deltakere", ("deltakere_psykose", "deltakere_rus", "deltakere_andre")),
    ("arbeid", ("arbeid_psykose", "arbeid_rus", "arbeid_andre")),
    ("utdanning", ("utdanning_psykose", "utdanning_rus", "utdanning_andre")),
    ("deltakere", ("alder_16_17", "alder_18_24", "alder_25_29", "alder_30_pluss")),
    ("under_30", ("alder_16_17", "alder_18_24", "alder_25_29")),
    ("avsluttet", ("avsluttet_resultat", "avsluttet_annet")),
)

AGE_MEASURES = {
    AGE_16_17: "alder_16_17",
    AGE_18_24: "alder_18_24",
    AGE_25_29: "alder_25_29",
    AGE_30_PLUS: "alder_30_pluss",
}


def fold_cube(rows: Iterable[Mapping[str, Any]]) -> dict[Any, dict[str, int]]:
    """Per unit, the measures of the participant table from the cube's disjoint cells (no database rows here)."""
    units: dict[Any, dict[str, int]] = {}
    for row in rows:
        figures = units.setdefault(row["unit_key"], dict.fromkeys(CUBE_MEASURES, 0))
        category, age_group = row["category"], row["age_group"]
        for measure in ("deltakere", "arbeid", "utdanning"):
            figures[measure] += row[measure]
            figures[f"{measure}_{category}"] += row[measure]
        figures["arbeid_eller_utdanning"] += row["arbeid_eller_utdanning"]
        figures[AGE_MEASURES[age_group]] += row["deltakere"]
        if age_group in UNDER_30:
            figures["under_30"] += row["deltakere"]
    return units


CUBE_MEASURES = (
    "deltakere",
    "deltakere_psykose",
    "deltakere_rus",
    "deltakere_andre",
    "arbeid",
    "arbeid_psykose",
    "arbeid_rus",
    "arbeid_andre",
    "utdanning",
    "utdanning_psykose",
    "utdanning_rus",
    "utdanning_andre",
    "arbeid_eller_utdanning",
    "alder_16_17",
    "alder_18_24",
    "alder_25_29",
    "alder_30_pluss",
    "under_30",
)


def with_shares(figures: dict[str, Any]) -> dict[str, Any]:
    """Add the shares (in per cent) to a unit's counts."""
    for measure in MEASURES.values():
        if measure.kind == SHARE:
            numerator, denominator = figures.get(measure.numerator), figures.get(measure.denominator)
            figures[measure.id] = 100 * numerator / denominator if numerator is not None and denominator else None
    return figures


@dataclass
class Unit:
    key: Any
    label: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """The regulation's figures for one period at one level: one row per unit, and the scope's total."""

    period: ReportingPeriod
    level: str
    scope: Scope
    units: list[Unit]
    total: Unit
    municipalities_in_country: int

    def unit(self, key: Any) -> Unit | None:
        return next((unit for unit in self.units if unit.key == key), None)


def report(period: ReportingPeriod, level: str, scope: Scope = NATIONAL, *, with_total: bool = True) -> Report:
    """Every indicator for ``period`` at ``level`` within ``scope``, in a fixed number of queries (at most 18)."""
    per_unit = figures_by_unit(period, level, scope)
    labels = unit_labels(level, per_unit)
    units = sorted(
        (Unit(key, labels.get(key, str(key)), with_shares(figures)) for key, figures in per_unit.items()),
        key=lambda unit: (unit.key is None, unit.label),
    )
    if level == Level.NATIONAL or not with_total:
        total_figures = units[0].figures if level == Level.NATIONAL and units else {}
    else:
        total_figures = with_shares(figures_by_unit(period, Level.NATIONAL, scope).get("", {}))
    total_label = _("Hele landet") if scope.is_national else _("I alt")
    return Report(
        period=period,
        level=level,
        scope=scope,
        units=[] if level == Level.NATIONAL else units,
        total=Unit("", total_label, total_figures or with_shares(dict.fromkeys(CUBE_MEASURES, 0))),
        # The national figures already hold it: every municipality valid on the day, whatever the scope.
        municipalities_in_country=total_figures.get("kommuner_i_alt") or municipality_count(period.end),
    )


def figures_by_unit(period: ReportingPeriod, level: str, scope: Scope = NATIONAL) -> dict[Any, dict[str, Any]]:
    """Every measure per unit of ``level``: the counts, without shares or labels (those are added by report())."""
    per_unit: dict[Any, dict[str, Any]] = defaultdict(dict)
    sources = (
        fold_cube(participant_cube(period, level, scope)),
        starts_and_closures_by_unit(period, level, scope),
        employers_by_unit(period, level, scope),
        municipalities_by_unit(period, level, scope),
        fidelity_by_unit(period, level, scope),
    )
    for source in sources:
        for key, figures in source.items():
            per_unit[key].update(figures)
    if level == Level.NATIONAL:
        per_unit.setdefault("", {})
    for figures in per_unit.values():
        for measure in (*CUBE_MEASURES, "oppstarter", "avsluttet", "avsluttet_resultat", "avsluttet_annet"):
            figures.setdefault(measure, 0)
        if level in EMPLOYER_LEVELS:
            figures.setdefault("arbeidsgivere", 0)
            figures.setdefault("ansatt_hos_arbeidsgivere", 0)
    return dict(per_unit)


def employment_rate_series(
    periods: Iterable[ReportingPeriod], level: str, scope: Scope = NATIONAL
) -> list[tuple[ReportingPeriod, dict[Any, dict[str, Any]]]]:
    """The quarterly employment rate: one query per quarter, for the given quarters."""
    series = []
    for period in periods:
        units = employment_by_unit(period, level, scope)
        for figures in units.values():
            figures["andel_arbeid"] = 100 * figures["arbeid"] / figures["deltakere"] if figures["deltakere"] else None
        series.append((period, units))
    return series
