"""Writes in the grant scheme: atomic, audited, rule-based, and refusing what the regulation does not allow.

Every function is ``<entity>_<action>(*, actor, ...)``; each validates first, then writes and records its audit
event in one transaction. The rules (``rules.grants``, ``rules.deadlines``) are evaluated through
``regelverk.rule_evaluate`` and their results stored with what they decided. Refusals of authority (the four-eyes
rule, impartiality) raise ``PermissionDenied`` with the reason; bad input raises ``ValidationError`` per field.
"""

import contextlib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygger.accounts.models import Organisation, Role, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.grants import access, letters
from brobygger.grants.models import (
    MAX_KRONER,
    Appeal,
    Application,
    ApplicationMeasure,
    AssessedMeasure,
    Assessment,
    Attachment,
    BudgetLine,
    Call,
    Decision,
    DecisionLetter,
    DecisionMeasure,
    EarlierGrant,
    ImpartialityDeclaration,
    Measure,
    Milestone,
    Position,
    Recommendation,
    Sanction,
    Signature,
)
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
MEASURE_RULES = {Measure.A: "tilskudd-tiltak-a", Measure.B: "tilskudd-tiltak-b", Measure.C: "tilskudd-tiltak-c"}
LEGAL_BASIS = (
    "Stortingets vedtak om statsbudsjettet, kap. 765 post 73; Regelverk for tilskuddsordningen «Individuell "
    "jobbstøtte (IPS) i helse- og omsorgstjenesten»; reglement for økonomistyring i staten, kap. 6.3; "
    "forvaltningsloven kap. IV–VI."
)


