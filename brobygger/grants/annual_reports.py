"""The annual report (*årsrapport*, regelverket pkt. 6): pre-filled from the case data, corrected with reasons,
accounts against the budget, signed, submitted, reviewed; and the reminders before the deadline.

The figures for measures A and C are the statistics pages' indicators (``reporting.indicators``) for the IPS
services the measure covers and the grant's calendar year, so a report and the statistics never disagree: for the
covered services S and year Y a figure is ``indicators.report(year Y, service level, Scope(S)).total`` (for one
service that is the service's own row). Every write is ``<entity>_<action>(*, actor, ...)``, atomic and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Avg, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.accounts.models import IpsService, JobSpecialist, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.grants import access, writes
from brobygger.grants.models import (
    MAX_KRONER,
    AnnualReport,
    Application,
    ApplicationMeasure,
    CoveredService,
    Decision,
    Measure,
    ReportAccountLine,
    ReportFigure,
    ReportReminder,
    ReportSignature,
)
from brobygger.grants.models.reports import MAX_FIGURE
from brobygger.grants.services import applicant_recipients
from brobygger.reporting import indicators
from brobygger.reporting.periods import Level, ReportingPeriod

COUNT, AVERAGE, TEXT = "count", "average", "text"


@dataclass(frozen=True)
class Question:
    """One item of the report: its key, the question as the regulation asks it, its kind, and where a pre-filled
    value comes from (an indicator measure of ``reporting.indicators``, or a named source below)."""

    key: str
    label: Promise
    kind: str = COUNT
    source: str | None = None


# Regelverket pkt. 6, per measure, in the regulation's order.
QUESTIONS: dict[str, tuple[Question, ...]] = {
    Measure.A: (
        Question("fidelity", gettext_lazy("Poengsum på IPS-fidelityskalaen"), AVERAGE, "modelltrohet"),
        Question(
            "waiting_days",
            gettext_lazy("Gjennomsnittlig ventetid fra henvisning til oppstart (dager)"),
            AVERAGE,
            "ventetid_dager",
        ),
        Question("participants", gettext_lazy("Deltakere totalt i året"), COUNT, "deltakere"),
        Question("participants_psychosis", gettext_lazy("av dem med psykoselidelse"), COUNT, "deltakere_psykose"),
        Question("participants_substance", gettext_lazy("av dem med rusmiddelproblemer"), COUNT, "deltakere_rus"),
        Question("work", gettext_lazy("Kommet i ordinært, lønnet arbeid"), COUNT, "arbeid"),
        Question("work_psychosis", gettext_lazy("i arbeid, med psykoselidelse"), COUNT, "arbeid_psykose"),
        Question("work_substance", gettext_lazy("i arbeid, med rusmiddelproblemer"), COUNT, "arbeid_rus"),
        Question("education", gettext_lazy("Startet opp i eller er i utdanning"), COUNT, "utdanning"),
        Question("education_psychosis", gettext_lazy("i utdanning, med psykoselidelse"), COUNT, "utdanning_psykose"),
        Question("education_substance", gettext_lazy("i utdanning, med rusmiddelproblemer"), COUNT, "utdanning_rus"),
        Question("employers", gettext_lazy("Arbeidsgivere dere har samarbeidet med (unike)"), COUNT, "arbeidsgivere"),
        Question("hired", gettext_lazy("Deltakere disse arbeidsgiverne har ansatt"), COUNT, "ansatt_hos_arbeidsgivere"),
    ),
    Measure.B: (
        Question("services_in_area", gettext_lazy("Hvor mange IPS-tilbud finnes i deres geografiske område?")),
        Question("services_supervised", gettext_lazy("Hvor mange eksisterende IPS-tilbud er det gitt veiledning til?")),
        Question("supervision_content", gettext_lazy("Hva har vært innholdet i veiledningen?"), TEXT),
        Question(
            "planning_contacted",
            gettext_lazy("Hvor mange IPS-tilbud som planlegger oppstart, har dere hatt kontakt med?"),
        ),
        Question("planning_content", gettext_lazy("Hva har innholdet i denne kontakten vært?"), TEXT),
        Question("planning_started", gettext_lazy("Hvor mange av dem er nå i gang med et tilbud?")),
        Question("planning_reasons", gettext_lazy("Mulige årsaker til at andre ikke har startet et IPS-tilbud"), TEXT),
        Question("national_arenas", gettext_lazy("Arenaer for nasjonal kunnskaps- og kompetanseutvikling"), TEXT),
        Question("national_contribution", gettext_lazy("Deres bidrag i den nasjonale kompetanseutviklingen"), TEXT),
        Question(
            "training_led",
            gettext_lazy("Hvor mange lokale/regionale opplæringstiltak har dere vært hovedansvarlig for?"),
        ),
        Question("training_topics", gettext_lazy("Hovedtemaene i opplæringstiltakene"), TEXT),
        Question("training_partners", gettext_lazy("Hvem dere har samarbeidet med i opplæringstiltakene"), TEXT),
        Question("user_involvement", gettext_lazy("Hvordan brukermedvirkning og ansattes involvering ivaretas"), TEXT),
        Question("act_fact_advice", gettext_lazy("Råd, opplæring eller veiledning om IPS til ACT- og FACT-team"), TEXT),
    ),
    Measure.C: (
        Question("team_type", gettext_lazy("Teamets innretning (ACT, FACT eller FACT ung)"), TEXT, "team_type"),
        Question(
            "specialist_fte", gettext_lazy("Jobb- og utdanningsspesialister (årsverk)"), AVERAGE, "specialist_fte"
        ),
        Question(
            "waiting_days",
            gettext_lazy("Gjennomsnittlig ventetid fra henvisning til oppstart (dager)"),
            AVERAGE,
            "ventetid_dager",
        ),
        Question("participants", gettext_lazy("Deltakere totalt i året med tilbud om IPS"), COUNT, "deltakere"),
        Question("work", gettext_lazy("Kommet i ordinært, lønnet arbeid"), COUNT, "arbeid"),
        Question("education", gettext_lazy("Startet opp i eller er i utdanning"), COUNT, "utdanning"),
        Question(
            "fidelity_self_assessment",
            gettext_lazy("Poengsum på IPS-fidelityskalaen ved egenvurdering"),
            AVERAGE,
            "fidelity_self_assessment",
        ),
        Question("basic_course", gettext_lazy("Teamansatte som har deltatt på grunnkurs i IPS")),
        Question("fidelity_course", gettext_lazy("Teamansatte som har deltatt på kurs om IPS-fidelityskalaen")),
    ),
}
QUESTION_BY_KEY = {(measure, q.key): q for measure, questions in QUESTIONS.items() for q in questions}
REMINDER_DAYS = {ReportReminder.Kind.DAYS_30: 30, ReportReminder.Kind.DAYS_7: 7}


# Which services a grant covers


def covered_service_ids(row: ApplicationMeasure) -> tuple[int, ...]:
    return tuple(row.covered_services.order_by("service_id").values_list("service_id", flat=True))


def coverable_services(application: Application):
    """The IPS services the applicant or the partner owns: the ones a measure may cover."""
    return IpsService.objects.filter(owners__in=[org.pk for org in application.organisations]).distinct()


def covered_service_add(*, actor: User, application: Application, measure: str, service: IpsService) -> CoveredService:
    """Name an IPS service the measure covers. While the report is not yet submitted its figures follow at once."""
    writes.require(access.can_name_services(actor, application))
    row = application.measures.filter(measure=measure).first()
    if row is None:
        raise ValidationError({"measure": _("Søknaden gjelder ikke dette tiltaket.")})
    if not coverable_services(application).filter(pk=service.pk).exists():
        raise ValidationError({"service": _("IPS-tilbudet eies ikke av søkeren eller medsøkeren.")})
    if row.covered_services.filter(service=service).exists():
        raise ValidationError({"service": _("Tiltaket gjelder allerede dette IPS-tilbudet.")})
    with transaction.atomic():
        covered = writes.save(CoveredService(application_measure=row, service=service, recorded_by=actor), actor)
        report = AnnualReport.objects.filter(application=application).first()
        if report is not None and report.is_editable:
            _refresh(report, actor)
    return covered


# Pre-filling


def in_force_decision(application: Application) -> Decision | None:
    """The decision that holds: the latest approved or sent one (a replaced decision no longer holds)."""
    return (
        application.decisions.filter(status__in=[Decision.Status.APPROVED, Decision.Status.NOTIFIED])
        .order_by("-pk")
        .first()
    )


def _self_assessment(service_ids: tuple[int, ...], year: int) -> Decimal | None:
    """The average of the services' latest finalised self-assessment totals reviewed by the year's end (pkt. 6, C)."""
    from brobygger.fidelity.models import Review

    latest = (
        Review.objects.filter(
            service=OuterRef("pk"),
            review_type=Review.Type.SELF_ASSESSMENT,
            status=Review.Status.FINALISED,
            review_date__lte=date(year, 12, 31),
        )
        .order_by("-review_date", "-pk")
        .values("total")[:1]
    )
    average = (
        IpsService.objects.filter(pk__in=service_ids)
        .annotate(latest=Subquery(latest))
        .aggregate(value=Avg("latest"))["value"]
    )
    return None if average is None else Decimal(str(average))


def _specialist_fte(service_ids: tuple[int, ...]) -> Decimal | None:
    """Job specialists' FTEs in the services' units, as registered now (accounts keeps no history of positions)."""
    total = JobSpecialist.objects.filter(unit__service__in=service_ids).aggregate(fte=Sum("position_fraction"))["fte"]
    return None if total is None else Decimal(total)


def _one_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def statistics_figures(service_ids: tuple[int, ...], year: int) -> dict[str, Any]:
    """The statistics pages' figures for the services and year: the scope's total at service level."""
    if not service_ids:
        return {}
    period = ReportingPeriod.for_year(year)
    return indicators.report(period, Level.SERVICE, indicators.Scope(service_ids)).total.figures


def prefill(row: ApplicationMeasure, year: int) -> dict[str, Decimal | str | None]:
    """What the case data say for each question of the measure (None where they say nothing)."""
    service_ids = covered_service_ids(row)
    figures = statistics_figures(service_ids, year)
    named = {
        "team_type": row.get_team_type_display() if row.team_type else "",
        "specialist_fte": _specialist_fte(service_ids) if service_ids else None,
        "fidelity_self_assessment": _self_assessment(service_ids, year) if service_ids else None,
    }
    values: dict[str, Decimal | str | None] = {}
    for question in QUESTIONS[row.measure]:
        if question.source is None:
            values[question.key] = None
        elif question.source in named:
            value = named[question.source]
            values[question.key] = value if question.kind == TEXT else _one_decimal(value)
        else:
            values[question.key] = _one_decimal(figures.get(question.source)) if service_ids else None
    return values


def _fill(report: AnnualReport, actor: User | None) -> None:
    for row in report.application.measures.filter(measure__in=_granted_measures(report.decision)):
        for position, (key, value) in enumerate(prefill(row, report.year).items()):
            question = QUESTION_BY_KEY[(row.measure, key)]
            figure = ReportFigure(report=report, measure=row.measure, key=key, position=position)
            if question.kind == TEXT:
                figure.text = value or ""
            else:
                figure.prefilled = figure.value = value
            writes.save(figure, actor)


def _granted_measures(decision: Decision) -> list[str]:
    return list(decision.measures.filter(amount__gt=0).values_list("measure", flat=True))


def annual_report_prepare(*, actor: User | None, decision: Decision, on: date | None = None) -> AnnualReport:
    """The report for a granted decision, pre-filled once the grant's calendar year is over. ``actor`` is None when
    the daily reminder job prepares it."""
    if actor is not None:
        writes.require(access.can_prepare_report(actor, decision.application))
    today = on or timezone.localdate()
    year = decision.application.call.year
    if decision.total <= 0:
        raise ValidationError(_("Det skal bare rapporteres på tilskudd som er gitt."), code="refused")
    if today <= date(year, 12, 31):
        raise ValidationError(
            _("Årsrapporten for %(year)s kan lages når året er omme.") % {"year": year}, code="too_early"
        )
    if AnnualReport.objects.filter(application=decision.application).exists():
        raise ValidationError(_("Årsrapporten er allerede laget."), code="exists")
    with transaction.atomic():
        report = writes.save(
            AnnualReport(
                application=decision.application,
                decision=decision,
                year=year,
                due=decision.report_due,
                prefilled_at=timezone.now(),
            ),
            actor,
        )
        _fill(report, actor)
        for line in decision.application.budget_lines.order_by("pk"):
            writes.save(ReportAccountLine(report=report, budget_line=line), actor)
    return report


def _refresh(report: AnnualReport, actor: User | None) -> None:
    """Compute the pre-filled values again. A figure that was not corrected follows the new value; a correction
    stays, and its reason goes once the new pre-filled value agrees with it."""
    _unsign(report, actor)
    for row in report.application.measures.filter(measure__in=_granted_measures(report.decision)):
        for key, value in prefill(row, report.year).items():
            figure = report.figures.filter(measure=row.measure, key=key).first()
            if figure is None or QUESTION_BY_KEY[(row.measure, key)].kind == TEXT:
                continue
            before = snapshot(figure)
            if not figure.is_corrected:
                figure.value = value
            figure.prefilled = value
            if figure.value == value:
                figure.reason = ""
            writes.save(figure, actor, before)
    before = snapshot(report)
    report.prefilled_at = timezone.now()
    writes.save(report, actor, before)


def annual_report_refresh(*, actor: User, report: AnnualReport) -> AnnualReport:
    writes.require(access.can_edit_report(actor, report))
    with transaction.atomic():
        _refresh(report, actor)
    return report


def shown(question: Question, value: Decimal | None) -> str:
    """A figure as the statistics pages print it (``reporting.tables.format_value``), so the two read the same."""
    from brobygger.reporting.tables import format_value

    if question.source in indicators.MEASURES:
        return format_value(question.source, None if value is None else float(value))
    if value is None:
        return "–"
    return number_format(value, 0 if question.kind == COUNT else 1, use_l10n=True, force_grouping=True)


# Editing


def _unsign(report: AnnualReport, actor: User | None) -> None:
    """A signature confirms the report as it was signed: a change removes it, and the report is signed again."""
    for signature in report.signatures.all():
        writes.delete(signature, actor)


def _figure_value(raw: Any, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValidationError({field: _("Skriv et tall.")}) from None
    if not value.is_finite() or value < 0 or value > MAX_FIGURE:
        raise ValidationError({field: _("Tallet må være mellom 0 og 999 999 999.")})
    return value.quantize(Decimal("0.1"))


def annual_report_update(
    *,
    actor: User,
    report: AnnualReport,
    goal_achievement: str,
    figures: dict[int, dict[str, Any]],
    accounts: dict[int, dict[str, Any]],
) -> AnnualReport:
    """Save the applicant's answers: figures (``{figure id: {value, text, reason}}``), the accounts per budget line
    (``{line id: {spent, note}}``) and the goal achievement narrative. A pre-filled figure can be changed only with
    a reason; every error is reported at once and nothing is saved."""
    writes.require(access.can_edit_report(actor, report))
    errors: dict[str, str] = {}
    changed: list[tuple[Any, dict[str, Any]]] = []
    rows = {figure.pk: figure for figure in report.figures.all()}
    for pk, answer in figures.items():
        figure = rows.get(pk)
        if figure is None:
            raise ValidationError(_("Tallet hører ikke til rapporten."))
        field = f"figure_{pk}"
        if QUESTION_BY_KEY[(figure.measure, figure.key)].kind == TEXT:
            text = (answer.get("text") or "").strip()
            if text != figure.text:
                changed.append((figure, {"text": text}))
            continue
        try:
            value = _figure_value(answer.get("value"), field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        reason = (answer.get("reason") or "").strip()
        if figure.prefilled is not None and value != figure.prefilled and not reason:
            errors[f"reason_{pk}"] = _("Oppgi hvorfor du endrer det forhåndsutfylte tallet (%(prefilled)s).") % {
                "prefilled": figure.prefilled
            }
            continue
        if figure.prefilled is not None and value == figure.prefilled:
            reason = ""
        if value != figure.value or reason != figure.reason:
            changed.append((figure, {"value": value, "reason": reason, "corrected_by": actor}))
    lines = {line.pk: line for line in report.account_lines.select_related("budget_line")}
    for pk, answer in accounts.items():
        line = lines.get(pk)
        if line is None:
            raise ValidationError(_("Regnskapslinjen hører ikke til rapporten."))
        field = f"spent_{pk}"
        try:
            spent = writes.kroner(answer.get("spent"), field, allow_none=True)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        note = (answer.get("note") or "").strip()[:500]
        if spent != line.spent or note != line.note:
            changed.append((line, {"spent": spent, "note": note}))
    goal_achievement = (goal_achievement or "").strip()
    if len(goal_achievement) > 20000:
        errors["goal_achievement"] = _("Teksten kan være på høyst 20 000 tegn.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if changed or goal_achievement != report.goal_achievement:
            _unsign(report, actor)
        for obj, values in changed:
            before = snapshot(obj)
            for name, value in values.items():
                setattr(obj, name, value)
            writes.save(obj, actor, before)
        if goal_achievement != report.goal_achievement:
            before = snapshot(report)
            report.goal_achievement = goal_achievement
            writes.save(report, actor, before)
    return report


def report_sign(
    *, actor: User, report: AnnualReport, name: str, authority: str, title: str, signed_on: date
) -> ReportSignature:
    """As for the application (regelverket pkt. 4): the municipal director, the chair of the board, or someone with
    signing authority signs for the actor's organisation."""
    writes.require(access.can_edit_report(actor, report))
    organisation = actor.organisation
    errors = writes.signer_problems(
        organisation,
        authority,
        name,
        signed_on,
        chair_message=_("Rapporten signeres av styreleder eller den som har signeringsfullmakt."),
    )
    if "signed_on" not in errors and signed_on.year <= report.year:
        errors["signed_on"] = _("Rapporten signeres etter at rapporteringsåret er omme.")
    if report.signatures.filter(organisation=organisation).exists():
        errors["name"] = _("Rapporten er allerede signert for %(org)s.") % {"org": organisation}
    if errors:
        raise ValidationError(errors)
    signature = ReportSignature(
        report=report,
        organisation=organisation,
        name=name.strip(),
        authority=authority,
        title=(title or "").strip(),
        signed_on=signed_on,
        recorded_by=actor,
    )
    with transaction.atomic():
        return writes.save(signature, actor)


