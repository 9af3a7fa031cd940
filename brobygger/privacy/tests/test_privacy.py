"""A person's access report (innsyn) and erasure after the retention period, end to end."""

import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from brobygger.accounts.models import IpsService
from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.audit.services import log_access, note_read, reads_of_request
from brobygger.participants import identity, services
from brobygger.participants.models import (
    Contact,
    Participant,
    ParticipantContactDetails,
    Period,
    PlanRevision,
    Referral,
)
from brobygger.participants.tests.conftest import register_job
from brobygger.privacy.services import access_report_pdf, retention_due, retention_run
from brobygger.reporting import published
from brobygger.reporting.periods import ReportingPeriod

NUMBER = identity.synthetic_identity_number(date(2001, 5, 17), 1)  # the ``participant`` fixture's number
CLOSED_ON = date(2026, 6, 30)


def _text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext mangler: kjør `make browsers` (poppler-utils).")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def followed_up(personas, period, plan, employer):
    """A period with a revised plan, a job and a noted contact, read once by the job specialist."""
    services.plan_revise(
        actor=personas["jobbspesialist"],
        plan=plan,
        on=date(2026, 3, 20),
        content="Søke på tre butikkjobber",
        participant_took_part=True,
        clinician_took_part=False,
        job_specialist_took_part=True,
    )
    register_job(personas, period, employer)
    services.contact_record(
        actor=personas["jobbspesialist"],
        period=period,
        kind=Contact.Kind.PARTICIPANT_MEETING,
        on=date(2026, 3, 25),
        place=Contact.Place.COMMUNITY,
        notes="Møttes på kafé, god stemning",
    )
    log_access(actor=personas["jobbspesialist"], obj=period.participant, path="/deltakere/1/")
    # Two services' own contact details of the person: the report holds both, erasure removes both.
    ParticipantContactDetails.objects.create(
        participant=period.participant, service=period.service, phone="412 34 567", guardian_name="Gunn Verge"
    )
    ParticipantContactDetails.objects.create(
        participant=period.participant, service=IpsService.objects.get(name="IPS Tromsø"), email="ola@tromso.example"
    )
    return period


def test_the_access_report_holds_what_is_held_and_who_read_it(personas, login, followed_up):
    response = login(personas["sysadmin"]).post(reverse("privacy_access_report"), {"identity_number": NUMBER})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(_text(response.content).split())
    for held in ("Ola Testesen", NUMBER, "Jobb i butikk", "Søke på tre butikkjobber", "Butikkmedarbeider"):
        assert held in text
    assert "Testbutikken AS" in text and "Møttes på kafé" in text
    for held in ("IPS Oslo Nord", "412 34 567", "Gunn Verge", "IPS Tromsø", "ola@tromso.example"):
        assert held in text
    specialist = personas["jobbspesialist"]
    assert (specialist.get_full_name() or specialist.username) in text and "Jobbspesialist" in text


def test_making_the_access_report_is_one_read_of_the_person_logged_like_every_other(personas, login, followed_up):
    client = login(personas["sysadmin"])
    for made in (1, 2):
        assert client.post(reverse("privacy_access_report"), {"identity_number": NUMBER}).status_code == 200
        written = AccessLogEntry.objects.filter(actor=personas["sysadmin"])
        # One row per report, for the person only (the periods it holds are theirs), written by the middleware.
        assert set(written.values_list("object_type", "object_id", "purpose", "path")) == {
            (
                "participants.participant",
                str(followed_up.participant_id),
                "access_report",
                reverse("privacy_access_report"),
            )
        }
        assert written.count() == made


def test_a_report_in_a_request_that_read_the_person_otherwise_too_is_still_one_row(personas, followed_up):
    sysadmin = personas["sysadmin"]
    with reads_of_request(actor=sysadmin, path="/personvern/innsyn/") as write:
        note_read(followed_up.participant)
        access_report_pdf(identity_number=NUMBER)
        write(True, api=False)
    written = AccessLogEntry.objects.filter(actor=sysadmin)
    assert list(written.values_list("object_id", "purpose")) == [(str(followed_up.participant_id), "access_report")]


def test_a_report_that_is_not_handed_out_is_no_read(personas, followed_up):
    with reads_of_request(actor=personas["sysadmin"], path="/personvern/innsyn/") as write:
        access_report_pdf(identity_number=NUMBER)
        write(False, api=False)
    assert not AccessLogEntry.objects.filter(actor=personas["sysadmin"]).exists()


def test_a_report_lists_the_reads_before_it(personas, login, followed_up):
    client = login(personas["sysadmin"])
    first = " ".join(_text(client.post(reverse("privacy_access_report"), {"identity_number": NUMBER}).content).split())
    second = " ".join(_text(client.post(reverse("privacy_access_report"), {"identity_number": NUMBER}).content).split())
    assert "Innsynsrapport til personen" not in first and "Innsynsrapport til personen" in second


