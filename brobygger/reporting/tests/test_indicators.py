"""The indicators against an independent computation: plain Python loops over the same small random datasets.

Each dataset is written to the database and kept as Python objects; the expected figures below are computed from
the objects only, with the rules' own age and reporting-category functions, and compared cell by cell with what
the database computes, for every level and for a year, a quarter and a month, including year boundaries.
"""

from collections import defaultdict
from datetime import date

import pytest

from brobygger.accounts.models import Municipality
from brobygger.participants.models import Period
from brobygger.regelverk.services import rule_evaluate
from brobygger.reporting import indicators
from brobygger.reporting.indicators import Scope
from brobygger.reporting.periods import Level, ReportingPeriod, birth_date_cutoff
from brobygger.reporting.tests import dataset
from brobygger.rules.dates import age_on

PERIODS = (
    ReportingPeriod.for_year(2023),
    ReportingPeriod.for_year(2024),
    ReportingPeriod.for_quarter(2024, 1),
    ReportingPeriod.for_month(2024, 12),
)
OUTCOMES = {"work", "education", "work_and_education"}


def category(person) -> str:
    """The rule itself decides: psychosis first, then substance problems."""
    result = rule_evaluate(
        rule_id="rapporteringskategori",
        inputs={"on": date(2024, 1, 1), "psychosis": person.psychosis, "substance_problems": person.substance},
    )
    return {"psykose": "psykose", "rus": "rus", "ingen": "andre"}[result.outcome]


def age_group(person, on: date) -> str:
    age = age_on(person.birth_date, on)
    if age < 18:
        return "alder_16_17"
    if age < 25:
        return "alder_18_24"
    if age < 30:
        return "alder_25_29"
    return "alder_30_pluss"


def unit_of(period, level):
    return {
        Level.NATIONAL: "",
        Level.HEALTH_REGION: period.region,
        Level.COUNTY: period.person.county_id,
        Level.MUNICIPALITY: period.person.municipality_id,
        Level.SERVICE: period.service_id,
        Level.TEAM: period.team_id,
        Level.JOB_SPECIALIST: period.specialist_id,
    }[level]


def overlaps(start, end, period: ReportingPeriod) -> bool:
    return start <= period.end and (end is None or end >= period.start)


def expected_participants(data, period: ReportingPeriod, level: str, services=None) -> dict:
    people = defaultdict(lambda: defaultdict(set))
    # Work and education are the person's, on whichever of their periods they were recorded (decision b).
    periods_of = defaultdict(list)
    for p in data.periods:
        periods_of[p.person.pk].append(p)
    for p in data.periods:
        if services is not None and p.service_id not in services:
            continue
        if p.start is None or not overlaps(p.start, p.closed, period):
            continue
        sets = people[unit_of(p, level)]
        person = p.person
        kind = category(person)
        sets["deltakere"].add(person.pk)
        sets[f"deltakere_{kind}"].add(person.pk)
        sets[age_group(person, period.end)].add(person.pk)
        if age_on(person.birth_date, period.end) < 30:
            sets["under_30"].add(person.pk)
        own = periods_of[person.pk]
        working = any(j.counts and overlaps(j.start, j.end, period) for q in own for j in q.jobs)
        studying = any(overlaps(e.start, e.ended, period) for q in own for e in q.educations)
        if working:
            sets["arbeid"].add(person.pk)
            sets[f"arbeid_{kind}"].add(person.pk)
        if studying:
            sets["utdanning"].add(person.pk)
            sets[f"utdanning_{kind}"].add(person.pk)
        if working or studying:
            sets["arbeid_eller_utdanning"].add(person.pk)
    return {unit: {m: len(s) for m, s in sets.items() if s} for unit, sets in people.items()}


def nonzero(figures: dict) -> dict:
    return {m: v for m, v in figures.items() if m in indicators.CUBE_MEASURES and v}


@pytest.fixture(params=[1, 2, 3], ids=lambda seed: f"datasett-{seed}")
def data(request, personas):
    return dataset.build(request.param)


# One dataset per test, every period and level inside it: building a dataset costs more than checking it.
EVERY_CASE = [(period, level) for period in PERIODS for level in Level.values]