def _record(actor: User | None, action: str, obj, before: dict[str, Any] | None = None) -> None:
    record_event(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def _require(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _save(obj, actor: User | None, before: dict[str, Any] | None = None, *, exclude: list[str] | None = None):
    obj.full_clean(exclude=exclude)
    obj.save()
    _record(actor, AuditEvent.Action.UPDATE if before is not None else AuditEvent.Action.CREATE, obj, before)
    return obj


def _kroner(value: Any, field: str, *, allow_none: bool = False) -> Decimal | None:
    """Whole kroner between 0 and a billion; anything else is refused with a message on the field."""
    if value in (None, "") and allow_none:
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Beløpet må være et tall i hele kroner.")}) from None
    if amount != amount.to_integral_value():
        raise ValidationError({field: _("Beløpet må være i hele kroner, uten øre.")})
    if amount < 0 or amount > MAX_KRONER:
        raise ValidationError({field: _("Beløpet må være mellom 0 og 1 000 000 000 kroner.")})
    return amount.quantize(Decimal(1))


def _rules_on(call: Call) -> date:
    """The regulation an application is handled by: the one in force on the call's deadline."""
    return call.deadline


# Calls


def call_create(
    *,
    actor: User,
    year: int,
    title: str,
    budget_frame: Any,
    deadline: date,
    text: str,
    opens_a: bool = True,
    opens_b: bool = True,
    opens_c: bool = True,
) -> Call:
    _require(access.can_manage_calls(actor))
    frame = _kroner(budget_frame, "budget_frame")
    errors = {}
    if not frame:
        errors["budget_frame"] = _("Budsjettrammen må være større enn 0.")
    if deadline.year != year:
        errors["deadline"] = _("Søknadsfristen må være i utlysningens år (%(year)s).") % {"year": year}
    if not (opens_a or opens_b or opens_c):
        errors["opens_a"] = _("Minst ett tiltak må være åpent.")
    if errors:
        raise ValidationError(errors)
    call = Call(
        year=year,
        title=title.strip(),
        budget_frame=frame,
        deadline=deadline,
        text=text.strip(),
        opens_a=opens_a,
        opens_b=opens_b,
        opens_c=opens_c,
        created_by=actor,
    )
    with transaction.atomic():
        return _save(call, actor)


def call_publish(*, actor: User, call: Call) -> Call:
    _require(access.can_manage_calls(actor))
    if call.status != Call.Status.DRAFT:
        raise ValidationError(_("Bare et utkast kan publiseres."), code="status")
    with transaction.atomic():
        before = snapshot(call)
        call.status, call.published_at = Call.Status.PUBLISHED, timezone.now()
        return _save(call, actor, before)


def call_close(*, actor: User, call: Call) -> Call:
    _require(access.can_manage_calls(actor))
    if call.status != Call.Status.PUBLISHED:
        raise ValidationError(_("Bare en publisert utlysning kan avsluttes."), code="status")
    with transaction.atomic():
        before = snapshot(call)
        call.status = Call.Status.CLOSED
        return _save(call, actor, before)


# Applications


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
    _require(access.can_apply(actor, call))
    organisation = actor.organisation
    _check_applicant(organisation, _rules_on(call), "organisation")
    if partner is not None:
        if partner.pk == organisation.pk:
            raise ValidationError({"partner": _("Medsøkeren må være en annen organisasjon enn søkeren.")})
        _check_applicant(partner, _rules_on(call), "partner")
    if not title.strip():
        raise ValidationError({"title": _("Søknaden må ha en tittel.")})
    application = Application(
        call=call, organisation=organisation, partner=partner, title=title.strip(), created_by=actor
    )
    with transaction.atomic():
        return _save(application, actor)


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
    _require(access.can_edit_application(actor, application))
    unknown = set(fields) - set(TEXT_FIELDS) - {"co_funding_amount", "own_funding_amount", "partner"}
    if unknown:
        raise ValidationError(_("Ukjente felt: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    amounts = {
        name: _kroner(fields[name], name, allow_none=True)
        for name in ("co_funding_amount", "own_funding_amount")
        if name in fields
    }
    if "partner" in fields and fields["partner"] is not None:
        if fields["partner"].pk == application.organisation_id:
            raise ValidationError({"partner": _("Medsøkeren må være en annen organisasjon enn søkeren.")})
        _check_applicant(fields["partner"], _rules_on(application.call), "partner")
    with transaction.atomic():
        before = snapshot(application)
        for name in TEXT_FIELDS:
            if name in fields:
                setattr(application, name, (fields[name] or "").strip())
        for name, amount in amounts.items():
            setattr(application, name, amount)
        if "partner" in fields:
            application.partner = fields["partner"]
        return _save(application, actor, before)


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
    _require(access.can_edit_application(actor, application))
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Velg tiltak A, B eller C.")})
    if measure not in application.call.measures_open:
        raise ValidationError(
            {"measure": _("Tiltak %(measure)s er ikke åpent i denne utlysningen.") % {"measure": measure}}
        )
    unknown = set(fields) - set(MEASURE_FIELDS[Measure(measure)])
    if unknown:
        raise ValidationError(_("Ukjente felt for tiltaket: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    amount = _kroner(requested_amount, "requested_amount")
    if "training_amount" in fields:
        fields["training_amount"] = _kroner(fields["training_amount"], "training_amount")
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
        _record(actor, AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE, row, before)
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=row,
            after={"positions": [[title, str(fte)] for title, fte in checked]},
        )
    return row


def application_measure_remove(*, actor: User, application: Application, measure: str) -> None:
    _require(access.can_edit_application(actor, application))
    with transaction.atomic():
        row = application.measures.filter(measure=measure).first()
        if row:
            record_event(actor=actor, action=AuditEvent.Action.DELETE, obj=row, before=snapshot(row))
            row.delete()


def budget_line_add(
    *, actor: User, application: Application, measure: str, category: str, description: str, amount: Any
) -> BudgetLine:
    _require(access.can_edit_application(actor, application))
    line = BudgetLine(
        application=application,
        measure=measure,
        category=category,
        description=(description or "").strip(),
        amount=_kroner(amount, "amount"),
    )
    with transaction.atomic():
        return _save(line, actor)


def milestone_add(*, actor: User, application: Application, due: date, description: str) -> Milestone:
    _require(access.can_edit_application(actor, application))
    year = application.call.year
    if not date(year, 1, 1) <= due <= date(year, 12, 31):
        raise ValidationError({"due": _("Milepælen må ligge i tilskuddsåret %(year)s.") % {"year": year}})
    milestone = Milestone(application=application, due=due, description=(description or "").strip())
    with transaction.atomic():
        return _save(milestone, actor)


def signature_add(
    *, actor: User, application: Application, name: str, authority: str, title: str, signed_on: date
) -> Signature:
    """The actor records that a named person with signing authority signed for the actor's organisation.

    Municipalities sign by the municipal director or someone with signing authority; others by the chair of the
    board or someone with signing authority (regelverket pkt. 4).
    """
    _require(access.can_sign(actor, application))
    organisation = actor.organisation
    allowed = {Signature.Authority.DELEGATED} | (
        {Signature.Authority.MUNICIPAL_DIRECTOR}
        if organisation.org_type == MUNICIPALITY
        else {Signature.Authority.CHAIR}
    )
    errors = {}
    if authority not in allowed:
        errors["authority"] = (
            _("En kommune signeres av kommunedirektøren eller den som har signeringsfullmakt.")
            if organisation.org_type == MUNICIPALITY
            else _("Søknaden signeres av styreleder eller den som har signeringsfullmakt.")
        )
    if not (name or "").strip():
        errors["name"] = _("Oppgi navnet på den som signerer.")
    today = timezone.localdate()
    if signed_on > today:
        errors["signed_on"] = _("Datoen for underskriften kan ikke være fram i tid.")
    elif signed_on.year not in (application.call.year, application.call.year - 1):
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
        return _save(signature, actor)


def attachment_add(*, actor: User, application: Application, kind: str, filename: str, content: bytes) -> Attachment:
    """A PDF only: the first bytes must say so, whatever the file is called, and it must be under 10 MB."""
    _require(access.can_edit_application(actor, application))
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
        return _save(attachment, actor)


def application_part_remove(*, actor: User, application: Application, part) -> None:
    """Remove a budget line, milestone, attachment or signature from a draft. A signature is removed only by its
    own organisation: the other party's signature is theirs."""
    _require(access.can_edit_application(actor, application))
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
        "on": on or _rules_on(application.call),
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
    _require(access.can_process(actor))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Skriv hvorfor søknaden kan sendes inn etter fristen.")})
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("Søknaden er allerede sendt inn."), code="status")
    with transaction.atomic():
        before = snapshot(application)
        application.late_exception_reason, application.late_exception_by = reason.strip(), actor
        return _save(application, actor, before)


def checklist_messages(result: RuleResult) -> list[str]:
    return [f"{reason.text} ({reason.reference})" for reason in result.reasons if not reason.passed]


def application_submit(*, actor: User, application: Application, on: date | None = None) -> Application:
    """Submit: within the deadline (or with an officer's exception), complete by the checklist, then locked.

    The project year of each measure is computed from the organisation's history and stored.
    """
    _require(access.can_submit(actor, application))
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
    result = application_checklist(application, on=_rules_on(call))
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
            _save(old, actor, old_before)
        return _save(application, actor, before)


def application_new_version(*, actor: User, application: Application) -> Application:
    """A change after submission: a new draft copied from the submitted one, which is kept as it was.

    Signatures are not copied: what is signed is the version that was signed.
    """
    _require(access.can_new_version(actor, application))
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
        _record(actor, AuditEvent.Action.CREATE, copy)
    return copy


def earlier_grant_record(
    *, actor: User, organisation: Organisation, measure: str, year: int, amount: Any = None, note: str = ""
) -> EarlierGrant:
    """History from before the system: the year an organisation got the measure, so the project year follows."""
    _require(access.can_process(actor))
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("Et tidligere tilskudd kan ikke være fra et år fram i tid.")})
    grant = EarlierGrant(
        organisation=organisation,
        measure=measure,
        year=year,
        amount=_kroner(amount, "amount", allow_none=True),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    with transaction.atomic():
        return _save(grant, actor)


# Assessment


def impartiality_declare(
    *, actor: User, application: Application, conflict: bool, explanation: str = "", hand_to: User | None = None
) -> ImpartialityDeclaration:
    """Declare impartiality (fvl. § 6) before assessing. A conflict hands the case to another grant officer."""
    _require(access.can_process(actor))
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
        _save(declaration, actor)
        before = snapshot(application)
        if conflict:
            application.assigned_officer = hand_to
        elif application.assigned_officer_id is None:
            application.assigned_officer = actor
        if snapshot(application) != before:
            _save(application, actor, before)
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
    on = _rules_on(application.call)
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
    on = _rules_on(application.call)
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
    _require(access.can_assess(actor, application))
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
            amount = _kroner(amount_raw, field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        reason = (reason or "").strip()
        if amount > computed.ceiling:
            errors[field] = _(
                "Tiltak %(measure)s: foreslått beløp kan ikke være over høyeste tilskudd, %(ceiling)s kr."
            ) % {"measure": measure, "ceiling": _thousands(computed.ceiling)}
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
        _save(assessment, actor, before)
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
            _save(assessed, actor, row_before)
            computed.row.project_year = computed.project_year
            computed.row.save(update_fields=["project_year"])
        app_before = snapshot(application)
        application.status = Application.Status.ASSESSED
        _save(application, actor, app_before)
    return assessment


def _thousands(amount: Decimal | int) -> str:
    return f"{int(amount):,}".replace(",", " ")


# Allocation and recommendation


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
                proposed = _kroner(amounts[row.assessed.pk], "amount")
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
    _require(access.can_process(actor))
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
            value = _kroner(raw, field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        if value > assessed[pk].ceiling:
            errors[field] = _("Beløpet kan ikke være over høyeste tilskudd, %(ceiling)s kr.") % {
                "ceiling": _thousands(assessed[pk].ceiling)
            }
        new[pk] = value
    if errors:
        raise ValidationError(errors)
    total = sum((new.get(pk, row.proposed_amount) for pk, row in assessed.items()), Decimal(0))
    if total > call.budget_frame:
        raise ValidationError(
            _("Summen %(total)s kr er over budsjettrammen på %(frame)s kr.")
            % {"total": _thousands(total), "frame": _thousands(call.budget_frame)},
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
            _save(row, actor, before)
    return total


def recommendation_submit(*, actor: User, call: Call) -> Recommendation:
    """Submit the call's recommendation for approval: every application assessed and the sum within the frame."""
    _require(access.can_process(actor))
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
            % {"total": _thousands(total), "frame": _thousands(call.budget_frame)},
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
        return _save(recommendation, actor, exclude=["submitted_at"])


def _four_eyes(actor: User, other: User, message: str) -> None:
    _require(access.can_approve(actor))
    if actor.pk == other.pk:
        raise PermissionDenied(message)


def recommendation_return(*, actor: User, recommendation: Recommendation, comment: str) -> Recommendation:
    _four_eyes(actor, recommendation.submitted_by, _("Du kan ikke behandle en innstilling du selv har sendt."))
    if recommendation.status != Recommendation.Status.SUBMITTED:
        raise ValidationError(_("Innstillingen er allerede behandlet."), code="status")
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Skriv hva som må endres.")})
    with transaction.atomic():
        before = snapshot(recommendation)
        recommendation.status = Recommendation.Status.RETURNED
        recommendation.decided_by, recommendation.decided_at = actor, timezone.now()
        recommendation.comment = comment.strip()
        return _save(recommendation, actor, before)


def _report_due(call: Call) -> RuleResult:
    return rule_evaluate(rule_id="rapportfrist", inputs={"on": _rules_on(call), "grant_year": call.year})


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
    _four_eyes(actor, recommendation.submitted_by, _("Du kan ikke godkjenne en innstilling du selv har sendt."))
    if recommendation.status != Recommendation.Status.SUBMITTED:
        raise ValidationError(_("Innstillingen er allerede behandlet."), code="status")
    call = recommendation.call
    due = _report_due(call)
    decisions = []
    with transaction.atomic():
        before = snapshot(recommendation)
        recommendation.status = Recommendation.Status.APPROVED
        recommendation.decided_by, recommendation.decided_at = actor, timezone.now()
        _save(recommendation, actor, before)
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
            _save(decision, actor, exclude=["prepared_at"])
            for m in measures:
                _save(
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
            _save(application, actor, app_before)
            decisions.append(decision)
    return decisions


# Decisions and letters


def decision_prepare(
    *,
    actor: User,
    replaces: Decision,
    amounts: dict[str, Any],
    reasons: str,
    conditions: str | None = None,
) -> Decision:
    """A new decision replacing one already sent (after an appeal or a correction); it needs an approver."""
    _require(access.can_process(actor))
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
            value = _kroner(amounts.get(measure, row.amount), field)
        except ValidationError as error:
            errors[field] = error.message_dict[field][0]
            continue
        if value > row.ceiling:
            errors[field] = _("Tiltak %(measure)s: beløpet kan ikke være over høyeste tilskudd, %(ceiling)s kr.") % {
                "measure": measure,
                "ceiling": _thousands(row.ceiling),
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
        _save(decision, actor, exclude=["prepared_at"])
        for measure, value in checked.items():
            _save(
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
    _four_eyes(actor, decision.prepared_by, _("Du kan ikke godkjenne et vedtak du selv har forberedt."))
    if decision.status != Decision.Status.PREPARED:
        raise ValidationError(_("Vedtaket er allerede godkjent."), code="status")
    with transaction.atomic():
        before = snapshot(decision)
        decision.status = Decision.Status.APPROVED
        decision.approved_by, decision.approved_at = actor, timezone.now()
        _save(decision, actor, before)
        if decision.replaces_id:
            old = decision.replaces
            old_before = snapshot(old)
            old.status = Decision.Status.REPLACED
            _save(old, actor, old_before)
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
    _require(access.can_process(actor))
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
        _save(letter, actor, exclude=["created_at"])
        before = snapshot(decision)
        decision.status = Decision.Status.NOTIFIED
        _save(decision, actor, before)
        if recipients and email:
            transaction.on_commit(lambda: letters.email_letter(letter, recipients))
    return letter


# Appeals


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def appeal_register(
    *,
    actor: User,
    decision: Decision | None = None,
    sanction: Sanction | None = None,
    received_on: date,
    grounds: str,
    late_considered: bool = False,
    late_reason: str = "",
) -> Appeal:
    """Register an appeal against a decision or a sanction (both individual decisions with a letter): whether it
    came within the deadline; a late one is dismissed unless it is nevertheless considered (fvl. § 31), with the
    reason."""
    _require(access.can_process(actor))
    if (decision is None) == (sanction is None):
        raise ValueError("An appeal is against a decision or a sanction.")
    # A sanction carries its letter's notification date and deadline itself.
    letter = getattr(decision, "letter", None) if decision is not None else sanction
    if letter is None or letter.notified_on is None:
        raise ValidationError(_("Vedtaket er ikke sendt søkeren ennå; det kan ikke påklages."), code="status")
    errors = {}
    if received_on < letter.notified_on:
        errors["received_on"] = _("Klagen kan ikke være mottatt før vedtaket ble sendt.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("Mottaksdatoen kan ikke være fram i tid.")
    if not (grounds or "").strip():
        errors["grounds"] = _("Skriv hva klagen gjelder.")
    in_time = received_on <= letter.appeal_deadline
    if not in_time and late_considered and not (late_reason or "").strip():
        errors["late_reason"] = _("Skriv hvorfor klagen behandles selv om den kom for sent (forvaltningsloven § 31).")
    if errors:
        raise ValidationError(errors)
    appeal = Appeal(
        decision=decision,
        sanction=sanction,
        received_on=received_on,
        grounds=grounds.strip(),
        in_time=in_time,
        late_considered=late_considered and not in_time,
        late_reason=(late_reason or "").strip() if not in_time else "",
        status=Appeal.Status.RECEIVED if in_time or late_considered else Appeal.Status.DISMISSED,
        registered_by=actor,
    )
    with transaction.atomic():
        return _save(appeal, actor)


def appeal_preliminary_reply(*, actor: User, appeal: Appeal, on: date) -> Appeal:
    _require(access.can_process(actor))
    if on < appeal.received_on:
        raise ValidationError({"on": _("Et foreløpig svar kan ikke sendes før klagen kom.")})
    with transaction.atomic():
        before = snapshot(appeal)
        appeal.preliminary_reply_on = on
        return _save(appeal, actor, before)


def _require_open(appeal: Appeal) -> None:
    if appeal.status != Appeal.Status.RECEIVED:
        raise ValidationError(_("Klagen er allerede behandlet av Helsedirektoratet."), code="status")


def appeal_change(*, actor: User, appeal: Appeal, amounts: dict[str, Any], reasons: str) -> Decision:
    """The Directorate finds for the appellant (fvl. § 33): a new decision replaces the one appealed. (An appeal
    against a sanction is changed by ``control.sanction_appeal_change``: the sanction is lifted.)"""
    _require_open(appeal)
    if appeal.decision_id is None:
        raise ValidationError(_("Klagen gjelder en sanksjon; omgjøring opphever sanksjonen."), code="status")
    with transaction.atomic():
        decision = decision_prepare(actor=actor, replaces=appeal.decision, amounts=amounts, reasons=reasons)
        before = snapshot(appeal)
        appeal.new_decision = decision
        appeal.reconsideration = reasons.strip()
        appeal.status = Appeal.Status.CHANGED
        _save(appeal, actor, before)
    return decision


def appeal_forward(*, actor: User, appeal: Appeal, reconsideration: str, on: date | None = None) -> Appeal:
    """The Directorate upholds its decision (fvl. § 33) and sends the case to the Ministry with a summary."""
    _require(access.can_process(actor))
    _require_open(appeal)
    if not (reconsideration or "").strip():
        raise ValidationError({"reconsideration": _("Skriv Helsedirektoratets vurdering av klagen.")})
    with transaction.atomic():
        before = snapshot(appeal)
        appeal.reconsideration = reconsideration.strip()
        appeal.forwarded_on = on or timezone.localdate()
        appeal.status = Appeal.Status.FORWARDED
        pdf = letters.appeal_summary_pdf(appeal)
        appeal.summary_pdf, appeal.summary_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        return _save(appeal, actor, before)


def appeal_ministry_outcome(*, actor: User, appeal: Appeal, outcome: str, decided_on: date) -> Appeal:
    _require(access.can_process(actor))
    if appeal.status != Appeal.Status.FORWARDED:
        raise ValidationError(_("Bare en klage som er sendt departementet, kan få departementets avgjørelse."))
    if outcome not in Appeal.MinistryOutcome.values:
        raise ValidationError({"outcome": _("Velg departementets avgjørelse.")})
    if decided_on < appeal.forwarded_on:
        raise ValidationError({"decided_on": _("Departementet kan ikke ha avgjort saken før den ble sendt dit.")})
    with transaction.atomic():
        before = snapshot(appeal)
        appeal.ministry_outcome, appeal.ministry_decided_on = outcome, decided_on
        appeal.status = Appeal.Status.CLOSED
        return _save(appeal, actor, before)


@dataclass(frozen=True)
class NextStep:
    text: str
    due: date | None
    overdue: bool


def appeal_next_step(appeal: Appeal, today: date | None = None) -> NextStep:
    """What the officer does next with an appeal, and by when. A case that will take more than a month from
    receipt needs a preliminary reply (fvl. § 11 a)."""
    today = today or timezone.localdate()
    if appeal.status == Appeal.Status.RECEIVED:
        month = _add_month(appeal.received_on)
        if appeal.preliminary_reply_on is None and today >= month - timedelta(days=7):
            return NextStep(_("Send foreløpig svar (forvaltningsloven § 11 a)"), month, today > month)
        return NextStep(_("Vurder klagen: omgjør eller send til departementet (forvaltningsloven § 33)"), month, False)
    if appeal.status == Appeal.Status.CHANGED:
        if appeal.sanction_id:
            return NextStep(_("Ferdig: sanksjonen er opphevet"), None, False)
        decision = appeal.new_decision
        if decision.status == Decision.Status.PREPARED:
            return NextStep(_("Det nye vedtaket må godkjennes av en annen"), None, False)
        if decision.status == Decision.Status.APPROVED:
            return NextStep(_("Send det nye vedtaksbrevet"), None, False)
        return NextStep(_("Ferdig: vedtaket er omgjort"), None, False)
    if appeal.status == Appeal.Status.FORWARDED:
        return NextStep(_("Venter på departementets avgjørelse"), None, False)
    if appeal.status == Appeal.Status.DISMISSED:
        return NextStep(_("Ferdig: klagen kom for sent og er avvist (forvaltningsloven § 31)"), None, False)
    return NextStep(_("Ferdig: departementet har avgjort klagen"), None, False)


def officers_except(user: User):
    """Grant officers who can take over a case from ``user``."""
    return User.objects.filter(role=Role.GRANT_OFFICER, is_active=True).exclude(pk=user.pk)
