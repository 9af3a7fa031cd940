"""One access-log row per person per request that showed them, written in one place (audit.middleware)."""

from brobygger.audit.models import AccessLogEntry
from brobygger.audit.services import note_read, note_reads, reads_of_request

REVEAL = AccessLogEntry.Purpose.REVEAL_IDENTITY


def logged():
    return list(AccessLogEntry.objects.order_by("id").values_list("object_id", "purpose", "path"))


def test_a_person_read_twice_and_revealed_in_one_request_is_one_reveal_row(personas):
    reader, subject = personas["jobbspesialist"], personas["behandler"]
    with reads_of_request(actor=reader, path="/x/") as write:
        note_read(subject)
        note_read(subject, REVEAL)
        note_reads([subject, subject])
        write(True, api=False)
    assert logged() == [(str(subject.pk), REVEAL, "/x/")]


def test_a_list_is_one_row_per_person(personas):
    people = [personas["behandler"], personas["ips-leder"]]
    with reads_of_request(actor=personas["jobbspesialist"], path="/liste/") as write:
        note_reads(people)
        write(True, api=False)
    assert sorted(row[0] for row in logged()) == sorted(str(person.pk) for person in people)


def test_the_api_reads_are_logged_as_api_and_a_reveal_stays_a_reveal(personas):
    viewed, revealed = personas["behandler"], personas["ips-leder"]
    with reads_of_request(actor=personas["jobbspesialist"], path="/api/v1/x") as write:
        note_read(viewed)
        note_read(revealed, REVEAL)
        write(True, api=True)
    assert sorted(row[1] for row in logged()) == [AccessLogEntry.Purpose.API, REVEAL]


def test_a_response_that_showed_nothing_writes_nothing(personas):
    with reads_of_request(actor=personas["jobbspesialist"], path="/x/") as write:
        note_read(personas["behandler"])
        write(False, api=False)
    assert logged() == []


def test_a_read_outside_a_request_is_not_collected_and_the_next_request_starts_empty(personas):
    note_read(personas["behandler"])
    with reads_of_request(actor=personas["jobbspesialist"], path="/x/") as write:
        write(True, api=False)
    assert logged() == []