def test_a_person_nothing_is_held_about_gets_a_report_that_says_so(personas, login, db):
    unknown = identity.synthetic_identity_number(date(1990, 1, 1), 7)
    response = login(personas["sysadmin"]).post(reverse("privacy_access_report"), {"identity_number": unknown})
    assert "ingen opplysninger" in " ".join(_text(response.content).split())
    assert not AccessLogEntry.objects.exists()


def test_an_invalid_identity_number_is_a_form_error(personas, login, db):
    response = login(personas["sysadmin"]).post(reverse("privacy_access_report"), {"identity_number": "12345678901"})
    assert response.status_code == 400 and "identity_number" in response.context["report_form"].errors


@pytest.mark.parametrize("role", ["jobbspesialist", "ips-leder", "behandler", "tilskuddsforvalter", "analytiker"])
def test_only_the_system_administrator_carries_out_the_duties(personas, login, role):
    client = login(personas[role])
    assert client.get(reverse("privacy_index")).status_code == 403
    assert client.post(reverse("privacy_access_report"), {"identity_number": NUMBER}).status_code == 403
    assert client.post(reverse("privacy_retention"), {"confirm": "on"}).status_code == 403


def test_anonymous_users_are_sent_to_login(client, db):
    assert client.get(reverse("privacy_index")).status_code == 302


# Retention ------------------------------------------------------------------------------------------------------


@pytest.fixture
def closed(personas, followed_up):
    return services.period_close(
        actor=personas["jobbspesialist"],
        period=followed_up,
        on=CLOSED_ON,
        reason=Period.ClosureReason.WORK,
        expected_revision=followed_up.revision,
        text="Fikk fast jobb",
    )


def test_the_retention_period_runs_from_the_last_closed_period(closed, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 5
    assert not retention_due(date(2031, 6, 29)).exists()
    assert list(retention_due(date(2031, 6, 30))) == [closed.participant]


def test_someone_with_an_open_period_is_never_due(followed_up, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0
    assert not retention_due(date(2040, 1, 1)).exists()


def test_a_dry_run_changes_nothing(closed):
    run = retention_run(actor=None, on=date(2040, 1, 1), apply=False)
    assert run.participant_ids == (closed.participant_id,) and not run.applied
    assert Participant.objects.get().first_name == "Ola"


def test_erasure_removes_what_names_or_describes_the_person_and_audits_it(personas, closed):
    run = retention_run(actor=personas["sysadmin"], on=date(2040, 1, 1), apply=True)
    assert run.count == 1
    person = Participant.objects.get()
    assert (person.first_name, person.last_name, person.identity_encrypted) == ("Anonymisert", "", "")
    assert not ParticipantContactDetails.objects.exists()
    assert person.identity_hash == f"anonymisert-{person.pk}"
    assert Referral.objects.get().goals == "" and Period.objects.get().closure_text == ""
    assert PlanRevision.objects.get(content="").pk and Contact.objects.get().notes == ""
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ANONYMISE, object_id=str(person.pk)).exists()
    assert retention_run(actor=None, on=date(2040, 1, 1), apply=True).count == 0  # done once


def test_the_trail_keeps_no_name_or_free_text_of_the_person(closed):
    retention_run(actor=None, on=date(2040, 1, 1), apply=True)
    trail = " ".join(str(event.before) + str(event.after) + event.object_label for event in AuditEvent.objects.all())
    for text in ("Ola", "Testesen", "Jobb i butikk", "Søke på tre butikkjobber", "Møttes på kafé", "Fikk fast jobb"):
        assert text not in trail


def test_the_figures_do_not_change(closed):
    year = ReportingPeriod.for_year(2026)
    before = published.compute(year)
    retention_run(actor=None, on=date(2040, 1, 1), apply=True)
    assert published.compute(year) == before


def test_the_page_shows_who_is_due_and_applies_only_when_confirmed(personas, login, closed, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0
    client = login(personas["sysadmin"])
    assert "1 person skal anonymiseres" in client.get(reverse("privacy_index")).content.decode()
    client.post(reverse("privacy_retention"), {})
    assert Participant.objects.get().first_name == "Ola"
    client.post(reverse("privacy_retention"), {"confirm": "on"})
    assert Participant.objects.get().first_name == "Anonymisert"


def test_the_command_dry_runs_unless_told_to_apply(closed, capsys):
    call_command("retention_run", "--date", "2040-01-01")
    assert "1 personer skal anonymiseres (tørrkjøring" in capsys.readouterr().out
    assert Participant.objects.get().first_name == "Ola"
    call_command("retention_run", "--date", "2040-01-01", "--apply")
    assert Participant.objects.get().first_name == "Anonymisert"
