"""The daily work: the referral inbox, consent recorded later, correcting and withdrawing a referral, correcting and
deleting entries with a reason kept in the audit trail, employer contacts from the participant's page, and
municipality names that exist twice. Real database, the demo personas."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brobygger.accounts.models import IpsService, Membership, Municipality, Role, TreatmentTeam, User
from brobygger.audit.models import AuditEvent
from brobygger.participants import access, identity, services
from brobygger.participants.forms_followup import participant_label
from brobygger.participants.models import (
    Contact,
    Education,
    EmployerContact,
    Extension,
    Job,
    Participant,
    Period,
    Referral,
    StatusChange,
)
from brobygger.participants.services import CORRECTION_REASON
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS, register_job

NORDRE_AKER = "Nordre Aker psykisk helseteam"


@pytest.fixture
def team(personas):
    return TreatmentTeam.objects.get(name=NORDRE_AKER)


@pytest.fixture
def outsider(personas):
    """A job specialist in another service."""
    tromso = IpsService.objects.get(name="IPS Tromsø")
    user = User.objects.create_user("js-tromso", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=user, service=tromso, team=tromso.teams.first())
    return user


@pytest.fixture
def unconsented(personas, team):
    """A referral registered before the person had consented: not eligible yet. Another person than the
    ``participant`` fixture's, whose own referral to the service is pending (one pending referral per service)."""
    person = services.participant_register(
        actor=personas["behandler"],
        identity_number=identity.synthetic_identity_number(date(2000, 2, 2), 2),
        municipality=Municipality.objects.get(number="0301"),
        first_name="Kari",
        last_name="Samtykkesen",
    )
    return services.referral_create(
        actor=personas["behandler"],
        participant=person,
        team=team,
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb i butikk",
        facts=ELIGIBLE_FACTS,
    )


def last_event(obj, action):
    return (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)
        .order_by("-id")
        .first()
    )


# Consent recorded later --------------------------------------------------------------------------------------------


def test_a_referral_without_consent_is_not_eligible_and_cannot_be_taken_in(personas, unconsented):
    assert unconsented.eligibility_outcome == "ikke_oppfylt"
    with pytest.raises(ValidationError):
        services.referral_accept(actor=personas["jobbspesialist"], referral=unconsented, on=date(2026, 3, 5))


def test_consent_recorded_later_makes_the_referral_eligible_and_it_can_then_be_taken_in(personas, unconsented):
    services.referral_record_consent(
        actor=personas["jobbspesialist"],
        referral=unconsented,
        given_on=date(2026, 3, 4),
        method=Referral.ConsentMethod.ORAL,
        expected_revision=unconsented.revision,
    )
    unconsented.refresh_from_db()
    assert unconsented.eligibility_outcome == "oppfylt"
    assert unconsented.consent_recorded_by == personas["jobbspesialist"]
    event = last_event(unconsented, AuditEvent.Action.UPDATE)
    assert event.before["consent_given_on"] is None and event.after["consent_given_on"] == "2026-03-04"
    period = services.referral_accept(actor=personas["jobbspesialist"], referral=unconsented, on=date(2026, 3, 5))
    assert period.status == Period.Status.WAITING


def test_consent_is_not_recorded_twice_nor_in_the_future_nor_without_a_method(personas, referral, unconsented):
    actor = personas["jobbspesialist"]
    with pytest.raises(ValidationError, match="allerede registrert"):
        services.referral_record_consent(
            actor=actor, referral=referral, given_on=date(2026, 3, 4), method="muntlig", expected_revision=1
        )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="fram i tid"):
        services.referral_record_consent(
            actor=actor, referral=unconsented, given_on=tomorrow, method="muntlig", expected_revision=1
        )
    with pytest.raises(ValidationError, match="samtykket ble gitt"):
        services.referral_record_consent(
            actor=actor, referral=unconsented, given_on=date(2026, 3, 4), method="", expected_revision=1
        )
    unconsented.refresh_from_db()
    assert unconsented.consent_given_on is None


