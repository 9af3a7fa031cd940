from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from brobygger.accounts import access
from brobygger.audit.forms import AuditSearchForm
from brobygger.audit.queries import search


@login_required
def audit_search(request):
    allowed, reason = access.can_view_audit(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    page = Paginator(search(criteria), 50).get_page(request.GET.get("side"))
    is_access_log = criteria.get("log") == "access"
    return render(request, "audit/search.html", {"form": form, "page": page, "is_access_log": is_access_log})
