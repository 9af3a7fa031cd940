"""Statistics pages: thin views over indicators/published (the figures), tables (their shape) and access.

Every page checks ``access.can_view_statistics`` (403 with the reason for other roles). Leaders see their own services
computed live; grant officers and analysts see the published, suppressed figures, computed in the background.
"""

from __future__ import annotations

import math
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brobygger.accounts.access import Decision
from brobygger.accounts.models import HealthRegion
from brobygger.reporting import access, exports, indicators, published, services, sources, tables
from brobygger.reporting.forms import FilterForm, GoalForm, YearForm, default_year, period_choices
from brobygger.reporting.indicators import EMPLOYMENT_RATE_BENCHMARKS
from brobygger.reporting.models import IpsUngGoal, ReportJob
from brobygger.reporting.periods import Level, PeriodKind, ReportingPeriod
from brobygger.routers import reads_from_replica

QUARTERS_SHOWN = 8


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _refresh(request: HttpRequest, periods: list[ReportingPeriod]) -> list[ReportingPeriod]:
    """For roles that see published figures: queue those missing or out of date; the periods being computed."""
    if not access.sees_published_only(request.user):
        return []
    return services.figures_refresh(actor=request.user, periods=periods)


def _poll_answer(request: HttpRequest, refreshing: list[ReportingPeriod]) -> HttpResponse | None:
    """A page waiting for its figures asks again every few seconds: nothing new yet, or reload when they are ready."""
    if not request.htmx:
        return None
    response = HttpResponse(status=204)
    if not refreshing:
        response["HX-Refresh"] = "true"
    return response


def _filter_form(request: HttpRequest, today: date) -> FilterForm:
    levels = access.levels_for(request.user)
    data = request.GET if "periode" in request.GET else {"periode": default_year(today).slug, "niva": levels[0]}
    return FilterForm(data, today=today, levels=levels)


@login_required
@reads_from_replica
def statistics(request: HttpRequest) -> HttpResponse:
    """The regulation's indicators for a period at a level, each as a table and, where it helps, a chart."""
    user = request.user
    _require(access.can_view_statistics(user))
    today = timezone.localdate()
    form = _filter_form(request, today)
    context = {"form": form, "suppressed": access.sees_published_only(user)}
    if form.is_valid():
        period, level = form.period, form.cleaned_data["niva"]
        refreshing = _refresh(request, [period])
        if (answer := _poll_answer(request, refreshing)) is not None:
            return answer
        figures = sources.figures_for(user, period, level)
        context.update(
            refreshing=refreshing,
            period=period,
            level=level,
            level_label=Level(level).label,
            figures=figures,
            tables=tables.build_tables(figures.units, figures.total, level, period.label),
            query=urlencode({"periode": period.slug, "niva": level}),
            can_publish=access.can_publish(user)[0],
            indicators=indicators.INDICATORS,
        )
    return render(request, "reporting/statistics.html", context)