def test_a_referral_from_before_the_facts_were_stored_is_corrected_instead(personas, unconsented):
    Referral.objects.filter(pk=unconsented.pk).update(facts={})
    unconsented.refresh_from_db()
    with pytest.raises(ValidationError, match="Rett henvisningen"):
        services.referral_record_consent(
            actor=personas["jobbspesialist"],
            referral=unconsented,
            given_on=date(2026, 3, 4),
            method="muntlig",
            expected_revision=unconsented.revision,
        )


def test_a_stale_consent_is_refused(personas, unconsented):
    with pytest.raises(ValidationError, match="Noen andre"):
        services.referral_record_consent(
            actor=personas["jobbspesialist"],
            referral=unconsented,
            given_on=date(2026, 3, 4),
            method="muntlig",
            expected_revision=unconsented.revision + 1,
        )


# Correcting and withdrawing a referral -----------------------------------------------------------------------------


def test_a_corrected_referral_is_assessed_again_and_the_reason_is_audited(personas, unconsented):
    services.referral_correct(
        actor=personas["behandler"],
        referral=unconsented,
        expected_revision=unconsented.revision,
        reason="Samtykket var gitt, men ikke ført",
        referred_on=date(2026, 3, 1),
        goals="Jobb i en butikk",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 3, 1),
        consent_method="skriftlig",
    )
    unconsented.refresh_from_db()
    assert (unconsented.referred_on, unconsented.eligibility_outcome) == (date(2026, 3, 1), "oppfylt")
    event = last_event(unconsented, AuditEvent.Action.UPDATE)
    assert event.after[CORRECTION_REASON] == "Samtykket var gitt, men ikke ført"
    # Free text is masked in the trail (Referral.AUDIT_MASK): it says the goals changed, not what they were.
    assert event.before["goals"] == event.after["goals"] == "(skjult)"


def test_a_correction_needs_a_reason(personas, unconsented):
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.referral_correct(
            actor=personas["behandler"],
            referral=unconsented,
            expected_revision=unconsented.revision,
            reason="  ",
            referred_on=date(2026, 3, 1),
            goals="Jobb",
            facts=ELIGIBLE_FACTS,
            consent_given_on=None,
            consent_method="",
        )


def test_a_withdrawn_referral_leaves_the_inbox_and_cannot_be_changed_again(personas, unconsented):
    js = personas["jobbspesialist"]
    assert list(access.inbox_referrals(js)) == [unconsented]
    services.referral_withdraw(
        actor=js, referral=unconsented, reason="Registrert ved en feil", on=date(2026, 3, 3), expected_revision=1
    )
    unconsented.refresh_from_db()
    assert unconsented.decision == Referral.Decision.WITHDRAWN
    assert unconsented.withdrawal_reason == "Registrert ved en feil"
    assert list(access.inbox_referrals(js)) == []
    with pytest.raises(ValidationError, match="allerede avgjort"):
        services.referral_withdraw(
            actor=js, referral=unconsented, reason="Igjen", on=date(2026, 3, 3), expected_revision=2
        )


def test_a_withdrawal_needs_a_reason_and_a_date_not_before_the_referral(personas, unconsented):
    js = personas["jobbspesialist"]
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.referral_withdraw(actor=js, referral=unconsented, reason="", on=date(2026, 3, 3), expected_revision=1)
    with pytest.raises(ValidationError, match="før henvisningsdatoen"):
        services.referral_withdraw(
            actor=js, referral=unconsented, reason="Feil", on=date(2026, 3, 1), expected_revision=1
        )
    assert Referral.objects.get(pk=unconsented.pk).decision == Referral.Decision.PENDING


# Corrections of entries ---------------------------------------------------------------------------------------------


