"""Appeals (*klager*): registered in time or not, a preliminary reply, reconsideration by the Directorate (a new
decision) or forwarding to the Ministry, and the next step on the officer's list."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import User
from brobygger.audit.services import snapshot
from brobygger.grants import access, letters, writes
from brobygger.grants.models import (
    Appeal,
    Decision,
    Sanction,
)
from brobygger.grants.services.decisions import decision_prepare
from brobygger.rules.dates import add_months


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
    writes.require(access.can_process(actor))
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
        return writes.save(appeal, actor)


def appeal_preliminary_reply(*, actor: User, appeal: Appeal, on: date) -> Appeal:
    writes.require(access.can_process(actor))
    if on < appeal.received_on:
        raise ValidationError({"on": _("Et foreløpig svar kan ikke sendes før klagen kom.")})
    with transaction.atomic():
        before = snapshot(appeal)
        appeal.preliminary_reply_on = on
        return writes.save(appeal, actor, before)


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
        writes.save(appeal, actor, before)
    return decision


def appeal_forward(*, actor: User, appeal: Appeal, reconsideration: str, on: date | None = None) -> Appeal:
    """The Directorate upholds its decision (fvl. § 33) and sends the case to the Ministry with a summary."""
    writes.require(access.can_process(actor))
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
        return writes.save(appeal, actor, before)


def appeal_ministry_outcome(*, actor: User, appeal: Appeal, outcome: str, decided_on: date) -> Appeal:
    writes.require(access.can_process(actor))
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
        return writes.save(appeal, actor, before)


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
        month = add_months(appeal.received_on, 1)
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