def test_participants_in_work_and_education_match_the_plain_computation(data):
    for period, level in EVERY_CASE:
        computed = indicators.fold_cube(indicators.participant_cube(period, level))
        assert {unit: nonzero(figures) for unit, figures in computed.items()} == expected_participants(
            data, period, level
        ), (period.slug, level)


def test_a_leaders_scope_counts_only_the_services_periods(data):
    services = {data.periods[0].service_id}
    for period in PERIODS:
        computed = indicators.fold_cube(indicators.participant_cube(period, Level.TEAM, Scope(tuple(services))))
        assert {unit: nonzero(figures) for unit, figures in computed.items()} == expected_participants(
            data, period, Level.TEAM, services
        ), period.slug


def test_waiting_time_and_closed_periods_match(data):
    for period, level in EVERY_CASE:
        check_waiting_and_closed(data, period, level)


def check_waiting_and_closed(data, period, level):
    waits, closed = defaultdict(list), defaultdict(lambda: [0, 0])
    for p in data.periods:
        if p.start and period.start <= p.start <= period.end:
            waits[unit_of(p, level)].append((p.start - p.referred).days)
        if p.closed and period.start <= p.closed <= period.end:
            closed[unit_of(p, level)][0] += 1
            closed[unit_of(p, level)][1] += p.reason in OUTCOMES

    starts = indicators.starts_by_unit(period, level)
    assert {u: f["oppstarter"] for u, f in starts.items()} == {u: len(w) for u, w in waits.items()}
    for unit, days in waits.items():
        assert starts[unit]["ventetid_dager"] == pytest.approx(sum(days) / len(days))
    closures = indicators.closures_by_unit(period, level)
    assert {u: (f["avsluttet"], f["avsluttet_resultat"]) for u, f in closures.items()} == {
        u: tuple(c) for u, c in closed.items()
    }


def test_employers_and_the_participants_they_hired_match(data):
    for period in PERIODS:
        for level in sorted(indicators.EMPLOYER_LEVELS):
            check_employers(data, period, level)


def check_employers(data, period, level):
    def contact_unit(c):
        return {
            Level.NATIONAL: "",
            Level.HEALTH_REGION: c.region,
            Level.SERVICE: c.service_id,
            Level.JOB_SPECIALIST: c.specialist_id,
        }[level]

    in_period = [c for c in data.contacts if period.start <= c.day <= period.end]
    employers = defaultdict(set)
    for c in in_period:
        employers[contact_unit(c)].add(c.employer_id)
    hired = defaultdict(set)
    for p in data.periods:
        unit = unit_of(p, level)
        for job in p.jobs:
            if job.counts and period.start <= job.start <= period.end and job.employer_id in employers[unit]:
                hired[unit].add(p.person.pk)

    computed = indicators.employers_by_unit(period, level)
    assert {u: f["arbeidsgivere"] for u, f in computed.items() if f["arbeidsgivere"]} == {
        u: len(e) for u, e in employers.items() if e
    }
    assert {u: f["ansatt_hos_arbeidsgivere"] for u, f in computed.items() if f["ansatt_hos_arbeidsgivere"]} == {
        u: len(h) for u, h in hired.items() if h
    }


def test_sixteen_year_olds_registered_per_month(data):
    for year in (2023, 2024, 2025):
        check_sixteen_year_olds(data, ReportingPeriod.for_year(year))


def check_sixteen_year_olds(data, period):
    year = period.year
    expected = defaultdict(set)
    for p in data.periods:
        sixteen = p.start is not None and age_on(p.person.birth_date, p.start) == 16
        if p.track == Period.Track.IPS_UNG and sixteen and p.start.year == year:
            expected[f"{p.start:%Y-%m}"].add(p.person.pk)
    computed = indicators.sixteen_year_olds_by_month(period, Level.NATIONAL)
    assert computed.get("", {}) == {month: len(people) for month, people in expected.items()}


