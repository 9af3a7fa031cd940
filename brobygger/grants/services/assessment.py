"""Assessment and allocation: impartiality (fvl. § 6), each measure's ceiling and priority from the rules, the
proposed amounts, the allocation against the call's frame, and the recommendation (*innstilling*) up to approval."""

import contextlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygger.accounts.models import Role, User
from brobygger.audit.services import snapshot
from brobygger.grants import access, writes
from brobygger.grants.models import (
    Application,
    ApplicationMeasure,
    AssessedMeasure,
    Assessment,
    Call,
    ImpartialityDeclaration,
    Measure,
    Recommendation,
)
from brobygger.grants.services.applications import project_year
from brobygger.grants.services.calls import rules_on
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

MEASURE_RULES = {Measure.A: "tilskudd-tiltak-a", Measure.B: "tilskudd-tiltak-b", Measure.C: "tilskudd-tiltak-c"}


def impartiality_declare(
    *, actor: User, application: Application, conflict: bool, explanation: str = "", hand_to: User | None = None
) -> ImpartialityDeclaration:
    """Declare impartiality (fvl. § 6) before assessing. A conflict hands the case to another grant officer."""
    writes.require(access.can_process(actor))
    if application.declarations.filter(officer=actor).exists():
        raise ValidationError(_("Du har allerede erklært habilitet i denne saken."), code="duplicate")
    if conflict:
        if not (explanation or "").strip():
            raise ValidationError({"explanation": _("Forklar hvorfor du er inhabil.")})
        if hand_to is None or hand_to.pk == actor.pk or not access.is_officer(hand_to):
            raise ValidationError({"hand_to": _("Velg en annen tilskuddsforvalter som skal overta saken.")})
        if application.declarations.filter(officer=hand_to, conflict=True).exists():
            raise ValidationError({"hand_to": _("Den du valgte, har selv erklært seg inhabil i saken.")})
    declaration = ImpartialityDeclaration(
        application=application,
        officer=actor,
        conflict=conflict,
        explanation=(explanation or "").strip(),
        handed_to=hand_to if conflict else None,
    )
    with transaction.atomic():
        writes.save(declaration, actor)
        before = snapshot(application)
        if conflict:
            application.assigned_officer = hand_to
        elif application.assigned_officer_id is None:
            application.assigned_officer = actor
        if snapshot(application) != before:
            writes.save(application, actor, before)
    return declaration


def _measure_facts(row: ApplicationMeasure, on: date) -> dict[str, Any]:
    facts: dict[str, Any] = {"on": on}
    if row.measure == Measure.A:
        facts |= {
            "earlier_scheme_project_year": row.earlier_scheme_project_year,
            "salary_costs_only": row.salary_costs_only,
        }
    elif row.measure == Measure.B:
        facts |= {
            "well_established": row.well_established,
            "staff_health_or_social_education": row.staff_health_or_social_education,
            "staff_ips_experience_years": row.staff_ips_experience_years,
            "staff_training_experience": row.staff_training_experience,
            "covers_tasks": row.covers_tasks,
        }
    else:
        facts |= {
            "team_type": row.team_type,
            "out_of_act_fact_scheme": row.out_of_act_fact_scheme,
            "specialist_in_health_service": row.specialist_in_health_service,
            "salary_costs_only": row.salary_costs_only,
            "act_fact_grant_year": row.act_fact_grant_year,
        }
    return facts


@dataclass(frozen=True)
class MeasureCeiling:
    row: ApplicationMeasure
    project_year: int
    eligibility: RuleResult
    amount: RuleResult
    ceiling: Decimal
    requested: Decimal

    @property
    def eligible(self) -> bool:
        return self.eligibility.outcome == "oppfylt"


