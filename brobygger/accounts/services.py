"""Writes to organisations and IPS services: atomic, audited, keyword-only."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brobygger.accounts import access
from brobygger.accounts.models import IpsService, Organisation, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot

PREFERENCE_FIELDS = ("language", "daily_digest")


def _m2m_ids(obj, name: str) -> list[int]:
    return sorted(getattr(obj, name).values_list("pk", flat=True))


def organisation_create(*, actor: User, data: dict[str, Any]) -> Organisation:
    with transaction.atomic():
        organisation = Organisation(**data)
        organisation.full_clean()
        organisation.save()
        record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=organisation, after=snapshot(organisation))
    return organisation


def organisation_update(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    with transaction.atomic():
        before = snapshot(Organisation.objects.select_for_update().get(pk=organisation.pk))
        for name, value in data.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=organisation,
            before=before,
            after=snapshot(organisation),
        )
    return organisation


def _service_snapshot(service: IpsService) -> dict[str, Any]:
    return snapshot(service) | {
        "owners": _m2m_ids(service, "owners"),
        "municipalities": _m2m_ids(service, "municipalities"),
    }


def ips_service_save(
    *, actor: User, service: IpsService, owners: list[Organisation], municipalities: list
) -> IpsService:
    """Create or update an IPS service with its owners and the municipalities it covers."""
    with transaction.atomic():
        adding = service._state.adding
        before = {} if adding else _service_snapshot(IpsService.objects.select_for_update().get(pk=service.pk))
        service.full_clean()
        service.save()
        service.owners.set(owners)
        service.municipalities.set(municipalities)
        action = AuditEvent.Action.CREATE if adding else AuditEvent.Action.UPDATE
        record_event(actor=actor, action=action, obj=service, before=before, after=_service_snapshot(service))
    return service


def user_preferences_save(*, actor: User, language: str, daily_digest: bool) -> User:
    """The user's own choices: the language of the pages and whether to get the daily e-mail with alerts."""
    if language not in {"", *(code for code, _name in settings.LANGUAGES)}:
        raise ValidationError({"language": _("Velg et språk fra listen.")})
    if daily_digest:
        allowed, reason = access.can_receive_digest(actor)
        if not allowed:
            raise ValidationError({"daily_digest": reason})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        before = snapshot(user, PREFERENCE_FIELDS)
        user.language, user.daily_digest = language, bool(daily_digest)
        user.save(update_fields=list(PREFERENCE_FIELDS))
        record_event(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            before=before,
            after=snapshot(user, PREFERENCE_FIELDS),
        )
    actor.language, actor.daily_digest = user.language, user.daily_digest
    return user
