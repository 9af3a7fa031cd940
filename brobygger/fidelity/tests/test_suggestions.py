"""Suggested scores from the pathway data: each measure on a small dataset whose figure is worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import IpsService, JobSpecialist, Membership, Municipality, Organisation, Role, User
from brobygger.fidelity import suggestions
from brobygger.participants.models import Contact, Employer, EmployerContact, Job, Participant, Period, Referral

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 3, 31)


class Data:
    """Builds a small pathway dataset directly, so each test controls exactly what is counted."""

    def __init__(self, personas, service: IpsService):
        self.service = service
        self.clinician = personas["behandler"]
        self.specialist = personas["jobbspesialist"]
        self.teams = {team.name: team for team in service.teams.all()}
        self.municipality = Municipality.objects.get(number="0301", valid_to__isnull=True)
        self.serial = 0
        self.employers: dict[str, Employer] = {}

    def person(self) -> Participant:
        self.serial += 1
        return Participant.objects.create(
            identity_encrypted="-",
            identity_hash=f"test-{self.serial}",
            birth_date=date(1990, 1, 1),
            first_name="Test",
            last_name=str(self.serial),
            municipality=self.municipality,
            is_synthetic=True,
        )

    def period(self, start, *, closed=None, specialist="default", team="Nordre Aker psykisk helseteam", service=None):
        participant = self.person()
        referral = Referral.objects.create(
            participant=participant,
            team=self.teams.get(team) or IpsService.objects.get(pk=service.pk).teams.first(),
            clinician=self.clinician,
            referred_on=(start or START) - timedelta(days=10),
            goals="Jobb",
            eligibility_outcome="oppfylt",
            eligibility={},
            decision=Referral.Decision.ACCEPTED,
        )
        return Period.objects.create(
            participant=participant,
            referral=referral,
            service=service or self.service,
            job_specialist=self.specialist if specialist == "default" else specialist,
            status=Period.Status.CLOSED if closed else Period.Status.JOB_SEARCH if start else Period.Status.WAITING,
            start_date=start,
            track=Period.Track.IPS,
            closed_on=closed,
            closure_reason=Period.ClosureReason.OTHER if closed else "",
        )

    def employer(self, name: str) -> Employer:
        if name not in self.employers:
            self.employers[name] = Employer.objects.create(
                name=name, orgnr=synthetic_orgnr(500 + len(self.employers)), is_synthetic=True
            )
        return self.employers[name]

    def job(self, period, start, *, title="Butikkmedarbeider", employer="Kiwi", ordinary=True):
        return Job.objects.create(
            period=period,
            employer=self.employer(employer),
            title=title,
            job_type=Job.JobType.RETAIL,
            start_date=start,
            hours_per_week=Decimal("20"),
            open_labour_market=ordinary,
            paid_at_least_normal_rate=True,
            open_to_anyone=ordinary,
            counts_as_outcome=ordinary,
        )

    def contact(self, period, day, kind=Contact.Kind.PARTICIPANT_MEETING, place=Contact.Place.OFFICE):
        return Contact.objects.create(period=period, kind=kind, date=day, place=place, recorded_by=self.specialist)

    def employer_contact(self, day, *, period=None, face_to_face=True, specialist=None):
        contact = EmployerContact.objects.create(
            job_specialist=specialist or self.specialist,
            employer=self.employer("Kiwi"),
            date=day,
            face_to_face=face_to_face,
            purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS if period else EmployerContact.Purpose.JOB_DEVELOPMENT,
        )
        if period:
            contact.participants.add(period.participant)
        return contact

    def only_specialists(self, *fractions: tuple[User, str]) -> None:
        """Make the unit exactly these specialists with these position fractions."""
        JobSpecialist.objects.filter(unit__service=self.service).exclude(
            user__in=[user for user, _ in fractions]
        ).delete()
        for user, fraction in fractions:
            JobSpecialist.objects.update_or_create(
                user=user,
                defaults={
                    "unit": self.service.unit,
                    "position_fraction": Decimal(fraction),
                    "employer_kind": JobSpecialist.Employer.NAV,
                    "employer": Organisation.objects.filter(org_type=Organisation.Type.NAV_OFFICE).first(),
                },
            )

    def colleague(self, username: str, team: str) -> User:
        user = User.objects.create(username=username, role=Role.JOB_SPECIALIST)
        Membership.objects.create(user=user, service=self.service, team=self.teams[team])
        return user


@pytest.fixture
def data(personas, service):
    return Data(personas, service)


@pytest.fixture
def other_service(personas):
    return IpsService.objects.get(name="IPS Tromsø")


def test_caseload_counts_the_periods_active_on_the_last_day_per_full_time_specialist(data, other_service):
    data.only_specialists((data.specialist, "0.2"))
    for start in (date(2025, 6, 1), date(2025, 11, 1), date(2026, 1, 15), date(2026, 3, 31)):
        data.period(start)
    data.period(date(2025, 5, 1), closed=date(2026, 4, 2))  # still active on 31 March
    data.period(date(2025, 5, 1), closed=date(2026, 3, 31))  # closed that day: not active
    data.period(date(2026, 4, 1))  # starts after the period
    data.period(None)  # waiting to start
    data.period(date(2025, 5, 1), service=other_service)
    # 5 active / 0.2 FTE = 25.0 per FTE: «21-25», score 4.
    measurement = suggestions.caseload(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("25.0"), 5)
    assert measurement.explanation == (
        "5 deltakere hadde et aktivt forløp 31.03.2026, og jobbspesialistene i enheten har til sammen 0,2 årsverk: "
        "5 / 0,2 = 25 per årsverk."
    )


def test_team_assignment_counts_the_caseload_from_the_specialists_own_teams(data):
    colleague = data.colleague("js-nordre-aker", "Nordre Aker psykisk helseteam")
    for _ in range(3):
        data.period(date(2025, 10, 1), team="DPS Nord allmennteam")  # the persona belongs to both teams
    data.period(date(2025, 10, 1), specialist=colleague)  # from the colleague's own team
    data.period(date(2025, 10, 1), specialist=colleague, team="DPS Nord allmennteam")  # not the colleague's team
    data.period(date(2025, 10, 1), specialist=None)  # no specialist yet: not counted
    # 4 of 5 = 80.0 %: score 4.
    measurement = suggestions.team_assignment(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("80.0"), 5)
    assert "Av 5 aktive forløp med jobbspesialist 31.03.2026 kom 4 fra et behandlingsteam" in measurement.explanation


def test_benefits_counselling_before_the_job_start(data):
    counselled_before, counselled_same_day, counselled_after, never, earlier = (
        data.period(date(2025, 10, 1)) for _ in range(5)
    )
    benefits = Contact.Kind.BENEFITS_COUNSELLING
    data.contact(counselled_before, date(2026, 1, 5), benefits)
    data.job(counselled_before, date(2026, 1, 10))
    data.contact(counselled_same_day, date(2026, 2, 1), benefits)
    data.job(counselled_same_day, date(2026, 2, 1))
    data.contact(counselled_after, date(2026, 2, 11), benefits)
    data.job(counselled_after, date(2026, 2, 10))
    data.job(never, date(2026, 3, 1))
    data.contact(earlier, date(2025, 11, 1), benefits)
    data.job(earlier, date(2025, 12, 1))  # started before the period
    # 2 of 4 job starts = 50.0 %: score 3.
    measurement = suggestions.benefits_before_start(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("50.0"), 4)


def test_days_to_the_first_face_to_face_employer_contact_is_a_median(data):
    first = data.period(date(2026, 1, 5))
    data.employer_contact(date(2026, 1, 3), period=first)  # before the start
    data.employer_contact(date(2026, 1, 6), period=first, face_to_face=False)  # by phone
    data.employer_contact(date(2026, 1, 20), period=first)  # 15 days
    second = data.period(date(2026, 1, 10))
    data.employer_contact(date(2026, 3, 1), period=second)  # 50 days
    data.period(date(2026, 2, 1))  # none yet: 58 days to 31 March, at least
    late = data.period(date(2026, 2, 15))
    data.employer_contact(date(2026, 4, 10), period=late)  # after the period: 44 days to 31 March, at least
    data.period(date(2025, 12, 1))  # started before the period
    # Median of 15, 44, 50 and 58 = (44 + 50) / 2 = 47.0 days: «31-60», score 4.
    measurement = suggestions.days_to_employer_contact(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("47.0"), 4)
    assert "2 av dem hadde ingen slik kontakt innen 31.03.2026" in measurement.explanation


def test_employer_contacts_per_full_time_specialist_per_week(data, personas, other_service):
    colleague = data.colleague("js-halv", "Nordre Aker psykisk helseteam")
    data.only_specialists((data.specialist, "1.00"), (colleague, "0.50"))
    start, end = date(2026, 3, 1), date(2026, 3, 14)  # two weeks
    for day in range(10):
        data.employer_contact(start + timedelta(days=day))
    for day in range(5):
        data.employer_contact(end - timedelta(days=day), specialist=colleague)
    data.employer_contact(start, face_to_face=False)  # by phone
    data.employer_contact(date(2026, 2, 28))  # before the period
    outsider = User.objects.get(username="js-2-1")  # a specialist of IPS Tromsø
    data.employer_contact(start, specialist=outsider)
    # 15 contacts / 1.5 FTE / 2 weeks = 5.0: score 4.
    measurement = suggestions.employer_contacts_per_week(data.service, start, end)
    assert (measurement.figure, measurement.n) == (Decimal("5.0"), 15)
    assert measurement.explanation == (
        "15 arbeidsgiverkontakter ansikt til ansikt fra 01.03.2026 til 14.03.2026 (2 uker), delt på 1,5 årsverk: "
        "5 per årsverk per uke."
    )


def test_diversity_of_job_types_and_employers_and_the_share_of_ordinary_jobs(data, other_service):
    period = data.period(date(2025, 10, 1))
    data.job(period, date(2026, 1, 10), title="Butikkmedarbeider", employer="Kiwi")
    data.job(period, date(2026, 2, 10), title="butikkmedarbeider ", employer="Kiwi")
    data.job(period, date(2026, 3, 10), title="Lagerarbeider", employer="Posten")
    data.job(period, date(2026, 3, 20), title="Kokk", employer="Kafé", ordinary=False)
    data.job(period, date(2025, 12, 1), title="Sjåfør", employer="Taxi")  # before the period
    data.job(data.period(date(2025, 10, 1), service=other_service), date(2026, 1, 10), title="Maler", employer="Malern")
    # 3 different titles of 4 jobs = 75.0 % (score 4); 3 employers of 4 = 75.0 % (4); 3 ordinary of 4 = 75.0 % (3).
    for measure in (suggestions.job_type_diversity, suggestions.employer_diversity, suggestions.competitive_jobs):
        measurement = measure(data.service, START, END)
        assert (measurement.figure, measurement.n) == (Decimal("75.0"), 4), measure.__name__


def test_follow_along_within_three_days_of_the_job_start(data):
    on_time, on_day_three, too_late, never = (data.period(date(2025, 10, 1)) for _ in range(4))
    data.job(on_time, date(2026, 2, 1))
    data.contact(on_time, date(2026, 2, 3), Contact.Kind.FOLLOW_ALONG, Contact.Place.COMMUNITY)
    data.job(on_day_three, date(2026, 2, 10))
    data.contact(on_day_three, date(2026, 2, 13))
    data.job(too_late, date(2026, 2, 20))
    data.contact(too_late, date(2026, 2, 19), Contact.Kind.FOLLOW_ALONG)  # before the start
    data.contact(too_late, date(2026, 2, 24), Contact.Kind.FOLLOW_ALONG)  # four days after
    data.job(never, date(2026, 3, 1))
    data.contact(never, date(2026, 3, 2), Contact.Kind.TEAM_MEETING, place="")  # not a contact with the person
    # 2 of 4 = 50.0 %: score 3.
    measurement = suggestions.follow_along_after_start(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("50.0"), 4)


def test_the_share_of_meetings_in_the_community(data, other_service):
    period = data.period(date(2025, 10, 1))
    data.contact(period, date(2026, 1, 5), place=Contact.Place.COMMUNITY)
    data.contact(period, date(2026, 2, 5), Contact.Kind.FOLLOW_ALONG, Contact.Place.COMMUNITY)
    data.contact(period, date(2026, 2, 6), place=Contact.Place.OFFICE)
    data.contact(period, date(2026, 3, 6), Contact.Kind.BENEFITS_COUNSELLING, Contact.Place.DIGITAL)
    data.contact(period, date(2026, 3, 7), Contact.Kind.TEAM_MEETING, place="")  # no place: not a meeting with them
    data.contact(period, date(2025, 12, 30), place=Contact.Place.COMMUNITY)  # before the period
    data.contact(data.period(date(2025, 10, 1), service=other_service), date(2026, 1, 5), place=Contact.Place.OFFICE)
    # 2 of 4 = 50.0 %: score 4.
    measurement = suggestions.community_contacts(data.service, START, END)
    assert (measurement.figure, measurement.n) == (Decimal("50.0"), 4)


def test_no_data_gives_no_figure_and_no_score(data, ips25):
    for key in suggestions.COMPUTE:
        assert suggestions.measure(key, data.service, date(2030, 1, 1), date(2030, 3, 31)).figure is None, key
    item = ips25.items.get(number=21)
    suggestion = suggestions.suggest(item.measure, data.service, START, END)
    assert (suggestion["figure"], suggestion["score"], suggestion["band"]) == (None, None, "")
    assert suggestion["explanation"] == "Ingen jobbstarter i perioden."


def test_a_suggestion_carries_the_figure_the_band_and_how_it_was_computed(data, ips25):
    data.only_specialists((data.specialist, "0.2"))
    for _ in range(5):
        data.period(date(2025, 6, 1))
    suggestion = suggestions.suggest(ips25.items.get(number=1).measure, data.service, START, END)
    assert {key: suggestion[key] for key in ("measure", "figure", "figure_text", "n", "score", "band", "verified")} == {
        "measure": "caseload",
        "figure": "25.0",
        "figure_text": "25",
        "n": 5,
        "score": 4,
        "band": "over 20 og høyst 25",
        "verified": True,
    }
    assert suggestion["unit"] == "per årsverk" and "5 / 0,2 = 25" in suggestion["explanation"]


@pytest.mark.parametrize(
    ("item", "figure", "score", "band"),
    [
        (1, "20", 5, "høyst 20"),
        (1, "20.1", 4, "over 20 og høyst 25"),
        (1, "41", 1, "over 40"),
        (21, "95", 5, "minst 95"),
        (21, "94.9", 4, "minst 85 og under 95"),
        (21, "63.9", 1, "under 64"),
        (17, "2", 2, "minst 2 og under 4"),
        (4, "49.9", 2, "under 50"),
    ],
)
def test_the_band_a_figure_falls_in(ips25, item, figure, score, band):
    spec = ips25.items.get(number=item).measure
    assert suggestions.score_from_measure(Decimal(figure), spec) == score
    assert suggestions.band_text(spec, score) == band
