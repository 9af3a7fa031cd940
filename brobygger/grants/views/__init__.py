"""The grant pages under /tilskudd/: calls, applications, assessment, allocation, decisions, letters and appeals.

Thin views: every object is fetched through ``access.get_<object>_for_user`` (404 for what the user may not see),
every write asks a ``can_<action>`` (403 with the reason) and goes through ``services.py``; a service's refusal
lands on the form and nothing is saved.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brobygger.accounts.models import User
from brobygger.grants import access, forms, services
from brobygger.grants import payments as grant_payments
from brobygger.grants.control import application_bar, sanction_appeal_change
from brobygger.grants.models import Appeal, Application, Decision, EarlierGrant, Measure, Recommendation
from brobygger.regelverk.services import reason_text


def _require(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _errors_to_form(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.error_dict.items():
        texts = [text for item in field_errors for text in item.messages]
        form.add_error(field if field in form.fields else None, texts)


def _form_page(
    request,
    form: Form,
    write: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back: str,
    done: Callable[[Any], str] | str | None = None,
    intro: str = "",
    multipart: bool = False,
):
    """A page with one form: on a valid POST the service writes, or its refusal lands on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Lagret."))
            return redirect(done(result) if callable(done) else (done or back))
    return render(
        request,
        "grants/form.html",
        {"form": form, "title": title, "back": back, "intro": intro, "multipart": multipart},
        status=422 if form.errors else 200,
    )


def _post_action(request, write: Callable[[], Any], success: str, back: str):
    try:
        write()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect(back)


def object_action[T](
    get: Callable[[User, int], T],
    write: Callable[[User, T], Any],
    success: str,
    back: str | Callable[[T], str],
    *,
    allowed: Callable[[User, T], tuple[bool, str]] | None = None,
):
    """A POST-only view on one object: fetch it through ``access`` (``get``: 404 for what the user may not see),
    ask ``allowed`` if given (403 with its reason), call the service (``write``), and go back (``back``: the name
    of the object's page, which takes its pk, or a function of the object) with ``success`` or the service's
    refusal as messages. ``success`` is lazy: the view is made at import."""

    @login_required
    @require_POST
    def view(request, pk: int):
        obj = get(request.user, pk)
        if allowed is not None:
            _require(allowed(request.user, obj))
        page = reverse(back, args=[obj.pk]) if isinstance(back, str) else back(obj)
        return _post_action(request, lambda: write(request.user, obj), success, page)

    return view


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Calls


@login_required
def call_list(request):
    _require(access.can_view_grants(request.user))
    calls = access.visible_calls(request.user)
    return render(
        request,
        "grants/call_list.html",
        {"calls": calls, "can_manage": access.can_manage_calls(request.user)[0]},
    )


@login_required
def call_create(request):
    _require(access.can_manage_calls(request.user))
    form = forms.CallForm(request.POST or None, initial={"year": timezone.localdate().year})
    return _form_page(
        request,
        form,
        lambda data: services.call_create(actor=request.user, **data),
        title=_("Ny utlysning"),
        back=reverse("grants_call_list"),
        done=lambda call: reverse("grants_call", args=[call.pk]),
    )


@login_required
def call_detail(request, pk: int):
    call = access.get_call_for_user(request.user, pk)
    user = request.user
    applications = (
        access.visible_applications(user)
        .filter(call=call)
        .select_related("organisation", "partner", "assigned_officer")
    )
    if access.is_officer(user):
        applications = applications.exclude(status=Application.Status.SUPERSEDED)
    return render(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "applications": applications,
            "can_manage": access.can_manage_calls(user)[0],
            "can_apply": access.can_apply(user, call)[0],
            "is_officer": access.is_officer(user),
            "money": grant_payments.call_money(call) if access.can_manage_payments(user)[0] else None,
            "late_drafts": access.late_drafts(user, call).select_related("organisation")
            if timezone.localdate() > call.deadline
            else [],
        },
    )


