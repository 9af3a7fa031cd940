"""Demo reviews: made through the real services, with trends the history, comparison and heat map can show."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from brobygger.accounts.models import IpsService
from brobygger.fidelity import demo, overview, schedule
from brobygger.fidelity.models import Review

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 4)


@pytest.mark.parametrize("total", [25, 60, 74, 99, 100, 104, 125])
def test_demo_scores_add_up_to_the_total_and_stay_within_1_to_5(total):
    scores = demo.scores_for(total)
    assert sorted(scores) == list(range(1, 26))
    assert sum(scores.values()) == total
    assert all(1 <= score <= 5 for score in scores.values())


def test_the_demo_reviews_show_trends_per_service(personas):
    assert demo.seed(today=TODAY) == 12
    assert not Review.objects.exclude(status=Review.Status.FINALISED).exists()
    oslo = IpsService.objects.get(name="IPS Oslo Nord")
    (history,) = overview.history(Review.objects.filter(service=oslo))
    assert [review.total for review in history.reviews] == [70, 82, 96, 104]
    assert [review.level for review in history.reviews] == ["ikke_ips", "godkjent", "godkjent", "bra"]
    rows = {
        row.service.name: row for _region, rows in schedule.schedule(IpsService.objects.all(), TODAY) for row in rows
    }
    assert rows["IPS Oslo Nord"].status == schedule.LATER  # good fidelity: a year from the last review
    assert rows["IPS Bodø TSB"].status == schedule.OVERDUE  # «Ikke IPS» 400 days ago: six months long past
    heat = overview.heatmap(IpsService.objects.all(), Review.objects.all(), "ips-25")
    assert {row.item.number for row in heat["weakest"]} <= set(demo.WEAK_ITEMS)


def test_the_command_loads_only_in_demo_mode_and_once(personas, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demomodus"):
        call_command("seed_demo_fidelity")
    settings.DEMO_MODE = True
    call_command("seed_demo_fidelity")
    call_command("seed_demo_fidelity", "--if-empty")
    assert Review.objects.count() == 12
