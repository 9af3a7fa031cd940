"""What every write in the grant scheme shares: the authority check, the audited save and delete, whole kroner, the
four-eyes rule, and amounts as the refusals print them. The services (``services``, ``control``, ``payments``,
``annual_reports``) call these; each records its ``AuditEvent`` in the caller's transaction.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import Organisation, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.grants import access
from brobygger.grants.models import MAX_KRONER, Signature


def record(actor: User | None, action: str, obj, before: dict[str, Any] | None = None) -> None:
    """The audit event of a write: the object as it is now, and as it was (``before``) for a change."""
    record_event(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def require(decision: tuple[bool, str]) -> None:
    """An ``access.can_<action>`` answer as a refusal: ``PermissionDenied`` with its reason."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def save(obj, actor: User | None, before: dict[str, Any] | None = None, *, exclude: list[str] | None = None):
    """Validate (the model's constraints, in bokmål), save and record it: a change when ``before`` is given."""
    obj.full_clean(exclude=exclude)
    obj.save()
    record(actor, AuditEvent.Action.UPDATE if before is not None else AuditEvent.Action.CREATE, obj, before)
    return obj


def delete(obj, actor: User | None) -> None:
    """Delete and record it, with what it was."""
    record_event(actor=actor, action=AuditEvent.Action.DELETE, obj=obj, before=snapshot(obj), after={})
    obj.delete()


def kroner(value: Any, field: str, *, allow_none: bool = False) -> Decimal | None:
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


def four_eyes(actor: User, other: User, message: str) -> None:
    """Approval needs approval authority and someone other than ``other``, who prepared or submitted it."""
    require(access.can_approve(actor))
    if actor.pk == other.pk:
        raise PermissionDenied(message)


def thousands(amount: Decimal | int) -> str:
    """Whole kroner with a space between thousands, as the refusals print them: 1 400 000."""
    return f"{int(amount):,}".replace(",", " ")


def signer_problems(
    organisation: Organisation, authority: str, name: str, signed_on: date, *, chair_message: str
) -> dict[str, str]:
    """What is wrong with a signature for ``organisation``, by field (regelverket pkt. 4): a municipality signs by the
    municipal director, others by the chair of the board (``chair_message`` names the document), or either by
    someone with signing authority; a name; a date not in the future."""
    municipal = organisation.org_type == Organisation.Type.MUNICIPALITY
    allowed = {Signature.Authority.DELEGATED} | (
        {Signature.Authority.MUNICIPAL_DIRECTOR} if municipal else {Signature.Authority.CHAIR}
    )
    problems = {}
    if authority not in allowed:
        problems["authority"] = (
            _("En kommune signeres av kommunedirektøren eller den som har signeringsfullmakt.")
            if municipal
            else chair_message
        )
    if not (name or "").strip():
        problems["name"] = _("Oppgi navnet på den som signerer.")
    if signed_on > timezone.localdate():
        problems["signed_on"] = _("Datoen for underskriften kan ikke være fram i tid.")
    return problems
