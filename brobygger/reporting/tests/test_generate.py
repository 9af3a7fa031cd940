"""The synthetic national dataset: calibrated to the seeds, the same for a seed, refused twice and in production."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from brobygger.fidelity.models import Review
from brobygger.participants.models import Job, Participant, Period
from brobygger.reporting import generate, indicators
from brobygger.reporting.periods import Level, ReportingPeriod


class Rollback(Exception):
    pass


def digest() -> str:
    """The content of the generated data, without database keys or the (randomised) Fernet tokens."""
    rows = [
        *Participant.objects.values_list(
            "identity_hash", "birth_date", "municipality__number", "has_psychosis", "has_substance_problems"
        ).order_by("identity_hash"),
        *Period.objects.values_list(
            "participant__identity_hash", "service__name", "start_date", "closed_on", "closure_reason", "track"
        ).order_by("participant__identity_hash", "start_date"),
        *Job.objects.values_list(
            "period__participant__identity_hash", "employer__orgnr", "start_date", "end_date"
        ).order_by("period__participant__identity_hash", "start_date", "employer__orgnr"),
        *Review.objects.values_list("service__name", "review_date", "total").order_by("service__name", "review_date"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generated_digest(seed: int) -> str:
    try:
        with transaction.atomic():
            generate.generate(years=2, scale=0.04, seed=seed, last_year=2025)
            result = digest()
            raise Rollback
    except Rollback:
        return result


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = generated_digest(5)
    assert first == generated_digest(5)
    assert first != generated_digest(6)


def test_the_figures_are_calibrated_to_the_seeds(db):
    summary = generate.generate(years=2, scale=0.1, seed=1, last_year=2025)
    figures = indicators.report(ReportingPeriod.for_year(2025), Level.NATIONAL).total.figures
    # Seed 003 at scale 0.1: about 730 participants, over half under 30, about 53 % closed for work or education.
    assert 600 <= figures["deltakere"] <= 860
    assert figures["andel_under_30"] > 50
    assert 45 <= figures["andel_avsluttet_resultat"] <= 61
    assert figures["deltakere_psykose"] and figures["deltakere_rus"] and figures["arbeid"] and figures["utdanning"]
    assert summary.municipalities_municipal == round(115 * 0.1)
    # Fidelity totals in every band (IPS-25: under 74 not IPS, 74-99 fair, 100-114 good, 115+ exemplary).
    totals = list(Review.objects.values_list("total", flat=True))
    assert min(totals) < 74 and max(totals) >= 100
    assert Participant.objects.filter(is_synthetic=False).count() == 0


def test_identity_numbers_are_synthetic_and_stored_only_encrypted(db):
    from brobygger.participants import identity

    generate.generate(years=1, scale=0.01, seed=2, last_year=2025)
    person = Participant.objects.first()
    number = identity.decrypt_identity(person.identity_encrypted)
    assert identity.is_synthetic(number)
    assert identity.identity_hash(number) == person.identity_hash
    assert identity.birth_date_of(number) == person.birth_date


def test_the_command_refuses_a_second_run_and_production(db, settings, capsys):
    call_command("generate_national_data", "--years", "1", "--scale", "0.01", "--seed", "3", "--last-year", "2025")
    assert "skala 0.01" in capsys.readouterr().out
    with pytest.raises(CommandError, match="allerede"):
        call_command("generate_national_data", "--years", "1", "--scale", "0.01", "--last-year", "2025")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="produksjon"):
        call_command("generate_national_data", "--years", "1", "--scale", "0.01")


def test_the_command_refuses_nonsense_arguments(db):
    with pytest.raises(CommandError):
        call_command("generate_national_data", "--years", "0")
