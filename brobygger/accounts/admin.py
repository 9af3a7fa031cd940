from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from brobygger.accounts import services
from brobygger.accounts.models import (
    AccessGrant,
    County,
    IpsService,
    JobSpecialist,
    JobSpecialistUnit,
    Membership,
    Municipality,
    Organisation,
    TreatmentTeam,
    User,
)
from brobygger.audit.admin import AuditedAdmin

PENDING_MESSAGE = _("Tilgangen venter på godkjenning fra en annen systemadministrator (Tilganger til godkjenning).")


class MembershipInline(admin.TabularInline):
    """New memberships become requests (accounts.services.membership_request); existing ones can only be removed."""

    model = Membership
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.pk != request.user.pk

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.pk != request.user.pk


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Role and account flags go through accounts.services.user_access_change: widening waits for approval."""

    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Rolle"), {"fields": ["role"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Rolle"), {"fields": ["role"]}))
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Nobody changes their own access, not even by editing their own account.
        if obj is not None and obj.pk == request.user.pk:
            return [*super().get_readonly_fields(request, obj), *services.ACCESS_FIELDS, "groups", "user_permissions"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        requested = {name: getattr(obj, name) for name in services.ACCESS_FIELDS}
        if change:
            current = User.objects.get(pk=obj.pk)
            for name in services.ACCESS_FIELDS:
                setattr(obj, name, getattr(current, name))
        else:
            # A new account starts without access; activating it is a change like any other.
            obj.is_active, obj.is_staff, obj.is_superuser = False, False, False
            requested.pop("role")
        super().save_model(request, obj, form, change)
        if services.user_access_change(actor=request.user, user=obj, changes=requested):
            messages.info(request, PENDING_MESSAGE)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            result = services.membership_request(
                actor=request.user, user=form.instance, service=membership.service, team=membership.team
            )
            if isinstance(result, AccessGrant):
                messages.info(request, PENDING_MESSAGE)
        for membership in formset.deleted_objects:
            services.membership_remove(actor=request.user, membership=membership)
        return None


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    """Pending access: another system administrator approves or rejects it with the actions."""

    list_display = ["__str__", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, done: str) -> None:
        for grant in queryset:
            try:
                service(actor=request.user, grant=grant)
            except ValidationError as error:
                messages.error(request, f"{grant}: {' '.join(error.messages)}")
            else:
                messages.success(request, f"{grant}: {done}")

    @admin.action(description=_("Godkjenn valgte tilganger"))
    def approve(self, request, queryset):
        self._decide(request, queryset, services.access_grant_approve, gettext("godkjent"))

    @admin.action(description=_("Avvis valgte tilganger"))
    def reject(self, request, queryset):
        self._decide(request, queryset, services.access_grant_reject, gettext("avvist"))


class SecondFactorDeviceAdmin(admin.ModelAdmin):
    """Lost phone and recovery codes: the administrator deletes the device and the user sets up a new one."""

    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.second_factor_device_delete(actor=request.user, device=obj)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            self.delete_model(request, device)


for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
    admin.site.register(device_model, SecondFactorDeviceAdmin)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "orgnr", "org_type", "is_synthetic"]
    list_filter = ["org_type", "is_synthetic"]
    search_fields = ["name", "orgnr"]


@admin.register(IpsService)
class IpsServiceAdmin(AuditedAdmin):
    list_display = ["name", "anchoring", "health_region", "offers_ips_ung", "start_date"]
    list_filter = ["anchoring", "health_region", "offers_ips_ung"]
    filter_horizontal = ["owners", "municipalities"]


@admin.register(TreatmentTeam)
class TreatmentTeamAdmin(AuditedAdmin):
    list_display = ["name", "team_type", "service"]
    list_filter = ["team_type"]


@admin.register(JobSpecialistUnit)
class JobSpecialistUnitAdmin(AuditedAdmin):
    list_display = ["name", "service", "leader"]


@admin.register(JobSpecialist)
class JobSpecialistAdmin(AuditedAdmin):
    list_display = ["user", "unit", "position_fraction", "employer_kind"]


@admin.register(County)
class CountyAdmin(AuditedAdmin):
    list_display = ["number", "name", "valid_from", "valid_to"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to"]
    list_filter = ["county"]
    search_fields = ["number", "name"]
