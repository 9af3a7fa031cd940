from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import (
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Rolle"), {"fields": ["role"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Rolle"), {"fields": ["role"]}))
    inlines = [MembershipInline]


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
