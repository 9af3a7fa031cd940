"""The grant scheme «Individuell jobbstøtte (IPS) i helse- og omsorgstjenesten» (kap. 765 post 73, regelverket).

Who may apply (pkt. 3), what an application must contain (pkt. 4), the conditions, maximum amounts and priority
of measures A, B and C (pkt. 5). Amounts scale with the position fraction applied for.

Our reading: docs/domain.md § 7 (§ 7.2 applicants, § 7.3 the application, § 7.4 the measures, § 7.5 amounts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .base import (
    Reason,
    RuleInputError,
    RuleResult,
    RuleVersion,
    Text,
    coerce_decimal,
    coerce_enum,
    condition,
    each_joined_with_and,
    fmt_nok,
    fmt_number,
    label,
)
from .parameters import cite, parameter


class ApplicantType(StrEnum):
    MUNICIPALITY = "kommune"
    STATE_ENTERPRISE = "statlig_foretak"
    COUNTY_AUTHORITY = "fylkeskommune"
    INTER_MUNICIPAL_COMPANY = "interkommunalt_selskap"
    VOLUNTARY = "frivillig_ideell"
    UNIVERSITY = "universitet_hoyskole"
    BUSINESS = "bedrift"
    ABROAD = "utenfor_norge"


APPLICANT_NAMES = {
    ApplicantType.MUNICIPALITY: Text("kommuner"),
    ApplicantType.STATE_ENTERPRISE: Text("statlige foretak (for eksempel RHF/HF)"),
    ApplicantType.COUNTY_AUTHORITY: Text("fylkeskommuner"),
    ApplicantType.INTER_MUNICIPAL_COMPANY: Text("interkommunale selskaper"),
    ApplicantType.VOLUNTARY: Text("frivillige og ideelle organisasjoner (herunder stiftelser)"),
    ApplicantType.UNIVERSITY: Text("universiteter og høyskoler"),
    ApplicantType.BUSINESS: Text("bedrifter"),
    ApplicantType.ABROAD: Text("søkere utenfor Norge"),
}


class Measure(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class TeamType(StrEnum):
    ACT = "act"
    FACT = "fact"
    FACT_UNG = "fact_ung"


TEAM_NAMES = {
    TeamType.ACT: Text("ACT-team"),
    TeamType.FACT: Text("FACT-team"),
    TeamType.FACT_UNG: Text("FACT ung-team"),
}


@dataclass(frozen=True)
class ApplicantInput:
    on: date = field(metadata=label("Vurderingsdato"))
    applicant_type: ApplicantType = field(metadata=label("Type søker"))

    def __post_init__(self) -> None:
        coerce_enum(self, "applicant_type", ApplicantType)


@dataclass(frozen=True)
class MeasureAInput:
    on: date = field(metadata=label("Vurderingsdato"))
    earlier_scheme_project_year: int = field(
        metadata=label(
            "Prosjektår under tidligere tilskuddsordning for IPS",
            "Året virksomheten er inne i etter Helsedirektoratets tidligere IPS-ordning. 0 hvis den ikke var med.",
        )
    )
    salary_costs_only: bool = field(metadata=label("Søker bare om lønnskostnader"))

    def __post_init__(self) -> None:
        if self.earlier_scheme_project_year < 0:
            raise RuleInputError("earlier_scheme_project_year", "Prosjektåret kan ikke være negativt.")


@dataclass(frozen=True)
class MeasureBInput:
    on: date = field(metadata=label("Vurderingsdato"))
    well_established: bool = field(
        metadata=label("Har et veletablert fagmiljø på IPS og gode resultater i eget klinisk arbeid")
    )
    staff_health_or_social_education: bool = field(
        metadata=label("De som tilbys stillingene har helse- eller sosialfaglig utdanning")
    )
    staff_ips_experience_years: Decimal = field(
        metadata=label("Arbeidserfaring fra IPS (år) for dem som tilbys stillingene")
    )
    staff_training_experience: bool = field(
        metadata=label("De som tilbys stillingene har erfaring med opplæring og veiledning")
    )
    covers_tasks: bool = field(
        metadata=label(
            "Ressursmiljøet skal ivareta alle arbeidsoppgavene",
            "Veiledning av eksisterende IPS-tilbud, opplæring av planlagte tilbud, nasjonal kunnskaps- og "
            "kompetanseutvikling og lokale/regionale opplæringstiltak.",
        )
    )

    def __post_init__(self) -> None:
        coerce_decimal(self, "staff_ips_experience_years")
        if self.staff_ips_experience_years < 0:
            raise RuleInputError("staff_ips_experience_years", "Antall år kan ikke være negativt.")


@dataclass(frozen=True)
class MeasureCInput:
    on: date = field(metadata=label("Vurderingsdato"))
    team_type: TeamType = field(metadata=label("Teamtype (ACT, FACT eller FACT ung)"))
    out_of_act_fact_scheme: bool = field(metadata=label("Teamet er ute av tilskuddsordningen for ACT/FACT og FACT ung"))
    specialist_in_health_service: bool = field(
        metadata=label("Jobb-/utdanningsspesialisten er ansatt i kommunal helsetjeneste eller spesialisthelsetjeneste")
    )
    salary_costs_only: bool = field(metadata=label("Søker bare om lønnskostnader"))
    act_fact_grant_year: int = field(
        default=0,
        metadata=label("Tilskuddsår på ACT/FACT-ordningen", "Bare for team som fortsatt er i ordningen; ellers 0."),
    )

    def __post_init__(self) -> None:
        coerce_enum(self, "team_type", TeamType)
        if self.act_fact_grant_year < 0:
            raise RuleInputError("act_fact_grant_year", "Tilskuddsåret kan ikke være negativt.")


@dataclass(frozen=True)
class GrantAmountInput:
    on: date = field(metadata=label("Vurderingsdato"))
    measure: Measure = field(metadata=label("Tiltak (A, B eller C)"))
    project_year: int = field(metadata=label("Prosjekt-/driftsår under ordningen", "1 for første år."))
    fte: Decimal = field(
        metadata=label("Årsverk det søkes om", "Summen av stillingsandelene, for eksempel 0,5 eller 1,5.")
    )
    requested_amount: int | None = field(default=None, metadata=label("Omsøkt beløp til lønn (kr)"))

    def __post_init__(self) -> None:
        coerce_enum(self, "measure", Measure)
        coerce_decimal(self, "fte")
        if self.project_year < 1:
            raise RuleInputError("project_year", "Prosjektåret må være 1 eller høyere.")
        if self.fte <= 0:
            raise RuleInputError("fte", "Årsverk må være større enn 0.")
        if self.requested_amount is not None and self.requested_amount < 0:
            raise RuleInputError("requested_amount", "Beløpet kan ikke være negativt.")


@dataclass(frozen=True)
class ApplicationChecklistInput:
    on: date = field(metadata=label("Vurderingsdato"))
    applies_measure_a: bool = field(default=False, metadata=label("Søker om tiltak A"))
    applies_measure_b: bool = field(default=False, metadata=label("Søker om tiltak B"))
    applies_measure_c: bool = field(default=False, metadata=label("Søker om tiltak C"))
    goals: bool = field(default=False, metadata=label("Søkerens mål med tilskuddet"))
    project_description: bool = field(default=False, metadata=label("Prosjektbeskrivelse / beskrivelse av tiltaket"))
    budget: bool = field(default=False, metadata=label("Budsjett som kan sammenlignes med regnskap"))
    co_funding: bool = field(default=False, metadata=label("Delfinansiering / tilskudd fra andre instanser"))
    own_funding: bool = field(default=False, metadata=label("Egenfinansiering"))
    control_measures: bool = field(default=False, metadata=label("Interne og eksterne kontrolltiltak"))
    risk_assessment: bool = field(default=False, metadata=label("Søkerens vurdering av risiko"))
    measures_and_need: bool = field(default=False, metadata=label("Hvilke tiltak det søkes til, og behovet"))
    award_criteria: bool = field(default=False, metadata=label("Beskrivelse av tildelingskriteriene i punkt 5"))
    implementation_plan: bool = field(default=False, metadata=label("Gjennomføringsplan med milepæler"))
    signed: bool = field(
        default=False,
        metadata=label(
            "Undertegnet av den som har fullmakt",
            "Kommunedirektør (kommuner) eller styreleder (andre), eller den som har signeringsfullmakt.",
        ),
    )
    b_geographic_area: bool = field(default=False, metadata=label("Tiltak B: geografisk område som dekkes"))
    b_training_measures: bool = field(
        default=False, metadata=label("Tiltak B: opplærings- og kompetansetiltak det søkes midler til")
    )
    c_joint_application: bool = field(
        default=False, metadata=label("Tiltak C: felles søknad fra kommune(r) og helseforetak")
    )
    c_collaboration_agreement: bool = field(
        default=False, metadata=label("Tiltak C: samarbeidsavtalen mellom kommune(r) og helseforetak er vedlagt")
    )
    c_management_anchoring: bool = field(
        default=False, metadata=label("Tiltak C: ledelsesforankring i kommune og helseforetak framgår av avtalen")
    )


@dataclass(frozen=True)
class PriorityInput:
    on: date = field(metadata=label("Vurderingsdato"))
    measure: Measure = field(metadata=label("Tiltak (A, B eller C)"))
    team_out_of_act_fact_scheme: bool = field(
        default=False, metadata=label("Tiltak C: teamet er ute av tilskuddsordningen for ACT/FACT og FACT ung")
    )

    def __post_init__(self) -> None:
        coerce_enum(self, "measure", Measure)


@dataclass(frozen=True)
class _ChecklistItem:
    id: str
    field_name: str
    text: str
    measure: Measure | None = None


CHECKLIST = (
    _ChecklistItem("mal", "goals", Text("søkerens mål med tilskuddet")),
    _ChecklistItem("prosjektbeskrivelse", "project_description", Text("en prosjektbeskrivelse")),
    _ChecklistItem("budsjett", "budget", Text("et budsjett som kan sammenlignes med regnskap")),
    _ChecklistItem("delfinansiering", "co_funding", Text("opplysninger om delfinansiering eller tilskudd fra andre")),
    _ChecklistItem("egenfinansiering", "own_funding", Text("opplysninger om egenfinansiering")),
    _ChecklistItem(
        "kontrolltiltak", "control_measures", Text("en redegjørelse for interne og eksterne kontrolltiltak")
    ),
    _ChecklistItem("risikovurdering", "risk_assessment", Text("søkerens vurdering av risiko")),
    _ChecklistItem(
        "tiltak_og_behov", "measures_and_need", Text("en beskrivelse av tiltakene det søkes til og behovet")
    ),
    _ChecklistItem("tildelingskriterier", "award_criteria", Text("en beskrivelse av tildelingskriteriene i punkt 5")),
    _ChecklistItem("gjennomforingsplan", "implementation_plan", Text("en gjennomføringsplan med milepæler")),
    _ChecklistItem("signatur", "signed", Text("underskrift av den som har fullmakt")),
    _ChecklistItem("b_geografisk_omrade", "b_geographic_area", Text("hvilket geografisk område som dekkes"), Measure.B),
    _ChecklistItem(
        "b_opplaeringstiltak", "b_training_measures", Text("hvilke opplæringstiltak det søkes til"), Measure.B
    ),
    _ChecklistItem(
        "c_felles_soknad", "c_joint_application", Text("underskrift fra både kommune og helseforetak"), Measure.C
    ),
    _ChecklistItem("c_samarbeidsavtale", "c_collaboration_agreement", Text("samarbeidsavtalen som vedlegg"), Measure.C),
    _ChecklistItem("c_ledelsesforankring", "c_management_anchoring", Text("ledelsesforankring i avtalen"), Measure.C),
)


def applicant(facts: ApplicantInput, version: RuleVersion) -> RuleResult:
    """Whether this kind of organisation can get the grant: municipalities and state enterprises (RHF/HF) only."""
    allowed = parameter("tilskudd.sokere", facts.on, version)
    name = APPLICANT_NAMES[facts.applicant_type]
    reason = condition(
        "SOKER",
        facts.applicant_type.value in allowed.as_list(),
        Text("Tilskudd kan gis til {name}.", name=name),
        Text(
            "Tilskudd kan ikke gis til {name}; bare kommuner og statlige foretak (RHF/HF) kan få tilskudd.", name=name
        ),
        allowed.reference,
    )
    return RuleResult(
        rule="tilskudd-soker",
        outcome="kan_soke" if reason.passed else "kan_ikke_soke",
        reasons=(reason,),
        version=version,
        on=facts.on,
    )


def measure_a(facts: MeasureAInput, version: RuleVersion) -> RuleResult:
    """Measure A part-funds job specialist positions for services in their 2nd or 3rd project year under the earlier
    IPS grant scheme; salary costs only."""
    years = parameter("tilskudd.tiltak_a.tidligere_prosjektar", facts.on, version)
    reference = cite("tilskudd.tiltak_a", version)
    reasons = (
        condition(
            "TIDLIGERE_ORDNING",
            facts.earlier_scheme_project_year in years.as_list(),
            Text(
                "Virksomheten er i sitt {year}. prosjektår etter tidligere IPS-ordning.",
                year=facts.earlier_scheme_project_year,
            ),
            Text(
                "Tiltak A er for virksomheter i sitt 2. eller 3. prosjektår etter tidligere tilskuddsordning for IPS."
            ),
            years.reference,
        ),
        _salary_only(facts.salary_costs_only, reference),
    )
    return _measure_result("tilskudd-tiltak-a", reasons, facts.on, version)


def measure_b(facts: MeasureBInput, version: RuleVersion) -> RuleResult:
    """Measure B part-funds 5-6 resource environments with well-established IPS expertise. Staff need a health or
    social education, at least two years of IPS experience and experience with training and supervision."""
    minimum = parameter("tilskudd.tiltak_b.min_ips_erfaring_ar", facts.on, version)
    reference = cite("tilskudd.tiltak_b", version)
    years = fmt_number(facts.staff_ips_experience_years)
    reasons = (
        condition(
            "VELETABLERT_FAGMILJO",
            facts.well_established,
            Text("Virksomheten har et veletablert fagmiljø på IPS med gode resultater."),
            Text("Tiltak B er forbeholdt virksomheter med et veletablert fagmiljø på IPS og gode resultater."),
            reference,
        ),
        condition(
            "HELSE_SOSIALFAGLIG_UTDANNING",
            facts.staff_health_or_social_education,
            Text("De som tilbys stillingene har helse- eller sosialfaglig utdanning."),
            Text("De som tilbys stillingene må ha helse- eller sosialfaglig utdanning."),
            reference,
        ),
        condition(
            "IPS_ERFARING",
            facts.staff_ips_experience_years >= minimum.as_int(),
            Text(
                "De som tilbys stillingene har {years} års erfaring fra IPS, og kravet er minst {minimum} år.",
                years=years,
                minimum=str(minimum.value),
            ),
            Text(
                "De som tilbys stillingene har bare {years} års erfaring fra IPS; kravet er minst {minimum} år.",
                years=years,
                minimum=str(minimum.value),
            ),
            minimum.reference,
        ),
        condition(
            "OPPLAERINGSERFARING",
            facts.staff_training_experience,
            Text("De som tilbys stillingene har erfaring med opplæring og veiledning."),
            Text("De som tilbys stillingene må ha erfaring med opplæring og veiledning."),
            reference,
        ),
        condition(
            "ARBEIDSOPPGAVER",
            facts.covers_tasks,
            Text("Ressursmiljøet skal ivareta alle arbeidsoppgavene ordningen krever."),
            Text(
                "Ressursmiljøet må ivareta veiledning, opplæring, nasjonal kompetanseutvikling og lokale/regionale "
                "tiltak."
            ),
            reference,
        ),
    )
    return _measure_result("tilskudd-tiltak-b", reasons, facts.on, version)


def measure_c(facts: MeasureCInput, version: RuleVersion) -> RuleResult:
    """Measure C part-funds a job or education specialist in an established ACT, FACT or FACT ung team: one that is
    out of the ACT/FACT grant schemes or in its 3rd or 4th year there. Salary costs only, for a specialist employed
    in the municipal health service or the specialist health service."""
    years = parameter("tilskudd.tiltak_c.act_fact_tilskuddsar", facts.on, version)
    reference = cite("tilskudd.tiltak_c", version)
    team = TEAM_NAMES[facts.team_type]
    established = facts.out_of_act_fact_scheme or facts.act_fact_grant_year in years.as_list()
    reasons = (
        condition(
            "ETABLERT_TEAM",
            established,
            Text("{team} er etablert: ute av ACT/FACT-ordningen eller i 3. eller 4. tilskuddsår der.", team=team),
            Text(
                "{team} er ikke etablert: det må være ute av ACT/FACT-ordningen eller i 3. eller 4. tilskuddsår der.",
                team=team,
            ),
            years.reference,
        ),
        condition(
            "SPESIALIST_I_HELSETJENESTEN",
            facts.specialist_in_health_service,
            Text("Spesialisten er ansatt i kommunal helsetjeneste eller spesialisthelsetjeneste."),
            Text("Spesialisten må være ansatt i kommunal helsetjeneste eller spesialisthelsetjeneste."),
            reference,
        ),
        _salary_only(facts.salary_costs_only, reference),
    )
    return _measure_result("tilskudd-tiltak-c", reasons, facts.on, version)


def _salary_only(salary_costs_only: bool, reference: str) -> Reason:
    return condition(
        "LONNSKOSTNADER",
        salary_costs_only,
        Text("Det søkes bare om lønnskostnader."),
        Text("Tilskuddet dekker bare lønnskostnader, ikke andre aktiviteter eller investeringer."),
        reference,
    )


def _measure_result(rule: str, reasons: tuple[Reason, ...], on: date, version: RuleVersion) -> RuleResult:
    met = all(r.passed for r in reasons)
    return RuleResult(rule=rule, outcome="oppfylt" if met else "ikke_oppfylt", reasons=reasons, version=version, on=on)


def max_amount(facts: GrantAmountInput, version: RuleVersion) -> RuleResult:
    """The highest grant for the measure, project year and position fraction, and a request capped to it.

    Per 100 % position: A and C NOK 500 000, 400 000 and 300 000 in project years 1-3; B NOK 700 000 a year for up
    to four years and at most two 100 % positions. The amount scales with the fraction applied for.
    """
    table = parameter(f"tilskudd.tiltak_{facts.measure.value.lower()}.maks_per_arsverk", facts.on, version)
    per_fte = table.as_list()
    if facts.project_year > len(per_fte):
        text = Text(
            "Tiltak {measure} gis i høyst {years} prosjektår, ikke i år {year}.",
            measure=facts.measure.value,
            years=len(per_fte),
            year=facts.project_year,
        )
        reason = Reason("PROSJEKTAR_UTENFOR_ORDNINGEN", text, table.reference, False)
        return _amount_result(facts, version, "ikke_tilskudd", (reason,), Decimal(0), 0)
    fte_reasons, fte = _counted_fte(facts, version)
    amount = int((per_fte[facts.project_year - 1] * fte).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    template = (
        "Tiltak {measure} gir inntil {per_fte} per 100 % stilling i {year}. prosjektår; for {fte} årsverk er det "
        "{amount}."
    )
    if facts.measure is Measure.B:
        # One template with the extra sentence, so the English catalogue translates B's reason whole.
        template += " Midler til opplærings- og kompetansetiltak kommer i tillegg."
    text = Text(
        template,
        measure=facts.measure.value,
        per_fte=fmt_nok(per_fte[facts.project_year - 1]),
        year=facts.project_year,
        fte=fmt_number(fte),
        amount=fmt_nok(amount),
    )
    reasons = (*fte_reasons, Reason("MAKSBELOP", text, table.reference, True))
    if facts.requested_amount is None:
        return _amount_result(facts, version, "beregnet", reasons, fte, amount)
    requested = fmt_nok(facts.requested_amount)
    if facts.requested_amount > amount:
        text = Text(
            "Omsøkt beløp {requested} er over høyeste tilskudd og avkortes til {amount}.",
            requested=requested,
            amount=fmt_nok(amount),
        )
        capped = Reason("BELOP_AVKORTET", text, table.reference, False)
        return _amount_result(facts, version, "avkortet", (*reasons, capped), fte, amount)
    text = Text("Omsøkt beløp {requested} er innenfor høyeste tilskudd.", requested=requested)
    within = Reason("BELOP_INNENFOR", text, table.reference, True)
    return _amount_result(facts, version, "innenfor", (*reasons, within), fte, amount)


def _counted_fte(facts: GrantAmountInput, version: RuleVersion) -> tuple[tuple[Reason, ...], Decimal]:
    """The position fraction the amount is computed for: all of it, except above B's two positions."""
    if facts.measure is not Measure.B:
        return (), facts.fte
    ceiling = parameter("tilskudd.tiltak_b.maks_arsverk", facts.on, version)
    if facts.fte <= ceiling.as_int():
        text = Text(
            "Tiltak B gir tilskudd til inntil {ceiling} årsverk; det søkes om {fte}.",
            ceiling=str(ceiling.value),
            fte=fmt_number(facts.fte),
        )
        return (Reason("ARSVERK_INNENFOR", text, ceiling.reference, True),), facts.fte
    text = Text(
        "Tiltak B gir tilskudd til inntil {ceiling} årsverk; det søkes om {fte}, så beløpet regnes for {ceiling}.",
        ceiling=str(ceiling.value),
        fte=fmt_number(facts.fte),
    )
    return (Reason("ARSVERK_AVKORTET", text, ceiling.reference, False),), Decimal(ceiling.as_int())


