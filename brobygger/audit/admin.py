from django.contrib import admin

from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.audit.services import record_event, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Records every admin write in the audit trail, inside the admin's own transaction."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        record_event(actor=request.user, action=action, obj=obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        record_event(actor=request.user, action=AuditEvent.Action.DELETE, obj=obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Searchable, never editable: the trail is append-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor__username", "object_type", "object_id"]
    date_hierarchy = "at"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "purpose", "object_type", "object_id"]
    list_filter = ["purpose", "object_type"]
    search_fields = ["actor__username", "object_type", "object_id"]
    date_hierarchy = "at"
