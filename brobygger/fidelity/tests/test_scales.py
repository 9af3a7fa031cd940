"""Scales are data: the built-in IPS-25, the validating loader, a two-subscale shape and the management command."""

import copy
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brobygger.audit.models import AuditEvent
from brobygger.fidelity import scales
from brobygger.fidelity.models import Scale, ScaleGroup, ScaleItem
from brobygger.fidelity.tests.conftest import dump, synthetic_definition
from brobygger.regelverk.services import rule_evaluate

pytestmark = pytest.mark.django_db


def ips25_text() -> str:
    return scales.BUILTIN_FILES[0].read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    with pytest.raises(scales.ScaleFileError) as caught:
        scales.load_scale(actor=None, text=text)
    return caught.value.problems


def test_ips25_is_built_in_with_its_sections_items_and_levels(ips25):
    assert (ips25.key, ips25.builtin, ips25.grouping, ips25.level_rule) == (
        "ips-25",
        True,
        "sections",
        "modelltrohet-niva",
    )
    groups = {group.key: sorted(group.items.values_list("number", flat=True)) for group in ips25.groups.all()}
    assert groups == {"ansatte": [1, 2, 3], "organisasjon": list(range(4, 12)), "tjenester": list(range(12, 26))}
    assert [(band["level"], band["low"], band["high"]) for band in ips25.bands] == [
        ("meget_bra", 115, 125),
        ("bra", 100, 114),
        ("godkjent", 74, 99),
        ("ikke_ips", 25, 73),
    ]
    assert set(ips25.data_sources) == {"ADM", "DOK", "INT", "OBS"}


def test_ips25_anchors_not_verified_are_marked_so(ips25):
    caseload = ips25.items.get(number=1)
    assert all(verified for _score, _text, verified in caseload.anchor_list())
    assert caseload.anchors["1"]["text"].startswith("41 eller flere")
    team = ips25.items.get(number=4)
    assert team.anchors["5"]["verified"] is True
    assert [score for score, _text, verified in team.anchor_list() if not verified] == [4, 3, 2, 1]
    assert ips25.items.get(number=3).anchors["4"]["verified"] is False


def test_ips25_measures_the_ten_items_the_data_can_suggest(ips25):
    measured = dict(ips25.items.filter(measure__isnull=False).values_list("number", "measure__key"))
    assert sorted(measured) == [1, 4, 12, 15, 17, 19, 20, 21, 23, 24]
    assert measured[15] == "days_to_employer_contact"


def test_the_ips25_bands_agree_with_the_rule_at_every_total(ips25):
    for total in range(25, 126):
        band = scales.level_for(total, ips25.bands)
        result = rule_evaluate(rule_id="modelltrohet-niva", inputs={"on": date(2026, 1, 1), "total": total})
        assert band["level"] == result.outcome
        assert band["approved"] == result.details["approved"]


def test_loading_the_built_in_scale_twice_loads_it_once(ips25):
    scales.ensure_builtin_scales()
    assert Scale.objects.filter(key="ips-25").count() == 1
    assert ScaleItem.objects.filter(scale__key="ips-25").count() == 25


def test_a_corrected_version_loads_from_a_file_and_applies_from_its_date(ips25, personas):
    text = (
        ips25_text()
        .replace('version: "2019.1"', 'version: "2026.1"')
        .replace("valid_from: 2019-01-01", "valid_from: 2026-07-01")
    )
    text = text.replace(
        '4: {text: "Jobbspesialisten har ansvar for fem av de seks fasene.", verified: false}',
        "4: Jobbspesialisten har ansvar for fem av de seks fasene, rettet og bekreftet.",
    )
    corrected = scales.load_scale(actor=personas["sysadmin"], text=text)
    assert corrected.items.get(number=3).anchors["4"] == {
        "text": "Jobbspesialisten har ansvar for fem av de seks fasene, rettet og bekreftet.",
        "verified": True,
    }
    assert scales.scale_in_force("ips-25", date(2026, 6, 30)) == ips25
    assert scales.scale_in_force("ips-25", date(2026, 7, 1)) == corrected
    event = AuditEvent.objects.get(object_type="fidelity.scale", object_id=str(corrected.pk))
    assert (event.actor, event.after["version"]) == (personas["sysadmin"], "2026.1")
    assert corrected.definition_text == text