@login_required
@reads_from_replica
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The page's tables as CSV or XLSX; for roles without access to personal data, the published figures."""
    user = request.user
    _require(access.can_view_statistics(user))
    form = _filter_form(request, timezone.localdate())
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ugyldig periode eller nivå."), content_type="text/plain; charset=utf-8")
    period, level = form.period, form.cleaned_data["niva"]
    if sources.figures_for(user, period, level).missing:
        return HttpResponseBadRequest(
            _("Tallene for perioden er ikke beregnet ennå."), content_type="text/plain; charset=utf-8"
        )
    name = f"ips-indikatorer-{period.slug}-{level}"
    if fmt == "csv":
        response = HttpResponse(exports.export_csv(user, period, level), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    content = exports.export_xlsx(user, period, level)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _valid_periods(values: list[str], today: date) -> list[ReportingPeriod]:
    allowed = {slug for _group, choices in period_choices(today) for slug, _label in choices}
    periods = []
    for value in values:
        if value not in allowed:
            raise ValidationError(_("Velg en periode fra listen."))
        periods.append(ReportingPeriod.parse(value))
    if not periods:
        raise ValidationError(_("Velg en periode fra listen."))
    return periods


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Compute the published figures of one or more periods in the background."""
    user = request.user
    _require(access.can_publish(user))
    try:
        periods = _valid_periods(request.POST.getlist("periode"), timezone.localdate())
    except ValidationError as invalid:
        return HttpResponseBadRequest(invalid.messages[0], content_type="text/plain; charset=utf-8")
    job = services.job_start(
        actor=user, kind=ReportJob.Kind.PUBLISH, params={"periods": [p.slug for p in periods], "next": _next(request)}
    )
    return redirect("statistics_job", pk=job.pk)


def _next(request: HttpRequest) -> str:
    """Where to go back to after a job: a statistics page of ours, never an outside address."""
    value = request.POST.get("next", "")
    return value if value.startswith("/statistikk/") and "//" not in value else reverse("statistics")


@login_required
@require_POST
def annual_pdf(request: HttpRequest) -> HttpResponse:
    """Make the annual report as PDF in the background (WeasyPrint takes a few seconds)."""
    user = request.user
    _require(access.can_view_statistics(user))
    today = timezone.localdate()
    form = FilterForm(request.POST, today=today, levels=access.levels_for(user), kinds=("year",))
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ugyldig år eller nivå."), content_type="text/plain; charset=utf-8")
    period, level = form.period, form.cleaned_data["niva"]
    if sources.figures_for(user, period, level).missing:
        return HttpResponseBadRequest(
            _("Tallene for året er ikke beregnet ennå."), content_type="text/plain; charset=utf-8"
        )
    job = services.job_start(
        actor=user,
        kind=ReportJob.Kind.ANNUAL_PDF,
        params={"period": period.slug, "level": level, "next": _next(request)},
    )
    return redirect("statistics_job", pk=job.pk)


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress; the status part reloads itself every second until the job is finished."""
    _require(access.can_view_statistics(request.user))
    report_job = access.get_job_for_user(request.user, pk)
    context = {"job": report_job, "next": report_job.params.get("next") or reverse("statistics")}
    if request.htmx:
        return render(request, "reporting/_job_status.html", context)
    return render(request, "reporting/job.html", context)


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    _require(access.can_view_statistics(request.user))
    report_job = access.get_job_for_user(request.user, pk)
    if report_job.status != ReportJob.Status.DONE or not report_job.result:
        return HttpResponseBadRequest(_("Filen er ikke klar."), content_type="text/plain; charset=utf-8")
    response = HttpResponse(bytes(report_job.result), content_type=report_job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{report_job.result_name}"'
    return response


# --- Quarterly employment rate -------------------------------------------------------------------------------------


def _quarters(today: date) -> list[ReportingPeriod]:
    last = ReportingPeriod.containing(PeriodKind.QUARTER, today).shift(-1)
    return [last.shift(n - QUARTERS_SHOWN + 1) for n in range(QUARTERS_SHOWN)]


@login_required
@reads_from_replica
def employment(request: HttpRequest) -> HttpResponse:
    """The share of participants on the caseload in each quarter who held ordinary work in it, against the
    learning collaborative's benchmarks 31, 41 and 50 %."""
    user = request.user
    _require(access.can_view_statistics(user))
    quarters = _quarters(timezone.localdate())
    refreshing = _refresh(request, quarters)
    if (answer := _poll_answer(request, refreshing)) is not None:
        return answer
    national = access.sees_published_only(user)
    levels = (Level.NATIONAL, Level.HEALTH_REGION) if national else (Level.SERVICE,)
    level = request.GET.get("niva", levels[0])
    if level not in levels:
        level = levels[0]
    series: dict[object, dict] = {}
    missing = []
    for quarter, figures in sources.employment_figures(user, quarters, level):
        if figures.missing:
            missing.append(quarter)
            continue
        rows = [*figures.units, *([figures.total] if figures.total else [])]
        for row in rows:
            entry = series.setdefault(row.key if not row.is_total else "__total__", {"label": row.label, "values": {}})
            entry["values"][quarter.slug] = row.raw("andel_arbeid")
    units = sorted(series.values(), key=lambda entry: entry["label"])
    table_rows = [
        (
            entry["label"],
            [
                tables.format_value("andel_arbeid", entry["values"].get(q.slug))
                if q.slug in entry["values"]
                else tables.NOT_AVAILABLE
                for q in quarters
            ],
        )
        for entry in units
    ]
    for (_label, cells), entry in zip(table_rows, units, strict=True):
        for index, quarter in enumerate(quarters):
            if quarter.slug in entry["values"] and entry["values"][quarter.slug] is None:
                cells[index] = tables.HIDDEN
    chart = {
        "type": "line",
        "unit": "%",
        "labels": [q.label for q in quarters],
        "datasets": [
            {
                "label": entry["label"],
                "data": [tables._plain(entry["values"].get(q.slug)) for q in quarters],
                "color": tables.PALETTE[index % len(tables.PALETTE)],
            }
            for index, entry in enumerate(units)
        ],
        "benchmarks": [{"value": value, "label": str(label)} for value, label in EMPLOYMENT_RATE_BENCHMARKS],
    }
    drawn = tables.chart_unless_all_hidden(chart) if units else None
    context = {
        "quarters": quarters,
        "levels": [(value, Level(value).label) for value in levels],
        "level": level,
        "table_rows": table_rows,
        "chart": drawn,
        "chart_note": tables.ALL_HIDDEN if units and drawn is None else "",
        "missing": missing,
        "refreshing": refreshing,
        "can_publish": access.can_publish(user)[0],
        "benchmarks": EMPLOYMENT_RATE_BENCHMARKS,
        "suppressed": national,
    }
    return render(request, "reporting/employment.html", context)


# --- Fidelity and outcomes -----------------------------------------------------------------------------------------


def fit_line(points: list[tuple[float, float]]) -> dict | None:
    """Least-squares line and Pearson's r over the services' (fidelity total, employment rate) points."""
    n = len(points)
    if n < 3:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    syy = sum((y - mean_y) ** 2 for _, y in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    if sxx == 0:
        return None
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    r = sxy / math.sqrt(sxx * syy) if syy else 0.0
    return {"slope": slope, "intercept": intercept, "r": r, "n": n}


@login_required
@reads_from_replica
def fidelity_outcomes(request: HttpRequest) -> HttpResponse:
    """Per IPS service: the latest fidelity total against the share of participants in ordinary work in the year."""
    user = request.user
    _require(access.can_view_statistics(user))
    today = timezone.localdate()
    form = YearForm(request.GET if "periode" in request.GET else {"periode": default_year(today).slug}, today=today)
    context: dict = {"form": form, "suppressed": access.sees_published_only(user)}
    if form.is_valid():
        period = form.period
        refreshing = _refresh(request, [period])
        if (answer := _poll_answer(request, refreshing)) is not None:
            return answer
        context["refreshing"] = refreshing
        figures = sources.figures_for(user, period, Level.SERVICE)
        points, rows, left_out = [], [], 0
        for row in figures.units:
            fidelity, rate = row.raw("modelltrohet"), row.raw("andel_arbeid")
            rows.append(
                (
                    row.label,
                    tables.format_value("modelltrohet", fidelity),
                    row.cell("andel_arbeid")[0],
                    row.cell("deltakere")[0],
                )
            )
            if fidelity is None:
                continue
            if rate is None:
                left_out += 1
                continue
            points.append((float(fidelity), float(rate)))
        fit = fit_line(points)
        chart = None
        if points:
            xs = [x for x, _ in points]
            chart = {
                "type": "scatter",
                "unit": "%",
                "xLabel": _("Totalskår på kvalitetsskalaen"),
                "yLabel": _("Andel i ordinært arbeid"),
                "datasets": [
                    {
                        "label": _("IPS-tilbud"),
                        "data": [{"x": x, "y": round(y, 1)} for x, y in points],
                        "color": tables.PALETTE[0],
                    }
                ],
            }
            if fit:
                line = [{"x": x, "y": round(fit["intercept"] + fit["slope"] * x, 1)} for x in (min(xs), max(xs))]
                chart["datasets"].append(
                    {"label": _("Tilpasset linje"), "data": line, "color": tables.PALETTE[1], "line": True}
                )
        context.update(
            period=period,
            figures=figures,
            rows=rows,
            fit=fit,
            chart=chart,
            left_out=left_out,
            points=len(points),
            can_publish=access.can_publish(user)[0],
        )
    return render(request, "reporting/fidelity_outcomes.html", context)


# --- IPS ung ---------------------------------------------------------------------------------------------------------

UNG_AGE_LABELS = {published.ALL_AGES: gettext_lazy("Alle aldersgrupper"), **indicators.AGE_GROUP_LABELS}


def _can_view_trial(user) -> Decision:
    if not access.sees_published_only(user) or not access.can_view_statistics(user)[0]:
        return False, _("Evalueringen av IPS ung er for tilskuddsforvaltere og analytikere.")
    return True, ""


@login_required
@reads_from_replica
def ips_ung(request: HttpRequest) -> HttpResponse:
    """IPS ung: the trial's goals against measured results by year, region and age group, and 16-year-olds."""
    user = request.user
    _require(_can_view_trial(user))
    today = timezone.localdate()
    form = YearForm(request.GET if "periode" in request.GET else {"periode": default_year(today).slug}, today=today)
    context: dict = {"form": form, "can_manage": access.can_manage_trial_goals(user)[0]}
    if form.is_valid():
        period = form.period
        refreshing = _refresh(request, [period])
        if (answer := _poll_answer(request, refreshing)) is not None:
            return answer
        context["refreshing"] = refreshing
        publication = published.published_for(period)
        context.update(period=period, publication=publication, can_publish=access.can_publish(user)[0])
        goals = list(IpsUngGoal.objects.filter(year=period.year))
        if publication is not None:
            measured = {
                (row["level"], row["key"] or "", row["age"]): row for row in publication.data.get("ips_ung", [])
            }
            comparisons = []
            for goal in goals:
                level = Level.HEALTH_REGION if goal.health_region else Level.NATIONAL
                row = measured.get((level, goal.health_region or "", goal.age_group or published.ALL_AGES), {})
                value = row.get(goal.indicator)
                measure = "deltakere" if goal.indicator == IpsUngGoal.Indicator.PARTICIPANTS else "andel_arbeid"
                hidden = goal.indicator in row and value is None
                comparisons.append(
                    {
                        "goal": goal,
                        "measured": tables.HIDDEN if hidden else tables.format_value(measure, value),
                        "difference": (
                            tables.format_value(measure, value - float(goal.target))
                            if value is not None
                            else tables.NOT_AVAILABLE
                        ),
                        "reached": value is not None and value >= float(goal.target),
                        "hidden": hidden,
                    }
                )
            regions = [("", _("Hele landet")), *((value, str(label)) for value, label in HealthRegion.choices)]
            by_region = []
            for key, label in regions:
                level = Level.NATIONAL if not key else Level.HEALTH_REGION
                for age in (published.ALL_AGES, *indicators.AGE_GROUPS):
                    row = measured.get((level, key, age))
                    if row is None:
                        continue
                    by_region.append(
                        (
                            label,
                            UNG_AGE_LABELS[age],
                            [
                                _ung_cell(row, measure)
                                for measure in (
                                    "deltakere",
                                    "andel_arbeid",
                                    "andel_utdanning",
                                    "andel_arbeid_eller_utdanning",
                                )
                            ],
                        )
                    )
            sixteen = publication.data.get("sixteen", {})
            months = sixteen.get("months", [])
            context.update(
                comparisons=comparisons,
                by_region=by_region,
                sixteen_rows=[(ReportingPeriod.parse(m).label, tables.HIDDEN if v is None else v) for m, v in months],
                sixteen_total=tables.HIDDEN if sixteen.get("total") is None and months else sixteen.get("total"),
                sixteen_chart={
                    "type": "bar",
                    "unit": "",
                    "labels": [ReportingPeriod.parse(m).label for m, _v in months],
                    "datasets": [
                        {
                            "label": _("16-åringer registrert"),
                            "data": [v for _m, v in months],
                            "color": tables.PALETTE[0],
                        }
                    ],
                }
                if months
                else None,
            )
        else:
            context["goals"] = goals
    return render(request, "reporting/ips_ung.html", context)


def _ung_cell(row: dict, measure: str) -> str:
    """A hidden count, or a share computed from one, is ":"; a share of no participants is "–"."""
    value = row.get(measure)
    if value is not None:
        return tables.format_value(measure, value)
    return tables.NOT_AVAILABLE if row.get("deltakere") == 0 else tables.HIDDEN


@login_required
def goal_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    _require(access.can_manage_trial_goals(user))
    goal = access.get_goal_for_user(user, pk) if pk else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.goal_save(
                actor=user, goal=goal, data=form.cleaned_data, expected_revision=form.cleaned_data.get("revision")
            )
        except ValidationError as invalid:
            if hasattr(invalid, "error_dict"):
                for field, errors in invalid.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, invalid)
        else:
            messages.success(request, _("Målet er lagret."))
            return redirect(f"{reverse('statistics_ips_ung')}?periode={saved.year}")
    return render(request, "reporting/goal_form.html", {"form": form, "goal": goal})
