"""The follow-up pages of a period: career profile, plan, contacts, job search, jobs, education, and employers.

Thin views: every period is fetched through ``access.get_forlop_for_user`` (404 for what the user may not see),
every write asks ``access.can_manage_forlop`` or ``access.can_follow_up`` and goes through a service in
``services.py``; a ValidationError from a service lands on the form and nothing is saved. A closed period is
read-only: its forms are not shown and a write is refused with a message.
"""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brobygger.accounts.access import Decision
from brobygger.accounts.models import User
from brobygger.participants import access, services
from brobygger.participants.forms_followup import (
    ActivityAddForm,
    ActivityStatusForm,
    CareerProfileForm,
    ContactFilterForm,
    ContactForm,
    EducationFinishForm,
    EducationForm,
    EmployerContactForm,
    EmployerForm,
    EmployerSearchForm,
    JobEndForm,
    JobForm,
    JobSearchForm,
    PlanCreateForm,
    PlanReviseForm,
)
from brobygger.participants.models import (
    CareerProfile,
    Employer,
    EmployerContact,
    FollowUpPlan,
    Participant,
    Period,
    PlanActivity,
)
from brobygger.submit import add_service_errors, submit

CLOSED_MESSAGE = gettext_lazy("Forløpet er avsluttet. Det kan ikke registreres mer på det.")

# The follow-up pages of a period, in the order of the sub-navigation.
PERIOD_PAGES = (
    ("followup_career_profile", gettext_lazy("Karriereprofil")),
    ("followup_plan", gettext_lazy("Oppfølgingsplan")),
    ("followup_contacts", gettext_lazy("Kontakter")),
    ("followup_job_search", gettext_lazy("Jobbsøking")),
    ("followup_jobs", gettext_lazy("Jobber")),
    ("followup_education", gettext_lazy("Utdanning")),
)


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


# Periods


def _write_refused(request, period: Period, check: Callable[[User, Period], Decision], page: str):
    """Refuse a write the user may not make (403), or any write on a closed period (back to the page, with why)."""
    _require(check(request.user, period))
    if period.closed_on is not None:
        messages.error(request, CLOSED_MESSAGE)
        return redirect(page, pk=period.pk)
    return None


