"""Fidelity reviews through a real browser: each page as the persona who uses it, every page checked by axe-core,
for CSP violations, missing static files, script errors and reflow at 320 CSS px (``Browsing.check``)."""

from datetime import date, timedelta

import pytest
import yaml
from django.utils import timezone

from brobygger.accounts import demo
from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.fidelity import services
from brobygger.fidelity.models import Review
from brobygger.fidelity.scales import IPS_25, ensure_builtin_scales, scale_in_force

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def log_in(browsing, username: str) -> None:
    browsing.goto("/logg-inn/")
    browsing.log_in(username, demo.DEMO_PASSWORD)


def visit(browsing, path: str) -> None:
    response = browsing.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    assert browsing.page.locator("h1").count() == 1
    browsing.check()


def finalised_review(service, reviewers, days_ago: int, score) -> Review:
    """A finalised external review made through the services, as the reviewers would."""
    actor = reviewers[0]
    day = TODAY - timedelta(days=days_ago)
    review = services.review_create(
        actor=actor,
        service=service,
        scale=scale_in_force(IPS_25, day),
        review_type=Review.Type.EXTERNAL,
        review_date=day,
        period_start=day - timedelta(days=180),
        period_end=day,
        reviewers=reviewers,
    )
    scores = {
        row.item.number: {"score": score(row.item.number), "evidence": "Intervju med teamet."}
        for row in review.items.select_related("item")
    }
    services.review_score(actor=actor, review=review, expected_revision=review.revision, scores=scores)
    review.refresh_from_db()
    review = services.review_submit(actor=actor, review=review, expected_revision=review.revision)
    return services.review_finalise(actor=reviewers[-1], review=review, expected_revision=review.revision)


@pytest.fixture
def fidelity_data(seeded):
    """Two finalised reviews of IPS ung Romerike, where the demo reviewer is assigned, and a second reviewer."""
    ensure_builtin_scales()
    service = IpsService.objects.get(name="IPS ung Romerike")
    second = User.objects.create(
        username="evaluator-2", first_name="Eva", last_name="Annen", role=Role.FIDELITY_REVIEWER
    )
    Membership.objects.create(user=second, service=service)
    reviewers = [seeded["kvalitetsevaluator"], second]
    older = finalised_review(service, reviewers, 400, lambda n: 2 if n in (17, 24) else 3)
    latest = finalised_review(service, reviewers, 30, lambda n: 2 if n == 24 else 4)
    services.action_add(
        actor=reviewers[0],
        review=latest,
        description="Flere møter ute i samfunnet",
        owner="IPS-leder",
        due_on=TODAY + timedelta(days=90),
    )
    return {"service": service, "older": older, "latest": latest, "second": second}