call_publish = object_action(
    access.get_call_for_user,
    lambda user, call: services.call_publish(actor=user, call=call),
    gettext_lazy("Utlysningen er publisert."),
    "grants_call",
)
call_close = object_action(
    access.get_call_for_user,
    lambda user, call: services.call_close(actor=user, call=call),
    gettext_lazy("Utlysningen er avsluttet."),
    "grants_call",
)


# Applications


@login_required
def application_list(request):
    _require(access.can_view_grants(request.user))
    applications = (
        access.visible_applications(request.user)
        .select_related("call", "organisation", "partner", "assigned_officer")
        .order_by("-call__year", "organisation__name", "-version")
    )
    if access.is_officer(request.user):
        applications = applications.exclude(status=Application.Status.SUPERSEDED)
    return render(
        request,
        "grants/application_list.html",
        {"applications": applications, "is_officer": access.is_officer(request.user)},
    )


@login_required
def application_create(request, call_pk: int):
    call = access.get_call_for_user(request.user, call_pk)
    _require(access.can_apply(request.user, call))
    form = forms.ApplicationCreateForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        lambda data: services.application_create(actor=request.user, call=call, **data),
        title=_("Ny søknad: %(call)s") % {"call": call},
        back=reverse("grants_call", args=[call.pk]),
        done=lambda application: reverse("grants_application", args=[application.pk]),
    )


@login_required
def application_detail(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    user = request.user
    checklist = services.application_checklist(application)
    ceilings = []
    if access.is_officer(user) and application.status != Application.Status.DRAFT:
        ceilings = [services.measure_ceiling(row) for row in application.measures.prefetch_related("positions")]
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "measures": application.measures.prefetch_related("positions"),
            "checklist": checklist,
            "missing": [reason for reason in checklist.reasons if not reason.passed],
            "ceilings": ceilings,
            "can_edit": access.can_edit_application(user, application)[0],
            "can_submit": access.can_submit(user, application)[0],
            "can_new_version": access.can_new_version(user, application)[0],
            "is_officer": access.is_officer(user),
            "can_assess": access.can_assess(user, application)[0],
            "declared": application.declarations.filter(officer=user).exists() if access.is_officer(user) else False,
            "measure_choices": [m for m in Measure if m.value in application.call.measures_open],
            "decisions": access.visible_decisions(user).filter(application=application),
            "today": timezone.localdate(),
            "bar": application_bar(application),
        },
    )


def _editable(request, pk: int) -> Application:
    application = access.get_application_for_user(request.user, pk)
    _require(access.can_edit_application(request.user, application))
    return application


def _back(application: Application) -> str:
    return reverse("grants_application", args=[application.pk])


@login_required
def application_edit(request, pk: int):
    application = _editable(request, pk)
    initial = {name: getattr(application, name) for name in forms.ApplicationForm.base_fields}
    form = forms.ApplicationForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.application_update(actor=request.user, application=application, **data),
        title=_("Endre søknaden"),
        back=_back(application),
    )


@login_required
def measure_edit(request, pk: int, measure: str):
    application = _editable(request, pk)
    if measure not in Measure.values:
        raise Http404
    form_class = forms.MEASURE_FORMS[Measure(measure)]
    existing = application.measures.filter(measure=measure).first()
    initial: dict[str, Any] = {}
    if existing:
        initial = {name: getattr(existing, name) for name in form_class.base_fields}
        for n, position in enumerate(existing.positions.all(), start=1):
            initial[f"position_{n}_title"], initial[f"position_{n}_fte"] = position.title, position.fte
    form = form_class(request.POST or None, initial=initial)

    def write(data):
        return services.application_measure_set(
            actor=request.user,
            application=application,
            measure=measure,
            requested_amount=data["requested_amount"],
            positions=form.positions(),
            **form.measure_fields(),
        )

    return _form_page(
        request, form, write, title=Measure(measure).label, back=_back(application), intro=_measure_intro(measure)
    )


