"""The figures for the Ministry under /tilskudd/tall/: a page with charts and tables, and the same as XLSX and PDF.

For grant officers and analysts (``access.can_view_figures``). The participant figures are the published ones, so
the page queues their computation as the statistics pages do (on the first visit, and again after the data
change) and reloads when they are ready; the exports wait for them.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.grants import access
from brobygger.grants import figures as ministry
from brobygger.reporting import access as reporting_access
from brobygger.reporting import services as reporting_services
from brobygger.reporting import tables
from brobygger.routers import reads_from_replica

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class YearForm(forms.Form):
    ar = forms.TypedChoiceField(label=gettext_lazy("År"), coerce=int)

    def __init__(self, data, *, today):
        super().__init__(data)
        self.fields["ar"].choices = [(year, str(year)) for year in ministry.year_choices(today)]
        self.fields["ar"].error_messages["invalid_choice"] = _("Velg et år fra listen.")


def _year_form(request: HttpRequest) -> YearForm:
    today = timezone.localdate()
    return YearForm(request.GET if "ar" in request.GET else {"ar": ministry.default_year(today)}, today=today)


def _require(request: HttpRequest) -> None:
    allowed, reason = access.can_view_figures(request.user)
    if not allowed:
        raise PermissionDenied(reason)


@login_required
@reads_from_replica
def figures(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "grants/figures/page.html", {"form": form}, status=400)
    year = form.cleaned_data["ar"]
    refreshing = []
    if reporting_access.sees_published_only(request.user):
        refreshing = reporting_services.figures_refresh(
            actor=request.user, periods=ministry.periods(ministry.scheme_years(year))
        )
    if request.htmx:
        # The page waiting for its figures asks every few seconds: nothing new yet, or reload when they are ready.
        response = HttpResponse(status=204)
        if not refreshing:
            response["HX-Refresh"] = "true"
        return response
    result = ministry.ministry_figures(request.user, year)
    context = {
        "form": form,
        "result": result,
        "refreshing": refreshing,
        "query": f"ar={year}",
        "hidden_sign": tables.HIDDEN,
    }
    return render(request, "grants/figures/page.html", context)


def _export(request: HttpRequest) -> ministry.MinistryFigures | HttpResponse:
    _require(request)
    form = _year_form(request)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Velg et år fra listen."), content_type="text/plain; charset=utf-8")
    result = ministry.ministry_figures(request.user, form.cleaned_data["ar"])
    if result.people.missing:
        return HttpResponseBadRequest(
            _("Tallene for året er ikke beregnet ennå."), content_type="text/plain; charset=utf-8"
        )
    return result


@login_required
@reads_from_replica
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    result = _export(request)
    if isinstance(result, HttpResponse):
        return result
    response = HttpResponse(ministry.figures_xlsx(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ips-tall-departementet-{result.year}.xlsx"'
    return response


@login_required
@reads_from_replica
def figures_pdf(request: HttpRequest) -> HttpResponse:
    result = _export(request)
    if isinstance(result, HttpResponse):
        return result
    response = HttpResponse(ministry.figures_pdf(result, user=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ips-tall-departementet-{result.year}.pdf"'
    return response
