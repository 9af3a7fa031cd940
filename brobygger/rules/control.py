"""Sanctions in the grant scheme: whether a recipient barred from the grant may get it for a year.

Regelverket pkt. 11 (Bortfall av tilskudd og andre reaksjonsformer): the Directorate may refuse a recipient the
grant in one or more following years when the grant has not been used according to the conditions set. A bar is an
individual decision of its own, naming the years from and to; an application for a grant year inside them cannot
be granted.

Our reading: docs/domain.md § 7 (control and sanctions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .base import Reason, RuleInputError, RuleResult, RuleVersion, Text, label
from .parameters import cite


@dataclass(frozen=True)
class BarInput:
    on: date = field(metadata=label("Vurderingsdato"))
    grant_year: int = field(metadata=label("Tilskuddsåret det søkes for"))
    barred_from_year: int | None = field(
        default=None,
        metadata=label("Utestengt fra og med år", "Fra vedtaket om utestengelse. Tomt hvis søkeren ikke er utestengt."),
    )
    barred_to_year: int | None = field(default=None, metadata=label("Utestengt til og med år"))

    def __post_init__(self) -> None:
        if (self.barred_from_year is None) != (self.barred_to_year is None):
            raise RuleInputError("barred_to_year", "Oppgi både første og siste år for utestengelsen, eller ingen.")
        if (
            self.barred_from_year is not None
            and self.barred_to_year is not None
            and (self.barred_to_year < self.barred_from_year)
        ):
            raise RuleInputError("barred_to_year", "Siste år kan ikke være før første år.")


def bar(facts: BarInput, version: RuleVersion) -> RuleResult:
    """Whether a bar from the grant (pkt. 11) covers the grant year applied for. Without a bar, nothing stops it."""
    reference = cite("tilskudd.utestengelse", version)
    start, end = facts.barred_from_year, facts.barred_to_year
    if start is not None and end is not None and start <= facts.grant_year <= end:
        reason = Reason(
            "UTESTENGT",
            Text(
                "Søkeren er nektet tilskudd for {start}–{end} fordi tilskuddet ikke er brukt i samsvar med fastsatte "
                "betingelser; søknaden for {year} kan ikke innvilges.",
                start=start,
                end=end,
                year=facts.grant_year,
            ),
            reference,
            False,
        )
    else:
        reason = Reason(
            "IKKE_UTESTENGT",
            Text("Søkeren er ikke nektet tilskudd for {year}.", year=facts.grant_year),
            reference,
            True,
        )
    return RuleResult(
        rule="tilskudd-utestengt",
        outcome="ikke_utestengt" if reason.passed else "utestengt",
        reasons=(reason,),
        version=version,
        on=facts.on,
        details={} if reason.passed else {"barred_from_year": start, "barred_to_year": end},
    )