def missing_for_submission(report: AnnualReport) -> list[str]:
    """What the report still lacks, every item at once (regelverket pkt. 6)."""
    missing = []
    if not report.goal_achievement.strip():
        missing.append(_("Beskriv måloppnåelsen."))
    for figure in report.figures.all():
        question = QUESTION_BY_KEY[(figure.measure, figure.key)]
        empty = not figure.text.strip() if question.kind == TEXT else figure.value is None
        if empty:
            missing.append(
                _("Tiltak %(measure)s: svar på «%(question)s».")
                % {
                    "measure": figure.measure,
                    "question": question.label,
                }
            )
    if report.account_lines.filter(spent__isnull=True).exists():
        missing.append(_("Fyll inn regnskapet for hver budsjettlinje."))
    signed = set(report.signatures.values_list("organisation_id", flat=True))
    for organisation in report.application.organisations:
        if organisation.pk not in signed:
            missing.append(_("Rapporten er ikke signert for %(org)s.") % {"org": organisation})
    return missing


def annual_report_submit(*, actor: User, report: AnnualReport) -> AnnualReport:
    writes.require(access.can_submit_report(actor, report))
    missing = missing_for_submission(report)
    if missing:
        raise ValidationError(missing, code="incomplete")
    with transaction.atomic():
        before = snapshot(report)
        report.status = AnnualReport.Status.SUBMITTED
        report.submitted_at, report.submitted_by = timezone.now(), actor
        return writes.save(report, actor, before)


