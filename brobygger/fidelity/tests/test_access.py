"""Who sees and does what: reviewers their assigned services, a service its own reviews, grant officers and analysts
finalised totals and levels only, system administrators the scales."""

import pytest
from django.http import Http404

from brobygger.accounts.models import IpsService
from brobygger.fidelity import access, services
from brobygger.fidelity.models import Review
from brobygger.fidelity.tests.test_services import TODAY, create, finaliser, submitted

pytestmark = pytest.mark.django_db

DETAIL = ("kvalitetsevaluator", "ips-leder", "jobbspesialist")
TOTALS = ("tilskuddsforvalter", "analytiker")
# Grant applicants act for a municipality or health trust and have no part in fidelity reviews.
NONE = ("behandler", "sysadmin", "soker-kommune", "soker-hf")


@pytest.fixture
def review(personas, service, ips25, second_reviewer):
    reviewer = personas["kvalitetsevaluator"]
    return create(reviewer, service, ips25, reviewers=[reviewer, second_reviewer])


def finalise(review, actor):
    review = submitted(review, actor)
    return services.review_finalise(
        actor=finaliser(review, actor), review=review, expected_revision=review.revision, on=TODAY
    )


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_each_role_follows_the_services_it_belongs_to_or_all_for_national_roles(personas):
    assert names(access.fidelity_services(personas["kvalitetsevaluator"])) == ["IPS Tromsø", "IPS ung Romerike"]
    assert names(access.fidelity_services(personas["ips-leder"])) == ["IPS Oslo Nord"]
    assert names(access.fidelity_services(personas["jobbspesialist"])) == ["IPS Oslo Nord"]
    for username in TOTALS:
        assert access.fidelity_services(personas[username]).count() == IpsService.objects.count()
    for username in NONE:
        assert not access.fidelity_services(personas[username]).exists()


def test_a_draft_is_seen_by_its_service_and_reviewers_and_by_nobody_else(personas, review, outsiders):
    for username in DETAIL:
        assert access.get_review_for_user(personas[username], review.pk) == review
    for user in [*(personas[name] for name in TOTALS + NONE), *outsiders.values()]:
        assert not access.visible_reviews(user).exists()
        with pytest.raises(Http404):
            access.get_review_for_user(user, review.pk)


def test_grant_officers_and_analysts_list_finalised_reviews_but_never_open_one(personas, review):
    reviewer = personas["kvalitetsevaluator"]
    assert not access.visible_reviews(personas["analytiker"]).exists()
    review = finalise(review, reviewer)
    for username in TOTALS:
        user = personas[username]
        assert list(access.visible_reviews(user)) == [review]
        assert not access.can_view_item_scores(user)[0]
        assert access.can_view_heatmap(user)[0] == (username == "analytiker")
        with pytest.raises(Http404):
            access.get_review_for_user(user, review.pk)


def test_a_reviewer_not_assigned_to_the_service_sees_nothing_of_it(personas, review, outsiders):
    outsider = outsiders["kvalitetsevaluator"]
    assert names(access.fidelity_services(outsider)) == ["IPS Bodø TSB"]
    with pytest.raises(Http404):
        access.get_service_for_user(outsider, review.service_id)
    assert not access.can_create_review(outsider, review.service)[0]
    assert not access.can_edit_review(outsider, review)[0]
    assert not access.can_manage_actions(outsider, review)[0]


def test_external_reviews_are_started_by_reviewers_and_self_assessments_by_the_leader(personas, service, outsiders):
    assert access.review_types_for(personas["kvalitetsevaluator"], service) == [Review.Type.EXTERNAL]
    assert access.review_types_for(personas["ips-leder"], service) == [Review.Type.SELF_ASSESSMENT]
    for username in ("jobbspesialist", "behandler", "tilskuddsforvalter", "analytiker", "sysadmin"):
        allowed, reason = access.can_create_review(personas[username], service)
        assert not allowed and "IPS-leder" in reason
    assert not access.can_create_review(outsiders["ips_leder"], service)[0]
    assert not access.can_create_review(personas["ips-leder"], service, Review.Type.EXTERNAL)[0]


def test_only_the_reviewers_edit_and_only_the_right_role_finalises(personas, review, second_reviewer):
    for user in (personas["kvalitetsevaluator"], second_reviewer):
        assert access.can_edit_review(user, review)[0]
        assert access.can_finalise_review(user, review)[0]
    for username in ("ips-leder", "jobbspesialist", "behandler", "analytiker"):
        allowed, reason = access.can_edit_review(personas[username], review)
        assert (allowed, reason) == (False, "Bare gjennomgåerne kan endre gjennomgangen.")


def test_a_self_assessment_is_finalised_by_the_leader_not_a_job_specialist(personas, service, ips25):
    leader, specialist = personas["ips-leder"], personas["jobbspesialist"]
    review = create(leader, service, ips25, review_type=Review.Type.SELF_ASSESSMENT, reviewers=[leader, specialist])
    assert access.can_edit_review(specialist, review)[0]
    assert not access.can_finalise_review(specialist, review)[0]
    assert access.can_finalise_review(leader, review)[0]
    assert not access.can_finalise_review(personas["kvalitetsevaluator"], review)[0]


def test_the_action_plan_is_for_the_reviewers_and_the_services_leader(personas, review, outsiders):
    assert access.can_manage_actions(personas["kvalitetsevaluator"], review)[0]
    assert access.can_manage_actions(personas["ips-leder"], review)[0]
    for user in (
        personas["jobbspesialist"],
        personas["behandler"],
        personas["tilskuddsforvalter"],
        outsiders["ips_leder"],
    ):
        assert not access.can_manage_actions(user, review)[0]


def test_only_system_administrators_load_scales(personas, ips25):
    for username, user in personas.items():
        assert access.can_manage_scales(user)[0] == (username == "sysadmin")
    assert access.get_scale_for_user(personas["sysadmin"], ips25.pk) == ips25
    with pytest.raises(Http404):
        access.get_scale_for_user(personas["behandler"], ips25.pk)


def test_nobody_outside_the_fidelity_roles_gets_the_fidelity_pages(personas):
    for username, user in personas.items():
        allowed, reason = access.can_view_fidelity(user)
        assert allowed == (username not in NONE)
        if not allowed:
            assert reason == "Rollen din gir ikke tilgang til gjennomganger av modelltrohet."


def test_eligible_reviewers_follow_the_type_and_the_service(personas, service, second_reviewer):
    assert list(access.eligible_reviewers(service, Review.Type.EXTERNAL)) == [
        second_reviewer,
        personas["kvalitetsevaluator"],
    ]
    self_reviewers = set(access.eligible_reviewers(service, Review.Type.SELF_ASSESSMENT))
    assert {personas["ips-leder"], personas["jobbspesialist"]} <= self_reviewers
    assert personas["behandler"] not in self_reviewers
