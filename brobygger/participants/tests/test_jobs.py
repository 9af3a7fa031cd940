"""Employers, employer contacts and jobs through the service functions, with the principle-2 rule applied."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.audit.models import AuditEvent
from brobygger.participants import services
from brobygger.participants.models import Employer, EmployerContact, Job, Period
from brobygger.participants.tests.conftest import START, audited, register_job


def test_an_employer_is_registered_once_per_organisation_number(personas, employer):
    assert employer.is_synthetic
    assert audited(employer)
    with pytest.raises(ValidationError) as error:
        services.employer_register(actor=personas["ips-leder"], name="Samme AS", orgnr=synthetic_orgnr(500))
    assert "orgnr" in error.value.message_dict
    assert Employer.objects.count() == 1


def test_it_rejects_an_invalid_organisation_number(personas):
    bad = synthetic_orgnr(501)[:-1] + str((int(synthetic_orgnr(501)[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.employer_register(actor=personas["jobbspesialist"], name="Feil AS", orgnr=bad)
    assert "orgnr" in error.value.message_dict
    assert not Employer.objects.exists()


def test_an_employer_contact_is_recorded_for_the_specialist_with_its_participants(personas, employer, participant):
    contact = services.employer_contact_record(
        actor=personas["jobbspesialist"],
        employer=employer,
        on=date(2026, 3, 12),
        face_to_face=True,
        purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS,
        participants=[participant],
        result="Avtalt intervju",
    )
    assert contact.job_specialist == personas["jobbspesialist"]
    assert list(contact.participants.all()) == [participant]
    event = AuditEvent.objects.get(object_type="participants.employercontact", action="create")
    assert event.after["participants"] == [participant.pk]


def test_a_contact_for_named_participants_must_name_them(personas, employer):
    with pytest.raises(ValidationError) as error:
        services.employer_contact_record(
            actor=personas["jobbspesialist"],
            employer=employer,
            on=date(2026, 3, 12),
            face_to_face=False,
            purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS,
        )
    assert "participants" in error.value.message_dict
    assert not EmployerContact.objects.exists()


def test_it_rejects_a_contact_in_the_future(personas, employer):
    with pytest.raises(ValidationError) as error:
        services.employer_contact_record(
            actor=personas["jobbspesialist"],
            employer=employer,
            on=date.today() + timedelta(days=1),
            face_to_face=False,
            purpose=EmployerContact.Purpose.JOB_DEVELOPMENT,
        )
    assert "date" in error.value.message_dict


def test_an_ordinary_job_counts_and_moves_the_period_to_follow_along(personas, period, employer):
    job = register_job(personas, period, employer)
    assert job.counts_as_outcome
    assert job.ordinary_work["rule"] == "ordinaert-arbeid"
    assert job.ordinary_work["outcome"] == "ordinaert"
    assert job.ordinary_work["version"]["id"]
    assert all("IPS-prinsipp 2" in reason["reference"] for reason in job.ordinary_work["reasons"])
    assert audited(job)
    period = Period.objects.get(pk=period.pk)
    assert period.status == Period.Status.FOLLOW_ALONG
    assert [(row.status, row.valid_from) for row in period.status_history.all()] == [
        ("waiting", date(2026, 3, 3)),
        ("job_search", START),
        ("follow_along", date(2026, 4, 1)),
    ]
    assert AuditEvent.objects.filter(object_type="participants.period", action="update").count() == 2


def test_a_second_job_leaves_the_status_history_alone(personas, period, employer):
    register_job(personas, period, employer)
    register_job(personas, period, employer, title="Kassemedarbeider", start_date=date(2026, 5, 1))
    assert period.status_history.filter(status="follow_along").count() == 1


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        ("open_labour_market", "APENT_ARBEIDSMARKED"),
        ("paid_at_least_normal_rate", "MINSTELONN"),
        ("open_to_anyone", "ALLE_KAN_SOKE"),
    ],
)
def test_a_job_failing_one_condition_is_tracked_but_does_not_count(personas, period, employer, fact, code):
    job = register_job(personas, period, employer, **{fact: False})
    assert not job.counts_as_outcome
    assert job.ordinary_work["outcome"] == "ikke_ordinaert"
    failed = [reason for reason in job.ordinary_work["reasons"] if not reason["passed"]]
    assert [reason["code"] for reason in failed] == [f"{code}_IKKE_OPPFYLT"]
    assert "IPS-prinsipp 2" in failed[0]["reference"]


@pytest.mark.parametrize(("hours", "ok"), [(Decimal("0"), False), (Decimal("-1"), False), (Decimal("0.5"), True)])
def test_hours_per_week_must_be_above_zero(personas, period, employer, hours, ok):
    if ok:
        assert register_job(personas, period, employer, hours_per_week=hours).hours_per_week == hours
        return
    with pytest.raises(ValidationError) as error:
        register_job(personas, period, employer, hours_per_week=hours)
    assert "hours_per_week" in error.value.message_dict
    assert not Job.objects.exists()
    assert Period.objects.get(pk=period.pk).status == Period.Status.JOB_SEARCH


@pytest.mark.parametrize(("start", "ok"), [(START, True), (START - timedelta(days=1), False)])
def test_a_job_cannot_start_before_the_period(personas, period, employer, start, ok):
    if ok:
        assert register_job(personas, period, employer, start_date=start).start_date == START
        return
    with pytest.raises(ValidationError) as error:
        register_job(personas, period, employer, start_date=start)
    assert "start_date" in error.value.message_dict
    assert not Job.objects.exists()


def test_a_job_on_a_period_not_yet_started_is_refused(personas, referral, employer):
    waiting = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    with pytest.raises(ValidationError, match="ikke startet"):
        register_job(personas, waiting, employer)
    assert not Job.objects.exists()


def test_a_job_on_a_closed_period_is_refused(personas, period, employer):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 6, 1),
        reason="moved",
        expected_revision=period.revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        register_job(personas, period, employer)
    assert not Job.objects.exists()
    assert Period.objects.get(pk=period.pk).status == Period.Status.CLOSED


@pytest.mark.parametrize(("days", "ok"), [(0, True), (-1, False)])
def test_a_job_ends_on_or_after_its_start(personas, period, employer, days, ok):
    start = date(2026, 4, 1)
    if ok:
        assert register_job(personas, period, employer, end_date=start + timedelta(days=days)).end_date == start
    else:
        with pytest.raises(ValidationError) as error:
            register_job(personas, period, employer, end_date=start + timedelta(days=days))
        assert "end_date" in error.value.message_dict
        assert not Job.objects.exists()


@pytest.mark.parametrize(("days", "ok"), [(0, True), (-1, False)])
def test_ending_a_job_needs_a_date_on_or_after_the_start(personas, period, employer, days, ok):
    job = register_job(personas, period, employer)
    end = job.start_date + timedelta(days=days)
    if ok:
        services.job_end(actor=personas["jobbspesialist"], job=job, end_date=end)
        assert Job.objects.get(pk=job.pk).end_date == end
        assert audited(job, "update")
        return
    with pytest.raises(ValidationError) as error:
        services.job_end(actor=personas["jobbspesialist"], job=job, end_date=end)
    assert "end_date" in error.value.message_dict
    assert Job.objects.get(pk=job.pk).end_date is None
    assert not audited(job, "update")


@pytest.mark.parametrize(("hours", "ok"), [(Decimal("60"), True), (Decimal("60.5"), False), (Decimal("400"), False)])
def test_a_job_of_more_than_sixty_hours_a_week_is_refused(personas, period, employer, hours, ok):
    if ok:
        assert register_job(personas, period, employer, hours_per_week=hours).hours_per_week == hours
        return
    with pytest.raises(ValidationError) as error:
        register_job(personas, period, employer, hours_per_week=hours)
    assert error.value.message_dict == {"hours_per_week": ["En jobb kan ikke være på mer enn 60 timer per uke."]}
    assert not Job.objects.exists()


@pytest.mark.parametrize(("days_ahead", "ok"), [(183, True), (184, False)])
def test_a_job_starting_more_than_half_a_year_ahead_is_refused(personas, period, employer, days_ahead, ok):
    start = timezone.localdate() + timedelta(days=days_ahead)
    if ok:
        assert register_job(personas, period, employer, start_date=start).start_date == start
        return
    with pytest.raises(ValidationError) as error:
        register_job(personas, period, employer, start_date=start)
    assert error.value.messages[0].startswith("Startdatoen er mer enn et halvt år fram i tid")
    assert not Job.objects.exists()


def test_the_same_job_twice_is_refused_but_another_start_or_title_is_a_new_job(personas, period, employer):
    register_job(personas, period, employer)
    with pytest.raises(ValidationError) as error:
        register_job(personas, period, employer, title=" butikkmedarbeider ")
    assert error.value.message_dict == {
        "title": ["Denne jobben er allerede registrert på forløpet (samme arbeidsgiver, stilling og start)."]
    }
    register_job(personas, period, employer, start_date=date(2026, 4, 2))
    register_job(personas, period, employer, title="Lagermedarbeider")
    assert Job.objects.count() == 3
