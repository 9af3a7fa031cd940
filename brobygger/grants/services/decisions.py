"""Decisions (*enkeltvedtak*): made from an approved recommendation or prepared one at a time, approved by a
second person, and sent as a letter from which the appeal deadline runs."""

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import Role, User
from brobygger.audit.services import snapshot
from brobygger.grants import access, letters, writes
from brobygger.grants.models import (
    Application,
    Call,
    Decision,
    DecisionLetter,
    DecisionMeasure,
    Recommendation,
)
from brobygger.grants.services.assessment import current_applications, measure_ceiling
from brobygger.grants.services.calls import rules_on
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

LEGAL_BASIS = (
    "Stortingets vedtak om statsbudsjettet, kap. 765 post 73; Regelverk for tilskuddsordningen «Individuell "
    "jobbstøtte (IPS) i helse- og omsorgstjenesten»; reglement for økonomistyring i staten, kap. 6.3; "
    "forvaltningsloven kap. IV–VI."
)


def _report_due(call: Call) -> RuleResult:
    return rule_evaluate(rule_id="rapportfrist", inputs={"on": rules_on(call), "grant_year": call.year})


def _decision_reasons(application: Application) -> str:
    assessment = application.assessment
    parts = [assessment.criteria]
    for assessed in assessment.measures.select_related("application_measure"):
        if assessed.reduction_reason:
            parts.append(
                _("Tiltak %(measure)s: %(reason)s")
                % {"measure": assessed.application_measure.measure, "reason": assessed.reduction_reason}
            )
    if assessment.refusal_reasons:
        parts.append(f"{assessment.refusal_reasons} ({assessment.refusal_citations})")
    return "\n\n".join(parts)


def _outcome(amounts: dict[str, Decimal], requested: Decimal) -> str:
    total = sum(amounts.values(), Decimal(0))
    if not total:
        return Decision.Outcome.REFUSED
    return Decision.Outcome.GRANTED if total >= requested else Decision.Outcome.PARTLY


def recommendation_approve(*, actor: User, recommendation: Recommendation) -> list[Decision]:
    """Approve the recommendation: one individual decision per application, prepared by the officer who submitted
    it and approved by the approver, never the same person."""
    writes.four_eyes(actor, recommendation.submitted_by, _("Du kan ikke godkjenne en innstilling du selv har sendt."))
    if recommendation.status != Recommendation.Status.SUBMITTED:
        raise ValidationError(_("Innstillingen er allerede behandlet."), code="status")
    call = recommendation.call
    due = _report_due(call)
    decisions = []
    with transaction.atomic():
        before = snapshot(recommendation)
        recommendation.status = Recommendation.Status.APPROVED
        recommendation.decided_by, recommendation.decided_at = actor, timezone.now()
        writes.save(recommendation, actor, before)
        for application in current_applications(call).filter(status=Application.Status.ASSESSED):
            assessment = application.assessment
            measures = list(assessment.measures.select_related("application_measure"))
            amounts = {m.application_measure.measure: m.proposed_amount for m in measures}
            requested = sum((measure_ceiling(m.application_measure).requested for m in measures), Decimal(0))
            decision = Decision(
                application=application,
                status=Decision.Status.APPROVED,
                outcome=_outcome(amounts, requested),
                total=sum(amounts.values(), Decimal(0)),
                conditions=assessment.conditions,
                reasons=_decision_reasons(application),
                legal_basis=LEGAL_BASIS,
                report_due=due.details["due_date"],
                report_result=due.to_dict(),
                prepared_by=recommendation.submitted_by,
                approved_by=actor,
                approved_at=timezone.now(),
            )
            writes.save(decision, actor, exclude=["prepared_at"])
            for m in measures:
                writes.save(
                    DecisionMeasure(
                        decision=decision,
                        measure=m.application_measure.measure,
                        ceiling=m.ceiling,
                        amount=m.proposed_amount,
                        project_year=m.application_measure.project_year or 1,
                    ),
                    actor,
                )
            app_before = snapshot(application)
            application.status = Application.Status.DECIDED
            writes.save(application, actor, app_before)
            decisions.append(decision)
    return decisions


