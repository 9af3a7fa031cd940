"""What counts in the outcome reports: the reporting category and ordinary paid work (IPS principle 2).

Our reading: docs/domain.md § 6; the indicators that use these rules: docs/indicators.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .base import Reason, RuleResult, RuleVersion, Text, condition, label
from .parameters import cite


@dataclass(frozen=True)
class ReportingCategoryInput:
    on: date = field(metadata=label("Vurderingsdato"))
    psychosis: bool = field(metadata=label("Har psykoselidelse"))
    substance_problems: bool = field(metadata=label("Har rusmiddelproblemer/-avhengighet"))


@dataclass(frozen=True)
class OrdinaryWorkInput:
    on: date = field(metadata=label("Vurderingsdato"))
    open_labour_market: bool = field(metadata=label("Hel- eller deltidsjobb på det åpne arbeidsmarkedet"))
    at_least_minimum_wage: bool = field(metadata=label("Betalt minst med minstelønn eller tariff"))
    open_to_all_applicants: bool = field(metadata=label("En jobb hvem som helst kan søke på"))


def reporting_category(facts: ReportingCategoryInput, version: RuleVersion) -> RuleResult:
    """The "of which" category a participant is counted under in the grant reports.

    The report breaks participants down into those with a psychotic disorder and those with substance problems;
    a participant with both is registered under psychosis only (regelverket pkt. 2 and pkt. 6).
    """
    reference = cite("rapportering.kategori", version)
    reasons = [
        Reason(
            "PSYKOSELIDELSE_JA" if facts.psychosis else "PSYKOSELIDELSE_NEI",
            Text("Deltakeren har en psykoselidelse.")
            if facts.psychosis
            else Text("Deltakeren har ikke en psykoselidelse."),
            reference,
            facts.psychosis,
        ),
        Reason(
            "RUSMIDDELPROBLEMER_JA" if facts.substance_problems else "RUSMIDDELPROBLEMER_NEI",
            Text("Deltakeren har rusmiddelproblemer/-avhengighet.")
            if facts.substance_problems
            else Text("Deltakeren har ikke rusmiddelproblemer/-avhengighet."),
            reference,
            facts.substance_problems,
        ),
    ]
    if facts.psychosis and facts.substance_problems:
        text = Text("Med både psykoselidelse og rusmiddelproblemer registreres deltakeren bare under psykoselidelse.")
        reasons.append(Reason("PSYKOSE_FORRANG", text, reference, True))
    if facts.psychosis:
        outcome = "psykose"
    elif facts.substance_problems:
        outcome = "rus"
    else:
        outcome = "ingen"
    return RuleResult(
        rule="rapporteringskategori", outcome=outcome, reasons=tuple(reasons), version=version, on=facts.on
    )


def ordinary_work(facts: OrdinaryWorkInput, version: RuleVersion) -> RuleResult:
    """Whether a job is ordinary paid work and counts as an outcome.

    All three must hold: a full- or part-time job in the open labour market, paid at least the minimum or tariff
    wage, and a job anyone could apply for. Sheltered or trial work is tracked but does not count.
    """
    reference = cite("arbeid.ordinaert", version)
    reasons = (
        condition(
            "APENT_ARBEIDSMARKED",
            facts.open_labour_market,
            Text("Jobben er på det åpne arbeidsmarkedet."),
            Text("Jobben er ikke på det åpne arbeidsmarkedet (for eksempel skjermet eller arbeidstrening)."),
            reference,
        ),
        condition(
            "MINSTELONN",
            facts.at_least_minimum_wage,
            Text("Lønnen er minst minstelønn eller tariff."),
            Text("Lønnen er lavere enn minstelønn eller tariff."),
            reference,
        ),
        condition(
            "ALLE_KAN_SOKE",
            facts.open_to_all_applicants,
            Text("Jobben er en jobb hvem som helst kan søke på."),
            Text("Jobben er ikke åpen for alle søkere (for eksempel reservert for tiltaksdeltakere)."),
            reference,
        ),
    )
    counts = all(r.passed for r in reasons)
    return RuleResult(
        rule="ordinaert-arbeid",
        outcome="ordinaert" if counts else "ikke_ordinaert",
        reasons=reasons,
        version=version,
        on=facts.on,
    )
