"""Writes on the pathway: atomic, audited, rule-based, and refusing stale edits.

Every change of a referral or period takes the revision the user saw; if someone else saved in between, the
save is refused with a clear message instead of silently overwriting their work.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from brobygger.accounts.models import TreatmentTeam, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.participants import identity
from brobygger.participants.models import Deltaker, Forlop, ForlopStatus, Henvisning
from brobygger.regelverk.services import rule_evaluate

ELIGIBLE = "oppfylt"


def _save_new(obj, actor: User):
    obj.full_clean()
    obj.save()
    record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj))
    return obj


def _save_changed(obj, actor: User, before: dict[str, Any], expected_revision: int):
    """Save only if nobody else saved since the user loaded ``expected_revision``."""
    model = type(obj)
    if model.objects.filter(pk=obj.pk, revision=expected_revision).update(revision=expected_revision + 1) != 1:
        raise ValidationError(
            _("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen."),
            code="stale",
        )
    obj.revision = expected_revision + 1
    obj.full_clean()
    obj.save()
    record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, before=before, after=snapshot(obj))
    return obj


def deltaker_register(*, actor: User, identity_number: str, kommune, **fields: Any) -> Deltaker:
    """Register a participant; the same person is found again by the keyed hash, never by the number itself."""
    number = identity.validate_identity_number(identity_number, allow_synthetic=identity.allow_synthetic())
    key = identity.identity_hash(number)
    if Deltaker.objects.filter(identity_hash=key).exists():
        raise ValidationError(
            {"identity_number": _("Personen er allerede registrert. Søk opp personen i stedet.")}, code="duplicate"
        )
    with transaction.atomic():
        return _save_new(
            Deltaker(
                identity_encrypted=identity.encrypt_identity(number),
                identity_hash=key,
                birth_date=identity.birth_date_of(number),
                kommune=kommune,
                is_synthetic=identity.is_synthetic(number),
                **fields,
            ),
            actor,
        )


def henvisning_create(
    *,
    actor: User,
    deltaker: Deltaker,
    team: TreatmentTeam,
    clinician: User,
    referred_on: date,
    goals: str,
    facts: dict[str, Any],
    consent_given_on: date | None = None,
    consent_method: str = "",
) -> Henvisning:
    """Record a referral with its eligibility assessment (forskriften § 3-1), stored with reasons and version."""
    result = rule_evaluate(
        rule_id="personkrets",
        inputs={"on": referred_on, "birth_date": deltaker.birth_date, "consent": consent_given_on is not None, **facts},
    )
    with transaction.atomic():
        return _save_new(
            Henvisning(
                deltaker=deltaker,
                team=team,
                clinician=clinician,
                referred_on=referred_on,
                goals=goals,
                consent_given_on=consent_given_on,
                consent_method=consent_method,
                consent_recorded_by=actor if consent_given_on else None,
                eligibility_outcome=result.outcome,
                eligibility=result.to_dict(),
            ),
            actor,
        )


def henvisning_refuse(*, actor: User, henvisning: Henvisning, reason: str, on: date) -> Henvisning:
    """Refuse a referral, for one of the reasons the regulation allows and no other (zero exclusion)."""
    if reason not in Henvisning.RefusalReason.values:
        raise ValidationError({"refusal_reason": _("Velg en av grunnene forskriften tillater.")})
    with transaction.atomic():
        before = snapshot(henvisning)
        henvisning.decision, henvisning.refusal_reason, henvisning.decided_on = Henvisning.Decision.REFUSED, reason, on
        henvisning.full_clean()
        henvisning.save()
        record_event(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=henvisning, before=before, after=snapshot(henvisning)
        )
    return henvisning


def henvisning_accept(*, actor: User, henvisning: Henvisning, on: date, job_specialist: User | None = None) -> Forlop:
    """Take the person in: a new period waiting to start. One open period per person."""
    if henvisning.eligibility_outcome != ELIGIBLE:
        raise ValidationError(_("Henvisningen oppfyller ikke vilkårene i forskriften § 3-1 og kan ikke tas inn."))
    if Forlop.objects.filter(deltaker=henvisning.deltaker, closed_on__isnull=True).exists():
        raise ValidationError(_("Personen har allerede et aktivt forløp. Avslutt det før et nytt startes."))
    try:
        with transaction.atomic():
            henvisning.decision, henvisning.decided_on = Henvisning.Decision.ACCEPTED, on
            henvisning.save()
            forlop = _save_new(
                Forlop(
                    deltaker=henvisning.deltaker,
                    henvisning=henvisning,
                    service=henvisning.team.service,
                    job_specialist=job_specialist,
                ),
                actor,
            )
            ForlopStatus.objects.create(forlop=forlop, status=Forlop.Status.WAITING, valid_from=on, recorded_by=actor)
    except IntegrityError as race:
        # Two people accepting referrals for the same person at once: the database keeps one open period.
        raise ValidationError(_("Personen har allerede et aktivt forløp. Avslutt det før et nytt startes.")) from race
    return forlop


def forlop_start(*, actor: User, forlop: Forlop, start_date: date, expected_revision: int) -> Forlop:
    """Start the follow-up: the track by age on the start date, the last permitted day by § 3-5."""
    if start_date < forlop.henvisning.referred_on:
        raise ValidationError({"start_date": _("Oppstartsdatoen kan ikke være før henvisningsdatoen.")})
    deltaker = forlop.deltaker
    track = rule_evaluate(
        rule_id="tiltaksspor", inputs={"on": start_date, "birth_date": deltaker.birth_date, "start_date": start_date}
    )
    duration = rule_evaluate(
        rule_id="varighet",
        inputs={
            "on": start_date,
            "start_date": start_date,
            "track": track.outcome,
            "reduced_work_capacity": deltaker.has_reduced_work_capacity,
        },
    )
    with transaction.atomic():
        before = snapshot(forlop)
        forlop.start_date, forlop.track = start_date, track.outcome
        forlop.last_permitted_day = duration.details["last_day"]
        forlop.duration = duration.to_dict()
        forlop.status = Forlop.Status.JOB_SEARCH
        _save_changed(forlop, actor, before, expected_revision)
        ForlopStatus.objects.create(forlop=forlop, status=forlop.status, valid_from=start_date, recorded_by=actor)
    return forlop


def forlop_close(
    *, actor: User, forlop: Forlop, on: date, reason: str, expected_revision: int, text: str = ""
) -> Forlop:
    """Close the period with a typed reason; "other" needs an explanation."""
    if reason not in Forlop.ClosureReason.values:
        raise ValidationError({"closure_reason": _("Velg en grunn for avslutningen.")})
    if reason == Forlop.ClosureReason.OTHER and not text.strip():
        raise ValidationError({"closure_text": _("Forklar hvorfor forløpet avsluttes.")})
    if forlop.start_date and on < forlop.start_date:
        raise ValidationError({"closed_on": _("Avslutningsdatoen kan ikke være før oppstartsdatoen.")})
    with transaction.atomic():
        before = snapshot(forlop)
        forlop.closed_on, forlop.closure_reason, forlop.closure_text = on, reason, text.strip()
        forlop.status = Forlop.Status.CLOSED
        _save_changed(forlop, actor, before, expected_revision)
        ForlopStatus.objects.create(forlop=forlop, status=forlop.status, valid_from=on, recorded_by=actor)
    return forlop