def _measure_intro(measure: str) -> str:
    return {
        Measure.A: _(
            "Tiltak A delfinansierer jobbspesialiststillinger for tilbud i sitt 2. eller 3. prosjektår etter "
            "den tidligere IPS-ordningen. Bare lønnskostnader. Prosjektåret og høyeste tilskudd regnes ut fra "
            "tidligere tilskudd."
        ),
        Measure.B: _(
            "Tiltak B delfinansierer ressursmiljøer med veletablert IPS-kompetanse: inntil 700 000 kr per hel "
            "stilling, høyst to stillinger, i tillegg opplærings- og kompetansetiltak."
        ),
        Measure.C: _(
            "Tiltak C delfinansierer en jobb- eller utdanningsspesialist i et etablert ACT-, FACT- eller FACT "
            "ung-team. Søknaden er felles for kommune og helseforetak, og samarbeidsavtalen legges ved."
        ),
    }[Measure(measure)]


@login_required
def budget_line_add(request, pk: int):
    application = _editable(request, pk)
    form = forms.BudgetLineForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.budget_line_add(actor=request.user, application=application, **data),
        title=_("Ny budsjettlinje"),
        back=_back(application),
    )


@login_required
def milestone_add(request, pk: int):
    application = _editable(request, pk)
    form = forms.MilestoneForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.milestone_add(actor=request.user, application=application, **data),
        title=_("Ny milepæl"),
        back=_back(application),
    )


@login_required
def signature_add(request, pk: int):
    application = _editable(request, pk)
    form = forms.SignatureForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.signature_add(actor=request.user, application=application, **data),
        title=_("Signer for %(org)s") % {"org": request.user.organisation},
        back=_back(application),
        intro=_(
            "Kommuner signeres av kommunedirektøren, andre av styreleder, eller av den som har signeringsfullmakt "
            "(regelverket pkt. 4)."
        ),
    )