def test_municipalities_with_an_offer_by_service_level(data):
    period = ReportingPeriod.for_year(2024)
    valid = {
        pk for pk, _, start, end in data.municipalities if start <= period.end and (end is None or end >= period.end)
    }
    groups = {name: set(anchorings) for name, anchorings in indicators.SERVICE_LEVELS.items()}
    covered = {name: set() for name in groups}
    for municipality, services in data.coverage.items():
        for _service, anchoring, start, _region in services:
            if municipality in valid and start <= period.end:
                for name, anchorings in groups.items():
                    if anchoring in anchorings:
                        covered[name].add(municipality)
    computed = indicators.municipalities_by_unit(period, Level.NATIONAL)[""]
    assert computed["kommuner_i_alt"] == len(valid) == indicators.municipality_count(period.end)
    assert computed["kommuner_med_tilbud"] == len(set().union(*covered.values()))
    for name, municipalities in covered.items():
        assert computed[f"kommuner_{name}"] == len(municipalities)


def test_the_national_report_adds_shares_and_a_row_per_unit(data):
    period = ReportingPeriod.for_year(2024)
    report = indicators.report(period, Level.HEALTH_REGION)
    expected = expected_participants(data, period, Level.NATIONAL)[""]
    assert nonzero(report.total.figures) == expected
    assert report.total.figures["andel_arbeid"] == pytest.approx(100 * expected["arbeid"] / expected["deltakere"])
    by_region = expected_participants(data, period, Level.HEALTH_REGION)
    assert {unit.key: nonzero(unit.figures) for unit in report.units} == by_region
    assert all(unit.label for unit in report.units)


def test_people_are_counted_once_per_year_however_many_periods_they_had(personas):
    data = dataset.build(7, people=30)
    period = ReportingPeriod.for_year(2024)
    repeaters = {p.person.pk for p in data.periods if p.start and overlaps(p.start, p.closed, period)}
    assert len(repeaters) < len([p for p in data.periods if p.start and overlaps(p.start, p.closed, period)])
    total = indicators.fold_cube(indicators.participant_cube(period, Level.NATIONAL))[""]["deltakere"]
    assert total == len(repeaters)


@pytest.mark.parametrize(
    ("psychosis", "substance", "expected"),
    [(True, True, "psykose"), (True, False, "psykose"), (False, True, "rus"), (False, False, "andre")],
)
def test_the_sql_category_follows_the_precedence_rule(personas, psychosis, substance, expected):
    data = dataset.build(11, people=1)
    person = data.people[0]
    from brobygger.participants.models import Participant

    Participant.objects.filter(pk=person.pk).update(has_psychosis=psychosis, has_substance_problems=substance)
    person.psychosis, person.substance = psychosis, substance
    assert category(person) == expected
    assert Participant.objects.annotate(c=indicators.category_expression("")).get(pk=person.pk).c == expected


def test_birth_date_cutoffs_agree_with_the_rules_age_on_every_day_of_four_years():
    day = date(2023, 1, 1)
    while day <= date(2026, 12, 31):
        for years in (16, 18, 25, 30):
            cutoff = birth_date_cutoff(day, years)
            assert age_on(cutoff, day) >= years
            assert age_on(cutoff + (date(2000, 1, 2) - date(2000, 1, 1)), day) < years
        day = day.fromordinal(day.toordinal() + 1)


def test_a_municipality_name_that_exists_twice_is_labelled_with_its_county(db):
    heroy = Municipality.objects.get(number="1515")
    oslo = Municipality.objects.get(number="0301")
    labels = indicators.unit_labels(Level.MUNICIPALITY, [heroy.pk, oslo.pk])
    assert (labels[heroy.pk], labels[oslo.pk]) == ("Herøy (Møre og Romsdal)", "Oslo")


def test_the_national_report_takes_a_fixed_number_of_queries(data):
    """Each query is a round trip (and, with PostgreSQL's JIT, a compilation): starts and closures are counted in
    one pass, so the national report is seven queries whatever the data (eight when the year is before the
    recorded municipal structure and the earliest structure is looked up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for period in PERIODS:
        with CaptureQueriesContext(connection) as queries:
            indicators.report(period, Level.NATIONAL)
        assert len(queries) <= 8, [query["sql"][:80] for query in queries]
        assert len([query for query in queries if '"oppstarter"' in query["sql"] or '"avsluttet"' in query["sql"]]) == 1
