"""Reading published figures: each computation is fetched and decoded once per process, and a new one replaces it."""

from datetime import timedelta

from brobygger.reporting import published
from brobygger.reporting.models import PublishedFigures
from brobygger.reporting.periods import ReportingPeriod

YEAR = ReportingPeriod.for_year(2024)


def test_a_publication_is_decoded_once_until_it_is_computed_again(personas, django_assert_num_queries):
    publication = published.publish(YEAR, actor=personas["analytiker"])
    assert published.published_for(YEAR).data == publication.data
    with django_assert_num_queries(1):  # only whether it is still the same computation
        assert published.published_for(YEAR).data == publication.data

    PublishedFigures.objects.filter(pk=publication.pk).update(
        data={"levels": {}}, computed_at=publication.computed_at + timedelta(minutes=1)
    )
    assert published.published_for(YEAR).data == {"levels": {}}


def test_no_publication_is_none(db):
    assert published.published_for(YEAR) is None
