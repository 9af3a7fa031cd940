"""Bulk import of people, referrals and periods from CSV or XLSX: the column set is docs/import.md.

Every row is checked first and every problem is reported with its row, column and a bokmål message; nothing is
written unless all rows are valid. Then everything is written with a few bulk inserts in one transaction, with one
audit event per person, referral and period, as the one-at-a-time services would have recorded.

The rules are the pathway's own: identity numbers are validated, encrypted and hashed by ``identity``; a referral's
eligibility and a period's track and last permitted day come from the same rule evaluations as a referral made in
the form (``services.referral_eligibility``, ``services.period_terms``); a person already registered is found by the
keyed hash and gets the referral, without the file's person columns written over the record (as the registration
form does); a person never has two open periods. Messages never repeat an identity number.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from brobygger.accounts.models import Municipality, Role, User
from brobygger.audit.services import record_created_many
from brobygger.bulk import bulk_insert, bulk_insert_values, collector_paused
from brobygger.participants import access, identity, services
from brobygger.participants.forms import ELIGIBILITY_FACT_FIELDS
from brobygger.participants.models import Participant, ParticipantContactDetails, Period, Referral, StatusChange
from brobygger.regelverk.services import Evaluate, rule_evaluator_memoised
from brobygger.rules.base import RuleInputError, RuleResult

Progress = Callable[[int, str], None]
BATCH = 1000
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    description: Any
    required: bool = False


# The file's columns: the header is what people type in a spreadsheet; the key is the name in the code.
COLUMNS = (
    Column("identity_number", "fodselsnummer", gettext_lazy("Fødselsnummer eller D-nummer, 11 sifre."), True),
    Column("first_name", "fornavn", gettext_lazy("Fornavn."), True),
    Column("last_name", "etternavn", gettext_lazy("Etternavn."), True),
    Column("municipality", "kommunenummer", gettext_lazy("Bostedskommunens nummer, fire sifre (f.eks. 0301)."), True),
    Column("phone", "telefon", gettext_lazy("Telefonnummer.")),
    Column("email", "epost", gettext_lazy("E-postadresse.")),
    Column("has_psychosis", "psykoselidelse", gettext_lazy("ja eller nei.")),
    Column("has_substance_problems", "rusproblemer", gettext_lazy("ja eller nei.")),
    Column(
        "reduced_work_capacity_assessed_on",
        "nedsatt_arbeidsevne_vurdert",
        gettext_lazy("Dato for NAVs vurdering etter arbeids- og velferdsforvaltningsloven § 14 a, hvis gjort."),
    ),
    Column("team", "behandlingsteam", gettext_lazy("Behandlingsteamets navn, slik det står i Brobygger."), True),
    Column("clinician", "behandler", gettext_lazy("Brukernavnet til henvisende behandler i teamet."), True),
    Column("referred_on", "henvisningsdato", gettext_lazy("Dato (dd.mm.åååå eller åååå-mm-dd)."), True),
    Column("goals", "mal", gettext_lazy("Personens egne mål for arbeid eller utdanning."), True),
    Column(
        "moderate_or_severe_condition",
        "moderat_eller_alvorlig_lidelse",
        gettext_lazy("ja eller nei: moderate til alvorlige psykiske lidelser og/eller rusproblemer (§ 3-1)."),
    ),
    Column(
        "compound_problems",
        "sammensatte_problemer",
        gettext_lazy("ja eller nei: sammensatte psykiske problemer eller rusutfordringer (IPS ung)."),
    ),
    Column(
        "in_health_service",
        "i_helsetjenesten",
        gettext_lazy("ja eller nei: får behandling eller oppfølging i helse- og omsorgstjenesten."),
    ),
    Column(
        "needs_comprehensive_follow_up",
        "trenger_omfattende_bistand",
        gettext_lazy("ja eller nei: trenger mer omfattende bistand enn Navs generelle bistand."),
    ),
    Column(
        "wants_work_or_education",
        "onsker_arbeid_eller_utdanning",
        gettext_lazy("ja eller nei: ønsker ordinært arbeid og/eller utdanning."),
    ),
    Column("exception_justification", "unntak_begrunnelse", gettext_lazy("Bare for unntaksveien.")),
    Column(
        "exception_agreed_with_health_service",
        "unntak_avtalt_med_helsetjenesten",
        gettext_lazy("ja eller nei: unntaket er avtalt i samråd med helsetjenesten."),
    ),
    Column("consent_given_on", "samtykke_dato", gettext_lazy("Dato samtykket ble gitt; tom hvis ikke ennå.")),
    Column("consent_method", "samtykkeform", gettext_lazy("skriftlig, muntlig eller digitalt.")),
    Column("accepted_on", "tatt_inn_dato", gettext_lazy("Dato personen ble tatt inn; tom hvis ikke avgjort.")),
    Column("job_specialist", "jobbspesialist", gettext_lazy("Brukernavnet til jobbspesialisten, hvis valgt.")),
    Column("start_date", "oppstartsdato", gettext_lazy("Dato forløpet startet; tom hvis det venter på oppstart.")),
    Column("closed_on", "avsluttet_dato", gettext_lazy("Dato forløpet ble avsluttet; tom hvis det pågår.")),
    Column(
        "closure_reason",
        "avslutningsgrunn",
        gettext_lazy(
            "work, education, work_and_education, moved, no_longer_wishes, health, duration_limit eller other."
        ),
    ),
    Column("closure_text", "avslutning_forklaring", gettext_lazy("Forklaring; påkrevd når grunnen er other.")),
)
HEADERS = {column.header: column for column in COLUMNS}
HEADER_OF = {column.key: column.header for column in COLUMNS}
PERSON_KEYS = ("first_name", "last_name", "municipality", "phone", "email", "has_psychosis", "has_substance_problems")
# Phone and e-mail are the importing service's own record of the person (ParticipantContactDetails), not the person's.
CONTACT_KEYS = ("phone", "email")
PARTICIPANT_KEYS = tuple(key for key in PERSON_KEYS if key not in CONTACT_KEYS)
# Read once: a Choices class builds its list of values anew on every read.
CONSENT_METHODS, CLOSURE_REASONS = frozenset(Referral.ConsentMethod.values), frozenset(Period.ClosureReason.values)
YES, NO = frozenset({"ja", "j", "x", "true", "1", "yes"}), frozenset({"nei", "n", "false", "0", "no", ""})


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportInvalid(Exception):
    """The file cannot be imported; ``problems`` says where and why, row by row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} feil")
        self.problems = sorted(problems, key=lambda p: (p.row, _column_order(p.column)))


