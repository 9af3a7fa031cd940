"""Education through the service functions: registered on a running period, then completed or dropped."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from brobygger.audit.models import AuditEvent
from brobygger.participants import services
from brobygger.participants.models import Education, Period
from brobygger.participants.tests.conftest import START


def register(personas, period, **overrides):
    fields = {
        "level": Education.Level.UPPER_SECONDARY,
        "institution": "Testskolen videregående",
        "start_date": date(2026, 8, 17),
    } | overrides
    return services.education_register(actor=personas["jobbspesialist"], period=period, **fields)


def test_education_moves_the_period_to_follow_along_and_is_audited(personas, period):
    education = register(personas, period, planned_end=date(2027, 6, 20))
    assert education.status == Education.Status.ONGOING
    assert AuditEvent.objects.filter(object_type="participants.education", action="create").exists()
    period = Period.objects.get(pk=period.pk)
    assert period.status == Period.Status.FOLLOW_ALONG
    assert period.status_history.last().valid_from == date(2026, 8, 17)


@pytest.mark.parametrize(("days", "ok"), [(0, True), (-1, False)])
def test_the_planned_end_is_on_or_after_the_start(personas, period, days, ok):
    start = date(2026, 8, 17)
    if ok:
        assert register(personas, period, planned_end=start + timedelta(days=days)).planned_end == start
        return
    with pytest.raises(ValidationError) as error:
        register(personas, period, planned_end=start + timedelta(days=days))
    assert "planned_end" in error.value.message_dict
    assert not Education.objects.exists()
    assert Period.objects.get(pk=period.pk).status == Period.Status.JOB_SEARCH


@pytest.mark.parametrize(("start", "ok"), [(START, True), (START - timedelta(days=1), False)])
def test_education_cannot_start_before_the_period(personas, period, start, ok):
    if ok:
        assert register(personas, period, start_date=start).start_date == start
        return
    with pytest.raises(ValidationError) as error:
        register(personas, period, start_date=start)
    assert "start_date" in error.value.message_dict
    assert not Education.objects.exists()


def test_education_on_a_closed_period_is_refused(personas, period):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 6, 1),
        reason="moved",
        expected_revision=period.revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        register(personas, period)
    assert not Education.objects.exists()


def test_it_rejects_an_unknown_level(personas, period):
    with pytest.raises(ValidationError) as error:
        register(personas, period, level="doktorgrad")
    assert "level" in error.value.message_dict
    assert not Education.objects.exists()
    assert Period.objects.get(pk=period.pk).status == Period.Status.JOB_SEARCH


@pytest.mark.parametrize(
    ("completed", "status"), [(True, Education.Status.COMPLETED), (False, Education.Status.DROPPED_OUT)]
)
def test_finishing_records_completion_or_drop_out(personas, period, completed, status):
    education = register(personas, period)
    services.education_finish(
        actor=personas["jobbspesialist"], education=education, on=education.start_date, completed=completed
    )
    stored = Education.objects.get(pk=education.pk)
    assert (stored.status, stored.ended_on) == (status, education.start_date)
    event = AuditEvent.objects.get(object_type="participants.education", action="update")
    assert event.after["status"] == status


def test_finishing_before_the_start_is_refused(personas, period):
    education = register(personas, period)
    with pytest.raises(ValidationError) as error:
        services.education_finish(
            actor=personas["jobbspesialist"],
            education=education,
            on=education.start_date - timedelta(days=1),
            completed=True,
        )
    assert "ended_on" in error.value.message_dict
    assert Education.objects.get(pk=education.pk).status == Education.Status.ONGOING


def test_finished_education_cannot_be_finished_again(personas, period):
    education = register(personas, period)
    services.education_finish(
        actor=personas["jobbspesialist"], education=education, on=date(2027, 1, 1), completed=False
    )
    with pytest.raises(ValidationError) as error:
        services.education_finish(
            actor=personas["jobbspesialist"], education=education, on=date(2027, 6, 1), completed=True
        )
    assert "status" in error.value.message_dict
    assert Education.objects.get(pk=education.pk).status == Education.Status.DROPPED_OUT


@pytest.mark.parametrize("reason", ["education", "work_and_education"])
def test_a_closure_to_education_needs_an_education_on_the_period(personas, period, reason):
    def close(current):
        return services.period_close(
            actor=personas["jobbspesialist"],
            period=current,
            on=date(2026, 9, 1),
            reason=reason,
            expected_revision=current.revision,
        )

    with pytest.raises(ValidationError) as error:
        close(period)
    assert error.value.message_dict == {
        "closure_reason": [
            "Det er ikke registrert noen utdanning på forløpet. Registrer utdanningen før forløpet avsluttes til "
            "utdanning."
        ]
    }
    assert Period.objects.get(pk=period.pk).closed_on is None
    register(personas, period)
    assert close(Period.objects.get(pk=period.pk)).closure_reason == reason