def decision_prepare(
    *,
    actor: User,
    replaces: Decision,
    amounts: dict[str, Any],
    reasons: str,
    conditions: str | None = None,
) -> Decision:
    """A new decision replacing one already sent (after an appeal or a correction); it needs an approver."""
    writes.require(access.can_process(actor))
    if replaces.status != Decision.Status.NOTIFIED:
        raise ValidationError(_("Bare et vedtak som er sendt søkeren, kan erstattes av et nytt."), code="status")
    if hasattr(replaces, "replaced_by"):
        raise ValidationError(_("Vedtaket er allerede erstattet."), code="status")
    errors: dict[str, str] = {}
    checked: dict[str, Decimal] = {}
    old = {m.measure: m for m in replaces.measures.all()}
    for measure, row in old.items():
        field = f"amount_{measure}"
        try:
            value = writes.kroner(amounts.get(measure, row.amount), field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        if value > row.ceiling:
            errors[field] = _("Tiltak %(measure)s: beløpet kan ikke være over høyeste tilskudd, %(ceiling)s kr.") % {
                "measure": measure,
                "ceiling": writes.thousands(row.ceiling),
            }
        checked[measure] = value
    if not (reasons or "").strip():
        errors["reasons"] = _("Et nytt vedtak må begrunnes.")
    if errors:
        raise ValidationError(errors)
    requested = sum((measure_ceiling(row).requested for row in replaces.application.measures.all()), Decimal(0))
    decision = Decision(
        application=replaces.application,
        replaces=replaces,
        status=Decision.Status.PREPARED,
        outcome=_outcome(checked, requested),
        total=sum(checked.values(), Decimal(0)),
        conditions=replaces.conditions if conditions is None else conditions.strip(),
        reasons=reasons.strip(),
        legal_basis=replaces.legal_basis,
        report_due=replaces.report_due,
        report_result=replaces.report_result,
        prepared_by=actor,
    )
    with transaction.atomic():
        writes.save(decision, actor, exclude=["prepared_at"])
        for measure, value in checked.items():
            writes.save(
                DecisionMeasure(
                    decision=decision,
                    measure=measure,
                    ceiling=old[measure].ceiling,
                    amount=value,
                    project_year=old[measure].project_year,
                ),
                actor,
            )
    return decision


def decision_approve(*, actor: User, decision: Decision) -> Decision:
    """Approve a prepared decision; whoever prepared it cannot. The decision it replaces is marked replaced."""
    writes.four_eyes(actor, decision.prepared_by, _("Du kan ikke godkjenne et vedtak du selv har forberedt."))
    if decision.status != Decision.Status.PREPARED:
        raise ValidationError(_("Vedtaket er allerede godkjent."), code="status")
    with transaction.atomic():
        before = snapshot(decision)
        decision.status = Decision.Status.APPROVED
        decision.approved_by, decision.approved_at = actor, timezone.now()
        writes.save(decision, actor, before)
        if decision.replaces_id:
            old = decision.replaces
            old_before = snapshot(old)
            old.status = Decision.Status.REPLACED
            writes.save(old, actor, old_before)
    return decision


def appeal_deadline(notified_on: date, on: date | None = None) -> RuleResult:
    """Three weeks from notification (fvl. § 29), moved past weekends and public holidays (rules.deadlines)."""
    return rule_evaluate(rule_id="klagefrist", inputs={"on": on or notified_on, "notified_on": notified_on})


def applicant_recipients(application: Application) -> list[str]:
    return sorted(
        User.objects.filter(organisation__in=application.organisations, role=Role.APPLICANT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def decision_send(*, actor: User, decision: Decision, on: date | None = None, email: bool = True) -> DecisionLetter:
    """Make the letter (a PDF in bokmål), store it with its checksum, e-mail it to the applicant's users and record
    the notification date, from which the appeal deadline runs. An e-mailed letter reaches them the day it is sent.
    ``email=False`` stores the letter without e-mailing it: the demo's letters go to nobody."""
    writes.require(access.can_process(actor))
    if decision.status != Decision.Status.APPROVED:
        raise ValidationError(_("Bare et godkjent vedtak som ikke er sendt, kan sendes."), code="status")
    notified_on = on or timezone.localdate()
    deadline = appeal_deadline(notified_on)
    pdf = letters.decision_letter_pdf(decision, notified_on=notified_on, appeal=deadline)
    recipients = applicant_recipients(decision.application)
    with transaction.atomic():
        letter = DecisionLetter(
            decision=decision,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            sent_to=recipients,
            notified_on=notified_on,
            appeal_deadline=deadline.details["deadline"],
            appeal_result=deadline.to_dict(),
            sent_by=actor,
        )
        writes.save(letter, actor, exclude=["created_at"])
        before = snapshot(decision)
        decision.status = Decision.Status.NOTIFIED
        writes.save(decision, actor, before)
        if recipients and email:
            transaction.on_commit(lambda: letters.email_letter(letter, recipients))
    return letter