def _render_period(request, period: Period, page: str, template: str, context: dict) -> HttpResponse:
    """Render a follow-up page of the period; showing the person's follow-up is a read of their data."""
    is_open = period.closed_on is None
    can_manage = access.can_manage_period(request.user, period)[0]
    can_follow_up = access.can_follow_up(request.user, period)[0]
    context = {
        "period": period,
        "participant": period.participant,
        "period_pages": [(name, label, name == page) for name, label in PERIOD_PAGES],
        "is_closed": not is_open,
        "can_manage": can_manage and is_open,
        "can_follow_up": can_follow_up and is_open,
        **context,
    }
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def career_profile(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    profile = CareerProfile.objects.filter(period=period).first()
    form = CareerProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST":
        if refused := _write_refused(request, period, access.can_manage_period, "followup_career_profile"):
            return refused
        saved = submit(
            form,
            lambda data: services.career_profile_save(
                actor=request.user, period=period, expected_revision=data["revision"], **form.profile_fields()
            ),
        )
        if saved:
            messages.success(request, _("Karriereprofilen er lagret."))
            return redirect("followup_career_profile", pk=period.pk)
    return _render_period(
        request,
        period,
        "followup_career_profile",
        "participants/followup_career_profile.html",
        {"profile": profile, "form": form},
    )


def _plan_page(request, period: Period, **bound: Form) -> HttpResponse:
    """The plan page, with any form the user just sent (and its errors) in place of a fresh one."""
    plan = (
        FollowUpPlan.objects.filter(period=period)
        .prefetch_related("revisions__recorded_by", Prefetch("activities", PlanActivity.objects.order_by("pk")))
        .first()
    )
    status = None
    activities = []
    if plan is not None:
        try:
            status = services.plan_status(plan=plan, on=timezone.localdate())
        except ValidationError:
            # A revision dated ahead of today: there is nothing to assess yet.
            status = None
        failed = bound.get("activity_form")
        activities = [
            (
                activity,
                failed
                if failed is not None and failed.activity.pk == activity.pk
                else ActivityStatusForm(activity=activity),
            )
            for activity in plan.activities.all()
        ]
    context = {
        "plan": plan,
        "revisions": list(plan.revisions.all())[::-1] if plan else [],
        "activities": activities,
        "status": status,
        "create_form": bound.get("create_form") or PlanCreateForm(),
        "revise_form": bound.get("revise_form") or PlanReviseForm(),
        "activity_add_form": bound.get("activity_add_form") or ActivityAddForm(),
    }
    return _render_period(request, period, "followup_plan", "participants/followup_plan.html", context)


@login_required
def plan(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    return _plan_page(request, period)


@login_required
@require_POST
def plan_create(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_manage_period, "followup_plan"):
        return refused
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            services.plan_create(
                actor=request.user,
                period=period,
                purpose=form.cleaned_data["purpose"],
                on=form.cleaned_data["created_on"],
            )
        except ValidationError as error:
            if FollowUpPlan.objects.filter(period=period).exists():
                # Someone made the plan in the meantime: the page now shows it, with no create form to put errors on.
                for message in error.messages:
                    messages.error(request, message)
                return redirect("followup_plan", pk=period.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Oppfølgingsplanen er laget."))
            return redirect("followup_plan", pk=period.pk)
    return _plan_page(request, period, create_form=form)


def _plan_of(period: Period) -> FollowUpPlan:
    return get_object_or_404(FollowUpPlan, period=period)


@login_required
@require_POST
def plan_revise(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_follow_up, "followup_plan"):
        return refused
    plan_ = _plan_of(period)
    form = PlanReviseForm(request.POST)
    saved = submit(
        form,
        lambda data: services.plan_revise(
            actor=request.user, plan=plan_, on=data["revised_on"], content=data["content"], **form.participation()
        ),
        aliases={"participant_took_part": "took_part"},
    )
    if saved:
        messages.success(request, _("Revisjonen av planen er registrert."))
        return redirect("followup_plan", pk=period.pk)
    return _plan_page(request, period, revise_form=form)


@login_required
@require_POST
def activity_add(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_follow_up, "followup_plan"):
        return refused
    plan_ = _plan_of(period)
    form = ActivityAddForm(request.POST)
    saved = submit(
        form,
        lambda data: services.plan_activity_add(
            actor=request.user, plan=plan_, description=data["description"], due_on=data["due_on"]
        ),
    )
    if saved:
        messages.success(request, _("Aktiviteten er lagt til i planen."))
        return redirect("followup_plan", pk=period.pk)
    return _plan_page(request, period, activity_add_form=form)


@login_required
@require_POST
def activity_status(request, pk: int, activity_pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_follow_up, "followup_plan"):
        return refused
    activity = get_object_or_404(PlanActivity, pk=activity_pk, plan__period=period)
    form = ActivityStatusForm(request.POST, activity=activity)
    saved = submit(
        form,
        lambda data: services.plan_activity_set_status(
            actor=request.user, activity=activity, status=data["status"], expected_revision=data["revision"]
        ),
    )
    if saved:
        messages.success(request, _("Statusen for aktiviteten er endret."))
        return redirect("followup_plan", pk=period.pk)
    return _plan_page(request, period, activity_form=form)


@login_required
def contacts(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refused := _write_refused(request, period, access.can_follow_up, "followup_contacts"):
            return refused
        saved = submit(
            form,
            lambda data: services.contact_record(
                actor=request.user,
                period=period,
                kind=data["kind"],
                on=data["date"],
                place=data["place"],
                counterpart=data["counterpart"],
                notes=data["notes"],
            ),
        )
        if saved:
            messages.success(request, _("Kontakten er registrert."))
            return redirect("followup_contacts", pk=period.pk)
    filter_form = ContactFilterForm(request.GET or None)
    kind = filter_form.cleaned_data["type"] if filter_form.is_valid() else ""
    rows = period.contacts.select_related("recorded_by")
    if kind:
        rows = rows.filter(kind=kind)
    counts = dict(period.contacts.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return _render_period(
        request,
        period,
        "followup_contacts",
        "participants/followup_contacts.html",
        {
            "form": form,
            "filter_form": filter_form,
            "kind": kind,
            "contacts": rows,
            "counts": counts,
            "total": sum(counts.values()),
        },
    )


@login_required
def job_search(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    form = JobSearchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refused := _write_refused(request, period, access.can_manage_period, "followup_job_search"):
            return refused
        saved = submit(
            form,
            lambda data: services.job_search_record(
                actor=request.user,
                period=period,
                kind=data["kind"],
                on=data["date"],
                position=data["position"],
                employer=data["employer"],
                employer_name=data["employer_name"],
                notes=data["notes"],
            ),
        )
        if saved:
            messages.success(request, _("Hendelsen er lagt til i jobbsøkingsloggen."))
            return redirect("followup_job_search", pk=period.pk)
    events = period.job_search.select_related("employer")
    return _render_period(
        request,
        period,
        "followup_job_search",
        "participants/followup_job_search.html",
        {"form": form, "events": events},
    )


def _jobs_page(request, period: Period, form: JobForm, failed_end: JobEndForm | None = None) -> HttpResponse:
    jobs = [
        (job, failed_end if failed_end is not None and failed_end.job.pk == job.pk else JobEndForm(job=job))
        for job in period.jobs.select_related("employer")
    ]
    return _render_period(
        request, period, "followup_jobs", "participants/followup_jobs.html", {"form": form, "jobs": jobs}
    )


@login_required
def jobs(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    form = JobForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refused := _write_refused(request, period, access.can_manage_period, "followup_jobs"):
            return refused
        job = submit(
            form,
            lambda data: services.job_register(actor=request.user, period=period, **data),
            # The rule is judged on the start date: a date no version of the rules covers is the field's error.
            aliases={"on": "start_date"},
        )
        if job is not None:
            if job.counts_as_outcome:
                messages.success(request, _("Jobben er registrert og teller som ordinært arbeid."))
            else:
                messages.warning(
                    request, _("Jobben er registrert, men teller ikke som ordinært arbeid. Se begrunnelsen.")
                )
            return redirect("followup_jobs", pk=period.pk)
    return _jobs_page(request, period, form)


@login_required
@require_POST
def job_end(request, pk: int, job_pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_manage_period, "followup_jobs"):
        return refused
    job = get_object_or_404(period.jobs, pk=job_pk)
    form = JobEndForm(request.POST, job=job)
    if job.end_date is not None:
        form.add_error(None, _("Jobben har allerede en sluttdato."))
    elif submit(form, lambda data: services.job_end(actor=request.user, job=job, end_date=data["end_date"])):
        messages.success(request, _("Sluttdatoen for jobben er registrert."))
        return redirect("followup_jobs", pk=period.pk)
    return _jobs_page(request, period, JobForm(), failed_end=form)


def _education_page(
    request, period: Period, form: EducationForm, failed_finish: EducationFinishForm | None = None
) -> HttpResponse:
    rows = [
        (
            education,
            failed_finish
            if failed_finish is not None and failed_finish.education.pk == education.pk
            else EducationFinishForm(education=education),
        )
        for education in period.educations.all()
    ]
    return _render_period(
        request,
        period,
        "followup_education",
        "participants/followup_education.html",
        {"form": form, "educations": rows},
    )


@login_required
def education(request, pk: int):
    period = access.get_period_for_user(request.user, pk)
    form = EducationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refused := _write_refused(request, period, access.can_manage_period, "followup_education"):
            return refused
        if submit(form, lambda data: services.education_register(actor=request.user, period=period, **data)):
            messages.success(request, _("Utdanningen er registrert."))
            return redirect("followup_education", pk=period.pk)
    return _education_page(request, period, form)


@login_required
@require_POST
def education_finish(request, pk: int, education_pk: int):
    period = access.get_period_for_user(request.user, pk)
    if refused := _write_refused(request, period, access.can_manage_period, "followup_education"):
        return refused
    education = get_object_or_404(period.educations, pk=education_pk)
    form = EducationFinishForm(request.POST, education=education)
    saved = submit(
        form,
        lambda data: services.education_finish(
            actor=request.user, education=education, on=data["ended_on"], completed=data["completed"]
        ),
    )
    if saved:
        messages.success(request, _("Utdanningen er avsluttet."))
        return redirect("followup_education", pk=period.pk)
    return _education_page(request, period, EducationForm(), failed_finish=form)


# Employers


@login_required
def employer_list(request):
    _require(access.can_use_employer_register(request.user))
    form = EmployerSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    employers = (
        Employer.objects.select_related("municipality").annotate(contact_count=Count("contacts")).order_by("name")
    )
    if query:
        compact = query.replace(" ", "")
        employers = employers.filter(Q(name__icontains=query) | Q(orgnr__startswith=compact))
    return render(
        request,
        "participants/employer_list.html",
        {
            "form": form,
            "query": query,
            "employers": employers[:200],
            "total": employers.count(),
            "can_register": access.can_register_employer(request.user)[0],
            "can_record_contact": access.can_record_employer_contact(request.user)[0],
        },
    )


@login_required
def employer_register(request):
    _require(access.can_register_employer(request.user))
    form = EmployerForm(request.POST if request.method == "POST" else None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            existing = Employer.objects.filter(orgnr=form.cleaned_data["orgnr"]).first()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Arbeidsgiveren er registrert."))
            return redirect(f"{reverse('employer_list')}?q={employer.orgnr}")
    return render(request, "participants/employer_form.html", {"form": form, "existing": existing})


def _render_with_people(request, template: str, context: dict, people: Iterable[Participant]) -> HttpResponse:
    """A page naming participants is a read of each of them."""
    access.participants_shown(people)
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


def _contact_participants(user: User):
    """The participants a contact can concern: those the user may see who are in a running period."""
    return (
        access.visible_participants(user)
        .filter(periods__closed_on__isnull=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


@login_required
def employer_contact_list(request):
    _require(access.can_record_employer_contact(request.user))
    visible = access.visible_participants(request.user)
    contacts_ = (
        EmployerContact.objects.filter(job_specialist=request.user)
        .select_related("employer")
        .prefetch_related(
            Prefetch("participants", visible.order_by("last_name", "first_name"), to_attr="visible_participants")
        )
    )
    contacts_ = list(contacts_[:200])
    named = {participant.pk: participant for contact in contacts_ for participant in contact.visible_participants}
    return _render_with_people(
        request, "participants/employer_contact_list.html", {"contacts": contacts_}, named.values()
    )


@login_required
def employer_contact_record(request):
    _require(access.can_record_employer_contact(request.user))
    initial = {}
    if request.method == "GET" and (employer_pk := request.GET.get("arbeidsgiver", "")).isdigit():
        initial["employer"] = Employer.objects.filter(pk=employer_pk).first()
    participants = _contact_participants(request.user)
    # Recorded from a participant's page: that participant is chosen, and the user goes back there afterwards.
    about = request.GET.get("deltaker", "")
    from_participant = participants.filter(pk=about).first() if about.isdigit() else None
    if from_participant is not None:
        initial |= {"participants": [from_participant.pk], "purpose": EmployerContact.Purpose.NAMED_PARTICIPANTS}
    form = EmployerContactForm(
        request.POST if request.method == "POST" else None, initial=initial, participants=participants
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.employer_contact_record(
                actor=request.user,
                employer=data["employer"],
                on=data["date"],
                face_to_face=data["face_to_face"],
                purpose=data["purpose"],
                participants=list(data["participants"]),
                result=data["result"],
            ),
        )
        if saved:
            messages.success(request, _("Arbeidsgiverkontakten er registrert."))
            if from_participant is not None:
                return redirect("participant_detail", pk=from_participant.pk)
            return redirect("employer_contact_list")
    return _render_with_people(
        request,
        "participants/employer_contact_form.html",
        {"form": form, "from_participant": from_participant},
        form.fields["participants"].queryset,
    )
