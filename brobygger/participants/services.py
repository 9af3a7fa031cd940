"""Writes on the pathway: atomic, audited, rule-based, and refusing stale edits.

Every change of a referral or period takes the revision the user saw; if someone else saved in between, the
save is refused with a clear message instead of silently overwriting their work.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import IpsService, TreatmentTeam, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.background import job_enqueue
from brobygger.participants import identity, plausibility
from brobygger.participants.models import (
    CareerProfile,
    Contact,
    Education,
    Employer,
    EmployerContact,
    Extension,
    FollowUpPlan,
    ImportJob,
    Job,
    JobSearchEvent,
    Participant,
    ParticipantContactDetails,
    Period,
    PlanActivity,
    PlanRevision,
    Referral,
    StatusChange,
)
from brobygger.regelverk.services import Evaluate, reason_text, rule_evaluate
from brobygger.rules.base import RuleResult

ELIGIBLE = "oppfylt"
# The key under which a correction's or deletion's reason is kept in the audit event's "after".
CORRECTION_REASON = "correction_reason"


def _save_new(obj, actor: User):
    obj.full_clean()
    obj.save()
    record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj))
    return obj


def _save_update(obj, actor: User, before: dict[str, Any], *, reason: str = ""):
    """Save a change; a correction carries its reason into the audit event next to the changed fields."""
    obj.full_clean()
    obj.save()
    after = snapshot(obj) | ({CORRECTION_REASON: reason.strip()} if reason else {})
    record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, before=before, after=after)
    return obj


def _save_changed(obj, actor: User, before: dict[str, Any], expected_revision: int, *, reason: str = ""):
    """Save only if nobody else saved since the user loaded ``expected_revision``."""
    model = type(obj)
    if model.objects.filter(pk=obj.pk, revision=expected_revision).update(revision=expected_revision + 1) != 1:
        raise ValidationError(
            _("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen."),
            code="stale",
        )
    obj.revision = expected_revision + 1
    return _save_update(obj, actor, before, reason=reason)


def identity_number_checked(value: str) -> str:
    """The compact, valid identity number, or a field error on ``identity_number`` that never repeats it."""
    try:
        return identity.validate_identity_number(value, allow_synthetic=identity.allow_synthetic())
    except ValidationError as invalid:
        raise ValidationError({"identity_number": invalid.error_list}) from None


def participant_register(*, actor: User, identity_number: str, municipality, **fields: Any) -> Participant:
    """Register a participant; the same person is found again by the keyed hash, never by the number itself."""
    number = identity_number_checked(identity_number)
    key = identity.identity_hash(number)
    if Participant.objects.filter(identity_hash=key).exists():
        raise ValidationError(
            {"identity_number": _("Personen er allerede registrert. Søk opp personen i stedet.")}, code="duplicate"
        )
    with transaction.atomic():
        return _save_new(
            Participant(
                identity_encrypted=identity.encrypt_identity(number),
                identity_hash=key,
                birth_date=identity.birth_date_of(number),
                municipality=municipality,
                is_synthetic=identity.is_synthetic(number),
                **fields,
            ),
            actor,
        )


def participant_by_identity(identity_number: str) -> Participant | None:
    """The registered person with this (already validated) number, found by the keyed hash."""
    return Participant.objects.filter(identity_hash=identity.identity_hash(identity_number)).first()


def referral_problems(
    *,
    birth_date: date | None,
    referred_on: date | None,
    consent_given_on: date | None,
    consent_method: str,
    facts: dict[str, Any],
) -> dict[str, list[str]]:
    """What is wrong with a referral before the rule assesses it, per field: one list for the page and the API."""
    problems: dict[str, list[str]] = {}
    today = timezone.localdate()

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if referred_on is not None and referred_on > today:
        add("referred_on", _("Henvisningsdatoen kan ikke være fram i tid."))
    if birth_date is not None and referred_on is not None and referred_on < birth_date:
        add("referred_on", _("Henvisningsdatoen kan ikke være før personens fødselsdato."))
    if consent_given_on is not None and consent_given_on > today:
        add("consent_given_on", _("Samtykket kan ikke være gitt fram i tid."))
    if consent_given_on and not consent_method:
        add("consent_method", _("Velg hvordan samtykket ble gitt."))
    if consent_method and not consent_given_on:
        add("consent_given_on", _("Oppgi datoen samtykket ble gitt."))
    if facts.get("exception_agreed_with_health_service") and not (facts.get("exception_justification") or "").strip():
        add("exception_justification", _("Skriv begrunnelsen for unntaket."))
    return problems


def _refuse_duplicate_pending(participant: Participant, team: TreatmentTeam) -> None:
    """One pending referral per person and service: a second one waits for nothing the first does not."""
    pending = Referral.objects.filter(
        participant=participant, team__service_id=team.service_id, decision=Referral.Decision.PENDING
    )
    if pending.exists():
        raise ValidationError(
            _(
                "Personen har allerede en henvisning til dette IPS-tilbudet som ikke er avgjort. "
                "Avgjør den før en ny registreres."
            ),
            code="duplicate",
        )


def referral_eligibility(
    *,
    birth_date: date,
    referred_on: date,
    consent_given_on: date | None,
    facts: dict[str, Any],
    evaluate: Evaluate = rule_evaluate,
) -> RuleResult:
    """The eligibility assessment of a referral (rule "personkrets"), the same for a form, the API and an import
    (which passes ``regelverk.services.rule_evaluator_memoised()`` as ``evaluate``)."""
    return evaluate(
        rule_id="personkrets",
        inputs={"on": referred_on, "birth_date": birth_date, "consent": consent_given_on is not None, **facts},
    )


def referral_create(
    *,
    actor: User,
    participant: Participant,
    team: TreatmentTeam,
    clinician: User,
    referred_on: date,
    goals: str,
    facts: dict[str, Any],
    consent_given_on: date | None = None,
    consent_method: str = "",
    contact_details: dict[str, str] | None = None,
) -> Referral:
    """Record a referral with its eligibility assessment (forskriften § 3-1), stored with reasons and version.

    The first referral of a person names the service that recorded their health facts (``recorded_by``); a later
    referral from another service links to the person and sees none of them. ``contact_details`` (phone, e-mail,
    guardian) go into the referring service's own record of the person, if it has none yet: a service never
    reads or writes over another's (``ParticipantContactDetails``).
    """
    problems = referral_problems(
        birth_date=participant.birth_date,
        referred_on=referred_on,
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        facts=facts,
    )
    if problems:
        raise ValidationError(problems)
    result = referral_eligibility(
        birth_date=participant.birth_date, referred_on=referred_on, consent_given_on=consent_given_on, facts=facts
    )
    with transaction.atomic():
        # Locking the person makes two simultaneous referrals to one service wait for each other.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        _refuse_duplicate_pending(participant, team)
        if participant.recorded_by_id is None:
            before = snapshot(participant, ["recorded_by"])
            participant.recorded_by_id = team.service_id
            participant.save(update_fields=["recorded_by"])
            record_event(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=participant,
                before=before,
                after=snapshot(participant, ["recorded_by"]),
            )
        if contact_details and any(value.strip() for value in contact_details.values()):
            exists = ParticipantContactDetails.objects.filter(participant=participant, service_id=team.service_id)
            if not exists.exists():
                _contact_details_new(actor, participant, team.service, contact_details)
        return _save_new(
            Referral(
                participant=participant,
                team=team,
                clinician=clinician,
                referred_on=referred_on,
                goals=goals,
                consent_given_on=consent_given_on,
                consent_method=consent_method,
                consent_recorded_by=actor if consent_given_on else None,
                facts=facts,
                eligibility_outcome=result.outcome,
                eligibility=result.to_dict(),
            ),
            actor,
        )


def _pending_referral_for_update(referral: Referral) -> Referral:
    """The referral, locked, while it is still undecided; a decided referral is history and is not changed."""
    current = Referral.objects.select_for_update().select_related("participant").get(pk=referral.pk)
    if current.decision != Referral.Decision.PENDING:
        raise ValidationError(_("Henvisningen er allerede avgjort og kan ikke endres."), code="decided")
    return current


def _check_consent(given_on: date | None, method: str) -> None:
    if given_on is None:
        return
    if method not in Referral.ConsentMethod.values:
        raise ValidationError({"consent_method": _("Velg hvordan samtykket ble gitt.")})
    if given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": _("Samtykket kan ikke være gitt fram i tid.")})


def _reassess(referral: Referral) -> None:
    result = referral_eligibility(
        birth_date=referral.participant.birth_date,
        referred_on=referral.referred_on,
        consent_given_on=referral.consent_given_on,
        facts=referral.facts,
    )
    referral.eligibility_outcome, referral.eligibility = result.outcome, result.to_dict()


def referral_record_consent(
    *, actor: User, referral: Referral, given_on: date, method: str, expected_revision: int
) -> Referral:
    """Record consent given after the referral was registered, and assess eligibility again with it (§ 3-1/§ 3-2).

    The assessment is made on the referral date with the facts stored with the referral; a referral from before
    the facts were stored is corrected instead, with the facts entered again."""
    if given_on is None:
        raise ValidationError({"consent_given_on": _("Oppgi datoen samtykket ble gitt.")})
    _check_consent(given_on, method)
    with transaction.atomic():
        current = _pending_referral_for_update(referral)
        if current.consent_given_on is not None:
            raise ValidationError(_("Samtykket er allerede registrert."), code="duplicate")
        if not current.facts:
            raise ValidationError(
                _("Henvisningen mangler opplysningene vurderingen bygger på. Rett henvisningen i stedet."),
                code="no_facts",
            )
        before = snapshot(current)
        current.consent_given_on, current.consent_method, current.consent_recorded_by = given_on, method, actor
        _reassess(current)
        saved = _save_changed(current, actor, before, expected_revision)
    referral.refresh_from_db()
    return saved


def referral_correct(
    *,
    actor: User,
    referral: Referral,
    expected_revision: int,
    reason: str,
    referred_on: date,
    goals: str,
    facts: dict[str, Any],
    consent_given_on: date | None,
    consent_method: str,
) -> Referral:
    """Correct an undecided referral (date, goals, the facts, consent) and assess it again; the reason is audited."""
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor henvisningen rettes.")})
    if not goals.strip():
        raise ValidationError({"goals": _("Skriv personens egne mål.")})
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("Henvisningsdatoen kan ikke være fram i tid.")})
    _check_consent(consent_given_on, consent_method)
    with transaction.atomic():
        current = _pending_referral_for_update(referral)
        before = snapshot(current)
        had_consent = current.consent_given_on is not None
        current.referred_on, current.goals, current.facts = referred_on, goals.strip(), facts
        current.consent_given_on = consent_given_on
        current.consent_method = consent_method if consent_given_on else ""
        if consent_given_on is None:
            current.consent_recorded_by = None
        elif not had_consent:
            current.consent_recorded_by = actor
        _reassess(current)
        saved = _save_changed(current, actor, before, expected_revision, reason=reason)
    referral.refresh_from_db()
    return saved


def referral_withdraw(*, actor: User, referral: Referral, reason: str, on: date, expected_revision: int) -> Referral:
    """Withdraw an undecided referral (registered by mistake, or the person or clinician withdrew it), with why."""
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": _("Skriv hvorfor henvisningen trekkes tilbake.")})
    if on > timezone.localdate():
        raise ValidationError({"decided_on": _("Datoen kan ikke være fram i tid.")})
    with transaction.atomic():
        current = _pending_referral_for_update(referral)
        if on < current.referred_on:
            raise ValidationError({"decided_on": _("Datoen kan ikke være før henvisningsdatoen.")})
        before = snapshot(current)
        current.decision, current.decided_on = Referral.Decision.WITHDRAWN, on
        current.withdrawal_reason = reason.strip()
        saved = _save_changed(current, actor, before, expected_revision)
    referral.refresh_from_db()
    return saved


def referral_refuse(*, actor: User, referral: Referral, reason: str, on: date) -> Referral:
    """Refuse a referral, for one of the reasons the regulation allows and no other (zero exclusion)."""
    if reason not in Referral.RefusalReason.values:
        raise ValidationError({"refusal_reason": _("Velg en av grunnene forskriften tillater.")})
    with transaction.atomic():
        before = snapshot(referral)
        referral.decision, referral.refusal_reason, referral.decided_on = Referral.Decision.REFUSED, reason, on
        return _save_update(referral, actor, before)


def referral_accept(*, actor: User, referral: Referral, on: date, job_specialist: User | None = None) -> Period:
    """Take the person in: a new period waiting to start. One open period per person."""
    if referral.eligibility_outcome != ELIGIBLE:
        raise ValidationError(_("Henvisningen oppfyller ikke vilkårene i forskriften § 3-1 og kan ikke tas inn."))
    if Period.objects.filter(participant=referral.participant, closed_on__isnull=True).exists():
        raise ValidationError(_("Personen har allerede et aktivt forløp. Avslutt det før et nytt startes."))
    try:
        with transaction.atomic():
            referral.decision, referral.decided_on = Referral.Decision.ACCEPTED, on
            referral.save()
            period = _save_new(
                Period(
                    participant=referral.participant,
                    referral=referral,
                    service=referral.team.service,
                    job_specialist=job_specialist,
                ),
                actor,
            )
            StatusChange.objects.create(period=period, status=Period.Status.WAITING, valid_from=on, recorded_by=actor)
    except IntegrityError as race:
        # Two people accepting referrals for the same person at once: the database keeps one open period.
        raise ValidationError(_("Personen har allerede et aktivt forløp. Avslutt det før et nytt startes.")) from race
    return period


def period_terms(
    *, birth_date: date, start_date: date, reduced_work_capacity: bool, evaluate: Evaluate = rule_evaluate
) -> tuple[RuleResult, RuleResult]:
    """The track by age on the start date (rule "tiltaksspor") and the duration with the last permitted day
    (rule "varighet", § 3-5): the same for a started period and an imported one (which passes a memoised
    ``evaluate``, as for ``referral_eligibility``)."""
    track = evaluate(
        rule_id="tiltaksspor", inputs={"on": start_date, "birth_date": birth_date, "start_date": start_date}
    )
    duration = evaluate(
        rule_id="varighet",
        inputs={
            "on": start_date,
            "start_date": start_date,
            "track": track.outcome,
            "reduced_work_capacity": reduced_work_capacity,
        },
    )
    return track, duration


def period_start(*, actor: User, period: Period, start_date: date, expected_revision: int) -> Period:
    """Start the follow-up: the track by age on the start date, the last permitted day by § 3-5."""
    if start_date < period.referral.referred_on:
        raise ValidationError({"start_date": _("Oppstartsdatoen kan ikke være før henvisningsdatoen.")})
    participant = period.participant
    track, duration = period_terms(
        birth_date=participant.birth_date,
        start_date=start_date,
        reduced_work_capacity=participant.has_reduced_work_capacity,
    )
    with transaction.atomic():
        before = snapshot(period)
        period.start_date, period.track = start_date, track.outcome
        period.last_permitted_day = duration.details["last_day"]
        period.duration = duration.to_dict()
        period.status = Period.Status.JOB_SEARCH
        _save_changed(period, actor, before, expected_revision)
        StatusChange.objects.create(period=period, status=period.status, valid_from=start_date, recorded_by=actor)
    return period


def period_close(
    *, actor: User, period: Period, on: date, reason: str, expected_revision: int, text: str = ""
) -> Period:
    """Close the period with a typed reason; "other" needs an explanation."""
    if reason not in Period.ClosureReason.values:
        raise ValidationError({"closure_reason": _("Velg en grunn for avslutningen.")})
    if reason == Period.ClosureReason.OTHER and not text.strip():
        raise ValidationError({"closure_text": _("Forklar hvorfor forløpet avsluttes.")})
    if period.start_date and on < period.start_date:
        raise ValidationError({"closed_on": _("Avslutningsdatoen kan ikke være før oppstartsdatoen.")})
    plausibility.check_closure(period=period, reason=reason)
    with transaction.atomic():
        before = snapshot(period)
        period.closed_on, period.closure_reason, period.closure_text = on, reason, text.strip()
        period.status = Period.Status.CLOSED
        _save_changed(period, actor, before, expected_revision)
        StatusChange.objects.create(period=period, status=period.status, valid_from=on, recorded_by=actor)
    return period


# Brønnøysund assigns organisation numbers starting with 8 or 9; those starting with 1 are made for demo and test.
SYNTHETIC_ORGNR_PREFIX = "1"


def employer_register(*, actor: User, name: str, orgnr: str, municipality=None) -> Employer:
    """Add an employer to the register (IPS principle 7): one registration per organisation number."""
    orgnr = orgnr.replace(" ", "").strip()
    if Employer.objects.filter(orgnr=orgnr).exists():
        raise ValidationError(
            {"orgnr": _("Arbeidsgiveren er allerede registrert. Søk opp arbeidsgiveren i stedet.")}, code="duplicate"
        )
    try:
        with transaction.atomic():
            return _save_new(
                Employer(
                    name=name.strip(),
                    orgnr=orgnr,
                    municipality=municipality,
                    is_synthetic=orgnr.startswith(SYNTHETIC_ORGNR_PREFIX),
                ),
                actor,
            )
    except IntegrityError as race:
        raise ValidationError(
            {"orgnr": _("Arbeidsgiveren er allerede registrert. Søk opp arbeidsgiveren i stedet.")}, code="duplicate"
        ) from race


def employer_contact_record(
    *,
    actor: User,
    employer: Employer,
    on: date,
    face_to_face: bool,
    purpose: str,
    participants: tuple[Participant, ...] | list[Participant] = (),
    result: str = "",
) -> EmployerContact:
    """Record the actor's contact with an employer, for the participants it concerned or as job development."""
    if purpose == EmployerContact.Purpose.NAMED_PARTICIPANTS and not participants:
        raise ValidationError({"participants": _("Velg hvilke deltakere kontakten gjaldt.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Kontakten kan ikke registreres før den har funnet sted.")})
    with transaction.atomic():
        contact = EmployerContact(
            job_specialist=actor, employer=employer, date=on, face_to_face=face_to_face, purpose=purpose, result=result
        )
        contact.full_clean()
        contact.save()
        contact.participants.set(participants)
        after = snapshot(contact) | {"participants": sorted(d.pk for d in participants)}
        record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=contact, after=after)
    return contact