def annual_report_approve(*, actor: User, report: AnnualReport) -> AnnualReport:
    writes.require(access.can_review_report(actor, report))
    with transaction.atomic():
        before = snapshot(report)
        report.status = AnnualReport.Status.APPROVED
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        return writes.save(report, actor, before)


def annual_report_return(*, actor: User, report: AnnualReport, comment: str) -> AnnualReport:
    """Back to the applicant with what must change; they sign again what they send next time."""
    writes.require(access.can_review_report(actor, report))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Skriv hva som må endres.")})
    with transaction.atomic():
        _unsign(report, actor)
        before = snapshot(report)
        report.status = AnnualReport.Status.RETURNED
        report.review_comment = comment.strip()
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        return writes.save(report, actor, before)


# Money


def report_used_amount(report: AnnualReport) -> Decimal:
    return report.account_lines.aggregate(total=Sum("spent"))["total"] or Decimal(0)


def report_granted_amount(report: AnnualReport) -> Decimal:
    decision = in_force_decision(report.application) or report.decision
    return decision.total


def report_unused_amount(report: AnnualReport) -> Decimal:
    """Granted minus used per the accounts, never below zero: spending above the grant is the recipient's own
    funding, not a claim on the state. The overpayment handling (repay or offset) takes this amount."""
    unused = report_granted_amount(report) - report_used_amount(report)
    return min(max(unused, Decimal(0)), MAX_KRONER)


