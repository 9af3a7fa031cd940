"""Deadlines: the grant report (regelverket pkt. 6) and the appeal against a grant decision (fvl. § 29).

Our reading: docs/domain.md § 7.7 (report) and § 7.6 (appeal; the seeds cite only fvl. § 28).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta

from .base import Reason, RuleInputError, RuleResult, RuleVersion, Text, fmt_date, joined_words, label
from .dates import WEEKDAYS, next_working_day
from .parameters import cite, parameter


@dataclass(frozen=True)
class ReportDeadlineInput:
    on: date = field(metadata=label("Vurderingsdato"))
    grant_year: int = field(metadata=label("Året tilskuddet ble tildelt"))

    def __post_init__(self) -> None:
        if not MINYEAR <= self.grant_year < MAXYEAR:
            raise RuleInputError("grant_year", "Ugyldig år.")


@dataclass(frozen=True)
class AppealDeadlineInput:
    on: date = field(metadata=label("Vurderingsdato"))
    notified_on: date = field(metadata=label("Datoen underretningen om vedtaket kom fram"))


def report_deadline(facts: ReportDeadlineInput, version: RuleVersion) -> RuleResult:
    """The report covers the calendar year the grant was given for (as of 31 December) and is due 1 April the
    following year (regelverket pkt. 6)."""
    due_day = parameter("frister.rapport", facts.on, version)
    day = due_day.as_mapping()
    due = date(facts.grant_year + 1, day["maaned"], day["dag"])
    text = Text(
        "Rapporten for {year} (per 31.12.{year}) skal sendes innen {day}.", year=facts.grant_year, day=fmt_date(due)
    )
    reasons = [Reason("RAPPORTFRIST", text, due_day.reference, True)]
    passed = facts.on > due
    if passed:
        reasons.append(
            Reason("RAPPORTFRIST_PASSERT", Text("Fristen gikk ut {day}.", day=fmt_date(due)), due_day.reference, False)
        )
    else:
        days = (due - facts.on).days
        text = Text("Det er {days} dager igjen til fristen.", days=days) if days else Text("Fristen er i dag.")
        reasons.append(Reason("RAPPORTFRIST_IKKE_PASSERT", text, due_day.reference, True))
    return RuleResult(
        rule="rapportfrist",
        outcome="frist_passert" if passed else "frist_ikke_passert",
        reasons=tuple(reasons),
        version=version,
        on=facts.on,
        details={"due_date": due},
    )


def appeal_deadline(facts: AppealDeadlineInput, version: RuleVersion) -> RuleResult:
    """The appeal deadline: three weeks from the day the notification of the decision reached the party (fvl. § 29).

    A deadline in weeks ends on the same weekday as the day it ran from (domstolloven § 148); one that would end on
    a Saturday, Sunday or public holiday moves to the next working day (domstolloven § 149).
    """
    weeks = parameter("frister.klage_uker", facts.on, version)
    nominal = facts.notified_on + timedelta(weeks=weeks.as_int())
    deadline, skipped = next_working_day(nominal)
    text = Text(
        "Klagefristen er {weeks} uker fra underretningen kom fram {notified}, altså {nominal}.",
        weeks=str(weeks.value),
        notified=fmt_date(facts.notified_on),
        nominal=fmt_date(nominal),
    )
    reasons = [Reason("KLAGEFRIST", text, weeks.reference, True)]
    if skipped:
        template = (
            "{skipped} er ikke virkedag, så fristen flyttes til {weekday} {day}."
            if len(skipped) == 1
            else "{skipped} er ikke virkedager, så fristen flyttes til {weekday} {day}."
        )
        text = Text(
            template,
            skipped=joined_words(list(skipped)),
            weekday=Text(WEEKDAYS[deadline.weekday()]),
            day=fmt_date(deadline),
        )
        reasons.append(Reason("FRIST_FLYTTET_TIL_VIRKEDAG", text, cite("frister.virkedag", version), True))
    expired = facts.on > deadline
    if expired:
        reasons.append(
            Reason(
                "KLAGEFRIST_UTLOPT", Text("Klagefristen gikk ut {day}.", day=fmt_date(deadline)), weeks.reference, False
            )
        )
    else:
        text = Text("Klagefristen løper til og med {day}.", day=fmt_date(deadline))
        reasons.append(Reason("KLAGEFRIST_APEN", text, weeks.reference, True))
    return RuleResult(
        rule="klagefrist",
        outcome="utlopt" if expired else "apen",
        reasons=tuple(reasons),
        version=version,
        on=facts.on,
        details={"deadline": deadline, "nominal_deadline": nominal, "days_moved": (deadline - nominal).days},
    )
