"""Applications (*søknader*): drafts and their parts, the checklist (``tilskudd-soknad-komplett``), submission,
new versions, and the history from before the system that gives the project year."""

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import Organisation, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.grants import access, writes
from brobygger.grants.models import (
    Application,
    ApplicationMeasure,
    Attachment,
    BudgetLine,
    Call,
    Decision,
    DecisionMeasure,
    EarlierGrant,
    Measure,
    Milestone,
    Position,
    Signature,
)
from brobygger.grants.services.calls import rules_on
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


PDF_MAGIC = b"%PDF-"


MUNICIPALITY = Organisation.Type.MUNICIPALITY


HEALTH_TRUSTS = frozenset({Organisation.Type.HEALTH_TRUST, Organisation.Type.RHF})


# How Brobygger's organisation types map to the applicant types of the regulation (pkt. 3).
APPLICANT_TYPES = {
    Organisation.Type.MUNICIPALITY: "kommune",
    Organisation.Type.HEALTH_TRUST: "statlig_foretak",
    Organisation.Type.RHF: "statlig_foretak",
    Organisation.Type.COUNTY_AUTHORITY: "fylkeskommune",
    Organisation.Type.INTER_MUNICIPAL_COMPANY: "interkommunalt_selskap",
    Organisation.Type.VOLUNTARY: "frivillig_ideell",
    Organisation.Type.PRIVATE: "bedrift",
}


def applicant_eligibility(organisation: Organisation, on: date) -> RuleResult | None:
    """Whether the organisation may get the grant (pkt. 3); None for a kind of body the regulation does not name."""
    applicant_type = APPLICANT_TYPES.get(organisation.org_type)
    if applicant_type is None:
        return None
    return rule_evaluate(rule_id="tilskudd-soker", inputs={"on": on, "applicant_type": applicant_type})


def _check_applicant(organisation: Organisation, on: date, field: str) -> None:
    result = applicant_eligibility(organisation, on)
    if result is None or result.outcome != "kan_soke":
        text = result.reasons[0].text if result else _("Bare kommuner og helseforetak kan få tilskudd.")
        raise ValidationError({field: text})


def application_create(*, actor: User, call: Call, title: str, partner: Organisation | None = None) -> Application:
    """A draft for the applicant's own organisation; a partner makes it a joint application (measure C)."""
    writes.require(access.can_apply(actor, call))
    organisation = actor.organisation
    _check_applicant(organisation, rules_on(call), "organisation")
    if partner is not None:
        if partner.pk == organisation.pk:
            raise ValidationError({"partner": _("Medsøkeren må være en annen organisasjon enn søkeren.")})
        _check_applicant(partner, rules_on(call), "partner")
    if not title.strip():
        raise ValidationError({"title": _("Søknaden må ha en tittel.")})
    application = Application(
        call=call, organisation=organisation, partner=partner, title=title.strip(), created_by=actor
    )
    with transaction.atomic():
        return writes.save(application, actor)


TEXT_FIELDS = (
    "title",
    "goals",
    "project_description",
    "need",
    "award_criteria",
    "co_funding_text",
    "own_funding_text",
    "control_measures",
    "risk_assessment",
)


