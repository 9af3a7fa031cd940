"""Small random datasets for the indicator tests, kept twice: as rows in the database and as plain Python objects.

The tests compute the expected figures from the Python objects with their own plain loops, and compare them with
what the database computes. Dates cluster around year and quarter boundaries and 29 February, where mistakes hide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import IpsService, JobSpecialist, Municipality, TreatmentTeam, User
from brobygger.participants.models import (
    Education,
    Employer,
    EmployerContact,
    Job,
    Participant,
    Period,
    Referral,
)

FIRST_DAY = date(2022, 6, 1)
LAST_DAY = date(2025, 9, 30)
# Days a test period is likely to begin or end on, so boundaries are hit often.
EDGES = (
    date(2022, 12, 31),
    date(2023, 1, 1),
    date(2023, 3, 31),
    date(2023, 12, 31),
    date(2024, 1, 1),
    date(2024, 2, 29),
    date(2024, 3, 31),
    date(2024, 4, 1),
    date(2024, 12, 31),
    date(2025, 1, 1),
)


@dataclass
class Person:
    pk: int
    birth_date: date
    psychosis: bool
    substance: bool
    municipality_id: int
    county_id: int


@dataclass
class SyntheticJob:
    start: date
    end: date | None
    counts: bool
    employer_id: int


@dataclass
class SyntheticEducation:
    start: date
    ended: date | None


@dataclass
class SyntheticPeriod:
    pk: int
    person: Person
    service_id: int
    region: str
    team_id: int
    specialist_id: int | None
    referred: date
    start: date | None
    closed: date | None
    reason: str
    track: str
    jobs: list[SyntheticJob] = field(default_factory=list)
    educations: list[SyntheticEducation] = field(default_factory=list)


@dataclass
class SyntheticContact:
    specialist_id: int
    service_id: int
    region: str
    employer_id: int
    day: date


@dataclass
class Dataset:
    people: list[Person]
    periods: list[SyntheticPeriod]
    contacts: list[SyntheticContact]
    coverage: dict[int, list[tuple[int, str, date, str]]]  # kommune -> [(service, anchoring, start, region)]
    municipalities: list[tuple[int, int, date, date | None]]  # (pk, fylke, valid_from, valid_to)


def _day(rng: random.Random, low: date = FIRST_DAY, high: date = LAST_DAY) -> date:
    if rng.random() < 0.3:
        candidates = [edge for edge in EDGES if low <= edge <= high]
        if candidates:
            return rng.choice(candidates)
    return low + timedelta(days=rng.randint(0, max((high - low).days, 0)))


def _birth_date(rng: random.Random) -> date:
    if rng.random() < 0.1:
        return date(rng.choice((2000, 2004, 2008)), 2, 29)
    if rng.random() < 0.3:
        # Born close to a boundary of an age group on one of the edge days.
        edge = rng.choice(EDGES)
        years = rng.choice((16, 17, 18, 25, 30))
        return date(edge.year - years, edge.month, min(edge.day, 28)) + timedelta(days=rng.randint(-2, 2))
    return date(1960, 1, 1) + timedelta(days=rng.randint(0, (date(2008, 12, 31) - date(1960, 1, 1)).days))


def build(seed: int, *, people: int = 60) -> Dataset:
    """Write a random dataset to the database (needs the demo seed's services, teams and job specialists)."""
    rng = random.Random(seed)
    clinician = User.objects.filter(role="behandler").order_by("pk").first()
    teams = list(TreatmentTeam.objects.select_related("service").order_by("pk"))
    specialists: dict[int, list[int]] = {}
    for js in JobSpecialist.objects.select_related("unit").order_by("pk"):
        specialists.setdefault(js.unit.service_id, []).append(js.user_id)
    municipalities = list(
        Municipality.objects.filter(number__in=("0301", "3205", "3222", "5501", "1804", "4601", "1108"))
    )
    employers = [
        Employer.objects.create(name=f"Arbeidsgiver {n}", orgnr=synthetic_orgnr(20_000 + seed * 100 + n))
        for n in range(8)
    ]

    persons, periods, contacts = [], [], []
    for n in range(people):
        municipality = rng.choice(municipalities)
        participant = Participant.objects.create(
            identity_encrypted="test",
            identity_hash=f"{seed}-{n}",
            birth_date=_birth_date(rng),
            first_name="Test",
            last_name=str(n),
            municipality=municipality,
            has_psychosis=rng.random() < 0.4,
            has_substance_problems=rng.random() < 0.4,
            is_synthetic=True,
        )
        person = Person(
            participant.pk,
            participant.birth_date,
            participant.has_psychosis,
            participant.has_substance_problems,
            municipality.pk,
            municipality.county_id,
        )
        persons.append(person)
        cursor = FIRST_DAY
        for _ in range(rng.choice((1, 1, 2, 3))):
            if cursor >= LAST_DAY:
                break
            team = rng.choice(teams)
            referred = _day(rng, cursor, LAST_DAY)
            started = rng.random() < 0.9
            start = min(referred + timedelta(days=rng.choice((0, 3, 14, 40, 90))), LAST_DAY) if started else None
            closed = None
            if rng.random() < 0.7:
                closed = _day(rng, start or referred, LAST_DAY)
            reason = rng.choice(Period.ClosureReason.values) if closed else ""
            age_at_start = (start or referred).year - person.birth_date.year
            track = (Period.Track.IPS_UNG if age_at_start < 30 else Period.Track.IPS) if start else ""
            referral = Referral.objects.create(
                participant=participant,
                team=team,
                clinician=clinician,
                referred_on=referred,
                goals="Jobb",
                eligibility_outcome="oppfylt",
                eligibility={},
                decision=Referral.Decision.ACCEPTED,
                decided_on=referred,
            )
            specialist = rng.choice([*specialists.get(team.service_id, []), None])
            period = Period.objects.create(
                participant=participant,
                referral=referral,
                service=team.service,
                job_specialist_id=specialist,
                status=Period.Status.CLOSED if closed else Period.Status.JOB_SEARCH,
                start_date=start,
                track=track,
                closed_on=closed,
                closure_reason=reason,
            )
            synthetic = SyntheticPeriod(
                period.pk,
                person,
                team.service_id,
                team.service.health_region,
                team.pk,
                specialist,
                referred,
                start,
                closed,
                reason,
                track,
            )
            if start:
                for _ in range(rng.choice((0, 0, 1, 2))):
                    job_start = _day(rng, start, closed or LAST_DAY)
                    job_end = _day(rng, job_start, LAST_DAY) if rng.random() < 0.5 else None
                    employer = rng.choice(employers)
                    counts = rng.random() < 0.8
                    Job.objects.create(
                        period=period,
                        employer=employer,
                        title="Jobb",
                        job_type=Job.JobType.OTHER,
                        start_date=job_start,
                        end_date=job_end,
                        hours_per_week=20,
                        open_labour_market=counts,
                        paid_at_least_normal_rate=True,
                        open_to_anyone=True,
                        counts_as_outcome=counts,
                    )
                    synthetic.jobs.append(SyntheticJob(job_start, job_end, counts, employer.pk))
                for _ in range(rng.choice((0, 0, 1))):
                    edu_start = _day(rng, start, closed or LAST_DAY)
                    ended = _day(rng, edu_start, LAST_DAY) if rng.random() < 0.5 else None
                    Education.objects.create(
                        period=period,
                        level=Education.Level.UPPER_SECONDARY,
                        institution="Skole",
                        start_date=edu_start,
                        status=Education.Status.COMPLETED if ended else Education.Status.ONGOING,
                        ended_on=ended,
                    )
                    synthetic.educations.append(SyntheticEducation(edu_start, ended))
            periods.append(synthetic)
            if closed is None:
                break
            cursor = closed + timedelta(days=1)

    service_of = {
        js.user_id: (js.unit.service_id, js.unit.service.health_region)
        for js in JobSpecialist.objects.select_related("unit__service")
    }
    for _ in range(people * 2):
        specialist_id = rng.choice(list(service_of))
        employer = rng.choice(employers)
        day = _day(rng)
        EmployerContact.objects.create(
            job_specialist_id=specialist_id, employer=employer, date=day, face_to_face=True, purpose="job_development"
        )
        service_id, region = service_of[specialist_id]
        contacts.append(SyntheticContact(specialist_id, service_id, region, employer.pk, day))

    coverage: dict[int, list[tuple[int, str, date, str]]] = {}
    for service in IpsService.objects.prefetch_related("municipalities"):
        for municipality in service.municipalities.all():
            coverage.setdefault(municipality.pk, []).append(
                (service.pk, service.anchoring, service.start_date, service.health_region)
            )
    all_municipalities = list(Municipality.objects.values_list("pk", "county_id", "valid_from", "valid_to"))
    return Dataset(persons, periods, contacts, coverage, all_municipalities)
