"""A deterministic synthetic national dataset for benchmarks and for trying the statistics at full scale.

Calibrated to the seeds at scale 1: about 7 300 unique participants a year (7 257 in 2024, seed 003), over half under
30, about 53 % of closed periods ending in work or education, about 115 of 357 municipalities with an IPS offer in
municipal services and about 150 connected through specialist services, fidelity totals spread over all four levels
and related to the services' results (Bond et al. 2012: high fidelity, better outcomes). Everything comes from one
``random.Random(seed)``, so a seed gives the same data every time; rows are written with ``bulk_create``.

The data bypass the services on purpose (they would take hours at this scale and write an audit event per row);
everything is flagged synthetic: identity numbers are Tenor-style synthetic numbers (month + 80), encrypted and hashed
exactly as ``participants.identity`` does, organisation numbers are in the 1xxxxxxxx range no real body has, and
users have unusable passwords.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from stdnum.no import fodselsnummer

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.geography import health_region_of_county
from brobygger.accounts.models import (
    HealthRegion,
    IpsService,
    JobSpecialist,
    JobSpecialistUnit,
    Membership,
    Municipality,
    Organisation,
    Role,
    TreatmentTeam,
    User,
)
from brobygger.participants import identity
from brobygger.participants.models import (
    Education,
    Employer,
    EmployerContact,
    Job,
    Participant,
    Period,
    Referral,
)

USERNAME_PREFIX = "nasjonal-"
PARTICIPANTS_PER_YEAR = 7300
SHARE_UNDER_30_AT_START = 0.62
OUTCOME_SHARE = 0.53
BATCH = 2000
# Organisation numbers: the demo uses serials below 1 000 and the tests 20 000-30 000.
ORGANISATION_SERIALS = 40_000
EMPLOYER_SERIALS = 100_000

ELIGIBILITY = {
    "outcome": "oppfylt",
    "note": "Syntetiske data: vurderingen er ikke gjort med regelen, men lagt inn av generate_national_data.",
}
OTHER_CLOSURES = (
    (Period.ClosureReason.NO_LONGER_WISHES, 0.35),
    (Period.ClosureReason.HEALTH, 0.3),
    (Period.ClosureReason.MOVED, 0.1),
    (Period.ClosureReason.DURATION_LIMIT, 0.15),
    (Period.ClosureReason.OTHER, 0.1),
)
JOB_TYPES = Job.JobType.values


class AlreadyGenerated(Exception):
    pass


@dataclass
class ServicePlan:
    service: IpsService
    quality: float  # 0-1: drives both the fidelity total and the participants' chances
    weight: float
    municipalities: list[Municipality]
    teams: list[TreatmentTeam] = field(default_factory=list)
    clinicians: list[User] = field(default_factory=list)
    specialists: list[User] = field(default_factory=list)


@dataclass
class Summary:
    services: int = 0
    participants: int = 0
    periods: int = 0
    jobs: int = 0
    educations: int = 0
    contacts: int = 0
    reviews: int = 0
    municipalities_municipal: int = 0
    municipalities_specialist: int = 0


def generated_exists() -> bool:
    return User.objects.filter(username__startswith=USERNAME_PREFIX).exists()


class _Identities:
    """Synthetic identity numbers, unique per birth date: individual numbers from the top of the century's range
    downwards, so they do not meet the demo's and tests' numbers, which count from the bottom."""

    def __init__(self) -> None:
        self.next_individual: dict[date, int] = {}

    def number(self, birth_date: date) -> str:
        prefix = f"{birth_date:%d}{birth_date.month + identity.SYNTHETIC_MONTH_OFFSET:02d}{birth_date:%y}"
        top, bottom = (999, 500) if birth_date.year >= 2000 else (499, 0)
        individual = self.next_individual.get(birth_date, top)
        while individual >= bottom:
            nine = f"{prefix}{individual:03d}"
            individual -= 1
            digit1 = fodselsnummer.calc_check_digit1(nine)
            digit2 = fodselsnummer.calc_check_digit2(nine + digit1)
            if len(digit1 + digit2) == 2:
                self.next_individual[birth_date] = individual
                return nine + digit1 + digit2
        raise ValueError("Tom for syntetiske fødselsnumre for en fødselsdato.")


def _bulk(model, objs: list, **kwargs) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> list[int]:
    """Insert plain rows and return their keys: COPY with keys from the table's sequence on PostgreSQL (several
    times faster than bulk_create for a hundred thousand rows), bulk_create elsewhere."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = _bulk(model, [model(**dict(zip(fields, row, strict=True))) for row in rows])
        return [obj.pk for obj in objs]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(connection.ops.quote_name(name) for name in ("id", *fields))
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(ids, rows, strict=True):
                copy.write_row((key, *row))
    return ids


