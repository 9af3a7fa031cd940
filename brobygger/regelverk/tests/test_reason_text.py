"""A rule's reasons in the language of the page: bokmål as written, English through the catalogue."""

from datetime import date

from django.utils import translation

from brobygger.regelverk.services import reason_text, rule_evaluate
from brobygger.rules.base import Reason


def overdue_contact():
    inputs = {"on": date(2026, 5, 1), "start_date": date(2026, 3, 1), "first_contact_date": None}
    return rule_evaluate(rule_id="forste-arbeidsgiverkontakt", inputs=inputs)


def test_a_reason_is_bokmal_as_the_rule_wrote_it():
    reason = overdue_contact().reasons[0]
    assert reason_text(reason) == reason.text == "Ingen arbeidsgiverkontakt, og fristen 31.03.2026 er passert."


def test_a_reason_is_english_when_english_is_chosen_also_from_a_stored_result():
    result = overdue_contact()
    with translation.override("en"):
        assert reason_text(result.reasons[0]) == "No employer contact, and the deadline 31.03.2026 has passed."
        assert reason_text(result.to_dict()["reasons"][0]) == reason_text(result.reasons[0])


def test_a_nested_text_is_translated_too():
    inputs = {
        "on": date(2026, 5, 1),
        "service_start": date(2025, 1, 1),
        "review_date": date(2025, 9, 1),
        "good_or_better": True,
    }
    result = rule_evaluate(rule_id="modelltrohet-maleplan", inputs=inputs)
    with translation.override("en"):
        assert reason_text(result.to_dict()["reasons"][0]) == (
            "The last review on 01.09.2025 gave “Good quality” or better, so the next review is due within 12 "
            "months: 01.09.2026."
        )


def test_a_reason_without_a_template_stays_as_written():
    plain = Reason("X", "Skrevet uten mal.", "§ 1", True)
    with translation.override("en"):
        assert reason_text(plain) == "Skrevet uten mal."
        assert reason_text({"text": "Lagret før malene fantes."}) == "Lagret før malene fantes."


def test_the_eligibility_reasons_are_english_with_their_missing_conditions_listed():
    inputs = {
        "on": date(2026, 5, 1),
        "birth_date": date(1980, 1, 1),
        "moderate_or_severe_condition": True,
        "compound_problems": False,
        "in_health_service": False,
        "needs_comprehensive_follow_up": False,
        "consent": True,
        "wants_work_or_education": True,
    }
    result = rule_evaluate(rule_id="personkrets", inputs=inputs)
    texts = {reason.code: reason for reason in result.reasons}
    with translation.override("en"):
        assert reason_text(texts["PERSONKRETS_ORDINAER_IKKE_OPPFYLT"]) == (
            "The ordinary target group is not met: missing treatment in the health and care services and a need "
            "for more comprehensive help than NAV's general help."
        )
        assert reason_text(texts["SAMTYKKE_OPPFYLT"]) == "The person consents to take part."
    assert texts["SAMTYKKE_OPPFYLT"].text == "Personen samtykker til å delta."


def county_authority_applies():
    return rule_evaluate(rule_id="tilskudd-soker", inputs={"on": date(2026, 1, 15), "applicant_type": "fylkeskommune"})


def test_a_grant_reason_is_bokmal_by_default():
    reason = county_authority_applies().reasons[0]
    assert (
        reason_text(reason)
        == reason.text
        == ("Tilskudd kan ikke gis til fylkeskommuner; bare kommuner og statlige foretak (RHF/HF) kan få tilskudd.")
    )


def test_a_grant_reason_is_english_with_the_applicant_named_in_english():
    result = county_authority_applies()
    with translation.override("en"):
        assert reason_text(result.reasons[0]) == (
            "A grant cannot be given to county authorities; only municipalities and state enterprises (regional and "
            "local health trusts) can get a grant."
        )
        assert reason_text(result.to_dict()["reasons"][0]) == reason_text(result.reasons[0])


def test_the_highest_grant_for_measure_b_is_english_with_its_extra_sentence():
    inputs = {"on": date(2026, 1, 15), "measure": "B", "project_year": 1, "fte": "1.5"}
    reason = rule_evaluate(rule_id="tilskudd-maksbelop", inputs=inputs).reasons[-1]
    with translation.override("en"):
        assert reason_text(reason) == (
            "Measure B gives up to 700 000 kr per 100 % position in project year 1; for 1,5 full-time equivalents "
            "that is 1 050 000 kr. Funds for training and competence measures come in addition."
        )


def christmas_appeal():
    return rule_evaluate(rule_id="klagefrist", inputs={"on": date(2026, 12, 4), "notified_on": date(2026, 12, 4)})


def test_the_appeal_deadline_reasons_are_bokmal_by_default():
    reasons = {reason.code: reason for reason in christmas_appeal().reasons}
    assert reason_text(reasons["KLAGEFRIST"]) == (
        "Klagefristen er 3 uker fra underretningen kom fram 04.12.2026, altså 25.12.2026."
    )
    assert reason_text(reasons["FRIST_FLYTTET_TIL_VIRKEDAG"]) == (
        "25.12.2026 (fredag, første juledag), 26.12.2026 (lørdag, andre juledag) og 27.12.2026 (søndag) er ikke "
        "virkedager, så fristen flyttes til mandag 28.12.2026."
    )


def test_the_appeal_deadline_reasons_are_english_down_to_the_weekdays_and_holidays():
    result = christmas_appeal()
    reasons = {reason.code: reason for reason in result.reasons}
    with translation.override("en"):
        assert reason_text(reasons["KLAGEFRIST"]) == (
            "The appeal deadline is 3 weeks from when the notification arrived on 04.12.2026, that is 25.12.2026."
        )
        assert reason_text(reasons["FRIST_FLYTTET_TIL_VIRKEDAG"]) == (
            "25.12.2026 (Friday, Christmas Day), 26.12.2026 (Saturday, Boxing Day) and 27.12.2026 (Sunday) are not "
            "working days, so the deadline moves to Monday 28.12.2026."
        )
        assert reason_text(reasons["KLAGEFRIST_APEN"]) == "The appeal deadline runs to and including 28.12.2026."
        assert [reason_text(stored) for stored in result.to_dict()["reasons"]] == [
            reason_text(reason) for reason in result.reasons
        ]


def test_the_measures_applied_for_are_joined_with_a_translated_and():
    inputs = {"on": date(2026, 1, 15), "applies_measure_a": True, "applies_measure_b": True, "applies_measure_c": True}
    result = rule_evaluate(rule_id="tilskudd-soknad-komplett", inputs=inputs)
    reason = next(reason for reason in result.reasons if "tiltak" in reason.text and "gjelder" in reason.text)
    assert reason.text == "Søknaden gjelder tiltak A og B og C."
    with translation.override("en"):
        assert reason_text(reason) == "The application is for measure A and B and C."