def _amount_result(
    facts: GrantAmountInput,
    version: RuleVersion,
    outcome: str,
    reasons: tuple[Reason, ...],
    fte: Decimal,
    amount: int,
) -> RuleResult:
    requested = facts.requested_amount
    return RuleResult(
        rule="tilskudd-maksbelop",
        outcome=outcome,
        reasons=reasons,
        version=version,
        on=facts.on,
        details={
            "max_amount": amount,
            "fte_counted": fte,
            "capped_amount": None if requested is None else min(requested, amount),
        },
    )


def application_checklist(facts: ApplicationChecklistInput, version: RuleVersion) -> RuleResult:
    """Which of the items an application must contain are missing (pkt. 4, with the extras for B and C).

    Every application: goals, project description, budget, co-funding, own funding, control measures, risk
    assessment, the measures applied for and the need, the award criteria, an implementation plan with milestones
    and a signature. B also: the geographic area and the training measures. C also: a joint application by
    municipality and health trust with their collaboration agreement attached, showing management anchoring.
    """
    reference = cite("tilskudd.soknad", version)
    applied = {
        Measure.A: facts.applies_measure_a,
        Measure.B: facts.applies_measure_b,
        Measure.C: facts.applies_measure_c,
    }
    chosen = [measure.value for measure, chosen in applied.items() if chosen]
    reasons = [
        condition(
            "SOKNAD_TILTAK_VALGT",
            bool(chosen),
            Text("Søknaden gjelder tiltak {measures}.", measures=each_joined_with_and(chosen)),
            Text("Søknaden sier ikke hvilket tiltak (A, B eller C) det søkes til."),
            reference,
        )
    ]
    items = [item for item in CHECKLIST if item.measure is None or applied[item.measure]]
    reasons.extend(
        condition(
            f"SOKNAD_{item.id.upper()}",
            getattr(facts, item.field_name),
            Text("Søknaden inneholder {item}.", item=item.text),
            Text("Søknaden mangler {item}.", item=item.text),
            reference,
        )
        for item in items
    )
    missing: tuple[str, ...] = () if chosen else ("tiltak_valgt",)
    missing += tuple(item.id for item in items if not getattr(facts, item.field_name))
    return RuleResult(
        rule="tilskudd-soknad-komplett",
        outcome="mangler" if missing else "komplett",
        reasons=tuple(reasons),
        version=version,
        on=facts.on,
        details={"missing": missing},
    )