# Deadlines


def is_late(report: AnnualReport | None, due: date, today: date | None = None) -> bool:
    """Past the due date and not submitted (a returned report counts as not submitted)."""
    today = today or timezone.localdate()
    not_in = report is None or report.status in {AnnualReport.Status.DRAFT, AnnualReport.Status.RETURNED}
    return not_in and today > due


def granted_decisions():
    """Decisions in force with money granted: the ones a report is owed for."""
    return (
        Decision.objects.filter(status=Decision.Status.NOTIFIED, total__gt=0)
        .exclude(application__status=Application.Status.SUPERSEDED)
        .select_related("application__organisation", "application__call")
    )


@dataclass(frozen=True)
class ReportRow:
    decision: Decision
    report: AnnualReport | None
    late: bool


def report_rows(decisions, today: date | None = None) -> list[ReportRow]:
    """One row per granted decision: its report (or none yet) and whether it is late."""
    today = today or timezone.localdate()
    reports = {
        r.application_id: r for r in AnnualReport.objects.filter(application__in=[d.application_id for d in decisions])
    }
    rows = []
    for decision in decisions:
        report = reports.get(decision.application_id)
        rows.append(ReportRow(decision, report, is_late(report, decision.report_due, today)))
    return rows


# Reminders


def reminder_kind(due: date, today: date) -> str | None:
    """Which reminder is owed on ``today``: from 30 days before the deadline the first, from 7 days the second.
    A day the job did not run is caught up the next day; the constraint keeps each to one."""
    days_left = (due - today).days
    if 0 <= days_left <= REMINDER_DAYS[ReportReminder.Kind.DAYS_7]:
        return ReportReminder.Kind.DAYS_7
    if REMINDER_DAYS[ReportReminder.Kind.DAYS_7] < days_left <= REMINDER_DAYS[ReportReminder.Kind.DAYS_30]:
        return ReportReminder.Kind.DAYS_30
    return None