def test_a_corrected_job_is_judged_again_and_the_audit_keeps_before_after_and_why(personas, period, employer):
    job = register_job(personas, period, employer)
    assert job.counts_as_outcome
    services.job_correct(
        actor=personas["jobbspesialist"],
        job=job,
        reason="Det var arbeidstrening",
        employer=employer,
        title="Butikkmedarbeider",
        job_type=Job.JobType.RETAIL,
        start_date=date(2026, 4, 1),
        hours_per_week=Decimal("15"),
        open_labour_market=False,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    job.refresh_from_db()
    assert not job.counts_as_outcome and job.hours_per_week == Decimal("15")
    event = last_event(job, AuditEvent.Action.UPDATE)
    assert event.before["open_labour_market"] is True and event.after["open_labour_market"] is False
    assert event.after[CORRECTION_REASON] == "Det var arbeidstrening"


def _correct_job(personas, job, employer, **changes):
    facts = {
        "reason": "Rettet",
        "employer": employer,
        "title": job.title,
        "job_type": job.job_type,
        "start_date": job.start_date,
        "hours_per_week": job.hours_per_week,
        "open_labour_market": True,
        "paid_at_least_normal_rate": True,
        "open_to_anyone": True,
    }
    return services.job_correct(actor=personas["jobbspesialist"], job=job, **(facts | changes))


def test_a_correction_is_held_to_the_same_plausibility_checks_as_a_new_job(personas, period, employer):
    job = register_job(personas, period, employer)
    with pytest.raises(ValidationError, match="mer enn 60 timer"):
        _correct_job(personas, job, employer, hours_per_week=Decimal("75"))
    other = register_job(personas, period, employer, title="Lagermedarbeider")
    with pytest.raises(ValidationError, match="allerede registrert"):
        _correct_job(personas, other, employer, title=job.title, start_date=job.start_date)
    job.refresh_from_db()
    assert job.hours_per_week != Decimal("75")
    # The job itself is no duplicate of itself: correcting only the hours goes through.
    assert _correct_job(personas, job, employer, hours_per_week=Decimal("30")).hours_per_week == Decimal("30")


def test_a_deleted_contact_is_gone_and_the_audit_keeps_what_it_held_and_why(personas, period):
    contact = services.contact_record(
        actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 3, 20)
    )
    pk = contact.pk
    services.entry_delete(actor=personas["jobbspesialist"], entry=contact, reason="Ført på feil person")
    assert not Contact.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_type="participants.contact", object_id=str(pk), action="delete")
    assert event.before["kind"] == "team_meeting" and event.after == {CORRECTION_REASON: "Ført på feil person"}


def test_nothing_is_deleted_without_a_reason(personas, period):
    contact = services.contact_record(
        actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 3, 20)
    )
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.entry_delete(actor=personas["jobbspesialist"], entry=contact, reason=" ")
    assert Contact.objects.filter(pk=contact.pk).exists()


def _extend(personas, period, to):
    period.refresh_from_db()
    return Extension.objects.create(
        period=period,
        decided_on=date(2026, 5, 1),
        previous_last_day=period.last_permitted_day,
        extended_to=to,
        justification="Trenger mer tid",
        rule_result={},
        decided_by=personas["jobbspesialist"],
    )


def test_deleting_the_latest_extension_gives_the_period_back_its_last_day(personas, period):
    first_last_day = period.last_permitted_day
    older = _extend(personas, period, first_last_day + timedelta(days=30))
    Period.objects.filter(pk=period.pk).update(last_permitted_day=older.extended_to)
    latest = _extend(personas, period, older.extended_to + timedelta(days=30))
    Period.objects.filter(pk=period.pk).update(last_permitted_day=latest.extended_to)
    with pytest.raises(ValidationError, match="siste forlengelsen"):
        services.entry_delete(actor=personas["jobbspesialist"], entry=older, reason="Feil")
    services.entry_delete(actor=personas["jobbspesialist"], entry=latest, reason="Vedtatt ved en feil")
    period.refresh_from_db()
    assert period.last_permitted_day == older.extended_to


def test_entries_of_a_closed_period_are_not_corrected(personas, period):
    contact = services.contact_record(
        actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 3, 20)
    )
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 4, 1),
        reason=Period.ClosureReason.OTHER,
        text="Flyttet",
        expected_revision=Period.objects.get(pk=period.pk).revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        services.entry_delete(actor=personas["jobbspesialist"], entry=contact, reason="Feil")


