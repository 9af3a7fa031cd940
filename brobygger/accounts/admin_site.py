from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class BrobyggerAdminSite(AdminSite):
    site_header = _("Brobygger – systemadministrasjon")
    site_title = _("Brobygger")

    def has_permission(self, request):
        from brobygger.accounts.access import can_use_admin

        return can_use_admin(request.user)[0]
