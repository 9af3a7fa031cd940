"""The register of every rule: what the API and the «Regelverk» page are generated from.

Each entry has a stable id, a bokmål title and description, its legal references, the function, its input
dataclass (whose fields become form fields) and the versions it can be evaluated under. `evaluate()` runs a rule
by id from a dict of primitive values, as a form or JSON body sends them.

Our reading of each rule, with its sources and its catalogue id: docs/domain.md.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from . import bounds, control, deadlines, duration, eligibility, grants, outcomes, quality
from .base import RuleInputError, RuleResult, RuleVersion
from .versions import IN_FORCE, PROPOSAL_2026, get_version, resolve_version

BOTH_VERSIONS = (IN_FORCE, PROPOSAL_2026)
TRUE_WORDS = frozenset({"true", "ja", "1", "on"})
FALSE_WORDS = frozenset({"false", "nei", "0", "off"})


@dataclass(frozen=True)
class RuleSpec:
    """One rule in the catalogue."""

    id: str
    title: str
    description: str
    references: tuple[str, ...]
    function: Callable[[Any, RuleVersion], RuleResult]
    input_type: type[Any]
    versions: tuple[str, ...] = BOTH_VERSIONS
    proposal_change: str = ""


@dataclass(frozen=True)
class InputField:
    """One input field of a rule, described for a generated form or API schema."""

    name: str
    kind: str
    label: str
    help: str
    required: bool
    default: str | int | bool | None
    choices: tuple[str, ...] = ()


class UnknownRuleError(LookupError):
    """No rule has this id."""


CATALOG: tuple[RuleSpec, ...] = (
    RuleSpec(
        id="personkrets",
        title="Hvem kan få individuell jobbstøtte",
        description=(
            "Personen må ha nådd aldersgrensen, høre til målgruppen, samtykke og ønske ordinært arbeid og/eller "
            "utdanning. Målgruppen er personer med moderate til alvorlige psykiske lidelser og/eller rusproblemer "
            "som får behandling i helse- og omsorgstjenesten og trenger mer bistand enn Navs generelle bistand. "
            "Unge under 30 år med sammensatte psykiske problemer eller rusutfordringer kan få IPS ung uten "
            "diagnose. Andre kan unntaksvis få tiltaket etter direktoratets retningslinjer, i samråd med "
            "helsetjenesten og med skriftlig begrunnelse. Ingen utelukkes på grunn av rulleblad, symptomer, "
            "rusbruk, kognitive vansker, bosituasjon eller framtoning."
        ),
        references=("Egenregiforskriften §§ 3-1, 3-2 og 3-6", "Høringsforslag mai 2026, § 3-1"),
        function=eligibility.eligibility,
        input_type=eligibility.EligibilityInput,
        proposal_change=(
            "Tiltaket kan gis fra 1. januar i året personen fyller 16 år. Samtykke og ønske om arbeid eller "
            "utdanning står i § 3-1 tredje ledd, og IPS ung står i § 3-1 første ledd."
        ),
    ),
    RuleSpec(
        id="tiltaksspor",
        title="IPS eller IPS ung",
        description=(
            "Personer under 30 år ved oppstart følger IPS ung, med utdanning og lærlingeløp som mål på linje med "
            "arbeid. Andre følger ordinær IPS."
        ),
        references=("Egenregiforskriften § 3-6", "Høringsforslag mai 2026, § 3-1 første ledd"),
        function=eligibility.track,
        input_type=eligibility.TrackInput,
        proposal_change="IPS ung blir en fast del av tiltaket og står i § 3-1 i stedet for forsøksbestemmelsen § 3-6.",
    ),
    RuleSpec(
        id="varighet",
        title="Lengste varighet",
        description=(
            "Tiltaket kan vare i inntil ett år, eller tre år for personer med nedsatt arbeidsevne. En deltaker i "
            "IPS ung som er i opplæring eller utdanning, kan få forlenget med inntil ett år: samlet inntil to år, "
            "eller fire år med nedsatt arbeidsevne. Perioden varer til og med dagen før årsdagen for oppstarten."
        ),
        references=("Egenregiforskriften §§ 3-5 og 3-6", "Høringsforslag mai 2026, § 3-5"),
        function=duration.duration,
        input_type=duration.DurationInput,
        proposal_change="Forlengelsen for IPS ung står i § 3-5 tredje ledd i stedet for § 3-6. Tallene er de samme.",
    ),
    RuleSpec(
        id="forlengelse",
        title="Forlengelse for IPS ung i utdanning",
        description=(
            "Viser om tiltaket kan forlenges på vurderingsdatoen og til hvilken dag som lengst. Bare deltakere i "
            "IPS ung som er i opplæring eller utdanning, og bare så lenge samlet varighet ikke er brukt opp."
        ),
        references=("Egenregiforskriften § 3-6", "Høringsforslag mai 2026, § 3-5 tredje ledd"),
        function=duration.extension,
        input_type=duration.ExtensionInput,
        proposal_change="Bestemmelsen flyttes fra § 3-6 til § 3-5 tredje ledd. Innholdet er det samme.",
    ),
    RuleSpec(
        id="rapporteringskategori",
        title="Rapporteringskategori: psykose eller rus",
        description=(
            "I rapporteringen telles deltakere med psykoselidelse og deltakere med rusmiddelproblemer hver for "
            "seg. En deltaker med begge registreres bare under psykoselidelse."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 2 og pkt. 6",),
        function=outcomes.reporting_category,
        input_type=outcomes.ReportingCategoryInput,
    ),
    RuleSpec(
        id="ordinaert-arbeid",
        title="Ordinært lønnet arbeid",
        description=(
            "En jobb teller som ordinært lønnet arbeid bare når den er på det åpne arbeidsmarkedet, er betalt "
            "minst med minstelønn eller tariff, og er en jobb hvem som helst kan søke på. Skjermet arbeid og "
            "arbeidstrening registreres, men teller ikke som resultat."
        ),
        references=("IPS-prinsipp 2", "Regelverk for tilskuddsordningen, pkt. 2"),
        function=outcomes.ordinary_work,
        input_type=outcomes.OrdinaryWorkInput,
    ),
    RuleSpec(
        id="tilskudd-soker",
        title="Hvem kan søke tilskudd",
        description=(
            "Kommuner og statlige foretak (for eksempel RHF og HF) kan få tilskudd. Fylkeskommuner, "
            "interkommunale selskaper, frivillige og ideelle organisasjoner, universiteter og høyskoler, "
            "bedrifter og søkere utenfor Norge kan ikke."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 3",),
        function=grants.applicant,
        input_type=grants.ApplicantInput,
    ),
    RuleSpec(
        id="tilskudd-tiltak-a",
        title="Vilkår for tiltak A",
        description=(
            "Tiltak A delfinansierer jobbspesialiststillinger hos virksomheter som er i sitt 2. eller 3. "
            "prosjektår etter Helsedirektoratets tidligere tilskuddsordning for IPS. Tilskuddet dekker bare "
            "lønnskostnader. Første prioritet."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 5 Tiltak A",),
        function=grants.measure_a,
        input_type=grants.MeasureAInput,
    ),
    RuleSpec(
        id="tilskudd-tiltak-b",
        title="Vilkår for tiltak B",
        description=(
            "Tiltak B delfinansierer 5-6 ressursmiljøer på IPS med veletablert fagmiljø og gode resultater. De "
            "som tilbys stillingene må ha helse- eller sosialfaglig utdanning, minst to års erfaring fra IPS og "
            "erfaring med opplæring og veiledning. Første prioritet."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 5 Tiltak B",),
        function=grants.measure_b,
        input_type=grants.MeasureBInput,
    ),
    RuleSpec(
        id="tilskudd-tiltak-c",
        title="Vilkår for tiltak C",
        description=(
            "Tiltak C delfinansierer jobb- eller utdanningsspesialist i etablerte ACT-, FACT- og FACT ung-team: "
            "team som er ute av tilskuddsordningen for ACT/FACT, eller i sitt 3. eller 4. tilskuddsår der. "
            "Spesialisten må være ansatt i helsetjenesten, og tilskuddet dekker bare lønnskostnader. Andre "
            "prioritet."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 5 Tiltak C",),
        function=grants.measure_c,
        input_type=grants.MeasureCInput,
    ),
    RuleSpec(
        id="tilskudd-maksbelop",
        title="Høyeste tilskudd",
        description=(
            "Høyeste tilskudd per 100 % stilling: tiltak A og C 500 000, 400 000 og 300 000 kroner i 1., 2. og "
            "3. prosjektår; tiltak B 700 000 kroner per år i inntil fire år og for høyst to stillinger. Beløpet "
            "regnes etter stillingsandelen, og et høyere omsøkt beløp avkortes."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 5",),
        function=grants.max_amount,
        input_type=grants.GrantAmountInput,
    ),
    RuleSpec(
        id="tilskudd-soknad-komplett",
        title="Er søknaden komplett",
        description=(
            "Søknaden skal inneholde mål, prosjektbeskrivelse, budsjett, delfinansiering, egenfinansiering, "
            "kontrolltiltak, risikovurdering, hvilke tiltak det søkes til og behovet, tildelingskriteriene, en "
            "gjennomføringsplan med milepæler og underskrift. Tiltak B må også beskrive geografisk område og "
            "opplæringstiltak; tiltak C må være en felles søknad med samarbeidsavtalen vedlagt."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 4",),
        function=grants.application_checklist,
        input_type=grants.ApplicationChecklistInput,
    ),
    RuleSpec(
        id="tilskudd-prioritet",
        title="Prioritering mellom tiltak",
        description=(
            "Tiltak A og B har første prioritet, tiltak C andre. Blant søknader om tiltak C går team som er ute "
            "av tilskuddsordningen for ACT/FACT foran team som fortsatt er i den."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 5",),
        function=grants.priority,
        input_type=grants.PriorityInput,
    ),
    RuleSpec(
        id="rapportfrist",
        title="Rapporteringsfrist for tilskudd",
        description=(
            "Tilskuddsmottakeren rapporterer for kalenderåret, per 31. desember, og rapporten skal være sendt "
            "innen 1. april året etter."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 6",),
        function=deadlines.report_deadline,
        input_type=deadlines.ReportDeadlineInput,
    ),
    RuleSpec(
        id="klagefrist",
        title="Klagefrist for tilskuddsvedtak",
        description=(
            "Klagefristen er tre uker fra underretningen om vedtaket kom fram. Går fristen ut på en lørdag, "
            "søndag eller helligdag, flyttes den til neste virkedag."
        ),
        references=("Forvaltningsloven §§ 28 og 29", "Domstolloven §§ 148 og 149"),
        function=deadlines.appeal_deadline,
        input_type=deadlines.AppealDeadlineInput,
    ),
    RuleSpec(
        id="tilskudd-utestengt",
        title="Utestengt fra tilskudd",
        description=(
            "Helsedirektoratet kan nekte en tilskuddsmottaker tilskudd i ett eller flere påfølgende år dersom "
            "tilskuddet ikke er brukt i samsvar med fastsatte betingelser. En søknad for et år mottakeren er "
            "utestengt, kan ikke innvilges."
        ),
        references=("Regelverk for tilskuddsordningen, pkt. 11",),
        function=control.bar,
        input_type=control.BarInput,
    ),
    RuleSpec(
        id="forste-arbeidsgiverkontakt",
        title="Rask jobbsøking",
        description=(
            "Første arbeidsgiverkontakt skal skje senest 30 dager etter oppstart. Regelen viser fristen og om "
            "den er holdt."
        ),
        references=("IPS-prinsipp 6", "IPS-kvalitetsskala (IPS-25) punkt 15"),
        function=quality.first_employer_contact,
        input_type=quality.FirstEmployerContactInput,
    ),
    RuleSpec(
        id="plan-oppdatert",
        title="Oppdatert oppfølgingsplan",
        description=(
            "Planen for oppfølgingen skal holdes oppdatert. En plan som ikke er revidert på flere enn et gitt "
            "antall dager, regnes som utdatert. Antallet er Brobyggers standard og kan settes for hver vurdering."
        ),
        references=("Egenregiforskriften § 3-3",),
        function=quality.plan_up_to_date,
        input_type=quality.PlanInput,
        proposal_change="Kravet står i § 3-3 første ledd; innholdet er det samme.",
    ),
    RuleSpec(
        id="saksmengde",
        title="Saksmengde per jobbspesialist",
        description="Høyst 20 aktive deltakere per jobbspesialist i full stilling.",
        references=("IPS-kvalitetsskala (IPS-25) punkt 1",),
        function=quality.caseload,
        input_type=quality.CaseloadInput,
    ),
    RuleSpec(
        id="modelltrohet-niva",
        title="Nivå for modelltrohet",
        description=(
            "Totalskår på IPS-25 gir nivået: 115-125 Meget bra kvalitet, 100-114 Bra kvalitet, 74-99 Godkjent "
            "kvalitet og 25-73 Ikke IPS. Godkjent kvalitet i tilskuddsordningen betyr 74 poeng eller mer."
        ),
        references=("IPS-kvalitetsskala (IPS-25)", "Regelverk for tilskuddsordningen, pkt. 2"),
        function=quality.fidelity_level,
        input_type=quality.FidelityInput,
    ),
    RuleSpec(
        id="modelltrohet-neste-maling",
        title="Neste måling av modelltrohet",
        description=(
            "Modelltroheten måles hver 6. måned til tjenesten har nådd Bra kvalitet eller bedre, deretter hver "
            "12. måned."
        ),
        references=("IPS-kvalitetsskala (IPS-25) punkt 11",),
        function=quality.fidelity_next_review,
        input_type=quality.FidelityReviewInput,
    ),
    RuleSpec(
        id="modelltrohet-maleplan",
        title="Måleplan for modelltrohet på alle skalaer",
        description=(
            "Modelltroheten måles hver 6. måned til tjenesten har nådd Bra kvalitet eller bedre på skalaens egne "
            "nivåer (for eksempel hver delskala på IPS-Y), deretter hver 12. måned. Et tilbud som ikke er målt, "
            "skal måles innen 6 måneder etter oppstart."
        ),
        references=("IPS-kvalitetsskala (IPS-25) punkt 11",),
        function=quality.fidelity_schedule,
        input_type=quality.FidelityScheduleInput,
    ),
)

_BY_ID = {spec.id: spec for spec in CATALOG}


def get_rule(rule_id: str) -> RuleSpec:
    """The catalogue entry for `rule_id`."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise UnknownRuleError(f"Ukjent regel «{rule_id}».") from None