def measure_ceiling(row: ApplicationMeasure) -> MeasureCeiling:
    """The rules' verdict on a measure, and the ceiling for its project year and FTE.

    B's training and competence measures come on top of the salary ceiling (pkt. 5), up to what was applied for.
    """
    application = row.application
    on = rules_on(application.call)
    year = project_year(application.organisation, row.measure, application.call.year)
    eligibility = rule_evaluate(rule_id=MEASURE_RULES[Measure(row.measure)], inputs=_measure_facts(row, on))
    fte = row.fte
    if fte > 0:
        amount = rule_evaluate(
            rule_id="tilskudd-maksbelop",
            inputs={
                "on": on,
                "measure": row.measure,
                "project_year": year,
                "fte": fte,
                "requested_amount": int(row.requested_amount),
            },
        )
        salary_ceiling = Decimal(amount.details["max_amount"])
    else:
        amount = rule_evaluate(
            rule_id="tilskudd-maksbelop", inputs={"on": on, "measure": row.measure, "project_year": year, "fte": 1}
        )
        salary_ceiling = Decimal(0)
    ceiling = salary_ceiling + (row.training_amount if row.measure == Measure.B and salary_ceiling else 0)
    requested = row.requested_amount + (row.training_amount if row.measure == Measure.B else 0)
    return MeasureCeiling(row, year, eligibility, amount, ceiling, requested)


def application_priority(application: Application) -> RuleResult:
    """The application's priority from the rules: its most important measure decides (A and B before C)."""
    on = rules_on(application.call)
    results = [
        rule_evaluate(
            rule_id="tilskudd-prioritet",
            inputs={"on": on, "measure": row.measure, "team_out_of_act_fact_scheme": row.out_of_act_fact_scheme},
        )
        for row in application.measures.all()
    ]
    return min(results, key=lambda r: (r.details["priority"], r.details["within_priority"]))


