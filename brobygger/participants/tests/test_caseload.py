"""The caseload's figures and alerts (participants/caseload.py): both sides of every limit, and a fixed number of
queries however many participants there are."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import JobSpecialist, Membership, Municipality, Role, TreatmentTeam, User
from brobygger.participants import caseload, identity, services
from brobygger.participants.access import caseload_periods
from brobygger.participants.models import Contact, Education, EmployerContact, Job, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS

REFERRED = date(2026, 3, 2)
START = date(2026, 3, 10)
# One year from 10.03.2026 lasts to and including 09.03.2027 (§ 3-5).
LAST_DAY = date(2027, 3, 9)
TEAM = "Nordre Aker psykisk helseteam"


class Periods:
    """Makes participants with a period through the service functions, as the pages would."""

    def __init__(self, personas):
        self.personas = personas
        self.actor = personas["jobbspesialist"]
        self.count = 0
        self.municipality = Municipality.objects.get(number="0301", valid_to__isnull=True)

    def make(
        self,
        *,
        start: date | None = START,
        referred_on: date = REFERRED,
        specialist: User | str | None = "jobbspesialist",
        team: str = TEAM,
        born: date | None = None,
        last_name: str | None = None,
        reduced_work_capacity: bool = False,
    ) -> Period:
        self.count += 1
        born = born or date(1980, 1, 1) + timedelta(days=self.count)
        participant = services.participant_register(
            actor=self.actor,
            identity_number=identity.synthetic_identity_number(born, 0),
            municipality=self.municipality,
            first_name="Test",
            last_name=last_name or f"Person {self.count:03d}",
            reduced_work_capacity_assessed_on=date(2025, 1, 1) if reduced_work_capacity else None,
        )
        referral = services.referral_create(
            actor=self.personas["behandler"],
            participant=participant,
            team=TreatmentTeam.objects.get(name=team),
            clinician=self.personas["behandler"],
            referred_on=referred_on,
            goals="Jobb",
            facts=ELIGIBLE_FACTS,
            consent_given_on=referred_on,
            consent_method=Referral.ConsentMethod.WRITTEN,
        )
        if isinstance(specialist, str):
            specialist = self.personas[specialist]
        period = services.referral_accept(
            actor=self.actor, referral=referral, on=referred_on, job_specialist=specialist
        )
        if start is not None:
            period = services.period_start(
                actor=self.actor, period=period, start_date=start, expected_revision=period.revision
            )
        return period

    def employer(self, serial: int = 500):
        return services.employer_register(
            actor=self.actor, name=f"Arbeidsgiver {serial} AS", orgnr=synthetic_orgnr(serial)
        )

    def employer_contact(self, period: Period, on: date, *, employer=None, face_to_face=True) -> EmployerContact:
        return services.employer_contact_record(
            actor=self.actor,
            employer=employer or self.employer(),
            on=on,
            face_to_face=face_to_face,
            purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS,
            participants=[period.participant],
        )

    def plan(self, period: Period, on: date = START):
        return services.plan_create(actor=self.actor, period=period, purpose="Komme i arbeid", on=on)

    def revise(self, plan, on: date):
        return services.plan_revise(
            actor=self.actor,
            plan=plan,
            on=on,
            content="Søke jobber",
            participant_took_part=True,
            clinician_took_part=True,
            job_specialist_took_part=True,
        )

    def contact(self, period: Period, on: date, kind: str = Contact.Kind.BENEFITS_COUNSELLING) -> Contact:
        place = Contact.Place.OFFICE if kind in Contact.KINDS_WITH_PLACE else ""
        return services.contact_record(actor=self.actor, period=period, kind=kind, on=on, place=place)

    def job(self, period: Period, on: date, employer=None) -> Job:
        return services.job_register(
            actor=self.actor,
            period=period,
            employer=employer or self.employer(600 + self.count),
            title="Butikkmedarbeider",
            job_type=Job.JobType.RETAIL,
            start_date=on,
            hours_per_week=Decimal("20"),
            open_labour_market=True,
            paid_at_least_normal_rate=True,
            open_to_anyone=True,
        )


@pytest.fixture
def periods(personas):
    return Periods(personas)


def status_on(period: Period, on: date) -> caseload.PeriodStatus:
    (status,) = caseload.period_statuses(Period.objects.filter(pk=period.pk), on=on)
    return status


def codes(status: caseload.PeriodStatus, kind: str | None = None) -> set[str]:
    return {alert.code for alert in status.alerts if kind is None or alert.kind == kind}


# First employer contact (IPS principle 6, rule "forste-arbeidsgiverkontakt")


def test_no_employer_contact_is_not_flagged_on_day_30_and_shows_the_deadline(periods):
    period = periods.make()
    status = status_on(period, START + timedelta(days=30))
    assert codes(status, caseload.EMPLOYER_CONTACT) == set()
    assert caseload.Deadline(caseload.EMPLOYER_CONTACT, "Første arbeidsgiverkontakt", START + timedelta(days=30)) in (
        status.deadlines
    )


def test_no_employer_contact_is_flagged_on_day_31_with_the_rules_text_and_reference(periods):
    period = periods.make()
    status = status_on(period, START + timedelta(days=31))
    (alert,) = [alert for alert in status.alerts if alert.kind == caseload.EMPLOYER_CONTACT]
    assert alert.code == "FORSTE_KONTAKT_FORFALT"
    assert alert.severity == caseload.DANGER
    assert "09.04.2026" in alert.text
    assert "IPS-kvalitetsskala (IPS-25) punkt 15" in alert.reference


def test_an_employer_contact_for_the_participant_after_the_start_clears_the_alert(periods):
    period = periods.make()
    periods.employer_contact(period, START + timedelta(days=5))
    assert codes(status_on(period, START + timedelta(days=31)), caseload.EMPLOYER_CONTACT) == set()


def test_a_contact_before_the_start_or_for_someone_else_does_not_count(periods):
    period = periods.make()
    other = periods.make()
    employer = periods.employer()
    periods.employer_contact(period, START - timedelta(days=1), employer=employer)
    periods.employer_contact(other, START + timedelta(days=3), employer=employer)
    assert codes(status_on(period, START + timedelta(days=31)), caseload.EMPLOYER_CONTACT) == {"FORSTE_KONTAKT_FORFALT"}


def test_a_phone_call_is_not_the_first_face_to_face_contact(periods):
    period = periods.make()
    periods.employer_contact(period, START + timedelta(days=5), face_to_face=False)
    assert codes(status_on(period, START + timedelta(days=31)), caseload.EMPLOYER_CONTACT) == {"FORSTE_KONTAKT_FORFALT"}


# The follow-up plan (§ 3-3, rule "plan-oppdatert", 90 days by default)


def test_a_started_period_without_a_plan_is_flagged(periods):
    period = periods.make()
    status = status_on(period, START)
    assert codes(status, caseload.PLAN) == {"PLAN_MANGLER"}
    assert "§ 3-3" in status.alerts[[a.kind for a in status.alerts].index(caseload.PLAN)].reference


def test_a_plan_made_after_the_evaluation_day_does_not_count_yet(periods):
    period = periods.make()
    periods.plan(period, on=START + timedelta(days=10))
    assert codes(status_on(period, START + timedelta(days=9)), caseload.PLAN) == {"PLAN_MANGLER"}
    assert codes(status_on(period, START + timedelta(days=10)), caseload.PLAN) == set()


def test_a_plan_is_up_to_date_at_the_limit_and_stale_one_day_over(periods):
    period = periods.make()
    periods.plan(period, on=START)
    at_limit = status_on(period, START + timedelta(days=90))
    assert codes(at_limit, caseload.PLAN) == set()
    assert caseload.Deadline(caseload.PLAN, "Revidere oppfølgingsplanen", START + timedelta(days=90)) in (
        at_limit.deadlines
    )
    over = status_on(period, START + timedelta(days=91))
    (alert,) = [alert for alert in over.alerts if alert.kind == caseload.PLAN]
    assert alert.code == "PLAN_OPPDATERT_IKKE_OPPFYLT"
    assert "91 dager" in alert.text
    assert "Egenregiforskriften § 3-3" in alert.reference


def test_the_plans_age_runs_from_its_last_revision(periods):
    period = periods.make()
    plan = periods.plan(period, on=START)
    revised = START + timedelta(days=50)
    periods.revise(plan, revised)
    assert codes(status_on(period, revised + timedelta(days=90)), caseload.PLAN) == set()
    assert codes(status_on(period, revised + timedelta(days=91)), caseload.PLAN) == {"PLAN_OPPDATERT_IKKE_OPPFYLT"}


# The last permitted day (§ 3-5) and extension (rule "forlengelse")


def test_the_last_day_is_not_flagged_61_days_ahead(periods):
    period = periods.make()
    status = status_on(period, LAST_DAY - timedelta(days=61))
    assert codes(status, caseload.DURATION) == set()
    assert status.extension is None
    assert caseload.Deadline(caseload.DURATION, "Siste dag i tiltaket", LAST_DAY) in status.deadlines


def test_the_last_day_is_flagged_60_days_ahead_with_why_no_extension_is_possible(periods):
    period = periods.make()
    status = status_on(period, LAST_DAY - timedelta(days=60))
    (alert,) = [alert for alert in status.alerts if alert.kind == caseload.DURATION]
    assert alert.code == "VARIGHET_SNART_SLUTT"
    assert alert.severity == caseload.WARNING
    assert "09.03.2027, om 60 dager" in alert.text
    assert "Bare deltakere i IPS ung kan få forlenget tiltaket." in alert.text
    assert "Egenregiforskriften § 3-5" in alert.reference
    assert status.extension_possible is False


def test_an_ips_ung_participant_in_education_is_told_the_extension_is_possible(periods):
    period = periods.make(born=date(2005, 6, 1))
    assert period.track == Period.Track.IPS_UNG
    services.education_register(
        actor=periods.actor,
        period=period,
        level=Education.Level.UPPER_SECONDARY,
        institution="Testskolen",
        start_date=START + timedelta(days=20),
    )
    status = status_on(period, LAST_DAY - timedelta(days=30))
    (alert,) = [alert for alert in status.alerts if alert.kind == caseload.DURATION]
    assert "Forlengelse er mulig, til og med 09.03.2028." in alert.text
    assert "Egenregiforskriften § 3-6" in alert.reference
    assert status.extension_possible is True


def test_a_period_past_its_last_day_is_flagged_as_expired(periods):
    period = periods.make()
    assert codes(status_on(period, LAST_DAY), caseload.DURATION) == {"VARIGHET_SNART_SLUTT"}
    expired = status_on(period, LAST_DAY + timedelta(days=1))
    assert codes(expired, caseload.DURATION) == {"VARIGHET_UTLOPT"}
    assert expired.severity == caseload.DANGER


# Waiting since the referral (setting CASELOAD_WAITING_ALERT_DAYS)


def test_waiting_is_not_flagged_at_the_default_limit_and_flagged_one_day_over(periods, settings):
    assert settings.CASELOAD_WAITING_ALERT_DAYS == 30
    period = periods.make(start=None)
    at_limit = status_on(period, REFERRED + timedelta(days=30))
    assert at_limit.waiting_days == 30
    assert codes(at_limit) == set()
    over = status_on(period, REFERRED + timedelta(days=31))
    (alert,) = over.alerts
    assert (alert.kind, alert.code) == (caseload.WAITING, "VENTETID_OVER_GRENSE")
    assert "31 dager (grense 30)" in alert.text


def test_the_waiting_limit_follows_the_setting(periods, settings):
    settings.CASELOAD_WAITING_ALERT_DAYS = 10
    period = periods.make(start=None)
    assert codes(status_on(period, REFERRED + timedelta(days=10))) == set()
    assert codes(status_on(period, REFERRED + timedelta(days=11))) == {"VENTETID_OVER_GRENSE"}


def test_a_started_period_reports_its_waiting_time_as_the_grant_report_defines_it(periods):
    period = periods.make()
    status = status_on(period, START + timedelta(days=100))
    assert status.waiting_days == (START - REFERRED).days
    assert status.days_since_start == 100
    assert codes(status, caseload.WAITING) == set()


# Benefits counselling (IPS principle 5)


def test_no_benefits_counselling_since_the_start_is_flagged(periods):
    period = periods.make()
    periods.contact(period, START + timedelta(days=2), kind=Contact.Kind.PARTICIPANT_MEETING)
    status = status_on(period, START + timedelta(days=3))
    assert codes(status, caseload.BENEFITS) == {"OKONOMIVEILEDNING_MANGLER"}
    assert "IPS-prinsipp 5" in next(a.reference for a in status.alerts if a.kind == caseload.BENEFITS)


def test_benefits_counselling_after_the_start_clears_the_alert(periods):
    period = periods.make()
    periods.contact(period, START + timedelta(days=2))
    assert codes(status_on(period, START + timedelta(days=1)), caseload.BENEFITS) == {"OKONOMIVEILEDNING_MANGLER"}
    assert codes(status_on(period, START + timedelta(days=2)), caseload.BENEFITS) == set()


# Caseload per full-time position (IPS-25 item 1, rule "saksmengde")


@pytest.mark.parametrize(("fraction", "limit"), [(Decimal("1.00"), 20), (Decimal("0.50"), 10)])
def test_the_caseload_is_within_the_limit_at_20_per_fte_and_over_at_21(personas, periods, fraction, limit):
    specialist = personas["jobbspesialist"]
    JobSpecialist.objects.filter(user=specialist).update(position_fraction=fraction)
    for _ in range(limit):
        periods.make(start=None)
    periods.make(start=None, specialist=None)
    within = caseload.own_caseload(specialist, caseload_periods(specialist), on=START).load
    assert (within.active, within.result.outcome, within.alert) == (limit, "innenfor", None)
    assert within.per_fte == Decimal("20.0")

    periods.make(start=None)
    over = caseload.own_caseload(specialist, caseload_periods(specialist), on=START).load
    assert (over.active, over.result.outcome) == (limit + 1, "over")
    assert over.alert.code == "SAKSMENGDE_IKKE_OPPFYLT"
    assert over.alert.reference.startswith("IPS-kvalitetsskala (IPS-25) punkt 1")


def test_a_closed_period_leaves_the_caseload(personas, periods):
    period = periods.make()
    periods.make()
    services.period_close(
        actor=periods.actor,
        period=period,
        on=START + timedelta(days=1),
        reason="moved",
        expected_revision=period.revision,
    )
    own = caseload.own_caseload(periods.actor, caseload_periods(periods.actor), on=START + timedelta(days=2))
    assert own.load.active == 1
    assert [status.period.pk for status in own.periods] != [period.pk]
    assert len(own.periods) == 1


def test_without_a_registered_position_the_caseload_is_not_assessed(personas, periods):
    JobSpecialist.objects.filter(user=periods.actor).delete()
    periods.make()
    load = caseload.own_caseload(periods.actor, caseload_periods(periods.actor), on=START).load
    assert (load.active, load.result, load.alert) == (1, None, None)


# Sorting


def test_urgency_puts_overdue_before_warnings_before_the_rest(periods):
    on = START + timedelta(days=31)
    calm = periods.make(start=None, referred_on=on - timedelta(days=5), last_name="Aa")
    waiting = periods.make(start=None, referred_on=REFERRED, last_name="Bb")
    overdue = periods.make(last_name="Cc")
    statuses = caseload.period_statuses(Period.objects.all(), on=on)
    ordered = [s.period.pk for s in caseload.sort_periods(statuses, caseload.URGENCY)]
    assert ordered == [overdue.pk, waiting.pk, calm.pk]
    by_name = [s.period.pk for s in caseload.sort_periods(statuses, caseload.NAME)]
    assert by_name == [calm.pk, waiting.pk, overdue.pk]
    assert caseload.sort_periods(statuses, "ukjent") == caseload.sort_periods(statuses, caseload.URGENCY)


# The leader's view


def test_the_service_view_groups_by_specialist_lists_empty_caseloads_and_unassigned(personas, periods):
    leader = personas["ips-leder"]
    periods.make()
    periods.make(start=None)
    colleague = User.objects.get(username="js-0-2")
    periods.make(specialist=colleague)
    unassigned = periods.make(specialist=None)
    (overview,) = caseload.service_caseloads(
        [TreatmentTeam.objects.get(name=TEAM).service], caseload_periods(leader), on=START + timedelta(days=31)
    )
    by_user = {group.load.user.username: group for group in overview.specialists}
    assert set(by_user) == {"jobbspesialist", "js-0-1", "js-0-2"}
    assert len(by_user["jobbspesialist"].periods) == 2
    assert by_user["js-0-1"].periods == []
    assert by_user["js-0-2"].load.position_fraction == Decimal("0.50")
    assert by_user["jobbspesialist"].alert_counts[caseload.EMPLOYER_CONTACT] == 1
    assert [status.period.pk for status in overview.unassigned] == [unassigned.pk]
    assert overview.total_fte == Decimal("2.50")
    # The service as a whole: four open periods on 2.5 positions.
    assert (overview.result.outcome, overview.per_fte) == ("innenfor", Decimal("1.6"))


# The weekly treatment-team meeting


def test_the_meeting_shows_the_weeks_changes_and_nothing_older(periods):
    on = START + timedelta(days=30)
    since = on - timedelta(days=6)
    period = periods.make()
    quiet = periods.make()
    plan = periods.plan(period, on=START)
    periods.revise(plan, since)
    periods.employer_contact(period, since - timedelta(days=1))
    periods.employer_contact(period, on, employer=periods.employer(501))
    periods.contact(period, since + timedelta(days=1))
    periods.job(period, on)
    closed = periods.make()
    services.period_close(
        actor=periods.actor,
        period=closed,
        on=since + timedelta(days=2),
        reason="moved",
        expected_revision=closed.revision,
    )
    team = TreatmentTeam.objects.get(name=TEAM)
    meeting = caseload.team_meeting(team, caseload_periods(periods.actor), on=on)
    assert (meeting.since, meeting.on) == (since, on)
    entries = {entry.period.pk: entry for entry in meeting.entries}
    assert set(entries) == {period.pk, quiet.pk, closed.pk}
    changes = [(change.day, change.kind) for change in entries[period.pk].changes]
    # By day; within a day in a fixed order (status, jobs, education, employer contacts, contacts, plan).
    assert changes == [
        (since, "Oppfølgingsplan"),
        (since + timedelta(days=1), "Kontakt"),
        (on, "Status"),
        (on, "Ny jobb"),
        (on, "Arbeidsgiverkontakt"),
    ]
    assert entries[quiet.pk].changes == []
    assert entries[closed.pk].status is None
    assert [change.kind for change in entries[closed.pk].changes] == ["Status"]
    assert "Avsluttet" in entries[closed.pk].changes[0].text


def test_the_meeting_lists_only_the_teams_participants(personas, periods):
    periods.make()
    other = periods.make(team="DPS Nord allmennteam")
    team = TreatmentTeam.objects.get(name=TEAM)
    meeting = caseload.team_meeting(team, caseload_periods(personas["jobbspesialist"]), on=START)
    assert other.pk not in {entry.period.pk for entry in meeting.entries}
    assert len(meeting.entries) == 1


# A fixed number of queries


def _rich_periods(periods, count: int, serial: int) -> None:
    """``count`` periods, two in three started with a plan, a revision, contacts and a job."""
    employer = periods.employer(serial)
    for number in range(count):
        period = periods.make(start=START if number % 3 else None)
        if period.start_date is None:
            continue
        plan = periods.plan(period)
        periods.revise(plan, START + timedelta(days=3))
        periods.employer_contact(period, START + timedelta(days=2), employer=employer)
        periods.contact(period, START + timedelta(days=4))
        periods.job(period, START + timedelta(days=5), employer=employer)


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_caseload(personas, periods):
    specialist, leader = personas["jobbspesialist"], personas["ips-leder"]
    team = TreatmentTeam.objects.select_related("service").get(name=TEAM)
    on = START + timedelta(days=6)

    def run_all():
        return {
            "own": _queries(lambda: caseload.own_caseload(specialist, caseload_periods(specialist), on=on)),
            "service": _queries(lambda: caseload.service_caseloads([team.service], caseload_periods(leader), on=on)),
            "meeting": _queries(lambda: caseload.team_meeting(team, caseload_periods(specialist), on=on)),
        }

    _rich_periods(periods, 3, 700)
    few = run_all()
    _rich_periods(periods, 12, 701)
    assert len(caseload.own_caseload(specialist, caseload_periods(specialist), on=on).periods) == 15
    many = run_all()
    assert many == few
    assert few == {"own": 3, "service": 4, "meeting": 10}


def test_a_participant_in_another_team_is_not_in_a_specialists_caseload(personas, periods):
    outsider_team = TreatmentTeam.objects.get(name="FACT Tromsø")
    outsider = User.objects.create(username="annen-js", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=outsider, service=outsider_team.service, team=outsider_team)
    # Even assigned to the outsider, a period in a team they do not belong to stays out of their view.
    periods.make(specialist=outsider)
    own = caseload.own_caseload(outsider, caseload_periods(outsider), on=START)
    assert own.periods == []