def _open_period_for_update(period: Period, start_date: date, field: str) -> Period:
    """The period, locked, if it is running on ``start_date``; otherwise a field error on ``field``."""
    current = Period.objects.select_for_update().get(pk=period.pk)
    if current.closed_on is not None or current.status == Period.Status.CLOSED:
        raise ValidationError({field: _("Forløpet er avsluttet. Det kan ikke registreres mer på det.")})
    if current.start_date is None:
        raise ValidationError({field: _("Forløpet er ikke startet ennå.")})
    if start_date < current.start_date:
        raise ValidationError({field: _("Datoen kan ikke være før forløpets oppstartsdato.")})
    return current


def _follow_along(period: Period, actor: User, on: date) -> None:
    """Work or education has started: the period moves from job search to follow-along support."""
    if period.status != Period.Status.JOB_SEARCH:
        return
    before = snapshot(period)
    period.status = Period.Status.FOLLOW_ALONG
    _save_changed(period, actor, before, period.revision)
    StatusChange.objects.create(period=period, status=period.status, valid_from=on, recorded_by=actor)


def _assess_job(
    *,
    start_date: date,
    end_date: date | None,
    hours_per_week: Decimal,
    open_labour_market: bool,
    paid_at_least_normal_rate: bool,
    open_to_anyone: bool,
) -> RuleResult:
    """Check a job's dates and hours, and judge whether it counts as ordinary paid work (IPS principle 2)."""
    if hours_per_week is None or Decimal(hours_per_week) <= 0:
        raise ValidationError({"hours_per_week": _("Antall timer per uke må være større enn null.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("Sluttdatoen kan ikke være før startdatoen.")})
    return rule_evaluate(
        rule_id="ordinaert-arbeid",
        inputs={
            "on": start_date,
            "open_labour_market": open_labour_market,
            "at_least_minimum_wage": paid_at_least_normal_rate,
            "open_to_all_applicants": open_to_anyone,
        },
    )


def job_register(
    *,
    actor: User,
    period: Period,
    employer: Employer,
    title: str,
    job_type: str,
    start_date: date,
    hours_per_week: Decimal,
    open_labour_market: bool,
    paid_at_least_normal_rate: bool,
    open_to_anyone: bool,
    end_date: date | None = None,
) -> Job:
    """Register a job; whether it counts as ordinary paid work (IPS principle 2) is decided by the rule."""
    result = _assess_job(
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        open_labour_market=open_labour_market,
        paid_at_least_normal_rate=paid_at_least_normal_rate,
        open_to_anyone=open_to_anyone,
    )
    plausibility.check_job(
        period=period,
        employer=employer,
        title=title,
        start_date=start_date,
        hours_per_week=hours_per_week,
        today=timezone.localdate(),
    )
    with transaction.atomic():
        current = _open_period_for_update(period, start_date, "start_date")
        job = _save_new(
            Job(
                period=current,
                employer=employer,
                title=title.strip(),
                job_type=job_type,
                start_date=start_date,
                end_date=end_date,
                hours_per_week=hours_per_week,
                open_labour_market=open_labour_market,
                paid_at_least_normal_rate=paid_at_least_normal_rate,
                open_to_anyone=open_to_anyone,
                counts_as_outcome=result.outcome == "ordinaert",
                ordinary_work=result.to_dict(),
            ),
            actor,
        )
        _follow_along(current, actor, start_date)
    period.refresh_from_db()
    return job


def job_end(*, actor: User, job: Job, end_date: date) -> Job:
    """Record the last day of a job."""
    if end_date < job.start_date:
        raise ValidationError({"end_date": _("Sluttdatoen kan ikke være før startdatoen.")})
    with transaction.atomic():
        before = snapshot(job)
        job.end_date = end_date
        return _save_update(job, actor, before)


def education_register(
    *,
    actor: User,
    period: Period,
    level: str,
    institution: str,
    start_date: date,
    planned_end: date | None = None,
) -> Education:
    """Register education started during the period (the goal of IPS ung, on a par with work)."""
    if planned_end is not None and planned_end < start_date:
        raise ValidationError({"planned_end": _("Planlagt slutt kan ikke være før startdatoen.")})
    with transaction.atomic():
        current = _open_period_for_update(period, start_date, "start_date")
        education = _save_new(
            Education(
                period=current,
                level=level,
                institution=institution.strip(),
                start_date=start_date,
                planned_end=planned_end,
            ),
            actor,
        )
        _follow_along(current, actor, start_date)
    period.refresh_from_db()
    return education


def education_finish(*, actor: User, education: Education, on: date, completed: bool) -> Education:
    """The education ended: completed, or dropped out."""
    if education.status != Education.Status.ONGOING:
        raise ValidationError({"status": _("Utdanningen er allerede avsluttet.")})
    if on < education.start_date:
        raise ValidationError({"ended_on": _("Sluttdatoen kan ikke være før startdatoen.")})
    with transaction.atomic():
        before = snapshot(education)
        education.status = Education.Status.COMPLETED if completed else Education.Status.DROPPED_OUT
        education.ended_on = on
        return _save_update(education, actor, before)


CAREER_PROFILE_FIELDS = frozenset(
    {
        "interests",
        "strengths",
        "preferences",
        "work_history",
        "education_history",
        "disclosure_wish",
        "disclosure_discussed_on",
        "disclosure_notes",
    }
)


def career_profile_save(*, actor: User, period: Period, expected_revision: int | None, **fields: Any) -> CareerProfile:
    """Create (``expected_revision`` None) or update the career profile (IPS principle 4); stale edits are refused."""
    unknown = sorted(set(fields) - CAREER_PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Feltet finnes ikke i karriereprofilen.") for name in unknown})
    if "disclosure_wish" in fields and fields["disclosure_wish"] not in CareerProfile.DisclosureWish.values:
        raise ValidationError({"disclosure_wish": _("Velg hva personen ønsker om åpenhet.")})
    today = timezone.localdate()
    discussed = fields.get("disclosure_discussed_on")
    if discussed is not None and discussed > today:
        raise ValidationError({"disclosure_discussed_on": _("Datoen kan ikke være fram i tid.")})
    try:
        with transaction.atomic():
            current = Period.objects.select_for_update().get(pk=period.pk)
            if current.closed_on is not None:
                raise ValidationError(_("Forløpet er avsluttet. Det kan ikke registreres mer på det."))
            existing = CareerProfile.objects.filter(period=current).first()
            if expected_revision is None:
                if existing is not None:
                    raise ValidationError(
                        _("Forløpet har allerede en karriereprofil. Last siden på nytt og endre den."), code="stale"
                    )
                plausibility.check_career_profile(fields)
                return _save_new(CareerProfile(period=current, updated_on=today, **fields), actor)
            if existing is None:
                raise ValidationError(_("Karriereprofilen finnes ikke. Last siden på nytt."), code="stale")
            before = snapshot(existing)
            for name, value in fields.items():
                setattr(existing, name, value)
            plausibility.check_career_profile(vars(existing))
            existing.updated_on = today
            return _save_changed(existing, actor, before, expected_revision)
    except IntegrityError as race:
        raise ValidationError(
            _("Forløpet har allerede en karriereprofil. Last siden på nytt og endre den."), code="stale"
        ) from race


def plan_create(*, actor: User, period: Period, purpose: str, on: date) -> FollowUpPlan:
    """Make the follow-up plan of a period (forskriften § 3-3): one plan per period, not for a closed period."""
    if not purpose.strip():
        raise ValidationError({"purpose": _("Skriv formålet med oppfølgingen.")})
    try:
        with transaction.atomic():
            current = Period.objects.select_for_update().get(pk=period.pk)
            if current.closed_on is not None or current.status == Period.Status.CLOSED:
                raise ValidationError({"period": _("Forløpet er avsluttet. Det kan ikke registreres mer på det.")})
            if FollowUpPlan.objects.filter(period=current).exists():
                raise ValidationError(
                    {"period": _("Forløpet har allerede en oppfølgingsplan. Revider den i stedet.")}, code="duplicate"
                )
            if on < current.referral.referred_on:
                raise ValidationError({"created_on": _("Planen kan ikke være laget før henvisningsdatoen.")})
            return _save_new(FollowUpPlan(period=current, purpose=purpose.strip(), created_on=on), actor)
    except IntegrityError as race:
        raise ValidationError(
            {"period": _("Forløpet har allerede en oppfølgingsplan. Revider den i stedet.")}, code="duplicate"
        ) from race


def plan_revise(
    *,
    actor: User,
    plan: FollowUpPlan,
    on: date,
    content: str,
    participant_took_part: bool,
    clinician_took_part: bool,
    job_specialist_took_part: bool,
) -> PlanRevision:
    """Record a revision of the plan with who took part. § 3-3: the plan is made together with the participant."""
    if not participant_took_part:
        raise ValidationError(
            {
                "participant_took_part": _(
                    "Planen skal utarbeides sammen med deltakeren (forskriften § 3-3). "
                    "En revisjon uten deltakeren kan ikke registreres."
                )
            }
        )
    if not content.strip():
        raise ValidationError({"content": _("Skriv innholdet og oppfølgingsaktivitetene slik de ble avtalt.")})
    with transaction.atomic():
        current = FollowUpPlan.objects.select_for_update().select_related("period").get(pk=plan.pk)
        if current.period.closed_on is not None:
            raise ValidationError({"revised_on": _("Forløpet er avsluttet. Det kan ikke registreres mer på det.")})
        if on < current.created_on:
            raise ValidationError({"revised_on": _("Revisjonen kan ikke være før planen ble laget.")})
        previous = current.revisions.order_by("-revised_on").values_list("revised_on", flat=True).first()
        if previous is not None and on < previous:
            raise ValidationError(
                {
                    "revised_on": _("Revisjonen kan ikke være før forrige revisjon (%(date)s).")
                    % {"date": f"{previous:%d.%m.%Y}"}
                }
            )
        return _save_new(
            PlanRevision(
                plan=current,
                revised_on=on,
                content=content.strip(),
                participant_took_part=participant_took_part,
                clinician_took_part=clinician_took_part,
                job_specialist_took_part=job_specialist_took_part,
                recorded_by=actor,
            ),
            actor,
        )


def plan_activity_add(*, actor: User, plan: FollowUpPlan, description: str, due_on: date | None = None) -> PlanActivity:
    """Add a follow-up activity to the plan."""
    if not description.strip():
        raise ValidationError({"description": _("Beskriv aktiviteten.")})
    if due_on is not None and due_on < plan.created_on:
        raise ValidationError({"due_on": _("Fristen kan ikke være før planen ble laget.")})
    with transaction.atomic():
        return _save_new(PlanActivity(plan=plan, description=description.strip(), due_on=due_on), actor)


def plan_activity_set_status(
    *, actor: User, activity: PlanActivity, status: str, expected_revision: int
) -> PlanActivity:
    """Change the status of an activity; a stale edit is refused."""
    if status not in PlanActivity.Status.values:
        raise ValidationError({"status": _("Velg en gyldig status for aktiviteten.")})
    with transaction.atomic():
        before = snapshot(activity)
        activity.status = status
        return _save_changed(activity, actor, before, expected_revision)


def plan_status(*, plan: FollowUpPlan, on: date, max_days: int | None = None) -> RuleResult:
    """Whether the plan is up to date on ``on`` (rule "plan-oppdatert"), from its last revision or its creation."""
    last = plan.revisions.order_by("-revised_on").values_list("revised_on", flat=True).first()
    last_revised = last or plan.created_on
    if on < last_revised:
        raise ValidationError({"on": _("Vurderingsdatoen kan ikke være før planen sist ble revidert.")})
    return rule_evaluate(
        rule_id="plan-oppdatert", inputs={"on": on, "last_revised": last_revised, "max_days": max_days}
    )


def contact_record(
    *, actor: User, period: Period, kind: str, on: date, place: str = "", counterpart: str = "", notes: str = ""
) -> Contact:
    """Record a contact in the follow-up. Meetings with the participant say where they took place (principle 8);
    follow-along contacts come after a job or education has started (principle 8, "tidsubegrenset oppfølging")."""
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Velg hva slags kontakt det var.")})
    if (kind in Contact.KINDS_WITH_PLACE or place) and place not in Contact.Place.values:
        raise ValidationError({"place": _("Velg hvor møtet fant sted.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Kontakten kan ikke registreres før den har funnet sted.")})
    with transaction.atomic():
        current = _open_period_for_update(period, on, "date")
        if kind == Contact.Kind.FOLLOW_ALONG and not _has_started_work_or_education(current, on):
            raise ValidationError(
                {"kind": _("Oppfølging etter start registreres når deltakeren har startet i jobb eller utdanning.")}
            )
        return _save_new(
            Contact(
                period=current,
                kind=kind,
                date=on,
                place=place,
                counterpart=counterpart.strip(),
                notes=notes.strip(),
                recorded_by=actor,
            ),
            actor,
        )


def _has_started_work_or_education(period: Period, on: date) -> bool:
    return period.jobs.filter(start_date__lte=on).exists() or period.educations.filter(start_date__lte=on).exists()


def job_search_record(
    *,
    actor: User,
    period: Period,
    kind: str,
    on: date,
    position: str,
    employer: Employer | None = None,
    employer_name: str = "",
    notes: str = "",
) -> JobSearchEvent:
    """Add an application, interview, offer or rejection to the period's job-search log."""
    if kind not in JobSearchEvent.Kind.values:
        raise ValidationError({"kind": _("Velg hva som skjedde i jobbsøkingen.")})
    if not position.strip():
        raise ValidationError({"position": _("Skriv hvilken stilling det gjaldt.")})
    if employer is None and not employer_name.strip():
        raise ValidationError({"employer": _("Velg arbeidsgiveren eller skriv navnet.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Hendelsen kan ikke registreres før den har skjedd.")})
    with transaction.atomic():
        current = _open_period_for_update(period, on, "date")
        return _save_new(
            JobSearchEvent(
                period=current,
                kind=kind,
                date=on,
                employer=employer,
                employer_name="" if employer else employer_name.strip(),
                position=position.strip(),
                notes=notes.strip(),
                recorded_by=actor,
            ),
            actor,
        )


def in_education_on(period: Period, on: date) -> bool:
    """Whether the participant is in education or training on ``on``, from the period's education records."""
    return period.educations.filter(start_date__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).exists()


def extension_assess(*, period: Period, on: date, in_education: bool | None = None) -> RuleResult:
    """Whether the period can be extended on ``on`` (rule "forlengelse"), from the period's own data.

    A caller that already knows whether the participant is in education (a list annotated in one query) passes
    ``in_education``; otherwise it is read from the period's education records."""
    if period.start_date is None:
        raise ValidationError({"decided_on": _("Forløpet er ikke startet ennå.")})
    return rule_evaluate(
        rule_id="forlengelse",
        inputs={
            "on": on,
            "start_date": period.start_date,
            "track": period.track,
            "reduced_work_capacity": period.participant.has_reduced_work_capacity,
            "in_education": in_education_on(period, on) if in_education is None else in_education,
        },
    )


def period_extend(
    *,
    actor: User,
    period: Period,
    on: date,
    justification: str,
    expected_revision: int,
    extended_to: date | None = None,
) -> Extension:
    """Extend the period as far as the rule allows, or to an earlier day chosen (forskriften § 3-6, proposal § 3-5
    third paragraph). The decision is stored with the rule's reasons; a refused extension saves nothing."""
    if not justification.strip():
        raise ValidationError({"justification": _("Skriv begrunnelsen for forlengelsen.")})
    result = extension_assess(period=period, on=on)
    if result.outcome != "kan_forlenges":
        failed = " ".join(reason_text(reason) for reason in result.reasons if not reason.passed)
        raise ValidationError({"decided_on": _("Forløpet kan ikke forlenges: %(why)s") % {"why": failed}})
    latest = result.details["max_extended_last_day"]
    target = extended_to or latest
    with transaction.atomic():
        current = _open_period_for_update(period, on, "decided_on")
        previous = current.last_permitted_day
        if target > latest:
            raise ValidationError(
                {
                    "extended_to": _("Forløpet kan forlenges til og med %(date)s, ikke lenger.")
                    % {"date": f"{latest:%d.%m.%Y}"}
                }
            )
        if previous is not None and target <= previous:
            raise ValidationError(
                {"extended_to": _("Den nye siste dagen må være etter %(date)s.") % {"date": f"{previous:%d.%m.%Y}"}}
            )
        before = snapshot(current)
        current.last_permitted_day = target
        _save_changed(current, actor, before, expected_revision)
        extension = _save_new(
            Extension(
                period=current,
                decided_on=on,
                previous_last_day=previous,
                extended_to=target,
                justification=justification.strip(),
                rule_result=result.to_dict(),
                decided_by=actor,
            ),
            actor,
        )
    period.refresh_from_db()
    return extension


# What a participant's page may change. The identity number, and the birth date and synthetic flag that follow from
# it, are not among them: a wrong number means another person, who is registered on their own.
PARTICIPANT_EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "municipality",
        "has_psychosis",
        "has_substance_problems",
        "reduced_work_capacity_assessed_on",
    }
)
PARTICIPANT_FIXED_FIELDS = frozenset({*Participant.IDENTITY_FIELDS, "identity_number", "birth_date", "is_synthetic"})


def participant_update(*, actor: User, participant: Participant, expected_revision: int, **fields: Any) -> Participant:
    """Change a participant's names, municipality and health facts; a stale edit is refused.

    Only the fields given are written (``update_fields``), never the encrypted number or its hash, so an edit
    cannot overwrite what the key-rotation command re-encrypted in the meantime.
    """
    fixed = sorted(set(fields) & PARTICIPANT_FIXED_FIELDS)
    if fixed:
        raise ValidationError({name: _("Fødselsnummeret kan ikke endres.") for name in fixed}, code="fixed")
    unknown = sorted(set(fields) - PARTICIPANT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Feltet finnes ikke for deltakeren.") for name in unknown})
    with transaction.atomic():
        current = Participant.objects.get(pk=participant.pk)
        before = snapshot(current)
        # A conditional update, so two saves from the same revision cannot both pass, on any database.
        if (
            Participant.objects.filter(pk=participant.pk, revision=expected_revision).update(
                revision=expected_revision + 1
            )
            != 1
        ):
            raise ValidationError(
                _("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen."),
                code="stale",
            )
        for name, value in fields.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        current.revision = expected_revision + 1
        current.full_clean(exclude=list(Participant.IDENTITY_FIELDS))
        current.save(update_fields=[*sorted(fields), "revision"])
        record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, before=before, after=snapshot(current))
    return current


def _contact_details_new(
    actor: User, participant: Participant, service: IpsService, fields: dict[str, Any]
) -> ParticipantContactDetails:
    unknown = sorted(set(fields) - set(ParticipantContactDetails.FIELDS))
    if unknown:
        raise ValidationError({name: _("Feltet finnes ikke for deltakeren.") for name in unknown})
    values = {name: value.strip() for name, value in fields.items()}
    return _save_new(ParticipantContactDetails(participant=participant, service=service, **values), actor)


def contact_details_record(
    *, actor: User, participant: Participant, service: IpsService, expected_revision: int, **fields: Any
) -> ParticipantContactDetails:
    """Record or change one service's own phone, e-mail and guardian of the person; a stale edit is refused.

    ``expected_revision`` is the revision the user saw, 0 when the service had no record yet. The access check
    (``access.can_edit_contact_details``) decides which service's record the user may write; this never touches
    another service's record.
    """
    with transaction.atomic():
        current = (
            ParticipantContactDetails.objects.select_for_update()
            .filter(participant=participant, service=service)
            .first()
        )
        if current is None and expected_revision == 0:
            try:
                with transaction.atomic():
                    return _contact_details_new(actor, participant, service, fields)
            except IntegrityError:
                current = None  # someone created it a moment ago: answered as stale below
        if current is None or expected_revision == 0:
            raise ValidationError(
                _("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen."),
                code="stale",
            )
        unknown = sorted(set(fields) - set(ParticipantContactDetails.FIELDS))
        if unknown:
            raise ValidationError({name: _("Feltet finnes ikke for deltakeren.") for name in unknown})
        before = snapshot(current)
        for name, value in fields.items():
            setattr(current, name, value.strip())
        return _save_changed(current, actor, before, expected_revision)


# Corrections -----------------------------------------------------------------------------------------------------
# A wrong entry is corrected or deleted with a reason; the audit event keeps what it was, what it became and why.
# Entries of a closed period are history and are not changed.


def _reason_checked(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor det rettes eller slettes.")})
    return reason.strip()


def _running_period_locked(period: Period) -> Period:
    current = Period.objects.select_for_update().get(pk=period.pk)
    if current.closed_on is not None:
        raise ValidationError(_("Forløpet er avsluttet. Det kan ikke registreres mer på det."), code="closed")
    return current


def job_correct(
    *,
    actor: User,
    job: Job,
    reason: str,
    employer: Employer,
    title: str,
    job_type: str,
    start_date: date,
    hours_per_week: Decimal,
    open_labour_market: bool,
    paid_at_least_normal_rate: bool,
    open_to_anyone: bool,
    end_date: date | None = None,
) -> Job:
    """Correct a job as registered; the rule judges the corrected facts again."""
    reason = _reason_checked(reason)
    result = _assess_job(
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        open_labour_market=open_labour_market,
        paid_at_least_normal_rate=paid_at_least_normal_rate,
        open_to_anyone=open_to_anyone,
    )
    plausibility.check_job(
        period=job.period,
        employer=employer,
        title=title,
        start_date=start_date,
        hours_per_week=hours_per_week,
        today=timezone.localdate(),
        corrected=job,
    )
    with transaction.atomic():
        period = _running_period_locked(job.period)
        if period.start_date is not None and start_date < period.start_date:
            raise ValidationError({"start_date": _("Datoen kan ikke være før forløpets oppstartsdato.")})
        current = Job.objects.select_for_update().get(pk=job.pk)
        before = snapshot(current)
        current.employer, current.title, current.job_type = employer, title.strip(), job_type
        current.start_date, current.end_date, current.hours_per_week = start_date, end_date, hours_per_week
        current.open_labour_market = open_labour_market
        current.paid_at_least_normal_rate = paid_at_least_normal_rate
        current.open_to_anyone = open_to_anyone
        current.counts_as_outcome, current.ordinary_work = result.outcome == "ordinaert", result.to_dict()
        return _save_update(current, actor, before, reason=reason)


def contact_correct(
    *,
    actor: User,
    contact: Contact,
    reason: str,
    kind: str,
    on: date,
    place: str = "",
    counterpart: str = "",
    notes: str = "",
) -> Contact:
    """Correct a recorded contact, by the same checks as when it was recorded."""
    reason = _reason_checked(reason)
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Velg hva slags kontakt det var.")})
    if (kind in Contact.KINDS_WITH_PLACE or place) and place not in Contact.Place.values:
        raise ValidationError({"place": _("Velg hvor møtet fant sted.")})
    if on > timezone.localdate():
        raise ValidationError({"date": _("Kontakten kan ikke registreres før den har funnet sted.")})
    with transaction.atomic():
        period = _running_period_locked(contact.period)
        if period.start_date is not None and on < period.start_date:
            raise ValidationError({"date": _("Datoen kan ikke være før forløpets oppstartsdato.")})
        if kind == Contact.Kind.FOLLOW_ALONG and not _has_started_work_or_education(period, on):
            raise ValidationError(
                {"kind": _("Oppfølging etter start registreres når deltakeren har startet i jobb eller utdanning.")}
            )
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        before = snapshot(current)
        current.kind, current.date, current.place = kind, on, place
        current.counterpart, current.notes = counterpart.strip(), notes.strip()
        return _save_update(current, actor, before, reason=reason)


def education_correct(
    *,
    actor: User,
    education: Education,
    reason: str,
    level: str,
    institution: str,
    start_date: date,
    planned_end: date | None = None,
) -> Education:
    """Correct the level, place or dates of a registered education."""
    reason = _reason_checked(reason)
    if planned_end is not None and planned_end < start_date:
        raise ValidationError({"planned_end": _("Planlagt slutt kan ikke være før startdatoen.")})
    with transaction.atomic():
        period = _running_period_locked(education.period)
        if period.start_date is not None and start_date < period.start_date:
            raise ValidationError({"start_date": _("Datoen kan ikke være før forløpets oppstartsdato.")})
        current = Education.objects.select_for_update().get(pk=education.pk)
        if current.ended_on is not None and current.ended_on < start_date:
            raise ValidationError({"start_date": _("Startdatoen kan ikke være etter sluttdatoen.")})
        before = snapshot(current)
        current.level, current.institution = level, institution.strip()
        current.start_date, current.planned_end = start_date, planned_end
        return _save_update(current, actor, before, reason=reason)


def plan_activity_correct(
    *, actor: User, activity: PlanActivity, reason: str, description: str, due_on: date | None = None
) -> PlanActivity:
    """Correct the description or deadline of a plan activity."""
    reason = _reason_checked(reason)
    if not description.strip():
        raise ValidationError({"description": _("Beskriv aktiviteten.")})
    with transaction.atomic():
        _running_period_locked(activity.plan.period)
        current = PlanActivity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
        if due_on is not None and due_on < current.plan.created_on:
            raise ValidationError({"due_on": _("Fristen kan ikke være før planen ble laget.")})
        before = snapshot(current)
        current.description, current.due_on = description.strip(), due_on
        current.revision += 1
        return _save_update(current, actor, before, reason=reason)


def employer_contact_correct(
    *,
    actor: User,
    contact: EmployerContact,
    reason: str,
    employer: Employer,
    on: date,
    face_to_face: bool,
    purpose: str,
    participants: tuple[Participant, ...] | list[Participant] = (),
    result: str = "",
) -> EmployerContact:
    """Correct an employer contact; it stays the job specialist's own (fidelity item 17 counts it for them)."""
    reason = _reason_checked(reason)
    if purpose == EmployerContact.Purpose.NAMED_PARTICIPANTS and not participants:
        raise ValidationError({"participants": _("Velg hvilke deltakere kontakten gjaldt.")})
    if purpose == EmployerContact.Purpose.JOB_DEVELOPMENT:
        participants = ()
    if on > timezone.localdate():
        raise ValidationError({"date": _("Kontakten kan ikke registreres før den har funnet sted.")})
    with transaction.atomic():
        current = EmployerContact.objects.select_for_update().get(pk=contact.pk)
        before = snapshot(current) | {"participants": sorted(current.participants.values_list("pk", flat=True))}
        current.employer, current.date, current.face_to_face = employer, on, face_to_face
        current.purpose, current.result = purpose, result.strip()
        current.full_clean()
        current.save()
        current.participants.set(participants)
        after = snapshot(current) | {
            "participants": sorted(d.pk for d in participants),
            CORRECTION_REASON: reason,
        }
        record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, before=before, after=after)
    return current


# What can be deleted from a period's record, and the period each entry belongs to.
DELETABLE_ENTRIES = (Contact, Job, Education, JobSearchEvent, PlanActivity, Extension)


def _period_of(entry) -> Period:
    return entry.plan.period if isinstance(entry, PlanActivity) else entry.period


def entry_delete(*, actor: User, entry, reason: str) -> None:
    """Delete an entry registered by mistake, with the reason; the audit event keeps all it held.

    Only the latest extension can be deleted, and the period's last day goes back to what it was before it.
    Deleting the only job or education puts a period in follow-along back in job search (``_job_search_again``)."""
    reason = _reason_checked(reason)
    if not isinstance(entry, DELETABLE_ENTRIES):
        raise ValidationError(_("Denne registreringen kan ikke slettes."))
    with transaction.atomic():
        period = _running_period_locked(_period_of(entry))
        if isinstance(entry, Extension):
            latest = period.extensions.order_by("-extended_to", "-pk").first()
            if latest is None or latest.pk != entry.pk:
                raise ValidationError(_("Bare den siste forlengelsen kan slettes."), code="not_latest")
            before_period = snapshot(period)
            period.last_permitted_day = entry.previous_last_day
            _save_changed(period, actor, before_period, period.revision, reason=reason)
        before = snapshot(entry)
        record_event(
            actor=actor, action=AuditEvent.Action.DELETE, obj=entry, before=before, after={CORRECTION_REASON: reason}
        )
        entry.delete()
        if isinstance(entry, Job | Education):
            _job_search_again(period, actor, reason)


def _job_search_again(period: Period, actor: User, reason: str) -> None:
    """A first job or education moved the period to follow-along (``_follow_along``); with the only one deleted as a
    mistake the period never left job search. The status goes back from the day it moved, so the history does not
    claim a follow-along that never was, and the row says why (the audit event of the period keeps ``reason``)."""
    if period.status != Period.Status.FOLLOW_ALONG or period.jobs.exists() or period.educations.exists():
        return
    moved = period.status_history.filter(status=Period.Status.FOLLOW_ALONG).order_by("-recorded_at", "-pk").first()
    before = snapshot(period)
    period.status = Period.Status.JOB_SEARCH
    _save_changed(period, actor, before, period.revision, reason=reason)
    StatusChange.objects.create(
        period=period,
        status=period.status,
        valid_from=moved.valid_from if moved else timezone.localdate(),
        recorded_by=actor,
        reason=StatusChange.Reason.ENTRY_DELETED,
    )


def employer_contact_delete(*, actor: User, contact: EmployerContact, reason: str) -> None:
    """Delete an employer contact registered by mistake, with the reason."""
    reason = _reason_checked(reason)
    with transaction.atomic():
        before = snapshot(contact) | {"participants": sorted(contact.participants.values_list("pk", flat=True))}
        record_event(
            actor=actor, action=AuditEvent.Action.DELETE, obj=contact, before=before, after={CORRECTION_REASON: reason}
        )
        contact.participants.clear()
        contact.delete()


def import_start(*, actor: User, file_name: str, content: bytes) -> ImportJob:
    """Queue a bulk import (``imports.participants_import``) for the background worker; the job records progress."""
    from brobygger.participants.tasks import run_import_job  # the task imports the services

    with transaction.atomic():
        job = ImportJob.objects.create(requested_by=actor, file_name=file_name[:200], content=content)
        record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=job, after=snapshot(job, ["file_name"]))
    return job_enqueue(job, run_import_job)
