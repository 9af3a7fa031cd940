"""Education through the service functions: registered on a running period, then completed or dropped."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from brobygger.audit.models import AuditEvent
from brobygger.participants import services
from brobygger.participants.models import Forlop, Utdanning
from brobygger.participants.tests.conftest import START


def register(personas, forlop, **overrides):
    fields = {
        "level": Utdanning.Level.VIDEREGAENDE,
        "institution": "Testskolen videregående",
        "start_date": date(2026, 8, 17),
    } | overrides
    return services.utdanning_register(actor=personas["jobbspesialist"], forlop=forlop, **fields)


def test_education_moves_the_period_to_follow_along_and_is_audited(personas, forlop):
    utdanning = register(personas, forlop, planned_end=date(2027, 6, 20))
    assert utdanning.status == Utdanning.Status.ONGOING
    assert AuditEvent.objects.filter(object_type="participants.utdanning", action="create").exists()
    forlop = Forlop.objects.get(pk=forlop.pk)
    assert forlop.status == Forlop.Status.FOLLOW_ALONG
    assert forlop.status_history.last().valid_from == date(2026, 8, 17)


@pytest.mark.parametrize(("days", "ok"), [(0, True), (-1, False)])
def test_the_planned_end_is_on_or_after_the_start(personas, forlop, days, ok):
    start = date(2026, 8, 17)
    if ok:
        assert register(personas, forlop, planned_end=start + timedelta(days=days)).planned_end == start
        return
    with pytest.raises(ValidationError) as error:
        register(personas, forlop, planned_end=start + timedelta(days=days))
    assert "planned_end" in error.value.message_dict
    assert not Utdanning.objects.exists()
    assert Forlop.objects.get(pk=forlop.pk).status == Forlop.Status.JOB_SEARCH


@pytest.mark.parametrize(("start", "ok"), [(START, True), (START - timedelta(days=1), False)])
def test_education_cannot_start_before_the_period(personas, forlop, start, ok):
    if ok:
        assert register(personas, forlop, start_date=start).start_date == start
        return
    with pytest.raises(ValidationError) as error:
        register(personas, forlop, start_date=start)
    assert "start_date" in error.value.message_dict
    assert not Utdanning.objects.exists()


def test_education_on_a_closed_period_is_refused(personas, forlop):
    services.forlop_close(
        actor=personas["jobbspesialist"],
        forlop=forlop,
        on=date(2026, 6, 1),
        reason="moved",
        expected_revision=forlop.revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        register(personas, forlop)
    assert not Utdanning.objects.exists()


def test_it_rejects_an_unknown_level(personas, forlop):
    with pytest.raises(ValidationError) as error:
        register(personas, forlop, level="doktorgrad")
    assert "level" in error.value.message_dict
    assert not Utdanning.objects.exists()
    assert Forlop.objects.get(pk=forlop.pk).status == Forlop.Status.JOB_SEARCH


@pytest.mark.parametrize(
    ("completed", "status"), [(True, Utdanning.Status.COMPLETED), (False, Utdanning.Status.DROPPED_OUT)]
)
def test_finishing_records_completion_or_drop_out(personas, forlop, completed, status):
    utdanning = register(personas, forlop)
    services.utdanning_finish(
        actor=personas["jobbspesialist"], utdanning=utdanning, on=utdanning.start_date, completed=completed
    )
    stored = Utdanning.objects.get(pk=utdanning.pk)
    assert (stored.status, stored.ended_on) == (status, utdanning.start_date)
    event = AuditEvent.objects.get(object_type="participants.utdanning", action="update")
    assert event.after["status"] == status


def test_finishing_before_the_start_is_refused(personas, forlop):
    utdanning = register(personas, forlop)
    with pytest.raises(ValidationError) as error:
        services.utdanning_finish(
            actor=personas["jobbspesialist"],
            utdanning=utdanning,
            on=utdanning.start_date - timedelta(days=1),
            completed=True,
        )
    assert "ended_on" in error.value.message_dict
    assert Utdanning.objects.get(pk=utdanning.pk).status == Utdanning.Status.ONGOING


def test_finished_education_cannot_be_finished_again(personas, forlop):
    utdanning = register(personas, forlop)
    services.utdanning_finish(
        actor=personas["jobbspesialist"], utdanning=utdanning, on=date(2027, 1, 1), completed=False
    )
    with pytest.raises(ValidationError) as error:
        services.utdanning_finish(
            actor=personas["jobbspesialist"], utdanning=utdanning, on=date(2027, 6, 1), completed=True
        )
    assert "status" in error.value.message_dict
    assert Utdanning.objects.get(pk=utdanning.pk).status == Utdanning.Status.DROPPED_OUT