def _history(period):
    return [(row.status, row.valid_from, row.reason) for row in period.status_history.order_by("recorded_at", "pk")]


def _education(personas, period, start=date(2026, 4, 15)):
    return services.education_register(
        actor=personas["jobbspesialist"],
        period=period,
        level=Education.Level.UPPER_SECONDARY,
        institution="Kuben",
        start_date=start,
    )


def test_deleting_the_only_job_puts_the_period_back_in_job_search_from_the_day_it_moved(personas, period, employer):
    job = register_job(personas, period, employer)
    assert Period.objects.get(pk=period.pk).status == Period.Status.FOLLOW_ALONG
    services.entry_delete(actor=personas["jobbspesialist"], entry=job, reason="Ført på feil deltaker")
    period.refresh_from_db()
    assert period.status == Period.Status.JOB_SEARCH
    assert _history(period)[-2:] == [
        ("follow_along", date(2026, 4, 1), ""),
        ("job_search", date(2026, 4, 1), StatusChange.Reason.ENTRY_DELETED),
    ]
    # The status history as the pages read it (by date, then as recorded) ends in job search.
    assert list(period.status_history.all())[-1].status == Period.Status.JOB_SEARCH
    event = last_event(period, AuditEvent.Action.UPDATE)
    assert (event.before["status"], event.after["status"]) == ("follow_along", "job_search")
    assert event.after[CORRECTION_REASON] == "Ført på feil deltaker"
    # A job registered afterwards moves it to follow-along again, as the first one did.
    register_job(personas, period, employer, start_date=date(2026, 5, 2))
    period.refresh_from_db()
    assert period.status == Period.Status.FOLLOW_ALONG
    assert _history(period)[-1] == ("follow_along", date(2026, 5, 2), "")


def test_a_second_mistaken_job_moves_the_period_back_from_its_own_day(personas, period, employer):
    first = register_job(personas, period, employer)
    services.entry_delete(actor=personas["jobbspesialist"], entry=first, reason="Feil")
    second = register_job(personas, period, employer, start_date=date(2026, 5, 2))
    services.entry_delete(actor=personas["jobbspesialist"], entry=second, reason="Feil igjen")
    period.refresh_from_db()
    assert period.status == Period.Status.JOB_SEARCH
    assert _history(period)[-1] == ("job_search", date(2026, 5, 2), StatusChange.Reason.ENTRY_DELETED)


def test_a_job_or_education_left_keeps_the_period_in_follow_along(personas, period, employer):
    first = register_job(personas, period, employer)
    second = register_job(personas, period, employer, title="Lagermedarbeider")
    education = _education(personas, period)
    rows = period.status_history.count()
    services.entry_delete(actor=personas["jobbspesialist"], entry=first, reason="Dobbeltført")
    services.entry_delete(actor=personas["jobbspesialist"], entry=education, reason="Feil deltaker")
    period.refresh_from_db()
    assert period.status == Period.Status.FOLLOW_ALONG and period.status_history.count() == rows
    services.entry_delete(actor=personas["jobbspesialist"], entry=second, reason="Feil deltaker")
    assert Period.objects.get(pk=period.pk).status == Period.Status.JOB_SEARCH


def test_deleting_the_only_education_puts_the_period_back_in_job_search(personas, period):
    education = _education(personas, period)
    services.entry_delete(actor=personas["jobbspesialist"], entry=education, reason="Feil deltaker")
    period.refresh_from_db()
    assert period.status == Period.Status.JOB_SEARCH
    assert _history(period)[-1] == ("job_search", date(2026, 4, 15), StatusChange.Reason.ENTRY_DELETED)


def test_deleting_another_entry_does_not_move_the_status(personas, period, employer):
    register_job(personas, period, employer)
    contact = services.contact_record(
        actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 3, 20)
    )
    rows = period.status_history.count()
    services.entry_delete(actor=personas["jobbspesialist"], entry=contact, reason="Feil")
    period.refresh_from_db()
    assert period.status == Period.Status.FOLLOW_ALONG and period.status_history.count() == rows


