"""The control pages under /tilskudd/kontroll/: control cases, requested documents, findings and sanctions.

Thin like the other grant pages: objects through ``access.get_<object>_for_user`` (404 for what the user may not
see), permissions through ``can_<action>`` (403 with the reason), writes through ``grants.control``.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.grants import access, control, control_forms, forms, services
from brobygger.grants.models import ControlCase, Sanction
from brobygger.grants.views import _form_page, _pdf, _require, object_action


def _back(case: ControlCase) -> str:
    return reverse("grants_control_case", args=[case.pk])


def _officer_case(request, pk: int) -> ControlCase:
    _require(access.can_control(request.user))
    return access.get_control_case_for_user(request.user, pk)


@login_required
def control_list(request):
    """Officers: every control case with its next step. Recipients: their own cases."""
    _require(access.can_view_grants(request.user))
    today = timezone.localdate()
    cases = access.visible_control_cases(request.user).select_related("organisation", "decision__application")
    return render(
        request,
        "grants/control/list.html",
        {
            "cases": [(case, control.control_next_step(case, today)) for case in cases],
            "is_officer": access.is_officer(request.user),
        },
    )


@login_required
def control_create(request):
    _require(access.can_control(request.user))
    form = control_forms.ControlCaseForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: control.control_case_open(actor=request.user, **data),
        title=_("Ny kontrollsak"),
        back=reverse("grants_control_list"),
        done=lambda case: reverse("grants_control_case", args=[case.pk]),
        intro=_(
            "Helsedirektoratet kan kontrollere at tilskuddet brukes etter regelverket og tilskuddsbrevet, og at "
            "opplysningene som er gitt, er korrekte (regelverket pkt. 10)."
        ),
    )


@login_required
def control_detail(request, pk: int):
    case = access.get_control_case_for_user(request.user, pk)
    user = request.user
    is_officer = access.is_officer(user)
    return render(
        request,
        "grants/control/detail.html",
        {
            "case": case,
            "documents": case.documents.all(),
            "findings": case.findings.all() if is_officer else [],
            "sanctions": access.visible_sanctions(user).filter(case=case),
            "next": control.control_next_step(case),
            "is_officer": is_officer,
            "can_upload": access.can_upload_control_document(user, case)[0],
            "open": is_officer and not case.is_closed,
            "today": timezone.localdate(),
        },
    )


@login_required
def document_request(request, pk: int):
    case = _officer_case(request, pk)
    form = control_forms.DocumentRequestForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: control.document_request(actor=request.user, case=case, **data),
        title=_("Be om dokumentasjon"),
        back=_back(case),
    )


@login_required
def document_upload(request, pk: int, document_pk: int):
    case = access.get_control_case_for_user(request.user, pk)
    _require(access.can_upload_control_document(request.user, case))
    document = case.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    form = control_forms.DocumentUploadForm(request.POST or None, request.FILES or None)

    def write(data):
        upload = data["file"]
        return control.document_upload(
            actor=request.user, document=document, filename=upload.name, content=upload.read()
        )

    return _form_page(
        request,
        form,
        write,
        title=_("Send inn: %(what)s") % {"what": document.description},
        back=_back(case),
        multipart=True,
        intro=_("Frist: %(due)s.") % {"due": document.due_on.strftime("%d.%m.%Y")},
    )


@login_required
def document_download(request, pk: int, document_pk: int):
    case = access.get_control_case_for_user(request.user, pk)
    document = case.documents.filter(pk=document_pk, received_on__isnull=False).first()
    if document is None:
        raise Http404
    return _pdf(document.content, f"kontroll-{case.pk}-dokument-{document.pk}.pdf")


@login_required
def finding_add(request, pk: int):
    case = _officer_case(request, pk)
    form = control_forms.FindingForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: control.finding_record(actor=request.user, case=case, **data),
        title=_("Registrer funn"),
        back=_back(case),
    )


@login_required
def sanction_prepare(request, pk: int):
    case = _officer_case(request, pk)
    form = control_forms.SanctionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: control.sanction_prepare(actor=request.user, case=case, **data),
        title=_("Forbered sanksjon"),
        back=_back(case),
        done=lambda sanction: reverse("grants_sanction", args=[sanction.pk]),
        intro=_(
            "Utbetaling kan stanses ved mistanke om uriktige opplysninger eller bruk i strid med vilkårene; "
            "tilbakebetaling kan kreves ved dokumentert mislighold; mottakeren kan nektes tilskudd i ett eller "
            "flere påfølgende år når tilskuddet ikke er brukt i samsvar med vilkårene (regelverket pkt. 11). "
            "Sanksjonen er et enkeltvedtak og må godkjennes av en annen før brevet sendes."
        ),
    )


@login_required
def control_close(request, pk: int):
    case = _officer_case(request, pk)
    form = control_forms.ConclusionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: control.control_case_close(actor=request.user, case=case, **data),
        title=_("Avslutt kontrollen"),
        back=_back(case),
    )


# Sanctions


@login_required
def sanction_detail(request, pk: int):
    sanction = access.get_sanction_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "grants/control/sanction.html",
        {
            "sanction": sanction,
            "case": sanction.case,
            "appeals": access.visible_appeals(user).filter(sanction=sanction),
            "is_officer": access.is_officer(user),
            "can_approve": sanction.status == Sanction.Status.PREPARED
            and access.is_approver(user)
            and sanction.prepared_by_id != user.pk,
        },
    )


sanction_approve = object_action(
    access.get_sanction_for_user,
    lambda user, sanction: control.sanction_approve(actor=user, sanction=sanction),
    gettext_lazy("Sanksjonen er godkjent."),
    "grants_sanction",
)


sanction_send = object_action(
    access.get_sanction_for_user,
    lambda user, sanction: control.sanction_send(actor=user, sanction=sanction),
    gettext_lazy("Brevet om sanksjonen er laget og sendt."),
    "grants_sanction",
    allowed=lambda user, _sanction: access.can_control(user),
)


@login_required
def sanction_letter(request, pk: int):
    sanction = access.get_sanction_for_user(request.user, pk)
    if not sanction.letter_pdf:
        raise Http404
    return _pdf(sanction.letter_pdf, f"sanksjon-{sanction.pk}.pdf")


@login_required
def sanction_appeal_register(request, pk: int):
    sanction = access.get_sanction_for_user(request.user, pk)
    _require(access.can_process(request.user))
    form = forms.AppealForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.appeal_register(actor=request.user, sanction=sanction, **data),
        title=_("Registrer klage"),
        back=reverse("grants_sanction", args=[pk]),
        done=lambda appeal: reverse("grants_appeal", args=[appeal.pk]),
    )
