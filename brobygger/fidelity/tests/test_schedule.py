"""The review schedule: every 6 months until good fidelity, then yearly; overdue and coming up per region."""

from datetime import date

import pytest

from brobygger.accounts.models import IpsService
from brobygger.fidelity import schedule, services
from brobygger.fidelity.models import Review
from brobygger.fidelity.tests.test_services import create, finaliser, submitted

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)


def finalised(actor, service, scale, scores, reviewers, review_date=date(2026, 3, 10)):
    review = create(actor, service, scale, reviewers=reviewers, review_date=review_date, period_end=review_date)
    review = submitted(review, actor, scores)
    return services.review_finalise(
        actor=finaliser(review, actor), review=review, expected_revision=review.revision, on=TODAY
    )


def rows_by_service(on, services_qs=None):
    regions = schedule.schedule(services_qs or IpsService.objects.all(), on)
    return {row.service.name: (region, row) for region, rows in regions for row in rows}


@pytest.fixture
def reviewers(personas, second_reviewer):
    return [personas["kvalitetsevaluator"], second_reviewer]


def test_a_service_never_reviewed_is_due_six_months_after_it_started(personas):
    rows = rows_by_service(TODAY)
    region, row = rows["IPS Bodø TSB"]
    assert (region, row.latest, row.due, row.status) == ("Helse Nord", None, date(2020, 11, 1), schedule.OVERDUE)
    assert row.result.reason_codes == ("FORSTE_MALING", "MALING_I_TIDE_IKKE_OPPFYLT")


def test_below_good_fidelity_the_next_review_is_due_within_six_months(service, ips25, reviewers):
    review = finalised(reviewers[0], service, ips25, 3, reviewers)  # 75, «Godkjent kvalitet»
    for on, status in ((date(2026, 6, 11), schedule.LATER), (date(2026, 6, 12), schedule.UPCOMING)):
        row = rows_by_service(on)["IPS Oslo Nord"][1]
        assert (row.latest, row.due, row.status) == (review, date(2026, 9, 10), status)
    assert rows_by_service(date(2026, 9, 10))["IPS Oslo Nord"][1].status == schedule.UPCOMING
    assert rows_by_service(date(2026, 9, 11))["IPS Oslo Nord"][1].status == schedule.OVERDUE


def test_at_good_fidelity_the_next_review_is_due_within_a_year(service, ips25, reviewers):
    finalised(reviewers[0], service, ips25, 4, reviewers)  # 100, «Bra kvalitet»
    row = rows_by_service(date(2026, 9, 11))["IPS Oslo Nord"][1]
    assert (row.due, row.status) == (date(2027, 3, 10), schedule.LATER)
    assert row.result.reason_codes == ("NESTE_MALING_12_MND", "MALING_I_TIDE_OPPFYLT")


def test_the_regions_list_their_services_by_due_date(service, ips25, reviewers):
    finalised(reviewers[0], service, ips25, 4, reviewers)
    regions = schedule.schedule(IpsService.objects.all(), TODAY)
    assert [(region, [row.service.name for row in rows]) for region, rows in regions] == [
        ("Helse Nord", ["IPS Tromsø", "IPS Bodø TSB"]),
        ("Helse Sør-Øst", ["IPS ung Romerike", "IPS Oslo Nord"]),
    ]


def test_a_correction_replaces_the_review_it_corrects_and_drafts_show_as_in_progress(service, ips25, reviewers):
    actor = reviewers[0]
    original = finalised(actor, service, ips25, 4, reviewers)
    correction = services.review_correct(actor=actor, review=original, reason="Feil i punkt 1.")
    row = rows_by_service(TODAY)["IPS Oslo Nord"][1]
    assert (row.latest, row.in_progress) == (original, None)
    services.review_score(
        actor=actor, review=correction, expected_revision=correction.revision, scores={1: {"score": 3}}
    )
    correction.refresh_from_db()
    correction = services.review_submit(actor=actor, review=correction, expected_revision=correction.revision, on=TODAY)
    correction = services.review_finalise(
        actor=finaliser(correction, actor), review=correction, expected_revision=correction.revision, on=TODAY
    )
    row = rows_by_service(TODAY)["IPS Oslo Nord"][1]
    assert (row.latest, row.due) == (correction, date(2026, 9, 10))  # 99 is below «Bra»: 6 months again
    planned = create(
        actor, service, ips25, reviewers=reviewers, review_date=date(2026, 9, 1), period_end=date(2026, 8, 31)
    )
    assert rows_by_service(TODAY)["IPS Oslo Nord"][1].in_progress == planned


def test_another_scale_uses_its_own_levels_for_the_schedule(service, synthetic_scale, reviewers):
    finalised(reviewers[0], service, synthetic_scale, 5, reviewers)  # both subscales «Bra»
    row = rows_by_service(TODAY)["IPS Oslo Nord"][1]
    assert (row.result.rule, row.due) == ("modelltrohet-maleplan", date(2027, 3, 10))


def test_superseded_reviews_are_not_the_latest(service, ips25, reviewers):
    finalised(reviewers[0], service, ips25, 3, reviewers, review_date=date(2025, 9, 1))
    latest = finalised(reviewers[0], service, ips25, 4, reviewers)
    assert schedule.latest_finalised(IpsService.objects.all()) == {service.pk: latest}
    assert Review.objects.filter(status=Review.Status.FINALISED).count() == 2