@login_required
def attachment_add(request, pk: int):
    application = _editable(request, pk)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)

    def write(data):
        upload = data["file"]
        return services.attachment_add(
            actor=request.user, application=application, kind=data["kind"], filename=upload.name, content=upload.read()
        )

    return _form_page(request, form, write, title=_("Nytt vedlegg"), back=_back(application), multipart=True)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    application = access.get_application_for_user(request.user, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return _pdf(attachment.content, f"vedlegg-{attachment.pk}.pdf")


PARTS = {
    "budsjettlinje": "budget_lines",
    "milepael": "milestones",
    "vedlegg": "attachments",
    "underskrift": "signatures",
}


@login_required
@require_POST
def application_part_remove(request, pk: int, kind: str, part_pk: int):
    application = _editable(request, pk)
    if kind not in PARTS:
        raise Http404
    part = getattr(application, PARTS[kind]).filter(pk=part_pk).first()
    if part is None:
        raise Http404
    return _post_action(
        request,
        lambda: services.application_part_remove(actor=request.user, application=application, part=part),
        _("Fjernet."),
        _back(application),
    )


@login_required
def application_submit(request, pk: int):
    """Submit, or show every missing item with its citation: the checklist is the page's answer."""
    application = _editable(request, pk)
    if request.method != "POST":
        return redirect(_back(application))
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(_back(application))
    messages.success(request, _("Søknaden er sendt inn."))
    return redirect(_back(application))


@login_required
@require_POST
def application_new_version(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    _require(access.can_new_version(request.user, application))
    try:
        copy = services.application_new_version(actor=request.user, application=application)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(_back(application))
    messages.success(request, _("Ny versjon er laget. Den gamle er tatt vare på."))
    return redirect(_back(copy))


@login_required
def deadline_exception(request, pk: int):
    application = access.get_draft_for_officer(request.user, pk)
    form = forms.ReasonForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.application_record_deadline_exception(
            actor=request.user, application=application, reason=data["reason"]
        ),
        title=_("Unntak fra søknadsfristen: %(title)s") % {"title": application.title},
        back=reverse("grants_call", args=[application.call_id]),
    )


@login_required
def declare(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    _require(access.can_process(request.user))
    form = forms.DeclarationForm(request.POST or None, officers=services.officers_except(request.user))
    return _form_page(
        request,
        form,
        lambda data: services.impartiality_declare(actor=request.user, application=application, **data),
        title=_("Habilitet"),
        back=_back(application),
        intro=_(
            "Før du vurderer søknaden, erklærer du om du er habil (forvaltningsloven § 6). Er du inhabil, "
            "overtar en annen saken."
        ),
    )


@login_required
def assess(request, pk: int):
    application = access.get_application_for_user(request.user, pk)
    _require(access.can_assess(request.user, application))
    ceilings = [services.measure_ceiling(row) for row in application.measures.prefetch_related("positions")]
    initial: dict[str, Any] = {}
    existing = getattr(application, "assessment", None)
    if existing:
        initial = {name: getattr(existing, name) for name in ("criteria", "conditions", "refusal_reasons")}
        initial["refusal_citations"] = existing.refusal_citations
    for computed in ceilings:
        initial[f"amount_{computed.row.measure}"] = min(computed.requested, computed.ceiling)
    # A bar (pkt. 11) for the call's year: the officer sees it, and its reason and citation are offered for the
    # refusal, with every amount at 0.
    bar = application_bar(application)
    intro = ""
    if bar.outcome == "utestengt":
        barred = [reason for reason in bar.reasons if not reason.passed]
        intro = " ".join(f"{reason_text(reason)} ({reason.reference})" for reason in barred)
        if not existing:
            initial["refusal_reasons"] = " ".join(reason_text(reason) for reason in barred)
            initial["refusal_citations"] = "; ".join(reason.reference for reason in barred)
            for computed in ceilings:
                initial[f"amount_{computed.row.measure}"] = 0
    form = forms.AssessmentForm(request.POST or None, ceilings=ceilings, initial=initial)

    def write(data):
        return services.application_assess(
            actor=request.user,
            application=application,
            criteria=data["criteria"],
            proposals=form.proposals(),
            conditions=data["conditions"],
            refusal_reasons=data["refusal_reasons"],
            refusal_citations=data["refusal_citations"],
        )

    return _form_page(request, form, write, title=_("Vurder søknaden"), back=_back(application), intro=intro)


# Allocation and recommendation


@login_required
def allocation(request, pk: int):
    call = access.get_call_for_user(request.user, pk)
    _require(access.can_process(request.user))
    rows = services.allocation(call)
    form = forms.AllocationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_update(
                actor=request.user, call=call, amounts=form.amounts(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Fordelingen er lagret."))
            return redirect("grants_allocation", pk=call.pk)
    total = rows[-1].running_total if rows else 0
    recommendation = call.recommendations.first()
    return render(
        request,
        "grants/allocation.html",
        {
            "call": call,
            "rows": rows,
            "rows_with_fields": [(row, form[f"amount_{row.assessed.pk}"] if row.assessed else None) for row in rows],
            # Applications from a recipient barred for the call's year (pkt. 11), flagged in the allocation too.
            "barred": {
                application.pk
                for application in {row.application for row in rows}
                if application_bar(application).outcome == "utestengt"
            },
            "form": form,
            "total": total,
            "remaining": call.budget_frame - total,
            "recommendation": recommendation,
            "can_approve": bool(
                recommendation
                and recommendation.status == Recommendation.Status.SUBMITTED
                and access.is_approver(request.user)
                and recommendation.submitted_by_id != request.user.pk
            ),
            "comment_form": forms.CommentForm(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def allocation_preview(request, pk: int):
    """The running sum as the officer types (htmx): nothing is saved."""
    call = access.get_call_for_user(request.user, pk)
    _require(access.can_process(request.user))
    amounts = {}
    for name, value in request.POST.items():
        if name.startswith("amount_") and name.removeprefix("amount_").isdigit():
            amounts[int(name.removeprefix("amount_"))] = value.strip().replace(" ", "")
    rows, total = services.allocation_preview(call, amounts)
    return render(
        request,
        "grants/_allocation_sums.html",
        {"call": call, "rows": rows, "total": total, "remaining": call.budget_frame - total, "oob": True},
    )


recommendation_submit = object_action(
    access.get_call_for_user,
    lambda user, call: services.recommendation_submit(actor=user, call=call),
    gettext_lazy("Innstillingen er sendt til godkjenning."),
    "grants_allocation",
    allowed=lambda user, _call: access.can_process(user),
)


def _recommendation(request, pk: int) -> Recommendation:
    _require(access.can_approve(request.user))
    recommendation = Recommendation.objects.filter(pk=pk).select_related("call").first()
    if recommendation is None:
        raise Http404
    return recommendation


@login_required
@require_POST
def recommendation_approve(request, pk: int):
    recommendation = _recommendation(request, pk)
    return _post_action(
        request,
        lambda: services.recommendation_approve(actor=request.user, recommendation=recommendation),
        _("Innstillingen er godkjent, og vedtakene er fattet."),
        reverse("grants_allocation", args=[recommendation.call_id]),
    )


@login_required
@require_POST
def recommendation_return(request, pk: int):
    recommendation = _recommendation(request, pk)
    form = forms.CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _post_action(
        request,
        lambda: services.recommendation_return(actor=request.user, recommendation=recommendation, comment=comment),
        _("Innstillingen er sendt tilbake."),
        reverse("grants_allocation", args=[recommendation.call_id]),
    )


# Decisions and letters


@login_required
def decision_detail(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "grants/decision_detail.html",
        {
            "decision": decision,
            "measures": decision.measures.all(),
            "letter": getattr(decision, "letter", None),
            "appeals": access.visible_appeals(user).filter(decision=decision),
            "is_officer": access.is_officer(user),
            "can_approve": decision.status == Decision.Status.PREPARED
            and access.is_approver(user)
            and decision.prepared_by_id != user.pk,
            "payments": decision_payments(decision, user),
        },
    )


decision_approve = object_action(
    access.get_decision_for_user,
    lambda user, decision: services.decision_approve(actor=user, decision=decision),
    gettext_lazy("Vedtaket er godkjent."),
    "grants_decision",
)


decision_send = object_action(
    access.get_decision_for_user,
    lambda user, decision: services.decision_send(actor=user, decision=decision),
    gettext_lazy("Vedtaksbrevet er laget og sendt."),
    "grants_decision",
)


@login_required
def decision_letter(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    letter = getattr(decision, "letter", None)
    if letter is None:
        raise Http404
    return _pdf(letter.pdf, f"vedtak-{decision.pk}.pdf")


# Appeals


@login_required
def appeal_list(request):
    _require(access.can_process(request.user))
    today = timezone.localdate()
    appeals = [
        (appeal, services.appeal_next_step(appeal, today))
        for appeal in access.visible_appeals(request.user).select_related(
            "decision__application__organisation", "new_decision", "sanction__organisation"
        )
    ]
    return render(request, "grants/appeal_list.html", {"appeals": appeals})


@login_required
def appeal_register(request, pk: int):
    decision = access.get_decision_for_user(request.user, pk)
    _require(access.can_process(request.user))
    form = forms.AppealForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.appeal_register(actor=request.user, decision=decision, **data),
        title=_("Registrer klage"),
        back=reverse("grants_decision", args=[pk]),
        done=lambda appeal: reverse("grants_appeal", args=[appeal.pk]),
    )


@login_required
def appeal_detail(request, pk: int):
    appeal = access.get_appeal_for_user(request.user, pk)
    is_officer = access.is_officer(request.user)
    return render(
        request,
        "grants/appeal_detail.html",
        {
            "appeal": appeal,
            "next": services.appeal_next_step(appeal),
            "is_officer": is_officer,
            "open": is_officer and appeal.status == Appeal.Status.RECEIVED,
            "forwarded": is_officer and appeal.status == Appeal.Status.FORWARDED,
        },
    )


def _officer_appeal(request, pk: int) -> Appeal:
    _require(access.can_process(request.user))
    return access.get_appeal_for_user(request.user, pk)


@login_required
def appeal_preliminary_reply(request, pk: int):
    appeal = _officer_appeal(request, pk)
    form = forms.DateForm(request.POST or None, initial={"on": timezone.localdate()})
    return _form_page(
        request,
        form,
        lambda data: services.appeal_preliminary_reply(actor=request.user, appeal=appeal, on=data["on"]),
        title=_("Foreløpig svar sendt (forvaltningsloven § 11 a)"),
        back=reverse("grants_appeal", args=[pk]),
    )


@login_required
def appeal_change(request, pk: int):
    appeal = _officer_appeal(request, pk)
    if appeal.sanction_id:
        # Changing a sanction on appeal lifts it (and a stop of payment with it).
        form = forms.AppealChangeForm(request.POST or None, measures=[])
        return _form_page(
            request,
            form,
            lambda data: sanction_appeal_change(actor=request.user, appeal=appeal, reasons=data["reasons"]),
            title=_("Opphev sanksjonen (forvaltningsloven § 33)"),
            back=reverse("grants_appeal", args=[pk]),
            done=lambda sanction: reverse("grants_sanction", args=[sanction.pk]),
        )
    form = forms.AppealChangeForm(request.POST or None, measures=appeal.decision.measures.all())
    return _form_page(
        request,
        form,
        lambda data: services.appeal_change(
            actor=request.user, appeal=appeal, amounts=form.amounts(), reasons=data["reasons"]
        ),
        title=_("Omgjør vedtaket (forvaltningsloven § 33)"),
        back=reverse("grants_appeal", args=[pk]),
        done=lambda decision: reverse("grants_decision", args=[decision.pk]),
        intro=_("Det nye vedtaket erstatter det gamle og må godkjennes av en annen før det sendes."),
    )


@login_required
def appeal_forward(request, pk: int):
    appeal = _officer_appeal(request, pk)
    form = forms.ForwardForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.appeal_forward(actor=request.user, appeal=appeal, **data),
        title=_("Oppretthold vedtaket og send klagen til departementet"),
        back=reverse("grants_appeal", args=[pk]),
    )


@login_required
def appeal_ministry(request, pk: int):
    appeal = _officer_appeal(request, pk)
    form = forms.MinistryForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.appeal_ministry_outcome(actor=request.user, appeal=appeal, **data),
        title=_("Departementets avgjørelse"),
        back=reverse("grants_appeal", args=[pk]),
    )


@login_required
def appeal_summary(request, pk: int):
    appeal = _officer_appeal(request, pk)
    if not appeal.summary_pdf:
        raise Http404
    return _pdf(appeal.summary_pdf, f"klage-{appeal.pk}.pdf")


# History


@login_required
def earlier_grants(request):
    """The history from before the system, and a form to record another year."""
    _require(access.can_process(request.user))
    form = forms.EarlierGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.earlier_grant_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Lagret."))
            return redirect("grants_earlier_grant_add")
    grants = EarlierGrant.objects.select_related("organisation").order_by("organisation__name", "measure", "year")
    return render(
        request, "grants/earlier_grants.html", {"form": form, "grants": grants}, status=422 if form.errors else 200
    )


# Imported last: the payment pages use the helpers above.
from brobygger.grants.views.payments import decision_payments  # noqa: E402
