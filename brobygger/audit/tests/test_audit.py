import pytest
from django.db import DatabaseError, connection, transaction

from brobygger.accounts import services
from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Organisation, User
from brobygger.audit.models import AccessLogEntry, AppendOnlyError, AuditEvent
from brobygger.audit.services import log_access, record_event, snapshot


def test_a_write_and_its_audit_event_share_one_transaction(personas):
    actor = personas["sysadmin"]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.organisation_create(
            actor=actor, data={"name": "Rulles tilbake", "orgnr": synthetic_orgnr(950), "org_type": "kommune"}
        )
        raise RuntimeError("the request fails after the write")
    assert not Organisation.objects.filter(name="Rulles tilbake").exists()
    assert not AuditEvent.objects.filter(object_label="Rulles tilbake").exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    user = User.objects.create(username="utenfor", role="analytiker")
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        record_event(actor=None, action="create", obj=user)
    assert not AuditEvent.objects.exists()


def test_events_cannot_be_changed_or_deleted_through_django(personas):
    event = AuditEvent.objects.first()
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"])
def test_the_database_refuses_to_rewrite_history(personas, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.exclude(action="x").count() == AuditEvent.objects.count() > 0


def test_snapshots_never_hold_passwords_or_identity_numbers(personas):
    data = snapshot(personas["sysadmin"])
    assert "password" not in data
    assert data["username"] == "sysadmin"


def test_the_access_log_records_who_read_what(personas):
    reader = personas["jobbspesialist"]
    subject = personas["behandler"]
    log_access(actor=reader, obj=subject, path="/x/")
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.object_type, entry.object_id, entry.purpose) == (
        reader,
        "accounts.user",
        str(subject.pk),
        "view",
    )
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_only_system_administrators_search_the_trail(personas, login):
    assert login(personas["ips-leder"]).get("/revisjon/").status_code == 403
    response = login(personas["sysadmin"]).get("/revisjon/", {"object_type": "organisation", "action": "create"})
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert rows and all(row.object_type == "accounts.organisation" for row in rows)


def test_the_access_log_is_searchable_by_reader(personas, login):
    log_access(actor=personas["jobbspesialist"], obj=personas["behandler"])
    response = login(personas["sysadmin"]).get("/revisjon/", {"log": "access", "actor": "jobbspesialist"})
    assert [row.actor.username for row in response.context["page"]] == ["jobbspesialist"]


def test_a_search_with_dates_in_the_wrong_order_is_explained(personas, login):
    response = login(personas["sysadmin"]).get("/revisjon/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "Til-datoen kan ikke være før fra-datoen." in response.context["form"].errors["date_to"]


def test_the_admin_shows_the_trail_read_only(personas, login):
    client = login(personas["sysadmin"])
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_writes_are_audited(personas, login):
    client = login(personas["sysadmin"])
    organisation = Organisation.objects.first()
    data = {
        "name": "Endret i admin",
        "orgnr": organisation.orgnr,
        "org_type": organisation.org_type,
        "municipality": "",
    }
    assert client.post(f"/admin/accounts/organisation/{organisation.pk}/change/", data).status_code == 302
    event = AuditEvent.objects.filter(action="update", object_id=str(organisation.pk)).get()
    assert event.after["name"] == "Endret i admin" and event.actor == personas["sysadmin"]