# Pages ----------------------------------------------------------------------------------------------------------------


def test_the_inbox_shows_pending_referrals_with_their_waiting_days(personas, login, unconsented):
    response = login(personas["jobbspesialist"]).get(reverse("referral_inbox"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["referral"] == unconsented
    assert row["waiting_days"] == (timezone.localdate() - unconsented.referred_on).days
    assert reverse("referral_consent", args=[unconsented.pk]) in response.content.decode()


def test_the_inbox_filters_by_consent(personas, login, unconsented):
    client = login(personas["ips-leder"])
    assert len(client.get(reverse("referral_inbox"), {"consent": "missing"}).context["rows"]) == 1
    assert len(client.get(reverse("referral_inbox"), {"consent": "given"}).context["rows"]) == 0


def test_the_inbox_is_empty_for_another_service_and_refused_to_clinicians(personas, login, unconsented, outsider):
    assert login(outsider).get(reverse("referral_inbox")).context["rows"] == []
    assert login(personas["behandler"]).get(reverse("referral_inbox")).status_code == 403


def test_the_home_page_counts_the_waiting_referrals(personas, login, unconsented):
    page = login(personas["jobbspesialist"]).get(reverse("home")).content.decode()
    assert "1 henvisning venter på avgjørelse" in page


@pytest.mark.parametrize("name", ["referral_consent", "referral_correct", "referral_withdraw"])
def test_the_referral_pages_are_404_for_another_service(login, unconsented, outsider, name):
    assert login(outsider).get(reverse(name, args=[unconsented.pk])).status_code == 404


def test_consent_recorded_on_its_page_leads_to_the_decision(personas, login, unconsented):
    response = login(personas["jobbspesialist"]).post(
        reverse("referral_consent", args=[unconsented.pk]),
        {"consent_given_on": "2026-03-04", "consent_method": "muntlig", "revision": unconsented.revision},
    )
    assert response.status_code == 302 and response["Location"] == reverse("referral_decide", args=[unconsented.pk])
    assert Referral.objects.get(pk=unconsented.pk).eligibility_outcome == "oppfylt"


def test_a_withdrawal_without_a_reason_is_shown_on_the_form(personas, login, unconsented):
    response = login(personas["jobbspesialist"]).post(
        reverse("referral_withdraw", args=[unconsented.pk]),
        {"decided_on": "2026-03-03", "withdrawal_reason": "", "revision": unconsented.revision},
    )
    assert response.status_code == 200 and "withdrawal_reason" in response.context["form"].errors
    assert "confirmed" in response.context["form"].errors
    assert Referral.objects.get(pk=unconsented.pk).decision == Referral.Decision.PENDING


def test_a_referral_is_withdrawn_on_its_page_once_confirmed(personas, login, unconsented):
    response = login(personas["behandler"]).post(
        reverse("referral_withdraw", args=[unconsented.pk]),
        {
            "decided_on": "2026-03-03",
            "withdrawal_reason": "Personen flyttet",
            "confirmed": "on",
            "revision": unconsented.revision,
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=unconsented.pk).decision == Referral.Decision.WITHDRAWN


def test_a_job_is_corrected_on_its_page(personas, login, period, employer):
    job = register_job(personas, period, employer)
    url = reverse("entry_correct", args=[period.pk, "jobb", job.pk])
    client = login(personas["jobbspesialist"])
    assert client.get(url).status_code == 200
    body = {
        "employer": employer.pk,
        "title": "Kassemedarbeider",
        "job_type": Job.JobType.RETAIL,
        "start_date": "2026-04-01",
        "hours_per_week": "20",
        "open_labour_market": "ja",
        "paid_at_least_normal_rate": "ja",
        "open_to_anyone": "ja",
        "reason": "Feil tittel",
    }
    response = client.post(url, body)
    assert response.status_code == 302 and response["Location"] == reverse("followup_jobs", args=[period.pk])
    assert Job.objects.get(pk=job.pk).title == "Kassemedarbeider"


def test_the_period_page_says_why_the_status_moved_back(personas, login, period, employer):
    job = register_job(personas, period, employer)
    client = login(personas["jobbspesialist"])
    url = reverse("entry_delete", args=[period.pk, "jobb", job.pk])
    assert client.post(url, {"reason": "Feil deltaker", "confirmed": "on"}).status_code == 302
    page = client.get(reverse("participant_detail", args=[period.participant_id])).content.decode()
    assert "Den eneste jobben eller utdanningen på forløpet ble slettet" in page


def test_a_delete_is_not_done_without_the_confirmation(personas, login, period):
    contact = services.contact_record(
        actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 3, 20)
    )
    url = reverse("entry_delete", args=[period.pk, "kontakt", contact.pk])
    client = login(personas["jobbspesialist"])
    response = client.post(url, {"reason": "Feil"})
    assert response.status_code == 200 and "confirmed" in response.context["form"].errors
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert client.post(url, {"reason": "Feil", "confirmed": "on"}).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("view", ["entry_correct", "entry_delete"])
def test_the_correction_pages_are_404_for_another_service(personas, login, period, employer, outsider, view):
    job = register_job(personas, period, employer)
    assert login(outsider).get(reverse(view, args=[period.pk, "jobb", job.pk])).status_code == 404


def test_a_job_corrected_into_another_registered_job_is_a_form_error_on_its_page(personas, login, period, employer):
    job = register_job(personas, period, employer)
    other = register_job(personas, period, employer, title="Lagermedarbeider")
    body = {
        "employer": employer.pk,
        "title": job.title,
        "job_type": Job.JobType.RETAIL,
        "start_date": "2026-04-01",
        "hours_per_week": "20",
        "open_labour_market": "ja",
        "paid_at_least_normal_rate": "ja",
        "open_to_anyone": "ja",
        "reason": "Rettet",
    }
    client = login(personas["jobbspesialist"])
    response = client.post(reverse("entry_correct", args=[period.pk, "jobb", other.pk]), body)
    assert response.status_code == 200 and "allerede registrert" in response.context["form"].errors["title"][0]
    assert Job.objects.get(pk=other.pk).title == "Lagermedarbeider"
    # The job itself, corrected with the facts it has, is no duplicate of itself.
    response = client.post(reverse("entry_correct", args=[period.pk, "jobb", job.pk]), body | {"hours_per_week": "25"})
    assert response.status_code == 302 and Job.objects.get(pk=job.pk).hours_per_week == Decimal("25")


def test_a_clinician_may_not_correct_a_job(personas, login, period, employer):
    job = register_job(personas, period, employer)
    response = login(personas["behandler"]).get(reverse("entry_correct", args=[period.pk, "jobb", job.pk]))
    assert response.status_code == 403


def test_an_employer_contact_recorded_from_the_participants_page_goes_back_there(personas, login, period, employer):
    participant = period.participant
    url = reverse("employer_contact_record") + f"?deltaker={participant.pk}"
    client = login(personas["jobbspesialist"])
    form = client.get(url).context["form"]
    assert form.initial["participants"] == [participant.pk]
    body = {
        "employer": employer.pk,
        "date": "2026-03-20",
        "face_to_face": "ja",
        "purpose": EmployerContact.Purpose.NAMED_PARTICIPANTS,
        "participants": [participant.pk],
        "result": "Intervju avtalt",
    }
    response = client.post(url, body)
    assert response.status_code == 302 and response["Location"] == reverse("participant_detail", args=[participant.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Intervju avtalt" in page and employer.name in page


def test_an_employer_contact_is_corrected_only_by_its_job_specialist(personas, login, period, employer):
    contact = services.employer_contact_record(
        actor=personas["jobbspesialist"],
        employer=employer,
        on=date(2026, 3, 20),
        face_to_face=True,
        purpose=EmployerContact.Purpose.JOB_DEVELOPMENT,
    )
    other = User.objects.create_user("js-annen", role=Role.JOB_SPECIALIST)
    assert login(other).get(reverse("employer_contact_correct", args=[contact.pk])).status_code == 404
    assert login(other).post(reverse("employer_contact_delete", args=[contact.pk]), {}).status_code == 404
    client = login(personas["jobbspesialist"])
    response = client.post(
        reverse("employer_contact_delete", args=[contact.pk]), {"reason": "Dobbelt ført", "confirmed": "on"}
    )
    assert response.status_code == 302 and not EmployerContact.objects.filter(pk=contact.pk).exists()


# Telling people and places apart -----------------------------------------------------------------------------------


def test_municipality_names_that_exist_twice_show_their_county(db):
    heroy = Municipality.objects.filter(name="Herøy").select_related("county").order_by("number")
    assert [m.label for m in heroy] == ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]
    assert {m.label for m in Municipality.objects.filter(name="Våler")} == {"Våler (Østfold)", "Våler (Innlandet)"}
    assert Municipality.objects.get(number="0301").label == "Oslo"
    assert str(Municipality.objects.get(number="1818")) == "1818 Herøy (Nordland)"


def test_people_with_the_same_name_are_told_apart_in_the_picker(personas, participant):
    twin = services.participant_register(
        actor=personas["jobbspesialist"],
        identity_number=identity.synthetic_identity_number(date(1990, 1, 2), 3),
        municipality=Municipality.objects.get(number="1818"),
        first_name="Ola",
        last_name="Testesen",
    )
    labels = {participant_label(p) for p in Participant.objects.filter(pk__in=[participant.pk, twin.pk])}
    assert labels == {"Ola Testesen (født 2001, Oslo)", "Ola Testesen (født 1990, Herøy (Nordland))"}


# The plan page and the eligibility table ------------------------------------------------------------------------------


def test_a_plan_never_revised_is_not_said_to_be_revised(personas, login, plan):
    page = login(personas["jobbspesialist"]).get(reverse("followup_plan", args=[plan.period_id])).content.decode()
    assert "ikke revidert ennå" in page and "Planen ble revidert" not in page


def test_a_plan_revised_says_when_and_not_that_it_is_unrevised(personas, login, plan):
    services.plan_revise(
        actor=personas["jobbspesialist"],
        plan=plan,
        on=date(2026, 3, 20),
        content="Søke i butikk",
        participant_took_part=True,
        clinician_took_part=False,
        job_specialist_took_part=True,
    )
    page = login(personas["jobbspesialist"]).get(reverse("followup_plan", args=[plan.period_id])).content.decode()
    assert "revidert 20.03.2026" in page and "ikke revidert ennå" not in page


def test_the_ways_into_the_target_group_not_needed_are_not_shown_as_failed(personas, login, referral):
    response = login(personas["jobbspesialist"]).get(reverse("referral_decide", args=[referral.pk]))
    reasons = {reason["code"]: reason for reason in response.context["eligibility"]["reasons"]}
    assert reasons["PERSONKRETS_ORDINAER_OPPFYLT"].get("not_needed") is None
    assert reasons["PERSONKRETS_IPS_UNG_IKKE_OPPFYLT"]["not_needed"] is True
    assert reasons["PERSONKRETS_UNNTAK_BEGRUNNELSE_MANGLER"]["not_needed"] is True
    assert "Ikke nødvendig" in response.content.decode()


def test_when_no_way_into_the_target_group_holds_each_is_shown_as_failed(personas, login, participant, team):
    refused = services.referral_create(
        actor=personas["behandler"],
        participant=participant,
        team=team,
        clinician=personas["behandler"],
        referred_on=date(2026, 3, 2),
        goals="Jobb",
        facts=ELIGIBLE_FACTS | {"in_health_service": False},
        consent_given_on=date(2026, 3, 2),
        consent_method="skriftlig",
    )
    response = login(personas["jobbspesialist"]).get(reverse("referral_decide", args=[refused.pk]))
    assert not any(reason.get("not_needed") for reason in response.context["eligibility"]["reasons"])
