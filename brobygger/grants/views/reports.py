"""The annual report pages under /tilskudd/rapporter/: the list with deadlines and late flags, the pre-filled
report, its form, signature, submission and the officer's review. Thin views: access.py fetches and permits,
annual_reports.py writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brobygger.grants import access, annual_reports, forms, report_forms
from brobygger.grants.models import AnnualReport
from brobygger.grants.views import _errors_to_form, _form_page, _require, object_action


def _back(report: AnnualReport) -> str:
    return reverse("grants_report", args=[report.pk])


@login_required
def report_list(request):
    """Applicants: their organisation's granted decisions and reports. Officers: every granted decision, with the
    report's state and a late flag (past the deadline and not submitted)."""
    _require(access.can_view_grants(request.user))
    decisions = annual_reports.granted_decisions().filter(pk__in=access.visible_decisions(request.user))
    rows = annual_reports.report_rows(list(decisions.order_by("report_due", "application__organisation__name")))
    today = timezone.localdate()
    return render(
        request,
        "grants/reports/report_list.html",
        {
            "rows": rows,
            "is_officer": access.is_officer(request.user),
            "can_prepare": {
                row.decision.pk
                for row in rows
                if row.report is None
                and access.can_prepare_report(request.user, row.decision.application)[0]
                and today.year > row.decision.application.call.year
            },
            "late_count": sum(row.late for row in rows),
        },
    )


@login_required
@require_POST
def report_prepare(request, decision_pk: int):
    decision = access.get_decision_for_user(request.user, decision_pk)
    try:
        report = annual_reports.annual_report_prepare(actor=request.user, decision=decision)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("grants_report_list")
    messages.success(request, _("Årsrapporten er laget og forhåndsutfylt."))
    return redirect(_back(report))


@login_required
def report_detail(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    user = request.user
    figures = list(report.figures.all())
    measures = [
        {
            "measure": measure,
            "label": dict(report.application.measures.model._meta.get_field("measure").choices)[measure],
            "services": [
                covered.service
                for row in report.application.measures.filter(measure=measure)
                for covered in row.covered_services.select_related("service")
            ],
            "figures": [
                (
                    figure,
                    question := annual_reports.QUESTION_BY_KEY[(figure.measure, figure.key)],
                    annual_reports.shown(question, figure.prefilled),
                    annual_reports.shown(question, figure.value),
                )
                for figure in figures
                if figure.measure == measure
            ],
        }
        for measure in dict.fromkeys(figure.measure for figure in figures)
    ]
    return render(
        request,
        "grants/reports/report_detail.html",
        {
            "report": report,
            "measures": measures,
            "lines": report.account_lines.select_related("budget_line"),
            "signatures": report.signatures.select_related("organisation"),
            "used": annual_reports.report_used_amount(report),
            "granted": annual_reports.report_granted_amount(report),
            "unused": annual_reports.report_unused_amount(report),
            "late": annual_reports.is_late(report, report.due),
            "missing": annual_reports.missing_for_submission(report) if report.is_editable else [],
            "can_edit": access.can_edit_report(user, report)[0],
            "can_submit": access.can_submit_report(user, report)[0],
            "can_name_services": access.can_name_services(user, report.application)[0],
            "can_review": access.can_review_report(user, report)[0],
            "is_officer": access.is_officer(user),
            "text_kind": annual_reports.TEXT,
        },
    )


@login_required
def report_edit(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    _require(access.can_edit_report(request.user, report))
    form = report_forms.ReportForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            annual_reports.annual_report_update(
                actor=request.user,
                report=report,
                goal_achievement=form.cleaned_data["goal_achievement"],
                figures=form.figures(),
                accounts=form.accounts(),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Lagret."))
            return redirect(_back(report))
    return render(
        request,
        "grants/reports/report_form.html",
        {"form": form, "report": report},
        status=422 if form.errors else 200,
    )


@login_required
def report_sign(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    _require(access.can_edit_report(request.user, report))
    form = forms.SignatureForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: annual_reports.report_sign(actor=request.user, report=report, **data),
        title=_("Signer årsrapporten for %(org)s") % {"org": request.user.organisation},
        back=_back(report),
        intro=_(
            "Rapporten signeres som søknaden: kommuner av kommunedirektøren, andre av styreleder, eller av den som "
            "har signeringsfullmakt. En endring etter signering fjerner underskriften."
        ),
    )


report_submit = object_action(
    access.get_report_for_user,
    lambda user, report: annual_reports.annual_report_submit(actor=user, report=report),
    gettext_lazy("Årsrapporten er sendt inn."),
    "grants_report",
    allowed=access.can_submit_report,
)


report_refresh = object_action(
    access.get_report_for_user,
    lambda user, report: annual_reports.annual_report_refresh(actor=user, report=report),
    gettext_lazy("Tallene er hentet på nytt fra IPS-tilbudene."),
    "grants_report",
    allowed=access.can_edit_report,
)


report_approve = object_action(
    access.get_report_for_user,
    lambda user, report: annual_reports.annual_report_approve(actor=user, report=report),
    gettext_lazy("Årsrapporten er godkjent."),
    "grants_report",
    allowed=access.can_review_report,
)


@login_required
def report_return(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    _require(access.can_review_report(request.user, report))
    form = forms.CommentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: annual_reports.annual_report_return(actor=request.user, report=report, comment=data["comment"]),
        title=_("Send årsrapporten tilbake"),
        back=_back(report),
        intro=_("Skriv hva søkeren må rette eller utdype. Søkeren signerer på nytt før rapporten sendes inn igjen."),
    )


@login_required
def covered_service_add(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    _require(access.can_name_services(request.user, application))
    form = report_forms.CoveredServiceForm(request.POST or None, application=application)
    report = getattr(application, "annual_report", None)
    back = _back(report) if report else reverse("grants_application", args=[application.pk])
    return _form_page(
        request,
        form,
        lambda data: annual_reports.covered_service_add(actor=request.user, application=application, **data),
        title=_("IPS-tilbud tilskuddet gjelder"),
        back=back,
        intro=_(
            "Årsrapportens tall hentes fra IPS-tilbudene som tiltaket gjelder. Velg blant tilbudene søkeren eller "
            "medsøkeren eier."
        ),
    )