def evaluate(
    rule_id: str,
    inputs: Mapping[str, object],
    version: str | None = None,
    *,
    proposal_in_force_from: date | None = None,
) -> RuleResult:
    """Evaluate rule `rule_id` from primitive inputs (ISO dates, numbers, booleans, strings).

    Without `version` the version in force on the input's `on` date applies; the Django layer passes its setting
    for the proposal's entry into force. Raises RuleInputError with a message per field for bad input.
    """
    spec = get_rule(rule_id)
    if version and get_version(version).id not in spec.versions:
        raise RuleInputError("version", f"Regelen «{spec.title}» kan ikke vurderes etter versjonen «{version}».")
    facts = parse_input(spec.input_type, inputs)
    return spec.function(facts, resolve_version(facts.on, version, proposal_in_force_from))


def describe_inputs(rule_id: str) -> tuple[InputField, ...]:
    """The input fields of a rule, for a generated form or API schema."""
    spec = get_rule(rule_id)
    hints = typing.get_type_hints(spec.input_type)
    described = []
    for item in dataclasses.fields(spec.input_type):
        kind, optional = _field_type(hints[item.name])
        described.append(
            InputField(
                name=item.name,
                kind=_kind_name(kind),
                label=item.metadata.get("label", item.name),
                help=item.metadata.get("help", ""),
                required=item.default is dataclasses.MISSING and not optional,
                default=None if item.default is dataclasses.MISSING else item.default,
                choices=tuple(str(m.value) for m in kind) if _is_enum(kind) else (),
            )
        )
    return tuple(described)


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    kind: Any
    optional: bool
    required: bool


