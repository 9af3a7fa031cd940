"""Writes to organisations, IPS services, second-factor devices, roles and memberships: atomic, audited,
keyword-only."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from brobygger.accounts import access
from brobygger.accounts.models import (
    ROLES_WITHOUT_PERSONAL_DATA,
    AccessGrant,
    IpsService,
    Membership,
    Organisation,
    Role,
    TreatmentTeam,
    User,
)
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


# --- Second factor ------------------------------------------------------------------------------------------------

# Only these fields of a device reach the audit trail: the TOTP key and the recovery codes are secrets.
DEVICE_AUDIT_FIELDS = ("user_id", "name", "confirmed")


def second_factor_enrol_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device to scan; a fresh key each time until one is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=actor, name=str(_("Autentiseringsapp")), confirmed=False)
    return device


def second_factor_enrol_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a code from the app; returns the recovery codes, which are shown this once only."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor, confirmed=False)
        if not device.verify_token("".join(token.split())):
            raise ValidationError({"token": _("Koden stemmer ikke. Skriv inn den sekssifrede koden appen viser nå.")})
        TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(
            actor=actor, action=AuditEvent.Action.CREATE, obj=device, after=snapshot(device, DEVICE_AUDIT_FIELDS)
        )
        StaticDevice.objects.filter(user=actor).delete()
        recovery = StaticDevice.objects.create(user=actor, name=str(_("Gjenopprettingskoder")))
        codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        record_event(
            actor=actor, action=AuditEvent.Action.CREATE, obj=recovery, after=snapshot(recovery, DEVICE_AUDIT_FIELDS)
        )
    return codes


def second_factor_device_delete(*, actor: User, device: TOTPDevice | StaticDevice) -> None:
    """The user lost the app (or the codes): delete the device, and the next login asks for a new one."""
    with transaction.atomic():
        record_event(
            actor=actor, action=AuditEvent.Action.DELETE, obj=device, before=snapshot(device, DEVICE_AUDIT_FIELDS)
        )
        device.delete()


# --- Access: roles, memberships and their approval ----------------------------------------------------------------

# The account fields that decide what a user may reach; widening any of them needs a second administrator.
ACCESS_FIELDS = ("role", "is_active", "is_staff", "is_superuser")


def _widens_access(user: User, changes: dict[str, Any]) -> bool:
    role = changes.get("role", user.role)
    active = changes.get("is_active", user.is_active)
    if not active:
        return False
    if changes.get("is_staff") or changes.get("is_superuser"):
        return True
    new_role_sees_more = "role" in changes and role != user.role and role not in ROLES_WITHOUT_PERSONAL_DATA
    activated = changes.get("is_active") and not user.is_active and role not in ROLES_WITHOUT_PERSONAL_DATA
    return bool(new_role_sees_more or activated)


def _refuse_oneself(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise ValidationError(_("Du kan ikke endre din egen rolle eller tilgang; be en annen systemadministrator."))


def _require_administrator(actor: User) -> None:
    if actor.role != Role.SYSTEM_ADMINISTRATOR or not actor.is_active:
        raise ValidationError(_("Bare systemadministratorer kan endre roller og tilganger."))


def user_access_change(*, actor: User, user: User, changes: dict[str, Any]) -> AccessGrant | None:
    """Change a user's role or account flags: narrowing applies now, widening waits for a second administrator.

    Returns the pending grant when the change waits for approval, None when it was applied.
    """
    _require_administrator(actor)
    changes = {name: value for name, value in changes.items() if name in ACCESS_FIELDS and getattr(user, name) != value}
    if not changes:
        return None
    _refuse_oneself(actor, user)
    with transaction.atomic():
        if _widens_access(user, changes):
            grant = AccessGrant.objects.create(user=user, changes=changes, requested_by=actor)
            record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=grant, after=snapshot(grant))
            return grant
        _apply_changes(actor=actor, user=user, changes=changes)
    return None


def _apply_changes(*, actor: User, user: User, changes: dict[str, Any]) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, ACCESS_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value)
        setattr(user, name, value)
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=list(changes))
    record_event(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=locked, before=before, after=snapshot(locked, ACCESS_FIELDS)
    )


def membership_request(
    *, actor: User, user: User, service: IpsService, team: TreatmentTeam | None = None
) -> AccessGrant | Membership:
    """A membership opens the service's participants to roles that see personal data: those wait for approval."""
    _require_administrator(actor)
    _refuse_oneself(actor, user)
    if team is not None and team.service_id != service.pk:
        raise ValidationError({"team": _("Behandlingsteamet hører ikke til dette IPS-tilbudet.")})
    if Membership.objects.filter(user=user, service=service, team=team).exists():
        raise ValidationError(_("Brukeren er allerede medlem her."))
    with transaction.atomic():
        if user.sees_personal_data:
            grant = AccessGrant.objects.create(user=user, service=service, team=team, requested_by=actor)
            record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=grant, after=snapshot(grant))
            return grant
        return _membership_create(actor=actor, user=user, service=service, team=team)


def _membership_create(*, actor: User, user: User, service: IpsService, team: TreatmentTeam | None) -> Membership:
    membership = Membership(user=user, service=service, team=team)
    membership.full_clean()
    membership.save()
    record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=membership, after=snapshot(membership))
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    """Taking access away never waits: anyone's, by any system administrator."""
    _require_administrator(actor)
    with transaction.atomic():
        record_event(actor=actor, action=AuditEvent.Action.DELETE, obj=membership, before=snapshot(membership))
        membership.delete()


def access_grant_approve(*, actor: User, grant: AccessGrant) -> None:
    """A second administrator, neither the one who asked nor the one who gets the access, applies the grant."""
    _require_administrator(actor)
    with transaction.atomic():
        grant = AccessGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
        _check_decidable(actor, grant)
        if grant.service_id:
            _membership_create(actor=actor, user=grant.user, service=grant.service, team=grant.team)
        else:
            _apply_changes(actor=actor, user=grant.user, changes=grant.changes)
        _decide(actor, grant, AccessGrant.Status.APPROVED)


def access_grant_reject(*, actor: User, grant: AccessGrant) -> None:
    _require_administrator(actor)
    with transaction.atomic():
        grant = AccessGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
        _check_decidable(actor, grant)
        _decide(actor, grant, AccessGrant.Status.REJECTED)


def _check_decidable(actor: User, grant: AccessGrant) -> None:
    if grant.status != AccessGrant.Status.PENDING:
        raise ValidationError(_("Denne forespørselen er allerede avgjort."))
    _refuse_oneself(actor, grant.user)
    if actor.pk == grant.requested_by_id:
        raise ValidationError(_("En annen systemadministrator enn den som ba om tilgangen, må godkjenne den."))


def _decide(actor: User, grant: AccessGrant, status: str) -> None:
    before = snapshot(grant)
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=grant, before=before, after=snapshot(grant))


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