def _column_order(header: str) -> int:
    return list(HEADERS).index(header) if header in HEADERS else -1


@dataclass
class ImportRow:
    """One valid row: a person (new or known), a referral and perhaps a period."""

    row: int
    number: str = field(repr=False)
    key: str = field(repr=False)
    values: dict[str, Any]
    eligibility: RuleResult | None = None
    track: RuleResult | None = None
    duration: RuleResult | None = None
    known: Participant | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class ImportSummary:
    new_participants: int
    known_participants: int
    referrals: int
    periods: int

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


# Reading ---------------------------------------------------------------------------------------------------------


def read_table(content: bytes, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number as a spreadsheet shows it, cells) for every row of a CSV or the first sheet of an XLSX."""
    if file_name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportInvalid([Problem(1, "", _("Filen kan ikke leses som et Excel-regneark (.xlsx)."))]) from None
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(cells)
        return
    if not file_name.lower().endswith(".csv"):
        raise ImportInvalid([Problem(1, "", _("Filen må være en CSV-fil (.csv) eller et Excel-regneark (.xlsx)."))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _records(content: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    table = read_table(content, file_name)
    header_row = next(table, None)
    if header_row is None:
        raise ImportInvalid([Problem(1, "", _("Filen er tom."))])
    headers = [_text(cell).lower() for cell in header_row[1]]
    problems = [
        Problem(1, header, _("Ukjent kolonne. Bruk kolonnene i malen."))
        for header in headers
        if header and header not in HEADERS
    ]
    problems += [
        Problem(1, column.header, _("Kolonnen mangler."))
        for column in COLUMNS
        if column.required and column.header not in headers
    ]
    if problems:
        raise ImportInvalid(problems)
    records = []
    for number, cells in table:
        values = {headers[i]: _text(cell) for i, cell in enumerate(cells) if i < len(headers) and headers[i]}
        if not any(values.values()):
            continue
        if len(records) >= MAX_ROWS:
            raise ImportInvalid([Problem(number, "", _("Filen har for mange rader. Del den opp i flere filer."))])
        records.append((number, values))
    if not records:
        raise ImportInvalid([Problem(2, "", _("Filen har ingen rader å importere."))])
    return records


# Checking ---------------------------------------------------------------------------------------------------------


def _members(role: str, scope: dict[str, Any], unit: str, units: set[int]) -> dict[int, dict[str, User]]:
    """Per team or service (``unit`` of the membership), its active users of ``role`` by username, ignoring case."""
    found: dict[int, dict[str, User]] = defaultdict(dict)
    for user in User.objects.filter(role=role, is_active=True, **scope).distinct().prefetch_related("memberships"):
        for membership in user.memberships.all():
            if getattr(membership, unit) in units:
                found[getattr(membership, unit)][user.username.casefold()] = user
    return found


class _Lookups:
    """What the rows refer to, read once for the whole file: the actor's teams, their clinicians and job
    specialists, the municipalities, and the people already registered with their open periods."""

    def __init__(self, actor: User, keys: dict[str, str]):
        # Each compact number's keyed hash, made once for the whole file: for finding the people already
        # registered, and again for each row.
        self.keys = keys
        self.allow_synthetic = identity.allow_synthetic()
        teams = list(access.referral_teams(actor).select_related("service"))
        self.teams = {team.name.casefold(): team for team in teams}
        team_ids = {team.pk for team in teams}
        self.clinicians = _members(Role.CLINICIAN, {"memberships__team__in": team_ids}, "team_id", team_ids)
        service_ids = {team.service_id for team in teams}
        self.specialists = _members(
            Role.JOB_SPECIALIST, {"memberships__service__in": service_ids}, "service_id", service_ids
        )
        self.municipalities = {m.number: m for m in Municipality.objects.filter(valid_to__isnull=True)}
        self.known: dict[str, Participant] = {}
        hashes = list(keys.values())
        for start in range(0, len(hashes), BATCH):
            for participant in Participant.objects.filter(identity_hash__in=hashes[start : start + BATCH]):
                self.known[participant.identity_hash] = participant
        self.open_periods = set(
            Period.objects.filter(
                participant__in=[p.pk for p in self.known.values()], closed_on__isnull=True
            ).values_list("participant_id", flat=True)
        )


def _parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    for fmt in ("%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Ugyldig dato. Skriv dd.mm.åååå eller åååå-mm-dd."))


def _parse_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError(_("Skriv ja eller nei."))


DATE_KEYS = ("reduced_work_capacity_assessed_on", "referred_on", "consent_given_on", "accepted_on", "start_date")
BOOL_KEYS = (
    "has_psychosis",
    "has_substance_problems",
    "moderate_or_severe_condition",
    "compound_problems",
    "in_health_service",
    "needs_comprehensive_follow_up",
    "wants_work_or_education",
    "exception_agreed_with_health_service",
)


class _RowChecker:
    def __init__(self, row: int, raw: dict[str, str], lookups: _Lookups, today: date, evaluate: Evaluate):
        self.row, self.raw, self.lookups, self.today, self.evaluate = row, raw, lookups, today, evaluate
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.row, HEADER_OF[key], str(message)))

    def get(self, key: str) -> str:
        return self.raw.get(HEADER_OF[key], "")

    @sensitive_variables()
    def check(self) -> ImportRow | None:
        number, birth_date = self._identity()
        for column in COLUMNS:
            if column.required and not self.get(column.key) and column.key != "identity_number":
                self.fail(column.key, _("Feltet må fylles ut."))
        self._plain_values()
        self._references()
        if self.problems or number is None:
            return None
        key = self.lookups.keys.get(number) or identity.identity_hash(number)
        known = self.lookups.known.get(key)
        if known:
            birth_date = known.birth_date
        values = self.values
        self._dates_in_order(birth_date)
        result = ImportRow(self.row, number, key, values, known=known, birth_date=birth_date)
        if self.problems:
            return None
        try:
            result.eligibility = services.referral_eligibility(
                birth_date=birth_date,
                referred_on=values["referred_on"],
                consent_given_on=values["consent_given_on"],
                facts={name: values[name] for name in ELIGIBILITY_FACT_FIELDS},
                evaluate=self.evaluate,
            )
            if values["start_date"]:
                reduced = (
                    known.has_reduced_work_capacity
                    if known
                    else values["reduced_work_capacity_assessed_on"] is not None
                )
                result.track, result.duration = services.period_terms(
                    birth_date=birth_date,
                    start_date=values["start_date"],
                    reduced_work_capacity=reduced,
                    evaluate=self.evaluate,
                )
        except RuleInputError as error:
            for message in error.errors.values():
                self.fail("referred_on", message)
            return None
        if values["accepted_on"] and result.eligibility.outcome != services.ELIGIBLE:
            self.fail(
                "accepted_on", _("Henvisningen oppfyller ikke vilkårene i forskriften § 3-1 og kan ikke tas inn.")
            )
            return None
        return result

    @sensitive_variables()
    def _identity(self) -> tuple[str, date] | tuple[None, None]:
        raw = self.get("identity_number")
        if not raw:
            self.fail("identity_number", _("Feltet må fylles ut."))
            return None, None
        try:
            return identity.validated_with_birth_date(raw.zfill(11), allow_synthetic=self.lookups.allow_synthetic)
        except ValidationError as invalid:
            for message in invalid.messages:
                self.fail("identity_number", message)
            return None, None

    def _plain_values(self) -> None:
        values = self.values
        for key in (*DATE_KEYS, "closed_on"):
            raw = self.get(key)
            values[key] = None
            if raw:
                try:
                    values[key] = _parse_date(raw)
                except ValueError as error:
                    self.fail(key, str(error))
                    continue
                if values[key] > self.today:
                    self.fail(key, _("Datoen kan ikke være fram i tid."))
        for key in BOOL_KEYS:
            try:
                values[key] = _parse_bool(self.get(key))
            except ValueError as error:
                self.fail(key, str(error))
        for key, limit in (("first_name", 100), ("last_name", 100), ("phone", 30), ("email", 254), ("goals", 4000)):
            values[key] = self.get(key)
            if len(values[key]) > limit:
                self.fail(key, _("Teksten er for lang (høyst %(limit)s tegn).") % {"limit": limit})
        if values["email"] and "@" not in values["email"]:
            self.fail("email", _("Ugyldig e-postadresse."))
        values["exception_justification"] = self.get("exception_justification")
        if values.get("exception_agreed_with_health_service") and not values["exception_justification"]:
            self.fail("exception_justification", _("Skriv begrunnelsen for unntaket."))
        method = self.get("consent_method").lower()
        values["consent_method"] = method
        if method and method not in CONSENT_METHODS:
            self.fail("consent_method", _("Skriv skriftlig, muntlig eller digitalt."))
        if values.get("consent_given_on") and not method:
            self.fail("consent_method", _("Velg hvordan samtykket ble gitt."))
        if method and not values.get("consent_given_on") and not self.get("consent_given_on"):
            self.fail("consent_given_on", _("Oppgi datoen samtykket ble gitt."))
        reason = self.get("closure_reason").lower()
        values["closure_reason"], values["closure_text"] = reason, self.get("closure_text")
        if reason and reason not in CLOSURE_REASONS:
            self.fail("closure_reason", _("Ukjent avslutningsgrunn. Bruk en av verdiene i docs/import.md."))
        if reason == Period.ClosureReason.OTHER and not values["closure_text"]:
            self.fail("closure_text", _("Forklar hvorfor forløpet avsluttes."))

    def _references(self) -> None:
        lookups, values = self.lookups, self.values
        number = self.get("municipality")
        values["municipality"] = lookups.municipalities.get(number.zfill(4)) if number else None
        if number and values["municipality"] is None:
            self.fail("municipality", _("Ukjent kommunenummer."))
        team_name = self.get("team")
        team = values["team"] = lookups.teams.get(team_name.casefold()) if team_name else None
        if team_name and team is None:
            self.fail("team", _("Ukjent behandlingsteam, eller et team du ikke kan registrere henvisninger for."))
        clinician = self.get("clinician")
        values["clinician"] = None
        if team is not None and clinician:
            values["clinician"] = lookups.clinicians[team.pk].get(clinician.casefold())
            if values["clinician"] is None:
                self.fail("clinician", _("Velg en behandler som hører til behandlingsteamet."))
        specialist = self.get("job_specialist")
        values["job_specialist"] = None
        if team is not None and specialist:
            values["job_specialist"] = lookups.specialists[team.service_id].get(specialist.casefold())
            if values["job_specialist"] is None:
                self.fail("job_specialist", _("Ukjent jobbspesialist i tilbudet."))

    def _dates_in_order(self, birth_date: date) -> None:
        values = self.values
        referred, accepted, start, closed = (
            values["referred_on"],
            values["accepted_on"],
            values["start_date"],
            values["closed_on"],
        )
        if referred < birth_date:
            self.fail("referred_on", _("Henvisningsdatoen kan ikke være før personens fødselsdato."))
        if accepted is None:
            for key in ("job_specialist", "start_date", "closed_on"):
                if values[key]:
                    self.fail(key, _("Fyll ut tatt_inn_dato når forløpet har startet eller er avsluttet."))
        elif accepted < referred:
            self.fail("accepted_on", _("Datoen kan ikke være før henvisningsdatoen."))
        if start is not None and start < max(referred, accepted or referred):
            self.fail(
                "start_date",
                _("Oppstartsdatoen kan ikke være før henvisningsdatoen eller datoen personen ble tatt inn."),
            )
        if closed is not None and closed < (start or accepted or referred):
            self.fail("closed_on", _("Avslutningsdatoen kan ikke være før oppstartsdatoen."))
        if closed is not None and not values["closure_reason"]:
            self.fail("closure_reason", _("Velg en grunn for avslutningen."))
        if closed is None and values["closure_reason"]:
            self.fail("closed_on", _("Fyll ut avsluttet_dato når avslutningsgrunnen er fylt ut."))


def _check_people(rows: list[ImportRow], lookups: _Lookups) -> list[Problem]:
    """The same person more than once: the same person data, never two open or overlapping periods."""
    problems: list[Problem] = []
    by_person: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_person[row.key].append(row)
    for person_rows in by_person.values():
        first = person_rows[0]
        if first.known is None:
            for row in person_rows[1:]:
                for key in PERSON_KEYS:
                    if row.values[key] != first.values[key] and row.values[key] not in ("", None, False):
                        problems.append(
                            Problem(
                                row.row,
                                HEADER_OF[key],
                                _("Samme person står på rad %(row)s med en annen verdi i denne kolonnen.")
                                % {"row": first.row},
                            )
                        )
        periods = sorted((r for r in person_rows if r.values["accepted_on"]), key=lambda r: r.values["accepted_on"])
        already_open = first.known is not None and first.known.pk in lookups.open_periods
        for index, row in enumerate(periods):
            if already_open:
                problems.append(
                    Problem(
                        row.row,
                        "tatt_inn_dato",
                        _("Personen har allerede et aktivt forløp. Avslutt det før et nytt startes."),
                    )
                )
                continue
            following = periods[index + 1] if index + 1 < len(periods) else None
            closed = row.values["closed_on"]
            if following is not None and (closed is None or closed >= following.values["accepted_on"]):
                problems.append(
                    Problem(
                        following.row,
                        "tatt_inn_dato",
                        _("Personen har et forløp på rad %(row)s som ikke er avsluttet før dette ble startet.")
                        % {"row": row.row},
                    )
                )
    return problems


@sensitive_variables()
def check_file(*, actor: User, content: bytes, file_name: str, progress: Progress | None = None) -> list[ImportRow]:
    """Every row checked; ImportInvalid with all the problems if any row is wrong."""
    records = _records(content, file_name)
    keys = {}
    for _row, raw in records:
        number = identity.compact(raw.get("fodselsnummer", "")).zfill(11)
        keys[number] = identity.identity_hash(number)
    lookups = _Lookups(actor, keys)
    today = timezone.localdate()
    # Rows with the same rule inputs (the same start date and track, say) share one evaluation; every row is
    # still checked, and a row whose inputs differ in anything gets its own.
    evaluate = rule_evaluator_memoised()
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    for index, (number, raw) in enumerate(records):
        if progress and index % BATCH == 0:
            progress(5 + 55 * index // len(records), _("Kontrollerer rad %(row)s") % {"row": number})
        checker = _RowChecker(number, raw, lookups, today, evaluate)
        row = checker.check()
        problems += checker.problems
        if row is not None:
            rows.append(row)
    problems += _check_people(rows, lookups)
    if problems:
        raise ImportInvalid(problems)
    return rows


# Writing ----------------------------------------------------------------------------------------------------------


@sensitive_variables()
def participants_import(
    *, actor: User, content: bytes, file_name: str, progress: Progress | None = None
) -> ImportSummary:
    """Import the file all or nothing: ImportInvalid (nothing written) or everything written and audited."""
    allowed, reason = access.can_import(actor)
    if not allowed:
        raise ImportInvalid([Problem(1, "", reason)])
    with collector_paused():
        rows = check_file(actor=actor, content=content, file_name=file_name, progress=progress)
        if progress:
            progress(60, _("Lagrer"))
        try:
            with transaction.atomic():
                return _write(actor, rows, progress)
        except IntegrityError:
            # Someone registered one of the people, or started a period for them, while the file was checked.
            raise ImportInvalid(
                [Problem(1, "", _("Noen registrerte de samme personene i mellomtiden. Last opp filen på nytt."))]
            ) from None


@sensitive_variables()
def _write(actor: User, rows: list[ImportRow], progress: Progress | None) -> ImportSummary:
    people: dict[str, Participant] = {}
    new_people = []
    encrypt = identity.identity_encrypter()
    for row in rows:
        if row.known is not None:
            people[row.key] = row.known
        elif row.key not in people:
            values = row.values
            person = Participant(
                identity_encrypted=encrypt(row.number),
                identity_hash=row.key,
                birth_date=row.birth_date,
                is_synthetic=identity.is_synthetic(row.number),
                reduced_work_capacity_assessed_on=values["reduced_work_capacity_assessed_on"],
                # The first referral's service recorded the health facts, as services.referral_create says.
                recorded_by=values["team"].service,
                **{key: values[key] for key in PARTICIPANT_KEYS},
            )
            people[row.key] = person
            new_people.append(person)
    bulk_insert(Participant, new_people)
    contact_details = _contact_details(rows, people)
    if progress:
        progress(70, _("Lagrer henvisninger"))
    referrals = []
    for row in rows:
        values = row.values
        referrals.append(
            Referral(
                participant=people[row.key],
                team=values["team"],
                clinician=values["clinician"],
                referred_on=values["referred_on"],
                goals=values["goals"],
                consent_given_on=values["consent_given_on"],
                consent_method=values["consent_method"],
                consent_recorded_by=actor if values["consent_given_on"] else None,
                eligibility_outcome=row.eligibility.outcome,
                eligibility=row.eligibility.to_dict(),
                decision=Referral.Decision.ACCEPTED if values["accepted_on"] else Referral.Decision.PENDING,
                decided_on=values["accepted_on"],
            )
        )
    bulk_insert(Referral, referrals)
    if progress:
        progress(80, _("Lagrer forløp"))
    periods, history = [], []
    for row, referral in zip(rows, referrals, strict=True):
        values = row.values
        if not values["accepted_on"]:
            continue
        period = Period(
            participant=referral.participant,
            referral=referral,
            service=values["team"].service,
            job_specialist=values["job_specialist"],
            status=Period.Status.WAITING,
        )
        history.append((period, Period.Status.WAITING, values["accepted_on"]))
        if values["start_date"]:
            period.start_date, period.track = values["start_date"], row.track.outcome
            period.last_permitted_day = row.duration.details["last_day"]
            period.duration = row.duration.to_dict()
            period.status = Period.Status.JOB_SEARCH
            history.append((period, Period.Status.JOB_SEARCH, values["start_date"]))
        if values["closed_on"]:
            period.closed_on, period.status = values["closed_on"], Period.Status.CLOSED
            period.closure_reason, period.closure_text = values["closure_reason"], values["closure_text"]
            history.append((period, Period.Status.CLOSED, values["closed_on"]))
        periods.append(period)
    bulk_insert(Period, periods)
    bulk_insert_values(
        StatusChange,
        [
            {"period_id": period.pk, "status": status, "valid_from": on, "recorded_by_id": actor.pk}
            for period, status, on in history
        ],
    )
    if progress:
        progress(90, _("Lagrer revisjonsloggen"))
    record_created_many(actor=actor, objs=[*new_people, *contact_details, *referrals, *periods])
    return ImportSummary(
        new_participants=len(new_people),
        known_participants=len({row.key for row in rows if row.known is not None}),
        referrals=len(referrals),
        periods=len(periods),
    )


def _contact_details(rows: list[ImportRow], people: dict[str, Participant]) -> list[ParticipantContactDetails]:
    """Each person's phone and e-mail from their first row with any, into the service of that row's team, where the
    service has no record of the person yet: a service never writes over its own or reads another's."""
    wanted: dict[tuple[int, int], ParticipantContactDetails] = {}
    for row in rows:
        values = row.values
        if not any(values[key] for key in CONTACT_KEYS):
            continue
        person, service = people[row.key], values["team"].service
        wanted.setdefault(
            (person.pk, service.pk),
            ParticipantContactDetails(participant=person, service=service, **{k: values[k] for k in CONTACT_KEYS}),
        )
    known = {row.known.pk for row in rows if row.known is not None}
    existing = set(
        ParticipantContactDetails.objects.filter(participant__in=known).values_list("participant_id", "service_id")
    )
    new = [details for key, details in wanted.items() if key not in existing]
    bulk_insert(ParticipantContactDetails, new)
    return new


# The template ------------------------------------------------------------------------------------------------------


def template_csv() -> str:
    """The header row, semicolon-separated as Norwegian spreadsheets expect, with a byte-order mark for Excel."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([column.header for column in COLUMNS])
    return "\ufeff" + out.getvalue()


def template_xlsx() -> bytes:
    """The header row on the first sheet (text cells, so an identity number keeps its leading zero) and a sheet
    that explains each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deltakere")[:31]
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter_index, _column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=letter_index).column_letter].number_format = "@"
    about = workbook.create_sheet(_("Forklaring")[:31])
    about.append([_("Kolonne"), _("Påkrevd"), _("Innhold")])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        about.append([column.header, _("ja") if column.required else _("nei"), str(column.description)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