def reminders_due(today: date) -> list[int]:
    """Decisions whose report is owed a reminder today (the task checks again before sending)."""
    window = (today, today + timedelta(days=REMINDER_DAYS[ReportReminder.Kind.DAYS_30]))
    return list(granted_decisions().filter(report_due__range=window).values_list("pk", flat=True))


def reminder_send(*, decision: Decision, today: date) -> ReportReminder | None:
    """E-mail the recipients the reminder owed today, once: the row and the e-mail go in one transaction, and a
    second run (or a restarted worker) meets the unique constraint and sends nothing."""
    kind = reminder_kind(decision.report_due, today)
    if kind is None:
        return None
    report = AnnualReport.objects.filter(application=decision.application).first()
    if report is None:
        report = annual_report_prepare(actor=None, decision=decision, on=today)
    if not report.is_editable:
        return None
    recipients = applicant_recipients(report.application)
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(report=report, kind=kind, sent_on=today, sent_to=recipients)
            record_event(actor=None, action=AuditEvent.Action.CREATE, obj=reminder, after=snapshot(reminder))
            if recipients:
                subject, body = _reminder_message(report, kind)
                send_mail(subject, body, None, recipients)
    except IntegrityError:
        return None
    return reminder


def _reminder_message(report: AnnualReport, kind: str) -> tuple[str, str]:
    days = REMINDER_DAYS[kind]
    subject = _("Påminnelse: årsrapport for tilskudd til IPS %(year)s, frist %(due)s") % {
        "year": report.year,
        "due": f"{report.due:%d.%m.%Y}",
    }
    body = "\n".join(
        [
            _("Årsrapporten for «%(title)s» skal sendes inn innen %(due)s (om %(days)s dager).")
            % {"title": report.application.title, "due": f"{report.due:%d.%m.%Y}", "days": days},
            _(
                "Rapporten er forhåndsutfylt med tallene fra IPS-tilbudene. Kontroller tallene, fyll inn regnskapet, "
                "signer og send inn."
            ),
            "",
            settings.SITE_URL + reverse("grants_report", args=[report.pk]),
            "",
            _("Helsedirektoratet, regelverk for tilskuddsordningen pkt. 6."),
        ]
    )
    return subject, body
