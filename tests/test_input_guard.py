"""Control characters in what a browser or program sends are refused with 400 and a bokmål message before any view
runs (brobygger/middleware.py), so no search, form or API endpoint has to remember it, and PostgreSQL never sees a
NUL."""

import json

import pytest
from django.urls import reverse

from brobygger.rules import bounds


@pytest.mark.parametrize(
    "path",
    ["/deltakere/", "/deltakere/arbeidsgivere/", "/saksoversikt/", "/revisjon/", "/regelverk/"],
)
def test_a_nul_byte_in_a_search_is_a_400_page_in_bokmal(personas, login, path):
    response = login(personas["jobbspesialist"]).get(path, {"q": "Ola\x00"})
    assert response.status_code == 400
    assert "kontrolltegn" in response.content.decode()


def test_a_nul_byte_in_a_posted_form_is_refused_and_nothing_is_saved(personas, login):
    from brobygger.participants.models import Participant

    response = login(personas["behandler"]).post(reverse("participant_register"), {"first_name": "Ola\x00"})
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_a_nul_byte_in_a_parameter_name_is_refused(personas, login):
    assert login(personas["jobbspesialist"]).get("/deltakere/?a%00b=1").status_code == 400


def test_the_login_page_refuses_a_nul_byte_without_login(client, db):
    response = client.post("/logg-inn/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x0b"])
def test_other_control_characters_are_refused_too(personas, login, character):
    assert login(personas["jobbspesialist"]).get("/deltakere/", {"q": f"a{character}b"}).status_code == 400


@pytest.mark.parametrize("text", ["første linje\nandre linje", "kolonne\tkolonne", "linje\r\nlinje", "Ærlig å øve"])
def test_tabs_line_breaks_and_norwegian_letters_pass(personas, login, text):
    assert login(personas["jobbspesialist"]).get("/deltakere/", {"q": text[:100]}).status_code == 200


def test_a_json_body_that_is_not_json_is_left_to_the_api_which_says_so_in_bokmal(client, db):
    response = client.post("/api/v1/rules/varighet", "{ikke json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Forespørselen kunne ikke leses."


def test_control_characters_are_found_deep_in_a_structure_and_in_keys():
    assert bounds.has_control_characters({"a": [{"b": "c\x00"}]})
    assert bounds.has_control_characters({"a\x00": 1})
    assert not bounds.has_control_characters(json.loads('{"a": ["b\\tc", 1, null, true]}'))
