"""The statistics API gives the published (suppressed) figures, the same as the pages, and nothing more."""

import pytest

from brobygger.reporting import access, indicators, published
from brobygger.reporting.periods import ReportingPeriod
from brobygger.reporting.tests import dataset

YEAR = ReportingPeriod.for_year(2024)


@pytest.fixture
def publication(personas):
    dataset.build(4, people=50)
    return published.publish(YEAR, actor=personas["analytiker"])


def test_an_analyst_gets_the_published_figures_with_small_cells_hidden(client, personas, publication):
    client.force_login(personas["analytiker"])
    assert [row["period"] for row in client.get("/api/v1/statistics/published").json()] == [publication.period]
    body = client.get(f"/api/v1/statistics/published/{publication.period}").json()
    assert body["data"]["levels"] == publication.data["levels"]
    shown = []
    for rows in body["data"]["levels"].values():
        for row in rows:
            assert all(row["figures"][measure] is None for measure in row["hidden"])
            shown += [v for m, v in row["figures"].items() if m in indicators.CUBE_MEASURES and v is not None]
    assert shown, "some figures are published"
    assert not any(0 < value < 5 for value in shown)


def test_a_leader_gets_only_the_levels_a_leader_may_see(client, personas, publication):
    client.force_login(personas["ips-leder"])
    body = client.get(f"/api/v1/statistics/published/{publication.period}").json()
    assert set(body["data"]["levels"]) == set(publication.data["levels"]) & set(
        access.levels_for(personas["ips-leder"])
    )


@pytest.mark.parametrize("persona", ["jobbspesialist", "behandler", "kvalitetsevaluator"])
def test_other_roles_are_refused_with_the_reason(client, personas, publication, persona):
    client.force_login(personas[persona])
    response = client.get(f"/api/v1/statistics/published/{publication.period}")
    assert response.status_code == 403
    assert "Statistikksidene" in response.json()["detail"]


def test_an_unpublished_period_is_404(client, personas, publication):
    client.force_login(personas["analytiker"])
    assert client.get("/api/v1/statistics/published/2019").status_code == 404
