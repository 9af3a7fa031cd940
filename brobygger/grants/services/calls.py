"""Calls (*utlysninger*): created, published and closed by grant officers."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.accounts.models import User
from brobygger.audit.services import snapshot
from brobygger.grants import access, writes
from brobygger.grants.models import (
    Call,
)


def rules_on(call: Call) -> date:
    """The regulation an application is handled by: the one in force on the call's deadline."""
    return call.deadline


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
    writes.require(access.can_manage_calls(actor))
    frame = writes.kroner(budget_frame, "budget_frame")
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
        return writes.save(call, actor)


def call_publish(*, actor: User, call: Call) -> Call:
    writes.require(access.can_manage_calls(actor))
    if call.status != Call.Status.DRAFT:
        raise ValidationError(_("Bare et utkast kan publiseres."), code="status")
    with transaction.atomic():
        before = snapshot(call)
        call.status, call.published_at = Call.Status.PUBLISHED, timezone.now()
        return writes.save(call, actor, before)


def call_close(*, actor: User, call: Call) -> Call:
    writes.require(access.can_manage_calls(actor))
    if call.status != Call.Status.PUBLISHED:
        raise ValidationError(_("Bare en publisert utlysning kan avsluttes."), code="status")
    with transaction.atomic():
        before = snapshot(call)
        call.status = Call.Status.CLOSED
        return writes.save(call, actor, before)
