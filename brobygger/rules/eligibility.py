"""Who can get individuell jobbstøtte (egenregiforskriften § 3-1, and § 3-6 during the IPS ung trial).

Zero exclusion (IPS principle 1): the inputs hold only what § 3-1 asks about. There are deliberately no fields for
criminal record, symptoms, severity of substance use, cognitive impairment, housing or appearance, so nothing of
that kind can ever reach the decision.

Our reading: docs/domain.md § 1 (the conditions, the three paths, the track, and where the code interprets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .base import Reason, RuleInputError, RuleResult, RuleVersion, Text, fmt_date, joined_words, label
from .dates import age_on, anniversary
from .parameters import cite, parameter

# A condition two ways into the target group share.
NEEDS_MORE_HELP = Text("behov for mer omfattende bistand enn Navs generelle bistand")


class Track(StrEnum):
    """Ordinary IPS, or IPS ung for people under 30 at the start date."""

    IPS = "ips"
    IPS_UNG = "ips_ung"


@dataclass(frozen=True)
class TrackInput:
    on: date = field(metadata=label("Vurderingsdato"))
    birth_date: date = field(metadata=label("Fødselsdato"))
    start_date: date = field(metadata=label("Oppstartsdato i tiltaket"))

    def __post_init__(self) -> None:
        if self.birth_date > self.start_date:
            raise RuleInputError("birth_date", "Fødselsdatoen kan ikke være etter oppstartsdatoen.")


@dataclass(frozen=True)
class EligibilityInput:
    on: date = field(metadata=label("Vurderingsdato"))
    birth_date: date = field(metadata=label("Fødselsdato"))
    moderate_or_severe_condition: bool = field(
        metadata=label("Har moderate til alvorlige psykiske lidelser og/eller rusproblemer")
    )
    compound_problems: bool = field(
        metadata=label(
            "Har sammensatte psykiske problemer eller rusutfordringer",
            "For IPS ung kreves ingen diagnose på moderat eller alvorlig lidelse.",
        )
    )
    in_health_service: bool = field(
        metadata=label(
            "Får behandling eller oppfølging i helse- og omsorgstjenesten",
            "Psykisk helsevern, tverrfaglig spesialisert rusbehandling (TSB) eller kommunale psykisk helse- og "
            "rustjenester.",
        )
    )
    needs_comprehensive_follow_up: bool = field(
        metadata=label(
            "Trenger mer omfattende formidlings- og oppfølgingsbistand enn Navs generelle bistand",
            "Mer enn bistanden etter arbeids- og velferdsforvaltningsloven § 4 tredje ledd.",
        )
    )
    consent: bool = field(metadata=label("Samtykker til å delta"))
    wants_work_or_education: bool = field(
        metadata=label("Ønsker å komme i ordinært arbeid og/eller opplæring eller utdanning")
    )
    exception_justification: str = field(
        default="",
        metadata=label(
            "Begrunnelse for unntak",
            "Bare for unntaksveien etter Arbeids- og velferdsdirektoratets retningslinjer.",
        ),
    )
    exception_agreed_with_health_service: bool = field(
        default=False, metadata=label("Unntaket er avtalt i samråd med helsetjenesten")
    )
    start_date: date | None = field(
        default=None,
        metadata=label("Planlagt oppstartsdato", "Avgjør om tiltaket blir IPS eller IPS ung. Tom: vurderingsdatoen."),
    )

    def __post_init__(self) -> None:
        if self.birth_date > self.on:
            raise RuleInputError("birth_date", "Fødselsdatoen kan ikke være etter vurderingsdatoen.")
        if self.start_date is not None and self.start_date < self.birth_date:
            raise RuleInputError("start_date", "Oppstartsdatoen kan ikke være før fødselsdatoen.")


def track(facts: TrackInput, version: RuleVersion) -> RuleResult:
    """IPS ung for people under 30 on the start date, ordinary IPS otherwise.

    In force the IPS ung trial (§ 3-6) covers people between 16 and 30; the proposal writes IPS ung into § 3-1.
    """
    reason, chosen = _track_reason(facts.birth_date, facts.start_date, facts.on, version)
    return RuleResult(
        rule="tiltaksspor",
        outcome=chosen.value,
        reasons=(reason,),
        version=version,
        on=facts.on,
        details={"track": chosen.value, "age_at_start": age_on(facts.birth_date, facts.start_date)},
    )


def _track_reason(
    birth_date: date, start_date: date, on: date, version: RuleVersion, *, start_known: bool = True
) -> tuple[Reason, Track]:
    limit = parameter("ips.ung.aldersgrense", on, version)
    age = age_on(birth_date, start_date)
    # Before the start date is known (a referral), the age on the assessment day is shown, and said to be so.
    day = fmt_date(start_date)
    when = Text("ved oppstart {day}", day=day) if start_known else Text("på vurderingsdatoen {day}", day=day)
    note = Text("") if start_known else Text(" Sporet avgjøres av alderen ved oppstart.")
    values = {"age": str(age), "when": when, "limit": str(limit.value), "note": note}
    if age < limit.as_int():
        text = Text("Personen er {age} år {when}, under {limit} år: IPS ung.{note}", **values)
        return Reason("SPOR_IPS_UNG", text, limit.reference, True), Track.IPS_UNG
    text = Text("Personen er {age} år {when}, ikke under {limit} år: ordinær IPS.{note}", **values)
    return Reason("SPOR_IPS", text, limit.reference, True), Track.IPS


def eligibility(facts: EligibilityInput, version: RuleVersion) -> RuleResult:
    """Whether the person can be offered individuell jobbstøtte, and on which track.

    All must hold: the age condition; one of the three ways into the target group (ordinary § 3-1 condition,
    IPS ung for under 30 with compound problems, or the exception by the directorate's guidelines with a written
    justification); consent; and a wish for ordinary work and/or education. A reason is given for each.
    """
    age_reason, eligible_from = _age_reason(facts, version)
    paths = {
        "ordinaer": _ordinary_path(facts, version),
        "ips_ung": _ips_ung_path(facts, version),
        "unntak": _exception_path(facts, version),
    }
    track_reason, chosen = _track_reason(
        facts.birth_date, facts.start_date or facts.on, facts.on, version, start_known=facts.start_date is not None
    )
    conditions = (age_reason, _consent_reason(facts, version), _wish_reason(facts, chosen, version))
    met = all(c.passed for c in conditions) and any(path.passed for path in paths.values())
    return RuleResult(
        rule="personkrets",
        outcome="oppfylt" if met else "ikke_oppfylt",
        reasons=(conditions[0], *paths.values(), *conditions[1:], track_reason),
        version=version,
        on=facts.on,
        details={
            "track": chosen.value,
            "age": age_on(facts.birth_date, facts.on),
            "age_condition_from": eligible_from,
            "paths": tuple(name for name, path in paths.items() if path.passed),
        },
    )


def _age_reason(facts: EligibilityInput, version: RuleVersion) -> tuple[Reason, date]:
    """In force: has turned 16 on the assessment date. Proposal: from 1 January of the year the person turns 16."""
    minimum = parameter("ips.alder.minstealder", facts.on, version)
    basis = parameter("ips.alder.beregning", facts.on, version)
    birthday = anniversary(facts.birth_date, minimum.as_int())
    eligible_from = birthday if basis.as_str() == "fylte_ar" else date(birthday.year, 1, 1)
    passed = facts.on >= eligible_from
    values = {"age": str(minimum.value), "day": fmt_date(birthday)}
    if basis.as_str() == "fylte_ar" and passed:
        text = Text("Personen fylte {age} år {day}.", **values)
    elif basis.as_str() == "fylte_ar":
        text = Text("Personen fyller {age} år {day} og har ikke fylt {age} år ennå.", **values)
    elif passed:
        text = Text(
            "Personen fyller {age} år i {year}, og tiltaket kan gis fra {day}.",
            age=str(minimum.value),
            year=str(birthday.year),
            day=fmt_date(eligible_from),
        )
    else:
        text = Text(
            "Personen fyller {age} år i {year}, og tiltaket kan først gis fra {day}.",
            age=str(minimum.value),
            year=str(birthday.year),
            day=fmt_date(eligible_from),
        )
    code = "ALDER_OPPFYLT" if passed else "ALDER_IKKE_OPPFYLT"
    return Reason(code, text, basis.reference, passed), eligible_from


def _ordinary_path(facts: EligibilityInput, version: RuleVersion) -> Reason:
    """Moderate to severe mental illness and/or substance problems, treatment, and need for more than NAV's
    general help."""
    missing = _missing(
        (facts.moderate_or_severe_condition, Text("moderate til alvorlige psykiske lidelser og/eller rusproblemer")),
        (facts.in_health_service, Text("behandling i helse- og omsorgstjenesten")),
        (facts.needs_comprehensive_follow_up, NEEDS_MORE_HELP),
    )
    reference = cite("personkrets.ordinaer", version)
    if not missing:
        text = Text(
            "Personen har moderate til alvorlige psykiske lidelser og/eller rusproblemer, får behandling i "
            "helse- og omsorgstjenesten og trenger mer omfattende bistand enn Navs generelle bistand."
        )
        return Reason("PERSONKRETS_ORDINAER_OPPFYLT", text, reference, True)
    text = Text("Den ordinære personkretsen er ikke oppfylt: mangler {missing}.", missing=missing)
    return Reason("PERSONKRETS_ORDINAER_IKKE_OPPFYLT", text, reference, False)


def _ips_ung_path(facts: EligibilityInput, version: RuleVersion) -> Reason:
    """Under 30 with compound mental problems or substance challenges: no diagnosis needed, but the other
    conditions of the ordinary target group (treatment, need for more comprehensive help) still apply."""
    limit = parameter("ips.ung.aldersgrense", facts.on, version)
    missing = _missing(
        (age_on(facts.birth_date, facts.on) < limit.as_int(), Text("alder under {limit} år", limit=str(limit.value))),
        (facts.compound_problems, Text("sammensatte psykiske problemer eller rusutfordringer")),
        (facts.in_health_service, Text("behandling eller oppfølging i helse- og omsorgstjenesten")),
        (facts.needs_comprehensive_follow_up, NEEDS_MORE_HELP),
    )
    reference = cite("personkrets.ips_ung", version)
    if not missing:
        text = Text(
            "Personen er under {limit} år, har sammensatte psykiske problemer eller rusutfordringer og får "
            "oppfølging i helsetjenesten; IPS ung krever ingen diagnose.",
            limit=str(limit.value),
        )
        return Reason("PERSONKRETS_IPS_UNG_OPPFYLT", text, reference, True)
    return Reason(
        "PERSONKRETS_IPS_UNG_IKKE_OPPFYLT",
        Text("Vilkårene for IPS ung er ikke oppfylt: mangler {missing}.", missing=missing),
        reference,
        False,
    )


def _exception_path(facts: EligibilityInput, version: RuleVersion) -> Reason:
    """Exceptionally, in agreement with the health service, others followed up by the health service or with
    compound challenges and a need for more comprehensive help; the justification must be written down."""
    reference = cite("personkrets.unntak", version)
    if not facts.exception_justification.strip():
        text = Text("Unntaket er ikke brukt: det er ikke skrevet en begrunnelse for unntak.")
        return Reason("PERSONKRETS_UNNTAK_BEGRUNNELSE_MANGLER", text, reference, False)
    missing = _missing(
        (
            facts.in_health_service or (facts.compound_problems and facts.needs_comprehensive_follow_up),
            Text("oppfølging i helsetjenesten eller sammensatte utfordringer med behov for mer omfattende bistand"),
        ),
        (facts.exception_agreed_with_health_service, Text("samråd med helsetjenesten")),
    )
    if not missing:
        text = Text(
            "Personen kan unntaksvis gis tiltaket etter direktoratets retningslinjer, med skriftlig begrunnelse."
        )
        return Reason("PERSONKRETS_UNNTAK_OPPFYLT", text, reference, True)
    text = Text("Unntaket er ikke oppfylt: mangler {missing}.", missing=missing)
    return Reason("PERSONKRETS_UNNTAK_IKKE_OPPFYLT", text, reference, False)


def _consent_reason(facts: EligibilityInput, version: RuleVersion) -> Reason:
    """Participation requires consent (in force: § 3-2; the proposal moves it to § 3-1)."""
    reference = cite("personkrets.samtykke", version)
    if facts.consent:
        return Reason("SAMTYKKE_OPPFYLT", Text("Personen samtykker til å delta."), reference, True)
    return Reason("SAMTYKKE_MANGLER", Text("Personen har ikke samtykket til å delta."), reference, False)


def _wish_reason(facts: EligibilityInput, chosen: Track, version: RuleVersion) -> Reason:
    """Participation rests on the person's own wish for ordinary work and/or education."""
    reference = cite(f"personkrets.onske.{chosen.value}", version)
    if facts.wants_work_or_education:
        text = Text("Personen ønsker å komme i ordinært arbeid og/eller opplæring eller utdanning.")
        return Reason("ONSKE_OPPFYLT", text, reference, True)
    text = Text("Personen har ikke uttrykt ønske om ordinært arbeid, opplæring eller utdanning.")
    return Reason("ONSKE_MANGLER", text, reference, False)


def _missing(*conditions: tuple[bool, str]) -> Text:
    """The descriptions of the conditions that do not hold, joined for a sentence."""
    return joined_words([description for held, description in conditions if not held])
