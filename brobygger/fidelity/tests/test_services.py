"""Reviews: planning, scoring, submitting, finalising, correcting, and the action plan; bad input saves nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.audit.models import AuditEvent
from brobygger.fidelity import services
from brobygger.fidelity.access import REVIEWERS_REQUIRED_BY_TYPE
from brobygger.fidelity.models import ActionItem, Review, ReviewItem

pytestmark = pytest.mark.django_db

REVIEW_DAY = date(2026, 3, 10)
TODAY = date(2026, 4, 1)


def create(actor, service, scale, *, reviewers=None, review_type=Review.Type.EXTERNAL, **changes):
    return services.review_create(
        actor=actor,
        service=service,
        scale=scale,
        review_type=review_type,
        review_date=changes.get("review_date", REVIEW_DAY),
        period_start=changes.get("period_start", date(2025, 9, 1)),
        period_end=changes.get("period_end", date(2026, 2, 28)),
        reviewers=reviewers if reviewers is not None else [actor],
    )


def score_all(review, actor, scores):
    """Score every item: ``scores`` is a number per item, or a function of the item number."""
    values = {
        row.item.number: {"score": scores(row.item.number) if callable(scores) else scores, "evidence": "Intervju."}
        for row in review.items.select_related("item")
    }
    services.review_score(actor=actor, review=review, expected_revision=review.revision, scores=values)
    review.refresh_from_db()
    return review


def finaliser(review, submitter):
    """Who finalises what ``submitter`` handed in: another reviewer where the type needs two, else the submitter."""
    if REVIEWERS_REQUIRED_BY_TYPE[review.review_type] > 1:
        return review.reviewers.exclude(pk=submitter.pk).first() or submitter
    return submitter


def submitted(review, actor, scores=4):
    score_all(review, actor, scores)
    return services.review_submit(actor=actor, review=review, expected_revision=review.revision, on=TODAY)


@pytest.fixture
def reviewer(personas):
    return personas["kvalitetsevaluator"]


@pytest.fixture
def review(reviewer, service, ips25, second_reviewer):
    return create(reviewer, service, ips25, reviewers=[reviewer, second_reviewer])


def test_planning_a_review_creates_every_item_unscored_with_suggestions(review, reviewer, second_reviewer):
    assert (review.status, review.version, review.created_by) == (Review.Status.DRAFT, 1, reviewer)
    assert set(review.reviewers.all()) == {reviewer, second_reviewer}
    rows = list(review.items.select_related("item"))
    assert [row.item.number for row in rows] == list(range(1, 26))
    assert all(row.score is None for row in rows)
    suggested = {row.item.number for row in rows if row.suggestion}
    assert suggested == {1, 4, 12, 15, 17, 19, 20, 21, 23, 24}
    caseload = next(row for row in rows if row.item.number == 1).suggestion
    assert caseload["measure"] == "caseload" and caseload["period"] == ["2025-09-01", "2026-02-28"]
    assert AuditEvent.objects.filter(object_type="fidelity.review", object_id=str(review.pk), action="create").exists()


def test_an_external_review_takes_only_reviewers_assigned_to_the_service(personas, service, ips25, reviewer):
    elsewhere = User.objects.create(username="evaluator-bodo", role=Role.FIDELITY_REVIEWER)
    Membership.objects.create(user=elsewhere, service=IpsService.objects.get(name="IPS Bodø TSB"))
    for wrong in (elsewhere, personas["ips-leder"]):
        with pytest.raises(ValidationError) as caught:
            create(reviewer, service, ips25, reviewers=[reviewer, wrong])
        assert "kan ikke være gjennomgåer" in caught.value.message_dict["reviewers"][0]
    with pytest.raises(ValidationError) as caught:
        create(reviewer, service, ips25, reviewers=[])
    assert caught.value.message_dict["reviewers"] == ["Velg minst én gjennomgåer."]
    assert not Review.objects.exists()


def test_the_period_must_end_by_the_review_date(reviewer, service, ips25):
    with pytest.raises(ValidationError) as caught:
        create(reviewer, service, ips25, period_end=date(2026, 3, 11))
    assert caught.value.message_dict["period_end"] == [
        "Perioden gjennomgangen gjelder, kan ikke slutte etter datoen for gjennomgangen."
    ]
    with pytest.raises(ValidationError) as caught:
        create(reviewer, service, ips25, period_start=date(2026, 3, 1), period_end=date(2026, 2, 1))
    assert caught.value.message_dict["period_end"] == ["Perioden kan ikke slutte før den begynner."]
    assert not Review.objects.exists() and not ReviewItem.objects.exists()


def test_a_second_review_of_the_same_type_on_the_same_day_is_refused(review, reviewer, service, ips25):
    with pytest.raises(ValidationError) as caught:
        create(reviewer, service, ips25)
    assert "allerede en gjennomgang" in caught.value.message_dict["review_date"][0]


@pytest.mark.parametrize("bad", [0, 6, -1, "3", 3.5, True])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_saved(review, reviewer, bad):
    events = AuditEvent.objects.count()
    scores = {1: {"score": 3, "evidence": "Ok."}, 2: {"score": bad, "evidence": "Feil."}}
    with pytest.raises(ValidationError) as caught:
        services.review_score(actor=reviewer, review=review, expected_revision=review.revision, scores=scores)
    assert caught.value.message_dict == {"score_2": ["Skåren må være et helt tall fra 1 til 5."]}
    assert not ReviewItem.objects.filter(review=review, score__isnull=False).exists()
    assert AuditEvent.objects.count() == events
    assert Review.objects.get(pk=review.pk).revision == review.revision


def test_unknown_data_sources_and_items_are_refused(review, reviewer):
    scores = {3: {"score": 3, "data_sources": ["ADM", "TLF"]}, 26: {"score": 3}}
    with pytest.raises(ValidationError) as caught:
        services.review_score(actor=reviewer, review=review, expected_revision=review.revision, scores=scores)
    assert caught.value.message_dict == {
        "sources_3": ["Ukjent datakilde: TLF."],
        "score_26": ["Punkt 26 finnes ikke på skalaen."],
    }


def test_scores_evidence_and_sources_are_saved_and_audited(review, reviewer):
    scores = {15: {"score": 4, "evidence": "  Median 41 dager.  ", "data_sources": ["ADM", "INT"]}}
    services.review_score(actor=reviewer, review=review, expected_revision=1, scores=scores)
    row = review.items.get(item__number=15)
    assert (row.score, row.evidence, row.data_sources) == (4, "Median 41 dager.", ["ADM", "INT"])
    event = AuditEvent.objects.get(object_type="fidelity.reviewitem", object_id=str(row.pk))
    assert (event.before, event.after) == (
        {"score": None, "evidence": "", "data_sources": []},
        {"score": 4, "evidence": "Median 41 dager.", "data_sources": ["ADM", "INT"]},
    )


def test_a_stale_save_is_refused(review, reviewer):
    services.review_score(actor=reviewer, review=review, expected_revision=1, scores={1: {"score": 5}})
    with pytest.raises(ValidationError) as caught:
        services.review_score(actor=reviewer, review=review, expected_revision=1, scores={1: {"score": 2}})
    assert caught.value.code == "stale"
    assert review.items.get(item__number=1).score == 5


def test_submitting_with_unscored_items_lists_them(review, reviewer):
    score_all(review, reviewer, lambda number: None if number in (2, 7, 25) else 3)
    with pytest.raises(ValidationError) as caught:
        services.review_submit(actor=reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert caught.value.messages == [
        "3 punkter mangler skår: 2 Tid til jobbstøtte; 7 Jobbspesialistenhet; 25 Aktiv oppfølging og oppsøkende arbeid."
    ]
    review.refresh_from_db()
    assert (review.status, review.total) == (Review.Status.DRAFT, None)


def test_a_review_cannot_be_submitted_before_it_has_taken_place(reviewer, service, ips25, second_reviewer):
    review = create(reviewer, service, ips25, review_date=date(2026, 5, 1), reviewers=[reviewer, second_reviewer])
    score_all(review, reviewer, 4)
    with pytest.raises(ValidationError, match="før datoen for gjennomgangen"):
        services.review_submit(actor=reviewer, review=review, expected_revision=review.revision, on=TODAY)


def test_submitting_computes_totals_per_section_level_and_approved_quality_from_the_rule(review, reviewer):
    # Staffing 3 × 5 = 15, organisation 8 × 4 = 32, services 14 × 2 = 28: 75, «Godkjent kvalitet».
    review = submitted(review, reviewer, lambda n: 5 if n <= 3 else 4 if n <= 11 else 2)
    assert (review.status, review.total, review.level, review.level_label) == (
        "submitted",
        75,
        "godkjent",
        "Godkjent kvalitet",
    )
    assert (review.approved, review.good_or_better) == (True, False)
    assert [(g["key"], g["total"], g["max"]) for g in review.group_results] == [
        ("ansatte", 15, 15),
        ("organisasjon", 32, 40),
        ("tjenester", 28, 70),
    ]
    assert review.level_result["rule"] == "modelltrohet-niva"
    assert [reason["code"] for reason in review.level_result["reasons"]] == [
        "MODELLTROHET_GODKJENT",
        "GODKJENT_KVALITET_OPPFYLT",
    ]


@pytest.mark.parametrize(
    ("scores", "total", "level", "approved"),
    [
        (lambda n: 2 if n <= 2 else 3, 73, "ikke_ips", False),
        (lambda n: 2 if n == 1 else 3, 74, "godkjent", True),
        (lambda n: 3 if n == 1 else 4, 99, "godkjent", True),
        (lambda n: 4, 100, "bra", True),
        (lambda n: 5 if n <= 14 else 4, 114, "bra", True),
        (lambda n: 5 if n <= 15 else 4, 115, "meget_bra", True),
    ],
    ids=["73", "74", "99", "100", "114", "115"],
)
def test_the_level_follows_the_bands_on_both_sides_of_each_limit(review, reviewer, scores, total, level, approved):
    review = submitted(review, reviewer, scores)
    assert (review.total, review.level, review.approved) == (total, level, approved)


def test_an_external_review_needs_two_reviewers_to_be_finalised(reviewer, service, ips25):
    review = submitted(create(reviewer, service, ips25), reviewer)
    with pytest.raises(ValidationError) as caught:
        services.review_finalise(actor=reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert caught.value.messages == ["En ekstern gjennomgang må ha minst to gjennomgåere før den kan ferdigstilles."]
    review.refresh_from_db()
    assert (review.status, review.finalised_at) == (Review.Status.SUBMITTED, None)


def test_the_reviewer_who_handed_in_an_external_review_cannot_finalise_it_alone(
    review, reviewer, second_reviewer, personas
):
    review = submitted(review, reviewer)
    for actor in (reviewer, personas["ips-leder"]):
        with pytest.raises(ValidationError) as caught:
            services.review_finalise(actor=actor, review=review, expected_revision=review.revision, on=TODAY)
        assert caught.value.messages == ["En annen gjennomgåer enn den som leverte gjennomgangen, må ferdigstille den."]
    review.refresh_from_db()
    assert (review.status, review.submitted_by, review.finalised_at) == (Review.Status.SUBMITTED, reviewer, None)
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert (review.status, review.finalised_by) == (Review.Status.FINALISED, second_reviewer)


def test_reopening_forgets_who_handed_in_so_the_other_reviewer_may_hand_in_and_the_first_finalise(
    review, reviewer, second_reviewer
):
    review = submitted(review, reviewer)
    review = services.review_reopen(actor=reviewer, review=review, expected_revision=review.revision)
    assert review.submitted_by is None
    review = services.review_submit(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    review = services.review_finalise(actor=reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert (review.submitted_by, review.finalised_by) == (second_reviewer, reviewer)


def test_finalising_sets_the_next_review_by_the_rule(review, reviewer, second_reviewer):
    review = submitted(review, reviewer, 3)  # 75: «Godkjent», so again within 6 months
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert (review.status, review.finalised_by, review.next_review_due) == (
        "finalised",
        second_reviewer,
        date(2026, 9, 10),
    )


def test_good_fidelity_moves_the_next_review_to_a_year(review, reviewer, second_reviewer):
    review = submitted(review, reviewer, 4)  # 100: «Bra kvalitet»
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert (review.level, review.good_or_better, review.next_review_due) == ("bra", True, date(2027, 3, 10))


def test_a_finalised_review_is_read_only(review, reviewer, second_reviewer):
    review = submitted(review, reviewer)
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    with pytest.raises(ValidationError, match="utkast"):
        services.review_score(
            actor=reviewer, review=review, expected_revision=review.revision, scores={1: {"score": 1}}
        )
    with pytest.raises(ValidationError, match="utkast"):
        services.review_update(
            actor=reviewer,
            review=review,
            expected_revision=review.revision,
            review_date=REVIEW_DAY,
            period_start=review.period_start,
            period_end=review.period_end,
            reviewers=list(review.reviewers.all()),
        )
    with pytest.raises(ValidationError, match="levert"):
        services.review_reopen(actor=reviewer, review=review, expected_revision=review.revision)
    assert review.items.get(item__number=1).score == 4


def test_a_submitted_review_can_be_reopened_as_a_draft(review, reviewer):
    review = submitted(review, reviewer)
    review = services.review_reopen(actor=reviewer, review=review, expected_revision=review.revision)
    assert (review.status, review.total, review.level, review.group_results) == ("draft", None, "", [])


def test_a_correction_is_a_new_version_with_a_reason_that_replaces_the_old_when_finalised(
    review, reviewer, second_reviewer
):
    original = submitted(review, reviewer, 3)
    original = services.review_finalise(
        actor=second_reviewer, review=original, expected_revision=original.revision, on=TODAY
    )
    services.action_add(
        actor=reviewer, review=original, description="Ukentlige teammøter", owner="IPS-leder", due_on=date(2026, 6, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.review_correct(actor=reviewer, review=original, reason="  ")
    assert caught.value.message_dict == {"reason": ["Skriv hvorfor gjennomgangen rettes."]}

    correction = services.review_correct(actor=reviewer, review=original, reason="Punkt 7 var feilført.")
    assert (correction.version, correction.corrects, correction.status) == (2, original, Review.Status.DRAFT)
    assert list(correction.items.values_list("score", flat=True)) == [3] * 25
    assert list(correction.actions.values_list("description", flat=True)) == ["Ukentlige teammøter"]
    with pytest.raises(ValidationError, match="allerede påbegynt"):
        services.review_correct(actor=reviewer, review=original, reason="Igjen.")
    with pytest.raises(ValidationError, match="rettes"):
        services.action_add(actor=reviewer, review=original, description="Mer", owner="Leder", due_on=date(2026, 6, 1))

    services.review_score(
        actor=reviewer, review=correction, expected_revision=correction.revision, scores={7: {"score": 5}}
    )
    correction.refresh_from_db()
    correction = services.review_submit(
        actor=reviewer, review=correction, expected_revision=correction.revision, on=TODAY
    )
    correction = services.review_finalise(
        actor=second_reviewer, review=correction, expected_revision=correction.revision, on=TODAY
    )
    original.refresh_from_db()
    assert (original.status, original.total, correction.total) == (Review.Status.SUPERSEDED, 75, 77)
    assert original.items.get(item__number=7).score == 3


def test_the_action_plan_is_followed_up_after_finalising(review, reviewer, second_reviewer, personas):
    review = submitted(review, reviewer)
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    item = review.scale.items.get(number=17)
    action = services.action_add(
        actor=reviewer,
        review=review,
        description="Før arbeidsgiverkontakter ukentlig",
        owner="Ingrid Lund",
        due_on=date(2026, 6, 1),
        item=item,
    )
    action = services.action_update(
        actor=personas["ips-leder"],
        action=action,
        expected_revision=action.revision,
        status=ActionItem.Status.IN_PROGRESS,
        follow_up="Skjema tatt i bruk.",
        owner="Ingrid Lund",
        due_on=date(2026, 6, 1),
    )
    assert (action.status, action.follow_up, action.revision) == ("in_progress", "Skjema tatt i bruk.", 2)
    with pytest.raises(ValidationError) as caught:
        services.action_update(
            actor=personas["ips-leder"],
            action=action,
            expected_revision=1,
            status="done",
            follow_up="",
            owner="X",
            due_on=date(2026, 6, 1),
        )
    assert caught.value.code == "stale"


def test_an_action_needs_a_description_an_owner_and_a_due_date_not_before_the_review(review, reviewer):
    with pytest.raises(ValidationError) as caught:
        services.action_add(actor=reviewer, review=review, description=" ", owner="", due_on=date(2026, 3, 9))
    assert caught.value.message_dict == {
        "description": ["Beskriv tiltaket."],
        "owner": ["Skriv hvem som er ansvarlig."],
        "due_on": ["Fristen kan ikke være før datoen for gjennomgangen."],
    }
    assert not ActionItem.objects.exists()


def test_a_self_assessment_by_the_leader_needs_one_reviewer(personas, service, ips25):
    leader = personas["ips-leder"]
    review = create(
        leader, service, ips25, review_type=Review.Type.SELF_ASSESSMENT, reviewers=[leader, personas["jobbspesialist"]]
    )
    review = submitted(review, leader, 5)
    review = services.review_finalise(actor=leader, review=review, expected_revision=review.revision, on=TODAY)
    assert (review.status, review.total, review.level) == ("finalised", 125, "meget_bra")


def test_a_two_subscale_review_gets_a_level_per_subscale(reviewer, service, synthetic_scale, second_reviewer):
    review = create(reviewer, service, synthetic_scale, reviewers=[reviewer, second_reviewer])
    # Work: 4 items at 4 = 16, «Bra»; education: 2 items at 3 = 6, «Lav».
    review = submitted(review, reviewer, lambda n: 4 if n <= 4 else 3)
    assert [(g["key"], g["total"], g["level"], g["approved"]) for g in review.group_results] == [
        ("arbeid", 16, "bra", True),
        ("utdanning", 6, "lav", False),
    ]
    assert (review.total, review.level, review.approved, review.good_or_better) == (22, "", False, False)
    review = services.review_finalise(actor=second_reviewer, review=review, expected_revision=review.revision, on=TODAY)
    assert review.next_review_due == date(2026, 9, 10)