def application_update(*, actor: User, application: Application, **fields: Any) -> Application:
    """Change a draft's texts and funding. Unknown fields are refused rather than ignored."""
    writes.require(access.can_edit_application(actor, application))
    unknown = set(fields) - set(TEXT_FIELDS) - {"co_funding_amount", "own_funding_amount", "partner"}
    if unknown:
        raise ValidationError(_("Ukjente felt: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    amounts = {
        name: writes.kroner(fields[name], name, allow_none=True)
        for name in ("co_funding_amount", "own_funding_amount")
        if name in fields
    }
    if "partner" in fields and fields["partner"] is not None:
        if fields["partner"].pk == application.organisation_id:
            raise ValidationError({"partner": _("Medsøkeren må være en annen organisasjon enn søkeren.")})
        _check_applicant(fields["partner"], rules_on(application.call), "partner")
    with transaction.atomic():
        before = snapshot(application)
        for name in TEXT_FIELDS:
            if name in fields:
                setattr(application, name, (fields[name] or "").strip())
        for name, amount in amounts.items():
            setattr(application, name, amount)
        if "partner" in fields:
            application.partner = fields["partner"]
        return writes.save(application, actor, before)


MEASURE_FIELDS = {
    Measure.A: ("earlier_scheme_project_year", "salary_costs_only"),
    Measure.B: (
        "area",
        "staff_qualifications",
        "staff_health_or_social_education",
        "staff_ips_experience_years",
        "staff_training_experience",
        "well_established",
        "covers_tasks",
        "training_measures",
        "training_amount",
    ),
    Measure.C: (
        "team_type",
        "out_of_act_fact_scheme",
        "act_fact_grant_year",
        "specialist_in_health_service",
        "management_anchoring",
        "salary_costs_only",
    ),
}


def _positions(positions: Iterable[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    checked = []
    for index, (title, fte) in enumerate(positions, start=1):
        try:
            fraction = Decimal(str(fte).replace(",", "."))
        except InvalidOperation:
            raise ValidationError({"positions": _("Stillingsandelen må være et tall.")}) from None
        if not Decimal(0) < fraction <= Decimal(1):
            raise ValidationError(
                {"positions": _("Stilling %(n)s: stillingsandelen må være over 0 og høyst 1.") % {"n": index}}
            )
        if fraction != fraction.quantize(Decimal("0.01")):
            raise ValidationError(
                {"positions": _("Stilling %(n)s: stillingsandelen kan ha høyst to desimaler.") % {"n": index}}
            )
        if not (title or "").strip():
            raise ValidationError({"positions": _("Stilling %(n)s må ha en betegnelse.") % {"n": index}})
        checked.append((title.strip(), fraction))
    return checked


def application_measure_set(
    *,
    actor: User,
    application: Application,
    measure: str,
    requested_amount: Any,
    positions: Iterable[tuple[str, Any]] = (),
    **fields: Any,
) -> ApplicationMeasure:
    """Add or replace one measure with its positions (each 0-1 FTE) and the facts the regulation asks of it."""
    writes.require(access.can_edit_application(actor, application))
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Velg tiltak A, B eller C.")})
    if measure not in application.call.measures_open:
        raise ValidationError(
            {"measure": _("Tiltak %(measure)s er ikke åpent i denne utlysningen.") % {"measure": measure}}
        )
    unknown = set(fields) - set(MEASURE_FIELDS[Measure(measure)])
    if unknown:
        raise ValidationError(_("Ukjente felt for tiltaket: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    amount = writes.kroner(requested_amount, "requested_amount")
    if "training_amount" in fields:
        fields["training_amount"] = writes.kroner(fields["training_amount"], "training_amount")
    checked = _positions(positions)
    if measure in (Measure.A, Measure.C) and not checked:
        raise ValidationError({"positions": _("Oppgi minst én stilling med stillingsandel.")})
    if measure == Measure.C and fields.get("team_type") not in ApplicationMeasure.TeamType.values:
        raise ValidationError({"team_type": _("Velg ACT, FACT eller FACT ung.")})
    with transaction.atomic():
        existing = application.measures.filter(measure=measure).first()
        before = snapshot(existing) if existing else None
        row = existing or ApplicationMeasure(application=application, measure=measure)
        row.requested_amount = amount
        for name, value in fields.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        row.full_clean()
        row.save()
        row.positions.all().delete()
        Position.objects.bulk_create(Position(measure=row, title=title, fte=fte) for title, fte in checked)
        writes.record(actor, AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE, row, before)
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=row,
            after={"positions": [[title, str(fte)] for title, fte in checked]},
        )
    return row


def application_measure_remove(*, actor: User, application: Application, measure: str) -> None:
    writes.require(access.can_edit_application(actor, application))
    with transaction.atomic():
        row = application.measures.filter(measure=measure).first()
        if row:
            record_event(actor=actor, action=AuditEvent.Action.DELETE, obj=row, before=snapshot(row))
            row.delete()


def budget_line_add(
    *, actor: User, application: Application, measure: str, category: str, description: str, amount: Any
) -> BudgetLine:
    writes.require(access.can_edit_application(actor, application))
    line = BudgetLine(
        application=application,
        measure=measure,
        category=category,
        description=(description or "").strip(),
        amount=writes.kroner(amount, "amount"),
    )
    with transaction.atomic():
        return writes.save(line, actor)


def milestone_add(*, actor: User, application: Application, due: date, description: str) -> Milestone:
    writes.require(access.can_edit_application(actor, application))
    year = application.call.year
    if not date(year, 1, 1) <= due <= date(year, 12, 31):
        raise ValidationError({"due": _("Milepælen må ligge i tilskuddsåret %(year)s.") % {"year": year}})
    milestone = Milestone(application=application, due=due, description=(description or "").strip())
    with transaction.atomic():
        return writes.save(milestone, actor)


def signature_add(
    *, actor: User, application: Application, name: str, authority: str, title: str, signed_on: date
) -> Signature:
    """The actor records that a named person with signing authority signed for the actor's organisation.

    Municipalities sign by the municipal director or someone with signing authority; others by the chair of the
    board or someone with signing authority (regelverket pkt. 4).
    """
    writes.require(access.can_sign(actor, application))
    organisation = actor.organisation
    errors = writes.signer_problems(
        organisation,
        authority,
        name,
        signed_on,
        chair_message=_("Søknaden signeres av styreleder eller den som har signeringsfullmakt."),
    )
    if "signed_on" not in errors and signed_on.year not in (application.call.year, application.call.year - 1):
        errors["signed_on"] = _("Underskriften må være fra utlysningens år eller året før.")
    if application.signatures.filter(organisation=organisation).exists():
        errors["name"] = _("Søknaden er allerede signert for %(org)s.") % {"org": organisation}
    if errors:
        raise ValidationError(errors)
    signature = Signature(
        application=application,
        organisation=organisation,
        name=name.strip(),
        authority=authority,
        title=(title or "").strip(),
        signed_on=signed_on,
        recorded_by=actor,
    )
    with transaction.atomic():
        return writes.save(signature, actor)


def attachment_add(*, actor: User, application: Application, kind: str, filename: str, content: bytes) -> Attachment:
    """A PDF only: the first bytes must say so, whatever the file is called, and it must be under 10 MB."""
    writes.require(access.can_edit_application(actor, application))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Vedlegget er for stort. Største tillatte størrelse er 10 MB.")})
    if not content.startswith(PDF_MAGIC):
        raise ValidationError({"file": _("Vedlegget må være en PDF-fil.")})
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Velg type vedlegg.")})
    attachment = Attachment(
        application=application,
        kind=kind,
        filename=(filename or "vedlegg.pdf")[:200],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    with transaction.atomic():
        return writes.save(attachment, actor)


def application_part_remove(*, actor: User, application: Application, part) -> None:
    """Remove a budget line, milestone, attachment or signature from a draft. A signature is removed only by its
    own organisation: the other party's signature is theirs."""
    writes.require(access.can_edit_application(actor, application))
    if not isinstance(part, BudgetLine | Milestone | Attachment | Signature) or part.application_id != application.pk:
        raise ValidationError(_("Delen hører ikke til søknaden."))
    if isinstance(part, Signature) and part.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Bare organisasjonen som signerte, kan fjerne underskriften sin."))
    with transaction.atomic():
        record_event(actor=actor, action=AuditEvent.Action.DELETE, obj=part, before=snapshot(part))
        part.delete()


def _joint_ok(application: Application) -> bool:
    """Measure C: a municipality and a health trust apply together, and both have signed."""
    kinds = {org.org_type for org in application.organisations}
    signed = set(application.signatures.values_list("organisation_id", flat=True))
    return (
        application.partner_id is not None
        and MUNICIPALITY in kinds
        and bool(kinds & HEALTH_TRUSTS)
        and {application.organisation_id, application.partner_id} <= signed
    )


def application_checklist(application: Application, on: date | None = None) -> RuleResult:
    """What the application contains, against the list in regelverket pkt. 4 (with B's and C's extras)."""
    measures = {row.measure: row for row in application.measures.all()}
    b, c = measures.get(Measure.B), measures.get(Measure.C)
    facts = {
        "on": on or rules_on(application.call),
        "applies_measure_a": Measure.A in measures,
        "applies_measure_b": b is not None,
        "applies_measure_c": c is not None,
        "goals": bool(application.goals),
        "project_description": bool(application.project_description),
        "budget": application.budget_lines.exists(),
        "co_funding": application.co_funding_amount is not None,
        "own_funding": application.own_funding_amount is not None,
        "control_measures": bool(application.control_measures),
        "risk_assessment": bool(application.risk_assessment),
        "measures_and_need": bool(measures) and bool(application.need),
        "award_criteria": bool(application.award_criteria),
        "implementation_plan": application.milestones.exists(),
        "signed": application.signatures.filter(organisation_id=application.organisation_id).exists(),
        "b_geographic_area": bool(b and b.area),
        "b_training_measures": bool(b and b.training_measures),
        "c_joint_application": bool(c) and _joint_ok(application),
        "c_collaboration_agreement": application.attachments.filter(
            kind=Attachment.Kind.COLLABORATION_AGREEMENT
        ).exists(),
        "c_management_anchoring": bool(c and c.management_anchoring),
    }
    return rule_evaluate(rule_id="tilskudd-soknad-komplett", inputs=facts)


def earlier_years(organisation: Organisation, measure: str, before_year: int) -> set[int]:
    """The years the organisation got the measure before ``before_year``: recorded history and our own decisions."""
    recorded = set(
        EarlierGrant.objects.filter(organisation=organisation, measure=measure, year__lt=before_year).values_list(
            "year", flat=True
        )
    )
    decided = set(
        DecisionMeasure.objects.filter(
            measure=measure,
            amount__gt=0,
            decision__status__in=[Decision.Status.APPROVED, Decision.Status.NOTIFIED],
            decision__application__organisation=organisation,
            decision__application__call__year__lt=before_year,
        ).values_list("decision__application__call__year", flat=True)
    )
    return recorded | decided


def project_year(organisation: Organisation, measure: str, year: int) -> int:
    """1 for the first year under this scheme for the measure; one more for each earlier year granted."""
    return len(earlier_years(organisation, measure, year)) + 1


def application_record_deadline_exception(*, actor: User, application: Application, reason: str) -> Application:
    """A grant officer lets a late application be submitted, with the reason on record."""
    writes.require(access.can_process(actor))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Skriv hvorfor søknaden kan sendes inn etter fristen.")})
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("Søknaden er allerede sendt inn."), code="status")
    with transaction.atomic():
        before = snapshot(application)
        application.late_exception_reason, application.late_exception_by = reason.strip(), actor
        return writes.save(application, actor, before)


def checklist_messages(result: RuleResult) -> list[str]:
    return [f"{reason.text} ({reason.reference})" for reason in result.reasons if not reason.passed]


def application_submit(*, actor: User, application: Application, on: date | None = None) -> Application:
    """Submit: within the deadline (or with an officer's exception), complete by the checklist, then locked.

    The project year of each measure is computed from the organisation's history and stored.
    """
    writes.require(access.can_submit(actor, application))
    on = on or timezone.localdate()
    call = application.call
    if call.status != Call.Status.PUBLISHED:
        raise ValidationError(_("Utlysningen er ikke åpen for søknader."), code="closed")
    if on > call.deadline and not application.late_exception_reason:
        raise ValidationError(
            _(
                "Søknadsfristen gikk ut %(deadline)s. Søknaden kan ikke sendes inn etter fristen med mindre "
                "Helsedirektoratet har gitt unntak."
            )
            % {"deadline": call.deadline.strftime("%d.%m.%Y")},
            code="deadline",
        )
    result = application_checklist(application, on=rules_on(call))
    if result.outcome != "komplett":
        raise ValidationError(checklist_messages(result), code="incomplete")
    with transaction.atomic():
        before = snapshot(application)
        for row in application.measures.all():
            row.project_year = project_year(application.organisation, row.measure, call.year)
            row.save(update_fields=["project_year"])
        application.status = Application.Status.SUBMITTED
        application.submitted_at, application.submitted_by = timezone.now(), actor
        application.checklist = result.to_dict()
        if application.supersedes_id:
            old = application.supersedes
            old_before = snapshot(old)
            old.status = Application.Status.SUPERSEDED
            writes.save(old, actor, old_before)
        return writes.save(application, actor, before)


def application_new_version(*, actor: User, application: Application) -> Application:
    """A change after submission: a new draft copied from the submitted one, which is kept as it was.

    Signatures are not copied: what is signed is the version that was signed.
    """
    writes.require(access.can_new_version(actor, application))
    if hasattr(application, "superseded_by"):
        raise ValidationError(_("Søknaden har allerede en nyere versjon."), code="status")
    with transaction.atomic():
        copy = Application.objects.get(pk=application.pk)
        copy.pk = None
        copy.version = application.version + 1
        copy.supersedes = application
        copy.status = Application.Status.DRAFT
        copy.submitted_at = copy.submitted_by = None
        copy.checklist = {}
        copy.created_by = actor
        copy.save()
        for row in application.measures.prefetch_related("positions"):
            positions = list(row.positions.all())
            row.pk = None
            row.application = copy
            row.project_year = None
            row.save()
            Position.objects.bulk_create(Position(measure=row, title=p.title, fte=p.fte) for p in positions)
        for model in (BudgetLine, Milestone, Attachment):
            for item in model.objects.filter(application=application):
                item.pk = None
                item.application = copy
                item.save()
        writes.record(actor, AuditEvent.Action.CREATE, copy)
    return copy


def earlier_grant_record(
    *, actor: User, organisation: Organisation, measure: str, year: int, amount: Any = None, note: str = ""
) -> EarlierGrant:
    """History from before the system: the year an organisation got the measure, so the project year follows."""
    writes.require(access.can_process(actor))
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("Et tidligere tilskudd kan ikke være fra et år fram i tid.")})
    grant = EarlierGrant(
        organisation=organisation,
        measure=measure,
        year=year,
        amount=writes.kroner(amount, "amount", allow_none=True),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    with transaction.atomic():
        return writes.save(grant, actor)
