"""Pages: bulk import of people, referrals and periods for IPS leaders. Thin views over imports.py and services.

The file goes to the background worker; the job page shows its progress and, if the file cannot be imported,
every problem by row and column. Nothing from the file is ever put in a URL.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from brobygger.participants import access, imports, services

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller Excel)"),
        help_text=gettext_lazy("Bruk malen. Høyst 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Filen må være en CSV-fil (.csv) eller et Excel-regneark (.xlsx)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er for stor (høyst 20 MB). Del den opp i flere filer."))
        return upload


def _require_import(user) -> None:
    allowed, reason = access.can_import(user)
    if not allowed:
        raise PermissionDenied(reason)


@login_required
@never_cache
def import_upload(request):
    user = request.user
    _require_import(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_start(actor=user, file_name=upload.name, content=upload.read())
        return redirect("import_job", pk=job.pk)
    return render(request, "participants/import.html", {"form": form, "columns": imports.COLUMNS})


@login_required
@never_cache
def import_job(request, pk: int):
    """The import's progress; the status part reloads itself every second until the job is finished."""
    _require_import(request.user)
    job = access.get_import_job_for_user(request.user, pk)
    template = "participants/_import_status.html" if request.htmx else "participants/import_job.html"
    return render(request, template, {"job": job})


@login_required
def import_template(request, fmt: str):
    _require_import(request.user)
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importmal-deltakere.{fmt}"'
    return response