@functools.cache
def _input_fields(input_type: type) -> tuple[_FieldSpec, ...]:
    # Resolving the annotations compiles each one, and dataclasses.fields() builds its tuple anew on every call:
    # together most of a rule evaluation's cost if done every time (the bulk import evaluates tens of thousands).
    hints = typing.get_type_hints(input_type)
    specs = []
    for item in dataclasses.fields(input_type):
        kind, optional = _field_type(hints[item.name])
        specs.append(_FieldSpec(item.name, kind, optional, item.default is dataclasses.MISSING and not optional))
    return tuple(specs)


@functools.cache
def _field_names(input_type: type) -> frozenset[str]:
    return frozenset(spec.name for spec in _input_fields(input_type))


def parse_input[T](input_type: type[T], data: Mapping[str, object]) -> T:
    """Build the input dataclass from primitive values, collecting one bokmål message per bad field."""
    specs = _input_fields(input_type)  # type: ignore[arg-type]  # a class is hashable; mypy cannot see it for type[T]
    known = _field_names(input_type)  # type: ignore[arg-type]
    errors = {name: "Ukjent felt." for name in data if name not in known}
    values: dict[str, object] = {}
    for spec in specs:
        raw = data.get(spec.name)
        if raw is None or (raw == "" and spec.kind is not str):
            if spec.required:
                errors[spec.name] = "Feltet må fylles ut."
            elif spec.optional:
                values[spec.name] = None
            continue
        try:
            values[spec.name] = _parse_value(spec.kind, raw)
        except ValueError as error:
            errors[spec.name] = str(error)
            continue
        if problem := _out_of_bounds(spec.name, values[spec.name]):
            errors[spec.name] = problem
    if errors:
        raise RuleInputError.from_errors(errors)
    return input_type(**values)


