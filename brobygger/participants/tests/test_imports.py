"""Bulk import (docs/import.md): row-level problems, all or nothing, the same person twice or already known,
encryption, audit rows, the pages and the template round trip."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.audit.models import AuditEvent
from brobygger.participants import identity, services
from brobygger.participants.imports import COLUMNS, ImportInvalid, participants_import
from brobygger.participants.models import (
    ImportJob,
    Participant,
    ParticipantContactDetails,
    Period,
    Referral,
    StatusChange,
)
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS

HEADERS = [column.header for column in COLUMNS]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def leader(personas):
    return personas["ips-leder"]


def number(serial: int, born: date = date(2000, 5, 17)) -> str:
    return identity.synthetic_identity_number(born, serial)


def row(serial: int = 1, **overrides) -> dict[str, str]:
    """A valid row: a person referred from Nordre Aker, taken in, started and still followed up."""
    values = {
        "fodselsnummer": number(serial),
        "fornavn": f"Person{serial}",
        "etternavn": "Importsen",
        "kommunenummer": "0301",
        "psykoselidelse": "ja",
        "rusproblemer": "nei",
        "behandlingsteam": "Nordre Aker psykisk helseteam",
        "behandler": "behandler",
        "henvisningsdato": "02.03.2025",
        "mal": "Jobb i butikk",
        "moderat_eller_alvorlig_lidelse": "ja",
        "i_helsetjenesten": "ja",
        "trenger_omfattende_bistand": "ja",
        "onsker_arbeid_eller_utdanning": "ja",
        "samtykke_dato": "02.03.2025",
        "samtykkeform": "skriftlig",
        "tatt_inn_dato": "03.03.2025",
        "jobbspesialist": "jobbspesialist",
        "oppstartsdato": "10.03.2025",
    }
    return values | overrides


def csv_file(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def run(leader, *rows, name="fil.csv"):
    return participants_import(actor=leader, content=csv_file(*rows), file_name=name)


def problems_of(leader, *rows) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportInvalid) as invalid:
        run(leader, *rows)
    return [(p.row, p.column, p.message) for p in invalid.value.problems]


def test_a_valid_file_registers_people_referrals_and_started_periods(leader):
    summary = run(leader, row(1), row(2, tatt_inn_dato="", jobbspesialist="", oppstartsdato=""))
    assert summary.as_dict() == {"new_participants": 2, "known_participants": 0, "referrals": 2, "periods": 1}
    period = Period.objects.get()
    assert period.status == Period.Status.JOB_SEARCH and period.track == Period.Track.IPS_UNG
    assert period.last_permitted_day is not None and period.duration["rule"] == "varighet"
    assert list(period.status_history.values_list("status", flat=True)) == ["waiting", "job_search"]
    assert Referral.objects.filter(decision=Referral.Decision.PENDING).count() == 1


def test_the_referral_stores_the_same_eligibility_assessment_as_a_referral_made_in_the_form(leader, personas):
    run(leader, row(1))
    imported = Referral.objects.get()
    expected = services.referral_eligibility(
        birth_date=date(2000, 5, 17),
        referred_on=date(2025, 3, 2),
        consent_given_on=date(2025, 3, 2),
        facts=ELIGIBLE_FACTS | {"exception_justification": "", "exception_agreed_with_health_service": False},
    )
    assert imported.eligibility_outcome == expected.outcome == "oppfylt"
    assert imported.eligibility == expected.to_dict()


def test_rows_that_differ_in_one_rule_input_each_get_their_own_assessment(leader):
    # The rules are evaluated once per distinct input in a file: rows born the same day, referred and started the
    # same days, must still get the result of their own inputs, not their neighbour's.
    run(
        leader,
        row(1),
        row(2, samtykke_dato="", samtykkeform="", tatt_inn_dato="", jobbspesialist="", oppstartsdato=""),
        row(3, nedsatt_arbeidsevne_vurdert="01.02.2025"),
        row(4),
    )
    referrals = {
        referral.participant.first_name: referral for referral in Referral.objects.select_related("participant")
    }
    for name, consent in (("Person1", date(2025, 3, 2)), ("Person2", None), ("Person4", date(2025, 3, 2))):
        expected = services.referral_eligibility(
            birth_date=date(2000, 5, 17),
            referred_on=date(2025, 3, 2),
            consent_given_on=consent,
            facts=ELIGIBLE_FACTS | {"exception_justification": "", "exception_agreed_with_health_service": False},
        )
        assert referrals[name].eligibility == expected.to_dict()
    assert [referrals[name].eligibility_outcome for name in ("Person1", "Person2", "Person4")] == [
        "oppfylt",
        "ikke_oppfylt",
        "oppfylt",
    ]
    last_days = {period.participant.first_name: period.last_permitted_day for period in Period.objects.all()}
    assert last_days == {"Person1": date(2026, 3, 9), "Person3": date(2028, 3, 9), "Person4": date(2026, 3, 9)}


def test_identity_numbers_are_stored_only_encrypted_with_the_keyed_hash(leader):
    run(leader, row(1))
    person = Participant.objects.get()
    assert number(1) not in person.identity_encrypted
    assert identity.decrypt_identity(person.identity_encrypted) == number(1)
    assert person.identity_hash == identity.identity_hash(number(1))
    assert person.birth_date == date(2000, 5, 17) and person.is_synthetic


def test_every_created_person_referral_and_period_has_its_audit_event_without_the_identity_number(leader):
    run(leader, row(1), row(2))
    events = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, actor=leader)
    assert events.filter(object_type="participants.participant").count() == 2
    assert events.filter(object_type="participants.referral").count() == 2
    assert events.filter(object_type="participants.period").count() == 2
    for event in events.filter(object_type="participants.participant"):
        assert "identity_hash" not in event.after and "identity_encrypted" not in event.after
        assert number(1) not in str(event.after) and number(2) not in str(event.after)


def test_every_problem_is_reported_with_its_row_and_column_and_nothing_is_written(leader):
    found = problems_of(
        leader,
        row(1),
        row(2, fodselsnummer="12345678901", henvisningsdato="32.13.2025"),
        row(3, kommunenummer="9999", psykoselidelse="kanskje"),
    )
    columns = {(r, c) for r, c, _m in found}
    assert {(3, "fodselsnummer"), (3, "henvisningsdato"), (4, "kommunenummer"), (4, "psykoselidelse")} <= columns
    assert all(message for _r, _c, message in found)
    assert not any("12345678901" in message for _r, _c, message in found)
    assert (
        Participant.objects.count()
        == Referral.objects.count()
        == AuditEvent.objects.filter(object_type="participants.participant").count()
        == 0
    )


def test_a_missing_required_column_is_reported_on_the_header_row(leader):
    content = csv_file(row(1)).replace(b"etternavn", b"efternavn")
    with pytest.raises(ImportInvalid) as invalid:
        participants_import(actor=leader, content=content, file_name="fil.csv")
    found = {(p.row, p.column) for p in invalid.value.problems}
    assert found == {(1, "efternavn"), (1, "etternavn")}


def test_a_referral_that_is_not_eligible_may_be_imported_but_not_taken_in(leader):
    waiting = row(1, onsker_arbeid_eller_utdanning="nei", tatt_inn_dato="", jobbspesialist="", oppstartsdato="")
    assert run(leader, waiting).referrals == 1
    assert Referral.objects.get().eligibility_outcome == "ikke_oppfylt"
    found = problems_of(leader, row(2, onsker_arbeid_eller_utdanning="nei"))
    assert [(r, c) for r, c, _m in found] == [(2, "tatt_inn_dato")]


def test_a_team_outside_the_leaders_service_and_a_clinician_outside_the_team_are_refused(leader):
    found = problems_of(leader, row(1, behandlingsteam="Ukjent team"), row(2, behandler="jobbspesialist"))
    assert [(r, c) for r, c, _m in found] == [(2, "behandlingsteam"), (3, "behandler")]


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"oppstartsdato": "01.03.2025"}, "oppstartsdato"),  # before the referral
        ({"avsluttet_dato": "09.03.2025", "avslutningsgrunn": "moved"}, "avsluttet_dato"),  # before the start
        ({"avsluttet_dato": "10.04.2025"}, "avslutningsgrunn"),  # no reason
        ({"avsluttet_dato": "10.04.2025", "avslutningsgrunn": "other"}, "avslutning_forklaring"),
        ({"tatt_inn_dato": ""}, "oppstartsdato"),  # started without being taken in
    ],
)
def test_dates_and_closure_out_of_order_are_refused(leader, overrides, column):
    assert column in {c for _r, c, _m in problems_of(leader, row(1, **overrides))}


def test_a_closed_period_on_the_start_day_and_with_other_explained_is_accepted(leader):
    run(leader, row(1, avsluttet_dato="10.03.2025", avslutningsgrunn="other", avslutning_forklaring="Flyttet bort"))
    period = Period.objects.get()
    assert period.status == Period.Status.CLOSED and period.closed_on == date(2025, 3, 10)
    assert StatusChange.objects.filter(period=period).count() == 3


def test_the_same_person_twice_gets_one_record_and_two_periods_one_after_the_other(leader):
    first = row(1, avsluttet_dato="01.06.2025", avslutningsgrunn="work")
    second = row(1, henvisningsdato="02.06.2025", samtykke_dato="02.06.2025", tatt_inn_dato="03.06.2025")
    second |= {"oppstartsdato": "05.06.2025"}
    summary = run(leader, first, second)
    assert (summary.new_participants, summary.referrals, summary.periods) == (1, 2, 2)
    assert Participant.objects.count() == 1


def test_the_same_person_twice_with_two_open_periods_is_refused(leader):
    found = problems_of(
        leader, row(1), row(1, henvisningsdato="02.04.2025", tatt_inn_dato="03.04.2025", oppstartsdato="05.04.2025")
    )
    assert [(r, c) for r, c, _m in found] == [(3, "tatt_inn_dato")]


def test_the_same_person_twice_with_another_name_is_refused(leader):
    found = problems_of(leader, row(1, tatt_inn_dato="", jobbspesialist="", oppstartsdato=""), row(1, fornavn="Annen"))
    assert [(r, c) for r, c, _m in found] == [(3, "fornavn")]


def test_a_person_already_registered_gets_the_referral_and_keeps_the_registered_details(leader, participant):
    known = row(1, fodselsnummer=identity.decrypt_identity(participant.identity_encrypted), fornavn="Nytt navn")
    known["fodselsnummer"] = identity.decrypt_identity(participant.identity_encrypted)
    summary = run(leader, known)
    assert (summary.new_participants, summary.known_participants, summary.referrals) == (0, 1, 1)
    participant.refresh_from_db()
    assert participant.first_name == "Ola" and participant.referrals.count() == 1


def test_a_person_with_an_open_period_cannot_be_taken_in_again(leader, period):
    known = row(1, fodselsnummer=identity.decrypt_identity(period.participant.identity_encrypted))
    found = problems_of(leader, known)
    assert [(r, c) for r, c, _m in found] == [(2, "tatt_inn_dato")]


def test_only_ips_leaders_may_import(personas):
    with pytest.raises(ImportInvalid):
        run(personas["jobbspesialist"], row(1))
    assert Participant.objects.count() == 0


# The template round trip --------------------------------------------------------------------------------------


def test_the_downloaded_csv_template_filled_in_imports(leader, login):
    template = login(leader).get(reverse("import_template_csv")).content.decode("utf-8-sig")
    headers = next(csv.reader(io.StringIO(template), delimiter=";"))
    out = io.StringIO()
    out.write(template)
    csv.DictWriter(out, fieldnames=headers, delimiter=";").writerow(row(1))
    summary = participants_import(actor=leader, content=out.getvalue().encode("utf-8"), file_name="mal.csv")
    assert summary.periods == 1


def test_the_downloaded_xlsx_template_filled_in_imports_with_the_identity_number_as_text(leader, login):
    response = login(leader).get(reverse("import_template_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    values = row(1, fodselsnummer=number(1, date(2001, 1, 5)))
    sheet.append([values.get(header, "") for header in headers])
    sheet.append([values.get(header, "") for header in headers][:0])  # an empty row is skipped
    out = io.BytesIO()
    workbook.save(out)
    summary = participants_import(actor=leader, content=out.getvalue(), file_name="mal.xlsx")
    assert summary.new_participants == 1
    assert Participant.objects.get().birth_date == date(2001, 1, 5)


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_with_a_message(leader):
    with pytest.raises(ImportInvalid) as invalid:
        participants_import(actor=leader, content=b"\x00\x01", file_name="fil.xlsx")
    assert invalid.value.problems[0].message


# The pages and the command ----------------------------------------------------------------------------------------


def test_the_upload_page_imports_in_the_background_and_shows_the_result(leader, login):
    client = login(leader)
    assert client.get(reverse("import_upload")).status_code == 200
    upload = io.BytesIO(csv_file(row(1)))
    upload.name = "deltakere.csv"
    response = client.post(reverse("import_upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.url == reverse("import_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.summary["periods"] == 1
    assert bytes(job.content) == b""  # the file with identity numbers is not kept
    page = client.get(response.url).content.decode()
    assert "1 nye personer" in page and number(1) not in page


def test_the_job_page_lists_every_problem_and_nothing_is_imported(leader, login):
    client = login(leader)
    upload = io.BytesIO(csv_file(row(1), row(2, kommunenummer="9999")))
    upload.name = "deltakere.csv"
    response = client.post(reverse("import_upload"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID
    assert "Ukjent kommunenummer." in page and "kommunenummer" in page
    assert Participant.objects.count() == 0


def test_an_upload_that_is_not_csv_or_xlsx_is_refused_on_the_form(leader, login):
    upload = io.BytesIO(b"tekst")
    upload.name = "deltakere.txt"
    response = login(leader).post(reverse("import_upload"), {"file": upload})
    assert response.status_code == 200 and "CSV-fil" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_other_roles_are_refused_the_import_pages(personas, login):
    for name in ("jobbspesialist", "behandler", "analytiker"):
        client = login(personas[name])
        assert client.get(reverse("import_upload")).status_code == 403
        assert client.get(reverse("import_template_csv")).status_code == 403


def test_an_import_job_is_404_for_another_services_leader(leader, login):
    job = services.import_start(actor=leader, file_name="deltakere.csv", content=csv_file(row(1)))
    tromso = IpsService.objects.get(name="IPS Tromsø")
    other = User.objects.create_user("leder-tromso", role=Role.IPS_LEADER)
    Membership.objects.create(user=other, service=tromso)
    assert login(other).get(reverse("import_job", args=[job.pk])).status_code == 404


def test_the_command_imports_a_file_and_reports_every_problem(leader, tmp_path):
    bad = tmp_path / "feil.csv"
    bad.write_bytes(csv_file(row(1, kommunenummer="9999")))
    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_participants", str(bad), user=leader.username)
    good = tmp_path / "deltakere.csv"
    good.write_bytes(csv_file(row(1)))
    out = io.StringIO()
    call_command("import_participants", str(good), user=leader.username, stdout=out)
    assert "1 nye personer" in out.getvalue()
    assert Period.objects.count() == 1


def test_the_participant_list_links_the_import_for_a_leader_only(personas, login):
    assert reverse("import_upload") in login(personas["ips-leder"]).get(reverse("participant_list")).content.decode()
    page = login(personas["jobbspesialist"]).get(reverse("participant_list")).content.decode()
    assert reverse("import_upload") not in page


def test_phone_and_e_mail_become_the_importing_services_own_contact_details(leader, participant):
    known = row(1, fodselsnummer=identity.decrypt_identity(participant.identity_encrypted), telefon="400 00 001")
    ParticipantContactDetails.objects.create(
        participant=participant, service=IpsService.objects.get(name="IPS Tromsø"), phone="999 99 999"
    )
    run(leader, row(2, telefon="400 00 002", epost="to@example.org"), row(3), known)
    service = IpsService.objects.get(name="IPS Oslo Nord")
    new = Participant.objects.get(first_name="Person2")
    assert new.recorded_by == service
    assert list(
        ParticipantContactDetails.objects.filter(service=service).values_list("participant", "phone", "email")
    ) == [
        (new.pk, "400 00 002", "to@example.org"),
        (participant.pk, "400 00 001", ""),
    ]
    # Another service's record of the known person is left as it was; a row without phone or e-mail makes none.
    assert ParticipantContactDetails.objects.get(service__name="IPS Tromsø").phone == "999 99 999"
    assert not ParticipantContactDetails.objects.filter(participant__first_name="Person3").exists()
    events = AuditEvent.objects.filter(object_type="participants.participantcontactdetails")
    assert events.count() == 2 and "400" not in str(list(events.values_list("after", flat=True)))


def test_the_import_keeps_no_name_in_the_audit_trail(leader):
    run(leader, row(1), row(2, telefon="400 00 002"))
    trail = " ".join(f"{e.object_label} {e.after}" for e in AuditEvent.objects.all())
    assert "Person1" not in trail and "Importsen" not in trail and "400 00 002" not in trail