def test_a_reviewer_plans_scores_and_follows_up_a_review(fidelity_data, browsing):
    page = browsing.page
    service, latest = fidelity_data["service"], fidelity_data["latest"]
    log_in(browsing, "kvalitetsevaluator")
    with page.expect_navigation():
        page.locator(".site-header nav").get_by_role("link", name="Modelltrohet", exact=True).click()
    assert browsing.path() == "/modelltrohet/"
    browsing.check()
    for path in (
        "/modelltrohet/maleplan/",
        "/modelltrohet/sammenligning/",
        "/modelltrohet/varmekart/",
        "/modelltrohet/skalaer/",
    ):
        visit(browsing, path)
    visit(browsing, f"/modelltrohet/tilbud/{service.pk}/")
    assert page.locator("svg polyline").count() == 4
    visit(browsing, f"/modelltrohet/gjennomganger/{latest.pk}/")
    visit(browsing, f"/modelltrohet/gjennomganger/{latest.pk}/tiltak/")
    action = latest.actions.get()
    visit(browsing, f"/modelltrohet/gjennomganger/{latest.pk}/tiltak/{action.pk}/")
    visit(browsing, f"/modelltrohet/gjennomganger/{latest.pk}/rett/")
    visit(browsing, f"/modelltrohet/skalaer/{latest.scale_id}/")

    # Plan a new review in the browser.
    visit(browsing, f"/modelltrohet/tilbud/{service.pk}/ny/")
    page.get_by_label("Eva Annen (Kvalitetsevaluator)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Opprett gjennomgangen").click()
    review = Review.objects.filter(status=Review.Status.DRAFT).get()
    assert browsing.path() == f"/modelltrohet/gjennomganger/{review.pk}/"
    browsing.check()

    # Score two items, one out of turn with evidence, and see the suggestion beside the anchors.
    visit(browsing, f"/modelltrohet/gjennomganger/{review.pk}/skar/")
    item_1 = page.locator("#punkt-1")
    assert item_1.locator(".fidelity-suggestion").is_visible()
    item_1.get_by_label("4 – 21-25 aktive deltakere per jobbspesialist i full stilling.").check()
    item_1.get_by_label("Grunnlag for skåren på punkt 1").fill("Tall fra Brobygger, bekreftet i intervju.")
    page.locator("#punkt-15").get_by_label("3 – ", exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre skårene").click()
    assert page.get_by_role("status").inner_text() == "Skårene er lagret."
    browsing.check()

    # Submitting with 23 items unscored lists them.
    with page.expect_navigation():
        page.get_by_role("button", name="Lever til ferdigstilling").click()
    alert = page.get_by_role("status").first
    assert alert.inner_text().startswith(
        "23 punkter mangler skår: 2 Tid til jobbstøtte; 3 Jobbspesialisten som generalist;"
    )
    browsing.check()
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


def test_a_bad_score_form_shows_its_errors_accessibly(fidelity_data, browsing):
    page = browsing.page
    service = fidelity_data["service"]
    review = services.review_create(
        actor=fidelity_data["second"],
        service=service,
        scale=scale_in_force(IPS_25, TODAY),
        review_type=Review.Type.EXTERNAL,
        review_date=TODAY,
        period_start=TODAY - timedelta(days=90),
        period_end=TODAY,
        reviewers=[fidelity_data["second"], User.objects.get(username="kvalitetsevaluator")],
    )
    log_in(browsing, "kvalitetsevaluator")
    visit(browsing, f"/modelltrohet/gjennomganger/{review.pk}/skar/")
    # A value no radio offers, as a tampered or stale form would send it.
    page.locator("#id_score_2_1").evaluate("input => { input.value = '9'; input.checked = true; }")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre skårene").click()
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    assert "Skåren må være et helt tall fra 1 til 5." in summary.inner_text()
    browsing.check()
    assert not review.items.filter(score__isnull=False).exists()


def test_the_services_leader_and_the_grant_officer_see_what_they_may(fidelity_data, browsing):
    page = browsing.page
    service = fidelity_data["service"]
    log_in(browsing, "tilskuddsforvalter")
    visit(browsing, "/modelltrohet/")
    visit(browsing, "/modelltrohet/sammenligning/")
    visit(browsing, "/modelltrohet/maleplan/")
    visit(browsing, f"/modelltrohet/tilbud/{service.pk}/")
    assert page.get_by_text("Intervju med teamet.").count() == 0
    response = browsing.goto(f"/modelltrohet/gjennomganger/{fidelity_data['latest'].pk}/")
    assert response.status == 404
    browsing.goto("/")
    with page.expect_navigation():
        page.locator(".site-header").get_by_role("button", name="Logg ut").click()

    log_in(browsing, "ips-leder")
    visit(browsing, "/modelltrohet/")
    oslo = IpsService.objects.get(name="IPS Oslo Nord")
    visit(browsing, f"/modelltrohet/tilbud/{oslo.pk}/")
    visit(browsing, f"/modelltrohet/tilbud/{oslo.pk}/ny/")
    visit(browsing, "/modelltrohet/varmekart/")


def test_a_system_administrator_loads_a_scale_and_sees_every_problem_of_a_bad_file(fidelity_data, browsing, tmp_path):
    page = browsing.page
    log_in(browsing, "sysadmin")
    with page.expect_navigation():
        page.locator(".site-header nav").get_by_role("link", name="Skalaer for modelltrohet").click()
    browsing.check()
    anchors = {score: f"Syntetisk forankring {score}." for score in range(1, 6)}
    definition = {
        "key": "syntetisk-y",
        "name": "Syntetisk skala med to delskalaer",
        "version": "1",
        "valid_from": date(2024, 1, 1),
        "grouping": "subscales",
        "data_sources": {"INT": "Intervjuer"},
        "groups": [
            {
                "key": "arbeid",
                "name": "Arbeid",
                "bands": [{"level": "bra", "label": "Bra", "from": 2, "to": 10, "approved": True, "good": True}],
            },
            {"key": "utdanning", "name": "Utdanning", "bands": [{"level": "lav", "label": "Lav", "from": 1, "to": 4}]},
        ],
        "items": [
            {"number": 1, "group": "arbeid", "title": "Syntetisk punkt 1", "anchors": anchors},
            {"number": 2, "group": "arbeid", "title": "Syntetisk punkt 2", "anchors": {1: "Bare én."}},
            {"number": 2, "group": "utdanning", "title": "Syntetisk punkt 3", "anchors": anchors},
        ],
    }
    bad = tmp_path / "feil.yaml"
    bad.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    page.get_by_label("Definisjonsfil (YAML)").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Last inn").click()
    summary = page.locator(".ds-error-summary")
    assert "Punkt 2: mangler forankring for skår 2, 3, 4, 5." in summary.inner_text()
    assert "Punkt 2: nummeret er brukt før i filen." in summary.inner_text()
    browsing.check()

    definition["items"][1]["anchors"] = anchors
    definition["items"][2]["number"] = 3
    definition["groups"][1]["bands"][0]["to"] = 5
    good = tmp_path / "riktig.yaml"
    good.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    page.get_by_label("Definisjonsfil (YAML)").set_input_files(str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Last inn").click()
    assert page.locator("h1").inner_text().startswith("Syntetisk skala med to delskalaer")
    browsing.check()
