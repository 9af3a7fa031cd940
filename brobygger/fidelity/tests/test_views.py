"""The fidelity pages: who gets which page, the review from plan to finalised in the client, and bad input."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brobygger.accounts.models import IpsService
from brobygger.audit.models import AuditEvent
from brobygger.fidelity import services
from brobygger.fidelity.models import ActionItem, Review, Scale
from brobygger.fidelity.tests.conftest import dump, synthetic_definition
from brobygger.fidelity.tests.test_services import create, finaliser, score_all

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERSONAS = (
    "jobbspesialist",
    "ips-leder",
    "behandler",
    "kvalitetsevaluator",
    "tilskuddsforvalter",
    "analytiker",
    "sysadmin",
)


@pytest.fixture
def reviewer(personas):
    return personas["kvalitetsevaluator"]


@pytest.fixture
def review(reviewer, service, ips25, second_reviewer):
    return create(
        reviewer,
        service,
        ips25,
        reviewers=[reviewer, second_reviewer],
        review_date=TODAY,
        period_start=TODAY - timedelta(days=180),
        period_end=TODAY,
    )


def finalised(review, actor, scores=3):
    score_all(review, actor, scores)
    review = services.review_submit(actor=actor, review=review, expected_revision=review.revision)
    return services.review_finalise(actor=finaliser(review, actor), review=review, expected_revision=review.revision)


def status_of(client, login, user, url, method="get", data=None):
    client.logout()
    login(user)
    return getattr(client, method)(url, data or {}).status_code


def expect(client, login, personas, url, expected: dict, method="get", data=None):
    got = {name: status_of(client, login, personas[name], url, method, data) for name in expected}
    assert got == expected, url


# Who gets which page


def test_the_overview_pages_are_for_the_fidelity_roles(client, login, personas, service):
    allowed = {
        name: 200 for name in ("jobbspesialist", "ips-leder", "kvalitetsevaluator", "tilskuddsforvalter", "analytiker")
    }
    for name in ("fidelity_index", "fidelity_schedule", "fidelity_comparison"):
        expect(client, login, personas, reverse(name), allowed | {"behandler": 403, "sysadmin": 403})
    detail = {"jobbspesialist": 200, "ips-leder": 200, "kvalitetsevaluator": 200}
    expect(
        client,
        login,
        personas,
        reverse("fidelity_heatmap"),
        detail | {"tilskuddsforvalter": 403, "analytiker": 200, "behandler": 403, "sysadmin": 403},
    )
    expect(client, login, personas, reverse("fidelity_scale_list"), allowed | {"behandler": 403, "sysadmin": 200})


def test_a_services_page_and_a_review_follow_the_access_rules(client, login, personas, review, outsiders):
    service_url = reverse("fidelity_service", args=[review.service_id])
    review_url = reverse("fidelity_review", args=[review.pk])
    expect(
        client,
        login,
        personas,
        service_url,
        {
            "jobbspesialist": 200,
            "ips-leder": 200,
            "kvalitetsevaluator": 200,
            "tilskuddsforvalter": 200,
            "analytiker": 200,
            "behandler": 403,
            "sysadmin": 403,
        },
    )
    expect(
        client,
        login,
        personas,
        review_url,
        {
            "jobbspesialist": 200,
            "ips-leder": 200,
            "kvalitetsevaluator": 200,
            "tilskuddsforvalter": 404,
            "analytiker": 404,
            "behandler": 404,
            "sysadmin": 404,
        },
    )
    for role, user in outsiders.items():
        expected = 403 if role == "behandler" else 404
        assert status_of(client, login, user, service_url) == expected, role
        assert status_of(client, login, user, review_url) == 404, role
        assert status_of(client, login, user, reverse("fidelity_review_score", args=[review.pk])) == 404, role
        assert status_of(client, login, user, reverse("fidelity_actions", args=[review.pk])) == 404, role


def test_only_the_reviewers_score_and_the_right_roles_plan(client, login, personas, review, second_reviewer):
    score_url = reverse("fidelity_review_score", args=[review.pk])
    expect(
        client,
        login,
        personas,
        score_url,
        {"kvalitetsevaluator": 200, "ips-leder": 403, "jobbspesialist": 403, "analytiker": 404, "behandler": 404},
    )
    assert status_of(client, login, second_reviewer, score_url) == 200
    create_url = reverse("fidelity_review_create", args=[review.service_id])
    expect(
        client,
        login,
        personas,
        create_url,
        {
            "kvalitetsevaluator": 200,
            "ips-leder": 200,
            "jobbspesialist": 403,
            "tilskuddsforvalter": 403,
            "analytiker": 403,
            "behandler": 404,
            "sysadmin": 404,
        },
    )


def test_status_changes_are_refused_to_anyone_but_the_reviewers(client, login, personas, review):
    for name in ("submit", "finalise", "reopen", "refresh"):
        url = reverse(f"fidelity_review_{name}", args=[review.pk])
        expect(
            client,
            login,
            personas,
            url,
            {"ips-leder": 403, "jobbspesialist": 403, "tilskuddsforvalter": 404, "behandler": 404},
            method="post",
        )
    submit = reverse("fidelity_review_submit", args=[review.pk])
    assert status_of(client, login, personas["kvalitetsevaluator"], submit, "post") == 302
    assert status_of(client, login, personas["kvalitetsevaluator"], submit) == 405


def test_totals_roles_see_finalised_totals_and_levels_only(client, login, personas, review, reviewer):
    finalised(review, reviewer)
    login(personas["tilskuddsforvalter"])
    page = client.get(reverse("fidelity_service", args=[review.service_id])).content.decode()
    assert "Godkjent kvalitet" in page and ">75<" in page
    assert reverse("fidelity_review", args=[review.pk]) not in page
    assert "Intervju." not in page  # the evidence
    comparison = client.get(reverse("fidelity_comparison")).content.decode()
    assert "IPS Oslo Nord" in comparison and "Godkjent kvalitet" in comparison


# The review in the browser's shoes


def test_a_reviewer_plans_scores_submits_and_finalises_a_review(
    client, login, personas, service, ips25, second_reviewer
):
    reviewer = personas["kvalitetsevaluator"]
    login(reviewer)
    response = client.post(
        reverse("fidelity_review_create", args=[service.pk]),
        {
            "scale": ips25.pk,
            "review_date": TODAY.isoformat(),
            "period_start": (TODAY - timedelta(days=180)).isoformat(),
            "period_end": TODAY.isoformat(),
            "reviewers": [reviewer.pk, second_reviewer.pk],
        },
    )
    review = Review.objects.get()
    assert response.url == reverse("fidelity_review", args=[review.pk])
    assert review.review_type == Review.Type.EXTERNAL

    score_url = reverse("fidelity_review_score", args=[review.pk])
    page = client.get(score_url).content.decode()
    assert "20 eller færre aktive deltakere per jobbspesialist i full stilling." in page
    assert "forankringen er ikke bekreftet" in page
    assert "Forslag fra data" in page
    data = {"revision": review.revision}
    for number in range(1, 26):
        data[f"score_{number}"] = "4"
        data[f"evidence_{number}"] = f"Grunnlag {number}"
        data[f"sources_{number}"] = ["INT", "DOK"]
    assert client.post(score_url, data).status_code == 302
    review.refresh_from_db()
    assert list(review.items.values_list("score", flat=True)) == [4] * 25

    client.post(reverse("fidelity_review_submit", args=[review.pk]), {"revision": review.revision})
    review.refresh_from_db()
    assert (review.status, review.total, review.level) == ("submitted", 100, "bra")
    page = client.get(reverse("fidelity_review", args=[review.pk])).content.decode()
    assert "Ferdigstill</button>" not in page
    assert "En annen gjennomgåer enn den som leverte gjennomgangen, må ferdigstille den." in page
    login(second_reviewer)
    client.post(reverse("fidelity_review_finalise", args=[review.pk]), {"revision": review.revision, "confirmed": "on"})
    review.refresh_from_db()
    assert (review.status, review.submitted_by, review.finalised_by) == ("finalised", reviewer, second_reviewer)
    page = client.get(reverse("fidelity_review", args=[review.pk])).content.decode()
    assert "Bra kvalitet" in page and "Rett gjennomgangen" in page and "Skår punktene" not in page
    assert client.get(score_url).status_code == 302  # read-only: back to the review with a message


def test_a_score_outside_1_to_5_is_a_form_error_and_nothing_is_saved(client, login, review, reviewer):
    login(reviewer)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("fidelity_review_score", args=[review.pk]),
        {"revision": review.revision, "score_1": "4", "score_2": "7", "sources_3": ["TLF"]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skåren må være et helt tall fra 1 til 5." in page
    assert "Ukjent datakilde." in page
    assert 'href="#id_score_2"' in page
    assert not review.items.filter(score__isnull=False).exists()
    assert AuditEvent.objects.count() == events


def test_a_stale_score_form_is_refused_with_a_clear_message(client, login, review, reviewer):
    login(reviewer)
    url = reverse("fidelity_review_score", args=[review.pk])
    client.post(url, {"revision": review.revision, "score_1": "3"})
    response = client.post(url, {"revision": review.revision, "score_1": "5"})
    assert response.status_code == 400
    assert "Noen andre har lagret endringer i mellomtiden." in response.content.decode()
    assert review.items.get(item__number=1).score == 3


def test_submitting_with_unscored_items_lists_them(client, login, review, reviewer):
    login(reviewer)
    score_all(review, reviewer, lambda number: None if number in (5, 6) else 3)
    response = client.post(
        reverse("fidelity_review_submit", args=[review.pk]), {"revision": review.revision}, follow=True
    )
    page = response.content.decode()
    assert "2 punkter mangler skår: 5 Hyppig kontakt med behandlingsteamet; 6 Samarbeid med NAV-veiledere." in page
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


def test_finalising_an_external_review_with_one_reviewer_is_refused(client, login, reviewer, service, ips25):
    review = create(
        reviewer, service, ips25, review_date=TODAY, period_start=TODAY - timedelta(days=30), period_end=TODAY
    )
    score_all(review, reviewer, 3)
    review = services.review_submit(actor=reviewer, review=review, expected_revision=review.revision)
    login(reviewer)
    response = client.post(
        reverse("fidelity_review_finalise", args=[review.pk]),
        {"revision": review.revision, "confirmed": "on"},
        follow=True,
    )
    assert "En ekstern gjennomgang må ha minst to gjennomgåere før den kan ferdigstilles." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_a_review_is_not_finalised_without_the_confirmation(client, login, reviewer, service, ips25):
    review = create(
        reviewer, service, ips25, review_date=TODAY, period_start=TODAY - timedelta(days=30), period_end=TODAY
    )
    score_all(review, reviewer, 3)
    review = services.review_submit(actor=reviewer, review=review, expected_revision=review.revision)
    login(reviewer)
    response = client.post(
        reverse("fidelity_review_finalise", args=[review.pk]), {"revision": review.revision}, follow=True
    )
    assert "Kryss av for å bekrefte ferdigstillingen. Den kan ikke angres." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_bad_dates_on_the_plan_form_never_answer_500(client, login, reviewer, service, ips25):
    login(reviewer)
    response = client.post(
        reverse("fidelity_review_create", args=[service.pk]),
        {
            "scale": ips25.pk,
            "review_date": "31.02.2026",
            "period_start": "2026-03-01",
            "period_end": "2026-01-01",
            "reviewers": ["x"],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Perioden kan ikke slutte før den begynner." in page
    assert not Review.objects.exists()


def test_the_review_shows_the_data_suggestion_beside_the_score_and_the_disagreement(client, login, review, reviewer):
    score_all(review, reviewer, 3)
    row = review.items.get(item__number=21)
    row.suggestion = {**row.suggestion, "score": 5, "figure": "100.0", "figure_text": "100", "band": "minst 95", "n": 4}
    row.save()
    login(reviewer)
    page = client.get(reverse("fidelity_review", args=[review.pk])).content.decode()
    assert "Avviker fra forslaget" in page
    assert "Andel ordinære jobber: 100 %" in page
    assert "Skåren avviker fra forslaget fra data på 1 punkt. Gjennomgåerne avgjør; avviket vises." in page


def test_a_correction_needs_a_reason_and_opens_a_new_version(client, login, review, reviewer):
    review = finalised(review, reviewer)
    login(reviewer)
    url = reverse("fidelity_review_correct", args=[review.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Skriv hvorfor gjennomgangen rettes." in response.content.decode()
    response = client.post(url, {"reason": "Punkt 7 var feilført."})
    correction = Review.objects.get(corrects=review)
    assert response.url == reverse("fidelity_review", args=[correction.pk])
    page = client.get(response.url).content.decode()
    assert "Punkt 7 var feilført." in page and "Versjon 2" in page


def test_the_action_plan_is_drawn_up_and_followed_up(client, login, personas, review, reviewer):
    review = finalised(review, reviewer)
    login(reviewer)
    url = reverse("fidelity_actions", args=[review.pk])
    response = client.post(
        url, {"description": "Ukentlige teammøter", "owner": "Ingrid Lund", "due_on": "", "item": ""}
    )
    assert response.status_code == 400 and "Sett en frist." in response.content.decode()
    client.post(
        url,
        {
            "description": "Ukentlige teammøter",
            "owner": "Ingrid Lund",
            "due_on": (TODAY + timedelta(days=60)).isoformat(),
        },
    )
    action = ActionItem.objects.get()
    client.logout()
    login(personas["ips-leder"])
    edit = reverse("fidelity_action_edit", args=[review.pk, action.pk])
    client.post(
        edit,
        {
            "status": "done",
            "follow_up": "Innført fra mars.",
            "owner": "Ingrid Lund",
            "due_on": action.due_on.isoformat(),
            "revision": 1,
        },
    )
    action.refresh_from_db()
    assert (action.status, action.follow_up) == ("done", "Innført fra mars.")
    client.logout()
    login(personas["jobbspesialist"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"description": "x", "owner": "y", "due_on": TODAY.isoformat()}).status_code == 403
    assert client.post(edit, {"status": "planned"}).status_code == 403


def test_pages_show_no_participant_identity(client, login, review, reviewer, personas):
    from brobygger.accounts.models import Municipality
    from brobygger.participants import identity
    from brobygger.participants import services as pathway
    from brobygger.participants.tests.conftest import ELIGIBLE_FACTS  # noqa: F401 - the pathway fixtures' facts

    person = pathway.participant_register(
        actor=personas["jobbspesialist"],
        identity_number=identity.synthetic_identity_number(date(1990, 5, 17), 1),
        municipality=Municipality.objects.get(number="0301", valid_to__isnull=True),
        first_name="Sigrun",
        last_name="Hemmeligsen",
    )
    assert person.pk
    services.review_refresh_suggestions(actor=reviewer, review=review)
    login(reviewer)
    for url in (
        reverse("fidelity_review", args=[review.pk]),
        reverse("fidelity_review_score", args=[review.pk]),
        reverse("fidelity_service", args=[review.service_id]),
    ):
        assert "Hemmeligsen" not in client.get(url).content.decode()


# Scales


def test_a_system_administrator_uploads_a_scale_and_a_bad_file_is_refused_with_every_problem(
    client, login, personas, ips25
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(personas["sysadmin"])
    url = reverse("fidelity_scale_list")
    bad = synthetic_definition()
    bad["items"][0]["anchors"].pop(2)
    bad["groups"][0]["bands"][1]["to"] = 15
    response = client.post(url, {"file": SimpleUploadedFile("feil.yaml", dump(bad).encode())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Filen ble ikke lastet. Rett disse 2 feilene:" in page
    assert "Punkt 1: mangler forankring for skår 2." in page
    assert not Scale.objects.filter(key="syntetisk-y").exists()

    response = client.post(url, {"file": SimpleUploadedFile("latin1.yaml", "navn: Bodø".encode("latin-1"))})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()

    response = client.post(url, {"file": SimpleUploadedFile("y.yaml", dump(synthetic_definition()).encode())})
    scale = Scale.objects.get(key="syntetisk-y")
    assert response.url == reverse("fidelity_scale_detail", args=[scale.pk])
    page = client.get(response.url).content.decode()
    assert "Delskala arbeid" in page and "Syntetisk forankring 5." in page


def test_only_system_administrators_may_upload(client, login, personas, ips25):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for name in ("kvalitetsevaluator", "ips-leder", "analytiker"):
        upload = SimpleUploadedFile("y.yaml", dump(synthetic_definition()).encode())
        assert status_of(client, login, personas[name], reverse("fidelity_scale_list"), "post", {"file": upload}) == 403
    assert not Scale.objects.filter(key="syntetisk-y").exists()


def test_the_scale_page_marks_unverified_anchors_and_offers_the_file(client, login, personas, ips25):
    login(personas["kvalitetsevaluator"])
    page = client.get(reverse("fidelity_scale_detail", args=[ips25.pk])).content.decode()
    assert "ikke bekreftet" in page and "Rask jobbsøking" in page
    response = client.get(reverse("fidelity_scale_file", args=[ips25.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ips-25-2019.1.yaml"'
    assert response.content.decode() == ips25.definition_text


# Overviews with data


def test_history_comparison_and_heat_map_show_finalised_reviews(
    client, login, personas, service, ips25, second_reviewer
):
    reviewer = personas["kvalitetsevaluator"]
    first = create(
        reviewer,
        service,
        ips25,
        reviewers=[reviewer, second_reviewer],
        review_date=TODAY - timedelta(days=200),
        period_end=TODAY - timedelta(days=200),
        period_start=TODAY - timedelta(days=380),
    )
    finalised(first, reviewer, lambda n: 2 if n == 17 else 3)
    second = create(
        reviewer,
        service,
        ips25,
        reviewers=[reviewer, second_reviewer],
        review_date=TODAY,
        period_end=TODAY,
        period_start=TODAY - timedelta(days=180),
    )
    finalised(second, reviewer, lambda n: 2 if n == 17 else 4)
    login(reviewer)
    page = client.get(reverse("fidelity_service", args=[service.pk])).content.decode()
    assert page.count("<polyline") == 4  # the total and three sections
    assert ">74<" in page and ">98<" in page
    comparison = client.get(reverse("fidelity_comparison")).content.decode()
    assert "+24" in comparison
    heatmap = client.get(reverse("fidelity_heatmap")).content.decode()
    assert "17. Hyppig arbeidsgiverkontakt: snitt 2" in heatmap
    assert 'class="heat heat--4"' in heatmap
    login(personas["analytiker"])
    national = client.get(reverse("fidelity_heatmap")).content.decode()
    assert "17. Hyppig arbeidsgiverkontakt: snitt 2" in national
    assert IpsService.objects.count() == 4