def application_assess(
    *,
    actor: User,
    application: Application,
    criteria: str,
    proposals: dict[str, tuple[Any, str]],
    conditions: str = "",
    refusal_reasons: str = "",
    refusal_citations: str = "",
) -> Assessment:
    """Assess an application: the criteria, each measure's proposed amount (at most the ceiling from the rules,
    a reduction with its reason), conditions, and for a refusal the reasons with their citations.

    The outcome follows from the amounts: nothing is a refusal, all that was applied for a grant, else partly.
    """
    writes.require(access.can_assess(actor, application))
    if (
        hasattr(application, "assessment")
        and application.call.recommendations.filter(
            status__in=[Recommendation.Status.SUBMITTED, Recommendation.Status.APPROVED]
        ).exists()
    ):
        raise ValidationError(_("Innstillingen for utlysningen er sendt; vurderingen kan ikke endres nå."))
    errors: dict[str, str] = {}
    if not (criteria or "").strip():
        errors["criteria"] = _("Skriv vurderingen etter tildelingskriteriene.")
    ceilings = {row.measure: measure_ceiling(row) for row in application.measures.prefetch_related("positions")}
    amounts: dict[str, tuple[Decimal, str]] = {}
    for measure, computed in ceilings.items():
        amount_raw, reason = proposals.get(measure, (None, ""))
        field = f"amount_{measure}"
        try:
            amount = writes.kroner(amount_raw, field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        reason = (reason or "").strip()
        if amount > computed.ceiling:
            errors[field] = _(
                "Tiltak %(measure)s: foreslått beløp kan ikke være over høyeste tilskudd, %(ceiling)s kr."
            ) % {"measure": measure, "ceiling": writes.thousands(computed.ceiling)}
        elif amount > computed.requested:
            errors[field] = _("Tiltak %(measure)s: foreslått beløp kan ikke være over det omsøkte.") % {
                "measure": measure
            }
        elif amount and not computed.eligible:
            errors[field] = _("Tiltak %(measure)s oppfyller ikke vilkårene i regelverket og kan ikke gis tilskudd.") % {
                "measure": measure
            }
        elif amount < computed.requested and not reason:
            if not computed.eligible:
                reason = " ".join(r.text for r in computed.eligibility.reasons if not r.passed)
            else:
                errors[f"reason_{measure}"] = _("Tiltak %(measure)s: skriv hvorfor beløpet er lavere enn omsøkt.") % {
                    "measure": measure
                }
        amounts[measure] = (amount, reason)
    total = sum((a for a, _reason in amounts.values()), Decimal(0))
    if not errors and not total:
        if not (refusal_reasons or "").strip():
            errors["refusal_reasons"] = _("Et avslag må begrunnes.")
        if not (refusal_citations or "").strip():
            errors["refusal_citations"] = _("Oppgi hjemmelen for avslaget (for eksempel regelverket pkt. 5).")
    if errors:
        raise ValidationError(errors)
    requested = sum((c.requested for c in ceilings.values()), Decimal(0))
    outcome = (
        Assessment.Outcome.REFUSE
        if not total
        else Assessment.Outcome.GRANT
        if total == requested
        else Assessment.Outcome.PARTLY
    )
    priority = application_priority(application)
    with transaction.atomic():
        existing = getattr(application, "assessment", None)
        before = snapshot(existing) if existing else None
        assessment = existing or Assessment(application=application)
        assessment.assessor = actor
        assessment.criteria = criteria.strip()
        assessment.priority = priority.details["priority"]
        assessment.within_priority = priority.details["within_priority"]
        assessment.priority_result = priority.to_dict()
        assessment.outcome = outcome
        assessment.conditions = (conditions or "").strip()
        assessment.refusal_reasons = (refusal_reasons or "").strip()
        assessment.refusal_citations = (refusal_citations or "").strip()
        writes.save(assessment, actor, before)
        for measure, computed in ceilings.items():
            amount, reason = amounts[measure]
            row_before = None
            assessed = AssessedMeasure.objects.filter(application_measure=computed.row).first()
            if assessed:
                row_before = snapshot(assessed)
            else:
                assessed = AssessedMeasure(assessment=assessment, application_measure=computed.row)
            assessed.eligibility_result = computed.eligibility.to_dict()
            assessed.amount_result = computed.amount.to_dict()
            assessed.ceiling = computed.ceiling
            assessed.proposed_amount = amount
            assessed.reduction_reason = reason
            writes.save(assessed, actor, row_before)
            computed.row.project_year = computed.project_year
            computed.row.save(update_fields=["project_year"])
        app_before = snapshot(application)
        application.status = Application.Status.ASSESSED
        writes.save(application, actor, app_before)
    return assessment


def current_applications(call: Call):
    """The applications that count for the call: submitted or later, not superseded by a newer version."""
    return call.applications.exclude(status__in=[Application.Status.DRAFT, Application.Status.SUPERSEDED])


@dataclass(frozen=True)
class AllocationRow:
    application: Application
    assessed: AssessedMeasure | None
    measure: str
    priority: int | None
    within_priority: int | None
    ceiling: Decimal | None
    proposed: Decimal
    running_total: Decimal


def allocation(call: Call) -> list[AllocationRow]:
    """Every application and measure of the call in priority order, with the running sum of proposed amounts."""
    rows = []
    applications = (
        current_applications(call)
        .select_related("organisation", "partner", "assessment")
        .prefetch_related("measures__assessed")
    )
    for application in applications:
        assessment = getattr(application, "assessment", None)
        for row in application.measures.all():
            assessed = getattr(row, "assessed", None)
            rows.append((application, assessment, row, assessed))

    def order(item):
        application, assessment, row, _assessed = item
        if assessment is None:
            return (9, 9, application.organisation.name, row.measure)
        return (assessment.priority, assessment.within_priority, application.organisation.name, row.measure)

    running = Decimal(0)
    result = []
    for application, assessment, row, assessed in sorted(rows, key=order):
        proposed = assessed.proposed_amount if assessed else Decimal(0)
        running += proposed
        result.append(
            AllocationRow(
                application=application,
                assessed=assessed,
                measure=row.measure,
                priority=assessment.priority if assessment else None,
                within_priority=assessment.within_priority if assessment else None,
                ceiling=assessed.ceiling if assessed else None,
                proposed=proposed,
                running_total=running,
            )
        )
    return result


def allocation_preview(call: Call, amounts: dict[int, Any]) -> tuple[list[AllocationRow], Decimal]:
    """The allocation as it would be with the amounts being typed, saving nothing: the running sum for the page.
    An amount that is not whole kroner within bounds counts as what is saved."""
    rows = []
    running = Decimal(0)
    for row in allocation(call):
        proposed = row.proposed
        if row.assessed is not None and row.assessed.pk in amounts:
            with contextlib.suppress(ValidationError):
                proposed = writes.kroner(amounts[row.assessed.pk], "amount")
        running += proposed
        rows.append(
            AllocationRow(
                application=row.application,
                assessed=row.assessed,
                measure=row.measure,
                priority=row.priority,
                within_priority=row.within_priority,
                ceiling=row.ceiling,
                proposed=proposed,
                running_total=running,
            )
        )
    return rows, running


def _pending_recommendation(call: Call) -> bool:
    return call.recommendations.filter(
        status__in=[Recommendation.Status.SUBMITTED, Recommendation.Status.APPROVED]
    ).exists()


def allocation_update(*, actor: User, call: Call, amounts: dict[int, Any], reason: str = "") -> Decimal:
    """Change proposed amounts on the allocation page. Refused as a whole when any amount is above its ceiling or
    the sum is above the call's budget frame."""
    writes.require(access.can_process(actor))
    if _pending_recommendation(call):
        raise ValidationError(_("Innstillingen er sendt; fordelingen kan ikke endres nå."), code="status")
    assessed = {
        row.pk: row
        for row in AssessedMeasure.objects.filter(
            assessment__application__in=current_applications(call)
        ).select_related("application_measure")
    }
    errors: dict[str, str] = {}
    new: dict[int, Decimal] = {}
    for pk, raw in amounts.items():
        field = f"amount_{pk}"
        if pk not in assessed:
            errors[field] = _("Ukjent tiltak i fordelingen.")
            continue
        try:
            value = writes.kroner(raw, field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        if value > assessed[pk].ceiling:
            errors[field] = _("Beløpet kan ikke være over høyeste tilskudd, %(ceiling)s kr.") % {
                "ceiling": writes.thousands(assessed[pk].ceiling)
            }
        new[pk] = value
    if errors:
        raise ValidationError(errors)
    total = sum((new.get(pk, row.proposed_amount) for pk, row in assessed.items()), Decimal(0))
    if total > call.budget_frame:
        raise ValidationError(
            _("Summen %(total)s kr er over budsjettrammen på %(frame)s kr.")
            % {"total": writes.thousands(total), "frame": writes.thousands(call.budget_frame)},
            code="frame",
        )
    with transaction.atomic():
        for pk, value in new.items():
            row = assessed[pk]
            if value == row.proposed_amount:
                continue
            before = snapshot(row)
            lowered = value < row.proposed_amount
            row.proposed_amount = value
            if lowered and (reason or not row.reduction_reason):
                row.reduction_reason = (reason or "").strip() or _(
                    "Avkortet for å holde innstillingen innenfor budsjettrammen."
                )
            writes.save(row, actor, before)
    return total


def recommendation_submit(*, actor: User, call: Call) -> Recommendation:
    """Submit the call's recommendation for approval: every application assessed and the sum within the frame."""
    writes.require(access.can_process(actor))
    if _pending_recommendation(call):
        raise ValidationError(_("Utlysningen har allerede en innstilling til godkjenning eller godkjent."))
    unassessed = current_applications(call).filter(status=Application.Status.SUBMITTED).count()
    if unassessed:
        raise ValidationError(
            ngettext("%(count)s søknad er ikke vurdert ennå.", "%(count)s søknader er ikke vurdert ennå.", unassessed)
            % {"count": unassessed},
            code="unassessed",
        )
    rows = allocation(call)
    if not rows:
        raise ValidationError(_("Det er ingen vurderte søknader å innstille."))
    total = rows[-1].running_total
    if total > call.budget_frame:
        raise ValidationError(
            _("Innstillingen på %(total)s kr er over budsjettrammen på %(frame)s kr.")
            % {"total": writes.thousands(total), "frame": writes.thousands(call.budget_frame)},
            code="frame",
        )
    recommendation = Recommendation(
        call=call,
        total=total,
        submitted_by=actor,
        allocation=[
            {
                "application": r.application.pk,
                "measure": r.measure,
                "ceiling": str(r.ceiling),
                "amount": str(r.proposed),
            }
            for r in rows
        ],
    )
    with transaction.atomic():
        return writes.save(recommendation, actor, exclude=["submitted_at"])


def recommendation_return(*, actor: User, recommendation: Recommendation, comment: str) -> Recommendation:
    writes.four_eyes(actor, recommendation.submitted_by, _("Du kan ikke behandle en innstilling du selv har sendt."))
    if recommendation.status != Recommendation.Status.SUBMITTED:
        raise ValidationError(_("Innstillingen er allerede behandlet."), code="status")
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Skriv hva som må endres.")})
    with transaction.atomic():
        before = snapshot(recommendation)
        recommendation.status = Recommendation.Status.RETURNED
        recommendation.decided_by, recommendation.decided_at = actor, timezone.now()
        recommendation.comment = comment.strip()
        return writes.save(recommendation, actor, before)


def officers_except(user: User):
    """Grant officers who can take over a case from ``user``."""
    return User.objects.filter(role=Role.GRANT_OFFICER, is_active=True).exclude(pk=user.pk)
