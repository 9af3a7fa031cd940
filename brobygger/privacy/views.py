"""Pages for the data protection duties: an access report for a person, and erasure after the retention period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from brobygger.privacy import access, services
from brobygger.privacy.forms import AccessReportForm, RetentionRunForm
from brobygger.submit import submit


def _require_duties(user) -> None:
    allowed, reason = access.can_carry_out_privacy_duties(user)
    if not allowed:
        raise PermissionDenied(reason)


@login_required
@never_cache
def index(request):
    _require_duties(request.user)
    due = services.retention_run(actor=request.user, on=timezone.localdate(), apply=False)
    context = {"report_form": AccessReportForm(), "retention_form": RetentionRunForm(), "due": due}
    return render(request, "privacy/index.html", context)


@login_required
@never_cache
@require_POST
@sensitive_post_parameters("identity_number")
def access_report(request):
    _require_duties(request.user)
    form = AccessReportForm(request.POST)
    pdf = submit(form, lambda data: services.access_report_pdf(identity_number=data["identity_number"]))
    if pdf is None:
        due = services.retention_run(actor=request.user, on=timezone.localdate(), apply=False)
        context = {"report_form": form, "retention_form": RetentionRunForm(), "due": due}
        return render(request, "privacy/index.html", context, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="innsyn.pdf"'
    return response


@login_required
@require_POST
def retention(request):
    _require_duties(request.user)
    form = RetentionRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kryss av for at du vil anonymisere før du kjører slettingen."))
        return redirect("privacy_index")
    run = services.retention_run(actor=request.user, on=timezone.localdate(), apply=True)
    messages.success(request, _("%(count)s personer er anonymisert.") % {"count": run.count})
    return redirect("privacy_index")