def priority(facts: PriorityInput, version: RuleVersion) -> RuleResult:
    """A and B are first priority, C second; among C applicants, teams out of the ACT/FACT schemes go first.

    The outcome is prioritet_1 or prioritet_2; sort applications by (priority, within_priority).
    """
    ranks = parameter("tilskudd.prioritet", facts.on, version)
    rank = int(ranks.as_mapping()[facts.measure.value])
    reasons = [
        Reason(
            f"PRIORITET_{rank}",
            Text("Tiltak {measure} har {rank}. prioritet.", measure=facts.measure.value, rank=rank),
            ranks.reference,
            True,
        )
    ]
    within = 1
    if facts.measure is Measure.C:
        reasons.append(
            condition(
                "UTE_AV_ACT_FACT_ORDNINGEN",
                facts.team_out_of_act_fact_scheme,
                Text("Teamet er ute av ACT/FACT-ordningen og prioriteres foran team som fortsatt er i den."),
                Text("Teamet er fortsatt i ACT/FACT-ordningen; team som er ute av ordningen prioriteres foran."),
                cite("tilskudd.prioritet_c", version),
            )
        )
        within = 1 if facts.team_out_of_act_fact_scheme else 2
    return RuleResult(
        rule="tilskudd-prioritet",
        outcome=f"prioritet_{rank}",
        reasons=tuple(reasons),
        version=version,
        on=facts.on,
        details={"priority": rank, "within_priority": within},
    )