class Generator:
    def __init__(
        self, *, years: int, scale: float, seed: int, last_year: int, progress: Callable[[str], None] | None = None
    ) -> None:
        if years < 1 or scale <= 0:
            raise ValueError("years må være minst 1 og scale større enn 0.")
        self.years, self.scale, self.seed, self.last_year = years, scale, seed, last_year
        self.first_year = last_year - years + 1
        self.rng = random.Random(seed)
        self.progress = progress or (lambda message: None)
        self.summary = Summary()
        self.identities = _Identities()
        self.last_day = date(last_year, 12, 31)

    # --- helpers ------------------------------------------------------------------------------------------------

    def _day_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _weighted(self, choices):
        return self.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]

    # --- organisations and services -----------------------------------------------------------------------------

    def services(self) -> list[ServicePlan]:
        rng = self.rng
        municipalities = list(Municipality.objects.valid_on(date(self.last_year, 12, 31)).select_related("county"))
        municipalities.sort(key=lambda k: k.number)
        # Seed 003: about 115 municipalities with an offer in municipal services, about 150 through specialist ones.
        municipal_target = max(2, round(115 * min(self.scale, 1)))
        specialist_target = max(2, round(150 * min(self.scale, 1)))
        municipal = rng.sample(municipalities, municipal_target)
        specialist = rng.sample(municipalities, specialist_target)
        specs: list[tuple[str, list[Municipality]]] = []
        for anchoring, pool, size in (
            (IpsService.Anchoring.MUNICIPAL, municipal, (1, 3)),
            (None, specialist, (2, 5)),
        ):
            pool = sorted(pool, key=lambda k: k.number)
            while pool:
                take = min(len(pool), rng.randint(*size))
                group, pool = pool[:take], pool[take:]
                kind = anchoring or self._weighted(
                    (
                        (IpsService.Anchoring.MENTAL_HEALTH_CARE, 0.6),
                        (IpsService.Anchoring.TSB, 0.2),
                        (IpsService.Anchoring.FACT, 0.12),
                        (IpsService.Anchoring.FACT_UNG, 0.08),
                    )
                )
                specs.append((kind, group))
        organisations, services = [], []
        for index, (anchoring, group) in enumerate(specs):
            municipal_owner = anchoring == IpsService.Anchoring.MUNICIPAL
            organisations.append(
                Organisation(
                    name=f"{group[0].name} {'kommune' if municipal_owner else 'HF'} (syntetisk {index})",
                    orgnr=synthetic_orgnr(ORGANISATION_SERIALS + index),
                    org_type=Organisation.Type.MUNICIPALITY if municipal_owner else Organisation.Type.HEALTH_TRUST,
                    municipality=group[0],
                    is_synthetic=True,
                )
            )
            services.append(
                IpsService(
                    name=f"IPS {group[0].name} {index + 1} (syntetisk)",
                    anchoring=anchoring,
                    health_region=health_region_of_county(group[0].county.number) or HealthRegion.SOUTH_EAST,
                    offers_ips_ung=rng.random() < 0.6 or anchoring == IpsService.Anchoring.FACT_UNG,
                    start_date=date(rng.randint(self.first_year - 8, self.first_year - 3), rng.randint(1, 12), 1),
                )
            )
        nav = Organisation(
            name="NAV (syntetisk)",
            orgnr=synthetic_orgnr(ORGANISATION_SERIALS + len(specs)),
            org_type=Organisation.Type.NAV_OFFICE,
            is_synthetic=True,
        )
        organisations = _bulk(Organisation, [*organisations, nav])
        self.nav = organisations[-1]
        services = _bulk(IpsService, services)
        IpsService.owners.through.objects.bulk_create(
            [
                IpsService.owners.through(ipsservice_id=s.pk, organisation_id=o.pk)
                for s, o in zip(services, organisations, strict=False)
            ],
            batch_size=BATCH,
        )
        IpsService.municipalities.through.objects.bulk_create(
            [
                IpsService.municipalities.through(ipsservice_id=s.pk, municipality_id=k.pk)
                for s, (_, group) in zip(services, specs, strict=True)
                for k in group
            ],
            batch_size=BATCH,
        )
        units = _bulk(
            JobSpecialistUnit, [JobSpecialistUnit(service=s, name=f"Jobbspesialister, {s.name}") for s in services]
        )
        teams = []
        plans = []
        for service, (_, group), owner in zip(services, specs, organisations, strict=False):
            plan = ServicePlan(service, rng.betavariate(2.2, 2.0), len(group) * rng.uniform(0.6, 1.6), group)
            plans.append(plan)
            for number in range(rng.randint(1, 3)):
                teams.append(
                    TreatmentTeam(
                        service=service,
                        name=f"Behandlingsteam {number + 1}, {service.name}",
                        team_type=TreatmentTeam.Type.DPS
                        if service.anchoring != IpsService.Anchoring.MUNICIPAL
                        else TreatmentTeam.Type.MUNICIPAL,
                        organisation=owner,
                    )
                )
        teams = _bulk(TreatmentTeam, teams)
        for team in teams:
            next(p for p in plans if p.service.pk == team.service_id).teams.append(team)
        self.units = {unit.service_id: unit for unit in units}
        self.summary.services = len(services)
        self.summary.municipalities_municipal = len(municipal)
        self.summary.municipalities_specialist = len(specialist)
        return plans

    def staff(self, plans: list[ServicePlan]) -> None:
        """Clinicians (one per team) and job specialists (about one per 15 active participants), with memberships."""
        total_weight = sum(p.weight for p in plans)
        active = PARTICIPANTS_PER_YEAR * self.scale * 0.55
        users, roles = [], []
        for plan in plans:
            for team in plan.teams:
                users.append(self._user(f"behandler-{team.pk}", Role.CLINICIAN))
                roles.append((plan, team, "clinician"))
            count = max(1, round(active * plan.weight / total_weight / 15))
            for number in range(count):
                users.append(self._user(f"js-{plan.service.pk}-{number}", Role.JOB_SPECIALIST))
                roles.append((plan, None, "specialist"))
        users = _bulk(User, users)
        memberships, specialists = [], []
        for user, (plan, team, kind) in zip(users, roles, strict=True):
            if kind == "clinician":
                plan.clinicians.append(user)
                memberships.append(Membership(user=user, service=plan.service, team=team))
            else:
                plan.specialists.append(user)
                fraction = Decimal(self.rng.choice(("1.00", "1.00", "0.80", "0.50")))
                specialists.append(
                    JobSpecialist(
                        user=user,
                        unit=self.units[plan.service.pk],
                        position_fraction=fraction,
                        employer_kind=JobSpecialist.Employer.NAV,
                        employer=self.nav,
                    )
                )
                memberships.extend(Membership(user=user, service=plan.service, team=t) for t in plan.teams[:2])
        _bulk(Membership, memberships)
        _bulk(JobSpecialist, specialists)

    def _user(self, name: str, role: str) -> User:
        return User(
            username=f"{USERNAME_PREFIX}{self.seed}-{name}",
            first_name="Syntetisk",
            last_name=name,
            role=role,
            password="!syntetisk",  # unusable: no hasher makes a hash starting with "!"
            email="",
        )

    # --- participants and their pathways ------------------------------------------------------------------------

    def pathways(self, plans: list[ServicePlan]) -> None:
        rng = self.rng
        employers = _bulk(
            Employer,
            [
                Employer(
                    name=f"Arbeidsgiver {n} (syntetisk)", orgnr=synthetic_orgnr(EMPLOYER_SERIALS + n), is_synthetic=True
                )
                for n in range(max(20, round(5000 * self.scale)))
            ],
        )
        # A few employers hire often (Zipf-like): employer diversity as in real services. Cumulative weights, so
        # each draw is a binary search rather than a sum over every employer.
        employer_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(employers))))
        weights = list(itertools.accumulate(p.weight for p in plans))
        # About two unique participants a year per start: a period lasts a little under a year on average.
        starts_per_year = PARTICIPANTS_PER_YEAR * self.scale / 1.96
        warmup = 2
        referrals, planned, pending_jobs, pending_edu, pending_contacts = [], [], [], [], []
        returning: list[tuple[int, date]] = []  # (index of person, day they may return from)
        people: list[Participant] = []
        for year in range(self.first_year - warmup, self.last_year + 1):
            starts = round(starts_per_year * rng.uniform(0.96, 1.04) * (0.92 if year < self.first_year else 1))
            for _ in range(starts):
                plan = rng.choices(plans, cum_weights=weights)[0]
                referred = self._day_in(date(year, 1, 1), date(year, 12, 31))
                if plan.service.start_date > referred:
                    referred = plan.service.start_date + timedelta(days=rng.randint(0, 200))
                    if referred > self.last_day:
                        continue
                person_index = None
                if returning and rng.random() < 0.08:
                    candidate, free_from = returning[0]
                    if free_from < referred:
                        person_index = candidate
                        returning.pop(0)
                if person_index is None:
                    people.append(self._person(plan, referred))
                    person_index = len(people) - 1
                person = people[person_index]
                wait = min(int(rng.expovariate(1 / 21)), 180)
                start = referred + timedelta(days=wait)
                started = start <= self.last_day
                quality = plan.quality
                duration = int(rng.lognormvariate(math.log(300), 0.55))
                # Where the period would end, also when that is after the data end: the outcome is drawn the same
                # way for periods still open, so the last year's figures are not skewed.
                would_close = start + timedelta(days=duration)
                closed = would_close if started and would_close <= self.last_day else None
                age = (start - person.birth_date).days // 365
                track = Period.Track.IPS_UNG if age < 30 else Period.Track.IPS
                team = rng.choice(plan.teams)
                specialist = rng.choice(plan.specialists)
                outcome = rng.random() < OUTCOME_SHARE - 0.1 + 0.2 * quality
                if outcome:
                    reason = self._weighted(
                        (
                            (Period.ClosureReason.WORK, 0.62 if track == Period.Track.IPS else 0.45),
                            (Period.ClosureReason.EDUCATION, 0.12 if track == Period.Track.IPS else 0.35),
                            (Period.ClosureReason.WORK_AND_EDUCATION, 0.1),
                        )
                    )
                else:
                    reason = self._weighted(OTHER_CLOSURES)
                if closed is not None:
                    returning.append((person_index, closed + timedelta(days=30)))
                referrals.append(
                    Referral(
                        participant_id=person_index,  # replaced by the real key once people are saved
                        team=team,
                        clinician=rng.choice(plan.clinicians),
                        referred_on=referred,
                        goals="Ordinært arbeid eller utdanning (syntetisk)",
                        consent_given_on=referred,
                        consent_method=Referral.ConsentMethod.WRITTEN,
                        eligibility_outcome="oppfylt",
                        eligibility=ELIGIBILITY,
                        decision=Referral.Decision.ACCEPTED,
                        decided_on=referred,
                    )
                )
                status = (
                    Period.Status.CLOSED if closed else Period.Status.JOB_SEARCH if started else Period.Status.WAITING
                )
                period = Period(
                    participant_id=person_index,
                    service=plan.service,
                    job_specialist=specialist,
                    status=status,
                    start_date=start if started else None,
                    track=track if started else "",
                    last_permitted_day=(start + timedelta(days=364 * 3)) if started else None,
                    closed_on=closed,
                    closure_reason=reason if closed else "",
                    closure_text="Syntetisk" if closed and reason == Period.ClosureReason.OTHER else "",
                )
                planned.append(period)
                if not started:
                    continue
                works = reason in (Period.ClosureReason.WORK, Period.ClosureReason.WORK_AND_EDUCATION)
                studies = reason in (Period.ClosureReason.EDUCATION, Period.ClosureReason.WORK_AND_EDUCATION)
                index = len(planned) - 1
                if works or rng.random() < 0.12:
                    job_start = self._day_in(min(start + timedelta(days=14), would_close), would_close)
                    if job_start <= self.last_day:
                        employer = rng.choices(employers, cum_weights=employer_weights)[0]
                        counts = works and rng.random() < 0.93
                        job_end = None if rng.random() < 0.6 else self._day_in(job_start, would_close)
                        if job_end is not None and job_end > self.last_day:
                            job_end = None
                        pending_jobs.append((index, employer, job_start, job_end, counts))
                        for _ in range(rng.randint(1, 3)):
                            contact_day = self._day_in(start, job_start)
                            pending_contacts.append((specialist, employer, contact_day, person_index))
                if studies:
                    edu_start = self._day_in(start, would_close)
                    if edu_start <= self.last_day:
                        ended = self._day_in(edu_start, would_close) if rng.random() < 0.4 else None
                        pending_edu.append((index, edu_start, ended if ended and ended <= self.last_day else None))
        self.progress(f"{len(people)} personer, {len(planned)} forløp planlagt; skriver personer")
        people = self._save_people(people)
        for obj in referrals:
            obj.participant_id = people[obj.participant_id].pk
        referrals = _bulk(Referral, referrals)
        for obj, referral in zip(planned, referrals, strict=True):
            obj.participant_id = referral.participant_id
            obj.referral = referral
        self.progress("skriver forløp")
        planned = _bulk(Period, planned)
        jobs = []
        for index, employer, job_start, job_end, counts in pending_jobs:
            jobs.append(
                Job(
                    period=planned[index],
                    employer=employer,
                    title="Stilling (syntetisk)",
                    job_type=rng.choice(JOB_TYPES),
                    start_date=job_start,
                    end_date=job_end,
                    hours_per_week=Decimal(rng.choice((10, 20, 30, 37.5))),
                    open_labour_market=counts,
                    paid_at_least_normal_rate=True,
                    open_to_anyone=True,
                    counts_as_outcome=counts,
                    ordinary_work={"outcome": "ordinaert" if counts else "ikke_ordinaert", "note": "Syntetisk"},
                )
            )
            # A first job moves the period to follow-along.
            if planned[index].status == Period.Status.JOB_SEARCH:
                planned[index].status = Period.Status.FOLLOW_ALONG
        self.progress("skriver jobber og utdanning")
        _bulk(Job, jobs)
        educations = [
            Education(
                period=planned[index],
                level=rng.choice(Education.Level.values),
                institution="Skole (syntetisk)",
                start_date=edu_start,
                status=Education.Status.COMPLETED if ended else Education.Status.ONGOING,
                ended_on=ended,
            )
            for index, edu_start, ended in pending_edu
        ]
        for index, _, _ in pending_edu:
            if planned[index].status == Period.Status.JOB_SEARCH:
                planned[index].status = Period.Status.FOLLOW_ALONG
        _bulk(Education, educations)
        Period.objects.bulk_update(
            [f for f in planned if f.status == Period.Status.FOLLOW_ALONG], ["status"], batch_size=BATCH
        )
        self.progress("skriver arbeidsgiverkontakter")
        self._contacts(plans, employers, employer_weights, pending_contacts, people)
        self.summary.participants = len(people)
        self.summary.periods = len(planned)
        self.summary.jobs = len(jobs)
        self.summary.educations = len(educations)

    def _person(self, plan: ServicePlan, referred: date) -> Participant:
        rng = self.rng
        if rng.random() < SHARE_UNDER_30_AT_START:
            age_days = rng.randint(16 * 365 + 5, 30 * 365 - 30)
        else:
            age_days = rng.randint(30 * 365, 62 * 365)
        birth = referred - timedelta(days=age_days)
        psychosis = rng.random() < 0.24
        return Participant(
            birth_date=birth,
            first_name="Syntetisk",
            last_name="Deltaker",
            municipality=rng.choice(plan.municipalities),
            recorded_by=plan.service,  # the first referral's service, as participants.services.referral_create does
            has_psychosis=psychosis,
            has_substance_problems=rng.random() < (0.2 if psychosis else 0.32),
            reduced_work_capacity_assessed_on=referred if rng.random() < 0.4 else None,
            is_synthetic=True,
        )

    def _save_people(self, people: list[Participant]) -> list[Participant]:
        for person in people:
            number = self.identities.number(person.birth_date)
            person.identity_encrypted = identity.encrypt_identity(number)
            person.identity_hash = identity.identity_hash(number)
        return _bulk(Participant, people)

    def _contacts(self, plans, employers, employer_weights, pending, people) -> None:
        """Employer contacts as plain rows: the biggest table, written with COPY on PostgreSQL."""
        rng = self.rng
        rows, named = [], []
        for specialist, employer, day, person_index in pending:
            rows.append(
                (specialist.pk, employer.pk, day, rng.random() < 0.8, EmployerContact.Purpose.NAMED_PARTICIPANTS)
            )
            named.append(person_index)
        # General job development: about twenty contacts per specialist a year.
        for plan in plans:
            for specialist in plan.specialists:
                for year in range(self.first_year, self.last_year + 1):
                    for _ in range(max(1, round(20 * rng.uniform(0.5, 1.5)))):
                        rows.append(
                            (
                                specialist.pk,
                                rng.choices(employers, cum_weights=employer_weights)[0].pk,
                                self._day_in(date(year, 1, 1), date(year, 12, 31)),
                                rng.random() < 0.7,
                                EmployerContact.Purpose.JOB_DEVELOPMENT,
                            )
                        )
        ids = _insert_rows(
            EmployerContact,
            ("job_specialist_id", "employer_id", "date", "face_to_face", "purpose", "result"),
            [(*row, "") for row in rows],
        )
        through = EmployerContact.participants.through
        _insert_rows(
            through,
            ("employercontact_id", "participant_id"),
            [(contact_id, people[index].pk) for contact_id, index in zip(ids, named, strict=False)],
        )
        self.summary.contacts = len(rows)

    # --- fidelity -----------------------------------------------------------------------------------------------

    def fidelity(self, plans: list[ServicePlan]) -> None:
        """One finalised IPS-25 review per service a year, its total following the service's quality."""
        if not apps.is_installed("brobygger.fidelity"):
            return
        from brobygger.fidelity import scales
        from brobygger.fidelity.models import Review

        scale = scales.scale_in_force("ips-25", date(self.first_year, 1, 1)) or scales.scale_in_force(
            "ips-25", self.last_day
        )
        if scale is None:
            return
        reviewer = _bulk(User, [self._user("evaluator", Role.FIDELITY_REVIEWER)])[0]
        reviews = []
        for plan in plans:
            for year in range(self.first_year, self.last_year + 1):
                day = self._day_in(date(year, 3, 1), date(year, 11, 30))
                if day < plan.service.start_date:
                    continue
                total = max(25, min(125, round(58 + 62 * plan.quality + self.rng.gauss(0, 6))))
                band = scales.level_for(total, scale.bands) or {}
                reviews.append(
                    Review(
                        service=plan.service,
                        scale=scale,
                        review_type=Review.Type.EXTERNAL,
                        review_date=day,
                        period_start=day - timedelta(days=180),
                        period_end=day,
                        status=Review.Status.FINALISED,
                        summary="Syntetisk gjennomgang",
                        total=total,
                        level=band.get("level", ""),
                        level_label=band.get("label", ""),
                        approved=band.get("approved"),
                        good_or_better=band.get("good"),
                        created_by=reviewer,
                        finalised_by=reviewer,
                    )
                )
        _bulk(Review, reviews)
        self.summary.reviews = len(reviews)

    def run(self) -> Summary:
        if generated_exists():
            raise AlreadyGenerated("Databasen har allerede nasjonale syntetiske data.")
        with transaction.atomic():
            self.progress("tjenester og team")
            plans = self.services()
            self.progress("ansatte")
            self.staff(plans)
            self.pathways(plans)
            self.progress("modelltrohet")
            self.fidelity(plans)
        return self.summary


def generate(
    *, years: int, scale: float, seed: int, last_year: int, progress: Callable[[str], None] | None = None
) -> Summary:
    return Generator(years=years, scale=scale, seed=seed, last_year=last_year, progress=progress).run()