def _field_type(hint: Any) -> tuple[Any, bool]:
    """The field's value type, and whether it may be None."""
    if isinstance(hint, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _kind_name(kind: Any) -> str:
    if _is_enum(kind):
        return "choice"
    return {date: "date", bool: "bool", int: "int", Decimal: "decimal", str: "str"}[kind]


def _parse_value(kind: Any, raw: object) -> object:
    """One primitive value as the field's type; ValueError with a bokmål message if it does not fit."""
    if _is_enum(kind):
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            raise ValueError(f"Ukjent verdi «{raw}». Gyldige verdier: {allowed}.") from None
    parser = {date: _parse_date, bool: _parse_bool, int: _parse_int, Decimal: _parse_decimal, str: _parse_str}[kind]
    return parser(raw)


def _out_of_bounds(name: str, value: object) -> str | None:
    """Why a parsed value lies outside what Brobygger accepts (bounds.py), so no rule computes on it."""
    if isinstance(value, date):
        return bounds.date_problem(value)
    if isinstance(value, Decimal):
        return bounds.number_problem(value, bounds.number_range(name, Decimal))
    if isinstance(value, int) and not isinstance(value, bool):
        return bounds.number_problem(value, bounds.number_range(name, int))
    if isinstance(value, str) and len(value) > bounds.TEXT_MAX_LENGTH:
        return f"Teksten kan ikke være lengre enn {bounds.TEXT_MAX_LENGTH} tegn."
    return None


def _parse_date(raw: object) -> date:
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise ValueError("Må være en dato på formen ÅÅÅÅ-MM-DD.")


def _parse_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.strip().lower() in TRUE_WORDS
    raise ValueError("Må være ja eller nei.")


def _parse_int(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ValueError("Må være et heltall.")


def _parse_decimal(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError("Må være et tall.")
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("Må være et tall.") from None
    if not value.is_finite():
        raise ValueError("Må være et tall.")
    return value


def _parse_str(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    raise ValueError("Må være en tekst.")