def test_the_same_version_cannot_be_loaded_twice(ips25):
    assert problems_of(ips25_text()) == [
        "version: ips-25 versjon 2019.1 er allerede lastet. En rettelse må ha et nytt versjonsnummer."
    ]


def test_a_two_subscale_scale_loads_with_its_own_levels_per_subscale():
    scale = scales.load_scale(actor=None, text=dump(synthetic_definition()))
    assert (scale.grouping, scale.bands, scale.items.count()) == ("subscales", [], 6)
    work, education = ScaleGroup.objects.filter(scale=scale)
    assert (work.key, work.items.count(), [band["level"] for band in work.bands]) == (
        "arbeid",
        4,
        ["bra", "godkjent", "lav"],
    )
    assert (education.key, education.items.count(), education.bands[-1]["low"]) == ("utdanning", 2, 2)
    assert scales.level_for(15, work.bands)["good"] is True


def test_a_bad_file_is_refused_with_every_problem_and_nothing_is_saved():
    definition = synthetic_definition()
    work = definition["groups"][0]["bands"]
    work[1]["to"] = 15  # overlaps «bra» (15-20)
    education = definition["groups"][1]["bands"]
    education[1]["to"] = 6  # leaves 7 without a level
    del definition["items"][0]["anchors"][3]
    definition["items"][1]["number"] = 3  # the number of the next item too
    definition["items"][4]["group"] = "fritid"
    definition["items"][5]["data_sources"] = ["TLF"]
    scales_before, events_before = Scale.objects.count(), AuditEvent.objects.count()

    problems = problems_of(dump(definition))

    assert problems == [
        "Nivåer for «arbeid»: nivåene «bra» og «godkjent» overlapper (15-20 og 10-15).",
        "Nivåer for «utdanning»: hull mellom nivåene «lav» og «bra»: skårene 7-7 har ikke noe nivå.",
        "Punkt 1: mangler forankring for skår 3.",
        "Punkt 3: nummeret er brukt før i filen.",
        "Punkt 5: delen «fritid» finnes ikke under groups.",
        "Punkt 6: ukjent datakilde «TLF».",
    ]
    assert (Scale.objects.count(), AuditEvent.objects.count()) == (scales_before, events_before)
    assert not ScaleItem.objects.exists() and not ScaleGroup.objects.exists()


def test_bands_must_cover_exactly_the_possible_totals():
    definition = synthetic_definition()
    definition["groups"][0]["bands"][0]["to"] = 19
    definition["groups"][1]["bands"][1]["from"] = 1
    assert problems_of(dump(definition)) == [
        "Nivåer for «arbeid»: høyeste nivå må slutte på 20 (4 punkter à 5), ikke 19.",
        "Nivåer for «utdanning»: laveste nivå må starte på 2 (2 punkter à 1), ikke 1.",
    ]


def test_a_subscale_without_levels_and_a_scale_of_sections_without_overall_levels_are_refused():
    definition = synthetic_definition()
    del definition["groups"][1]["bands"]
    assert problems_of(dump(definition)) == ["Del «utdanning»: en delskala må ha egne nivåer (bands)."]
    sections = synthetic_definition(subscales=False)
    assert problems_of(dump(sections)) == [
        "levels: mangler: en skala med deler må ha nivåer for totalskåren.",
    ]


def test_levels_that_disagree_with_the_named_rule_are_refused(ips25):
    text = ips25_text().replace('version: "2019.1"', 'version: "2026.2"')
    text = text.replace("from: 100, to: 114", "from: 101, to: 114").replace("from: 74, to: 99", "from: 74, to: 100")
    assert problems_of(text) == [
        "levels.rule: totalskår 100 gir «godkjent» i filen, men «bra» etter regelen «modelltrohet-niva».",
    ]


def test_anchors_outside_1_to_5_empty_or_badly_flagged_are_reported():
    definition = synthetic_definition()
    anchors = definition["items"][0]["anchors"] = {score: f"Tekst {score}." for score in range(1, 6)}
    anchors[6] = "For høy."
    anchors[2] = {"text": "", "verified": False}
    anchors[4] = {"text": "Uverifisert.", "verified": "kanskje"}
    assert problems_of(dump(definition)) == [
        "Punkt 1: forankring for «6»: skåren må være 1, 2, 3, 4 eller 5.",
        "Punkt 1: forankringen for skår 2 er tom.",
        "Punkt 1: forankring 4: verified må være true eller false.",
    ]


