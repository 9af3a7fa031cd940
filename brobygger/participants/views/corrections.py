"""Pages: correct or delete a wrong entry in a period's record, and an employer contact, always with a reason.

Whoever may write an entry may correct or delete it (the same ``access`` check as the page that records it); the
service keeps before, after and the reason in the audit trail. Deleting asks for a confirmation on its own page,
which works without JavaScript.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.accounts.access import Decision
from brobygger.participants import access, services
from brobygger.participants.forms_followup import (
    ActivityCorrectForm,
    ContactCorrectForm,
    DeleteForm,
    EducationCorrectForm,
    EmployerContactCorrectForm,
    JobCorrectForm,
)
from brobygger.participants.models import EmployerContact, Period, PlanActivity
from brobygger.participants.views.followup import CLOSED_MESSAGE, _render_period, _render_with_people
from brobygger.submit import submit


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


@dataclass(frozen=True)
class EntryKind:
    """One kind of entry in a period's record: where it lives, who may write it, and how it is corrected."""

    label: Any
    entries: Callable[[Period], QuerySet]
    check: Callable
    page: str
    form: type | None = None
    correct: Callable[..., Any] | None = None

    def back(self, period: Period) -> str:
        if self.page == "participant_detail":
            return reverse(self.page, args=[period.participant_id])
        return reverse(self.page, args=[period.pk])


# The URL's kind (bokmål, as URLs are) and what it means.
ENTRY_KINDS = {
    "jobb": EntryKind(
        gettext_lazy("jobben"),
        lambda period: period.jobs.select_related("employer"),
        access.can_manage_period,
        "followup_jobs",
        JobCorrectForm,
        lambda actor, entry, data: services.job_correct(actor=actor, job=entry, **data),
    ),
    "kontakt": EntryKind(
        gettext_lazy("kontakten"),
        lambda period: period.contacts.all(),
        access.can_follow_up,
        "followup_contacts",
        ContactCorrectForm,
        lambda actor, entry, data: services.contact_correct(
            actor=actor,
            contact=entry,
            reason=data["reason"],
            kind=data["kind"],
            on=data["date"],
            place=data["place"],
            counterpart=data["counterpart"],
            notes=data["notes"],
        ),
    ),
    "utdanning": EntryKind(
        gettext_lazy("utdanningen"),
        lambda period: period.educations.all(),
        access.can_manage_period,
        "followup_education",
        EducationCorrectForm,
        lambda actor, entry, data: services.education_correct(actor=actor, education=entry, **data),
    ),
    "aktivitet": EntryKind(
        gettext_lazy("aktiviteten"),
        lambda period: PlanActivity.objects.filter(plan__period=period).select_related("plan__period"),
        access.can_follow_up,
        "followup_plan",
        ActivityCorrectForm,
        lambda actor, entry, data: services.plan_activity_correct(actor=actor, activity=entry, **data),
    ),
    "jobbsoking": EntryKind(
        gettext_lazy("hendelsen i jobbsøkingsloggen"),
        lambda period: period.job_search.all(),
        access.can_manage_period,
        "followup_job_search",
    ),
    "forlengelse": EntryKind(
        gettext_lazy("forlengelsen"),
        lambda period: period.extensions.all(),
        access.can_manage_period,
        "participant_detail",
    ),
}


def _entry(request, pk: int, kind: str, entry_pk: int):
    """The period, the kind and the entry, if the user may write such entries on a running period."""
    spec = ENTRY_KINDS.get(kind)
    if spec is None:
        raise Http404
    period = access.get_period_for_user(request.user, pk)
    _require(spec.check(request.user, period))
    entry = get_object_or_404(spec.entries(period), pk=entry_pk)
    return period, spec, entry


@login_required
def entry_correct(request, pk: int, kind: str, entry_pk: int):
    period, spec, entry = _entry(request, pk, kind, entry_pk)
    if spec.form is None:
        raise Http404
    if period.closed_on is not None:
        messages.error(request, CLOSED_MESSAGE)
        return redirect(spec.back(period))
    form = spec.form(request.POST if request.method == "POST" else None, initial=spec.form.initial_from(entry))
    if request.method == "POST" and submit(form, lambda data: spec.correct(request.user, entry, data)):
        messages.success(request, _("Rettingen er lagret, med grunnen i endringsloggen."))
        return redirect(spec.back(period))
    context = {"entry": entry, "label": spec.label, "form": form, "back": spec.back(period)}
    return _render_period(request, period, spec.page, "participants/entry_correct.html", context)


@login_required
def entry_delete(request, pk: int, kind: str, entry_pk: int):
    period, spec, entry = _entry(request, pk, kind, entry_pk)
    if period.closed_on is not None:
        messages.error(request, CLOSED_MESSAGE)
        return redirect(spec.back(period))
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda data: services.entry_delete(actor=request.user, entry=entry, reason=data["reason"]) or True
    ):
        messages.success(request, _("Registreringen er slettet, med grunnen i endringsloggen."))
        return redirect(spec.back(period))
    context = {"entry": entry, "label": spec.label, "form": form, "back": spec.back(period)}
    return _render_period(request, period, spec.page, "participants/entry_delete.html", context)


def _own_employer_contact(request, pk: int) -> EmployerContact:
    """An employer contact is the job specialist's own (fidelity item 17 counts it for them): others get a 404."""
    _require(access.can_record_employer_contact(request.user))
    return get_object_or_404(EmployerContact.objects.select_related("employer"), pk=pk, job_specialist=request.user)


@login_required
def employer_contact_correct(request, pk: int):
    contact = _own_employer_contact(request, pk)
    form = EmployerContactCorrectForm(
        request.POST if request.method == "POST" else None,
        initial=EmployerContactCorrectForm.initial_from(contact),
        # Those it can concern now, and those it named when it was recorded (their period may have closed since).
        participants=access.visible_participants(request.user)
        .filter(Q(periods__closed_on__isnull=True) | Q(employer_contacts=contact))
        .distinct()
        .order_by("last_name", "first_name"),
    )
    if request.method == "POST" and submit(
        form,
        lambda data: services.employer_contact_correct(
            actor=request.user,
            contact=contact,
            reason=data["reason"],
            employer=data["employer"],
            on=data["date"],
            face_to_face=data["face_to_face"],
            purpose=data["purpose"],
            participants=list(data["participants"]),
            result=data["result"],
        ),
    ):
        messages.success(request, _("Rettingen er lagret, med grunnen i endringsloggen."))
        return redirect("employer_contact_list")
    context = {
        "entry": contact,
        "label": _("arbeidsgiverkontakten"),
        "form": form,
        "back": reverse("employer_contact_list"),
    }
    return _render_with_people(
        request, "participants/employer_contact_correct.html", context, form.fields["participants"].queryset
    )


@login_required
def employer_contact_delete(request, pk: int):
    contact = _own_employer_contact(request, pk)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form,
        lambda data: (
            services.employer_contact_delete(actor=request.user, contact=contact, reason=data["reason"]) or True
        ),
    ):
        messages.success(request, _("Registreringen er slettet, med grunnen i endringsloggen."))
        return redirect("employer_contact_list")
    context = {
        "entry": contact,
        "label": _("arbeidsgiverkontakten"),
        "form": form,
        "back": reverse("employer_contact_list"),
    }
    return render(request, "participants/employer_contact_delete.html", context)