def test_measure_bands_must_be_known_and_in_order():
    definition = synthetic_definition()
    definition["items"][0]["measure"] = {
        "key": "caseload",
        "better": "lower",
        "bands": [{"score": 5, "limit": 25}, {"score": 4, "limit": 20}, {"score": 1}],
    }
    definition["items"][1]["measure"] = {
        "key": "lykke",
        "better": "higher",
        "bands": [{"score": 5, "limit": 1}, {"score": 1}],
    }
    assert problems_of(dump(definition)) == [
        "Punkt 1: measure: grensene overlapper eller står i feil rekkefølge (25 og 20).",
        "Punkt 2: measure: ukjent mål «lykke». Kjente mål: benefits_before_start, caseload, community_contacts, "
        "competitive_jobs, days_to_employer_contact, employer_contacts_per_week, employer_diversity, "
        "follow_along_after_start, job_type_diversity, team_assignment.",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("key: [uavsluttet", "Filen er ikke gyldig YAML (linje 1)."),
        ("- en liste\n- ikke en skala\n", "Filen må være en YAML-struktur med nøkler som key, name, version og items."),
    ],
)
def test_a_file_that_is_not_a_scale_at_all_is_refused(text, problem):
    assert problems_of(text) == [problem]


def test_missing_top_level_fields_are_all_reported():
    problems = problems_of("farge: blå\n")
    assert problems[:3] == [
        "farge: ukjent nøkkel.",
        "key: må være et kort navn med små bokstaver, tall og bindestrek, f.eks. ips-25.",
        "name: mangler.",
    ]
    assert "items: må liste punktene på skalaen." in problems
    assert "valid_from: må være en dato på formen ÅÅÅÅ-MM-DD." in problems


def test_the_command_loads_a_file(tmp_path):
    path = tmp_path / "syntetisk.yaml"
    path.write_text(dump(synthetic_definition()), encoding="utf-8")
    out = StringIO()
    call_command("load_fidelity_scale", str(path), stdout=out)
    assert "Lastet Syntetisk skala med to delskalaer versjon 1 (gyldig fra 01.01.2024) med 6 punkter." in out.getvalue()
    assert Scale.objects.filter(key="syntetisk-y").exists()


def test_the_command_refuses_a_bad_file_with_every_problem(tmp_path):
    definition = copy.deepcopy(synthetic_definition())
    definition["items"][0]["anchors"] = {}
    definition["items"][1]["number"] = 1
    path = tmp_path / "feil.yaml"
    path.write_text(dump(definition), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_fidelity_scale", str(path))
    assert "Punkt 1: mangler forankring for skår 1, 2, 3, 4, 5." in str(caught.value)
    assert "Punkt 1: nummeret er brukt før i filen." in str(caught.value)
    assert not Scale.objects.exists()


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Kan ikke lese"):
        call_command("load_fidelity_scale", str(tmp_path / "finnes-ikke.yaml"))


def test_a_title_longer_than_its_column_is_a_problem_of_the_file_and_nothing_is_saved():
    definition = synthetic_definition()
    definition["items"][0]["title"] = "x" * 100_000
    assert problems_of(dump(definition)) == [
        "Punkt 1, punkt: Sørg for at denne verdien har 200 eller færre tegn (den har nå 100000)."
    ]
    assert not Scale.objects.filter(key=definition["key"]).exists()


def test_a_name_of_exactly_the_longest_length_loads():
    definition = synthetic_definition()
    definition["name"] = "x" * 200
    assert scales.load_scale(actor=None, text=dump(definition)).name == "x" * 200


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b"])
def test_a_nul_or_other_control_character_anywhere_in_the_file_is_refused(text):
    definition = synthetic_definition()
    definition["items"][0]["description"] = text
    assert problems_of(dump(definition)) == [
        "Filen inneholder kontrolltegn (for eksempel NUL) som ikke er tillatt i tekst."
    ]


def test_a_tab_and_line_breaks_in_a_text_are_ordinary_text():
    definition = synthetic_definition()
    definition["items"][0]["description"] = "første\tlinje\nandre linje"
    assert scales.load_scale(actor=None, text=dump(definition)).items.get(number=1).description.startswith("første")
