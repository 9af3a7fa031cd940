"""The fidelity pages: scales, reviews of a service, scoring, status changes, action plan, schedule and overviews.

Thin views: every object is fetched through ``access.get_<object>_for_user`` (404 for what the user may not see),
every write asks a ``can_<action>`` (403 with the reason) and goes through ``services.py``; a ValidationError
from a service lands on the form or in a message and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brobygger.accounts.access import Decision
from brobygger.accounts.models import IpsService
from brobygger.fidelity import access, overview, reports, schedule, services
from brobygger.fidelity.forms import (
    ActionForm,
    ActionUpdateForm,
    CorrectionForm,
    FinaliseForm,
    ReviewCreateForm,
    ReviewEditForm,
    RevisionForm,
    ScaleUploadForm,
    ScoreForm,
)
from brobygger.fidelity.models import Review, ReviewItem, Scale
from brobygger.fidelity.scales import IPS_25, ScaleFileError, ensure_builtin_scales, load_scale
from brobygger.fidelity.suggestions import MEASURES
from brobygger.submit import add_service_errors


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _message(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# Overview pages


@login_required
def index(request):
    _require(access.can_view_fidelity(request.user))
    services_qs = access.schedule_services(request.user)
    today = timezone.localdate()
    regions = schedule.schedule(services_qs, today)
    return render(
        request,
        "fidelity/index.html",
        {
            "regions": regions,
            "sees_details": access.sees_details(request.user),
            "can_view_item_scores": access.can_view_item_scores(request.user)[0],
            "today": today,
        },
    )


@login_required
def schedule_page(request):
    _require(access.can_view_fidelity(request.user))
    today = timezone.localdate()
    regions = schedule.schedule(access.schedule_services(request.user), today)
    counts = {
        status: sum(1 for _region, rows in regions for row in rows if row.status == status)
        for status in (schedule.OVERDUE, schedule.UPCOMING, schedule.LATER)
    }
    return render(
        request,
        "fidelity/schedule.html",
        {
            "regions": regions,
            "counts": counts,
            "upcoming_days": schedule.UPCOMING_DAYS,
            "sees_details": access.sees_details(request.user),
            "today": today,
        },
    )


@login_required
def comparison(request):
    _require(access.can_view_fidelity(request.user))
    reviews = access.comparable_reviews(request.user)
    regions = overview.comparison(access.fidelity_services(request.user), reviews)
    return render(request, "fidelity/comparison.html", {"regions": regions})


@login_required
def heatmap(request):
    _require(access.can_view_fidelity(request.user))
    _require(access.can_view_heatmap(request.user))
    ensure_builtin_scales()
    reviews = access.comparable_reviews(request.user)
    keys = overview.scale_keys(reviews) or [(IPS_25, "IPS-25")]
    chosen = request.GET.get("skala") or keys[0][0]
    if chosen not in {key for key, _name in keys}:
        chosen = keys[0][0]
    data = overview.heatmap(access.fidelity_services(request.user), reviews, chosen)
    return render(request, "fidelity/heatmap.html", {"keys": keys, "chosen": chosen, **data})


# Scales


@login_required
def scale_list(request):
    _require(access.can_view_scales(request.user))
    ensure_builtin_scales()
    can_manage = access.can_manage_scales(request.user)[0]
    form = ScaleUploadForm(request.POST or None, request.FILES or None) if can_manage else None
    problems: list[str] = []
    if request.method == "POST":
        _require(access.can_manage_scales(request.user))
        if form.is_valid():
            try:
                scale = load_scale(actor=request.user, text=form.cleaned_data["file"])
            except ScaleFileError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("%(name)s versjon %(version)s er lastet med %(count)s punkter.")
                    % {"name": scale.name, "version": scale.version, "count": scale.items.count()},
                )
                return redirect("fidelity_scale_detail", pk=scale.pk)
    scales = Scale.objects.select_related("loaded_by").order_by("name", "-valid_from")
    return render(
        request,
        "fidelity/scale_list.html",
        {"scales": scales, "form": form, "problems": problems, "can_manage": can_manage},
        status=400 if problems or (form is not None and form.errors) else 200,
    )


@login_required
def scale_detail(request, pk: int):
    scale = access.get_scale_for_user(request.user, pk)
    groups = scale.groups.prefetch_related("items")
    return render(
        request,
        "fidelity/scale_detail.html",
        {
            "scale": scale,
            "groups": groups,
            "measures": MEASURES,
            "can_manage": access.can_manage_scales(request.user)[0],
        },
    )


@login_required
def scale_file(request, pk: int):
    scale = access.get_scale_for_user(request.user, pk)
    response = HttpResponse(scale.definition_text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{scale.key}-{scale.version}.yaml"'
    return response


# A service's reviews


@login_required
def service_reviews(request, pk: int):
    _require(access.can_view_fidelity(request.user))
    service = access.get_service_for_user(request.user, pk)
    user = request.user
    reviews = access.visible_reviews(user).filter(service=service).select_related("scale").prefetch_related("reviewers")
    finalised = access.comparable_reviews(user).filter(service=service)
    latest = schedule.latest_finalised(IpsService.objects.filter(pk=service.pk)).get(service.pk)
    in_progress = reviews.filter(status__in=[Review.Status.DRAFT, Review.Status.SUBMITTED]).first()
    return render(
        request,
        "fidelity/service.html",
        {
            "service": service,
            "reviews": reviews,
            "histories": overview.history(finalised),
            "next": schedule.schedule_row(service, latest, in_progress, timezone.localdate()),
            "sees_details": access.sees_details(user),
            "can_create": access.can_create_review(user, service)[0],
        },
    )


@login_required
def review_create(request, pk: int):
    service = access.get_service_for_user(request.user, pk)
    _require(access.can_create_review(request.user, service))
    ensure_builtin_scales()
    review_type = access.review_types_for(request.user, service)[0]
    form = ReviewCreateForm(request.POST or None, service=service, review_type=review_type, user=request.user)
    if request.method == "GET":
        in_force = (
            Scale.objects.filter(key=IPS_25, valid_from__lte=timezone.localdate()).order_by("-valid_from").first()
        )
        form.initial.setdefault("scale", in_force.pk if in_force else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                actor=request.user,
                service=service,
                scale=form.cleaned_data["scale"],
                review_type=review_type,
                review_date=form.cleaned_data["review_date"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                reviewers=list(form.cleaned_data["reviewers"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Gjennomgangen er opprettet. Skår punktene når dere har grunnlaget."))
            return redirect("fidelity_review", pk=review.pk)
    return render(
        request,
        "fidelity/review_form.html",
        {"form": form, "service": service, "review_type": Review.Type(review_type).label, "review": None},
        status=400 if form.errors else 200,
    )


# One review


def _rows(review: Review) -> list[ReviewItem]:
    return list(review.items.select_related("item__group").order_by("item__number"))


@login_required
def review_detail(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    user = request.user
    rows = _rows(review)
    can_edit = access.can_edit_review(user, review)[0]
    can_finalise, finalise_reason = access.can_finalise_review(user, review)
    context = {
        "review": review,
        "rows": rows,
        "reviewers": review.reviewers.order_by("last_name", "first_name"),
        "actions": review.actions.select_related("item"),
        "disagreements": sum(1 for row in rows if row.disagrees),
        "unscored": [row.item for row in rows if row.score is None],
        "can_edit": can_edit and review.status == Review.Status.DRAFT,
        "can_reopen": can_edit and review.status == Review.Status.SUBMITTED,
        "can_finalise": can_finalise and review.status == Review.Status.SUBMITTED,
        # The one who handed it in is told why the button is missing: another reviewer finalises.
        "awaiting_other_reviewer": review.status == Review.Status.SUBMITTED
        and review.submitted_by_id == user.pk
        and not can_finalise
        and finalise_reason,
        "can_correct": access.can_correct_review(user, review)[0]
        and review.status == Review.Status.FINALISED
        and not Review.objects.filter(corrects=review).exists(),
        "correction": Review.objects.filter(corrects=review).first(),
        "revision_form": RevisionForm(initial={"revision": review.revision}),
    }
    return render(request, "fidelity/review_detail.html", context)


@login_required
def review_edit(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    _require(access.can_edit_review(request.user, review))
    if review.status != Review.Status.DRAFT:
        messages.error(request, _("Bare et utkast kan endres."))
        return redirect("fidelity_review", pk=review.pk)
    initial = {
        "review_date": review.review_date,
        "period_start": review.period_start,
        "period_end": review.period_end,
        "reviewers": list(review.reviewers.values_list("pk", flat=True)),
        "summary": review.summary,
        "recommendations": review.recommendations,
        "revision": review.revision,
    }
    form = ReviewEditForm(request.POST or None, initial=initial, service=review.service, review_type=review.review_type)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(
                actor=request.user,
                review=review,
                expected_revision=form.cleaned_data["revision"],
                review_date=form.cleaned_data["review_date"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                reviewers=list(form.cleaned_data["reviewers"]),
                summary=form.cleaned_data["summary"],
                recommendations=form.cleaned_data["recommendations"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Gjennomgangen er lagret."))
            return redirect("fidelity_review", pk=review.pk)
    return render(
        request,
        "fidelity/review_form.html",
        {"form": form, "service": review.service, "review_type": review.get_review_type_display(), "review": review},
        status=400 if form.errors else 200,
    )


@login_required
def review_score(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    _require(access.can_edit_review(request.user, review))
    if review.status != Review.Status.DRAFT:
        messages.error(request, _("Skårene kan bare endres mens gjennomgangen er et utkast."))
        return redirect("fidelity_review", pk=review.pk)
    rows = _rows(review)
    form = ScoreForm(request.POST or None, review=review, rows=rows, initial={"revision": review.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_score(
                actor=request.user, review=review, expected_revision=form.cleaned_data["revision"], scores=form.scores()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Skårene er lagret."))
            return redirect("fidelity_review", pk=review.pk)
    groups = []
    for row, *fields in form.item_fields():
        if not groups or groups[-1][0] != row.item.group:
            groups.append((row.item.group, []))
        groups[-1][1].append((row, *fields))
    return render(
        request,
        "fidelity/review_score.html",
        {"review": review, "form": form, "groups": groups},
        status=400 if form.errors else 200,
    )


def _status_change(request, pk: int, change, check, success: str, form_class=RevisionForm):
    review = access.get_review_for_user(request.user, pk)
    _require(check(request.user, review))
    form = form_class(request.POST)
    valid = form.is_valid()
    # A step that cannot be undone and was not confirmed is not taken.
    for message in form.errors.get("confirmed", []):
        messages.error(request, message)
    if "confirmed" in form.errors:
        return redirect("fidelity_review", pk=review.pk)
    expected = form.cleaned_data["revision"] if valid else None
    try:
        change(actor=request.user, review=review, expected_revision=expected)
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, success)
    return redirect("fidelity_review", pk=review.pk)


@login_required
@require_POST
def review_submit(request, pk: int):
    return _status_change(
        request, pk, services.review_submit, access.can_edit_review, _("Gjennomgangen er levert til ferdigstilling.")
    )


@login_required
@require_POST
def review_reopen(request, pk: int):
    return _status_change(
        request, pk, services.review_reopen, access.can_edit_review, _("Gjennomgangen er åpnet igjen som utkast.")
    )


@login_required
@require_POST
def review_finalise(request, pk: int):
    return _status_change(
        request,
        pk,
        services.review_finalise,
        access.can_finalise_review,
        _("Gjennomgangen er ferdigstilt. Den kan ikke lenger endres, bare rettes."),
        form_class=FinaliseForm,
    )


@login_required
@require_POST
def review_refresh(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    _require(access.can_edit_review(request.user, review))
    try:
        services.review_refresh_suggestions(actor=request.user, review=review)
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, _("Forslagene fra data er regnet ut på nytt."))
    return redirect("fidelity_review", pk=review.pk)


@login_required
def review_correct(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    _require(access.can_correct_review(request.user, review))
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.review_correct(actor=request.user, review=review, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Rettelsen er opprettet som versjon %(version)s.") % {"version": correction.version}
            )
            return redirect("fidelity_review", pk=correction.pk)
    return render(
        request, "fidelity/review_correct.html", {"review": review, "form": form}, status=400 if form.errors else 200
    )


# Action plan


@login_required
def actions(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    open_for_changes = review.status != Review.Status.SUPERSEDED and not Review.objects.filter(corrects=review).exists()
    can_manage = access.can_manage_actions(request.user, review)[0] and open_for_changes
    form = ActionForm(request.POST or None, review=review) if can_manage else None
    if request.method == "POST":
        _require(access.can_manage_actions(request.user, review))
        if form is None:
            messages.error(request, _("Tiltaksplanen kan ikke endres her: gjennomgangen er rettet eller rettes."))
            return redirect("fidelity_actions", pk=review.pk)
        if form.is_valid():
            try:
                services.action_add(
                    actor=request.user,
                    review=review,
                    description=form.cleaned_data["description"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                    item=form.cleaned_data["item"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Tiltaket er lagt til."))
                return redirect("fidelity_actions", pk=review.pk)
    return render(
        request,
        "fidelity/actions.html",
        {
            "review": review,
            "actions": review.actions.select_related("item"),
            "form": form,
            "can_manage": can_manage,
            "correction": Review.objects.filter(corrects=review).first(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def action_edit(request, pk: int, action_pk: int):
    review = access.get_review_for_user(request.user, pk)
    action = access.get_action_for_user(request.user, review, action_pk)
    _require(access.can_manage_actions(request.user, review))
    initial = {
        "status": action.status,
        "follow_up": action.follow_up,
        "owner": action.owner,
        "due_on": action.due_on,
        "revision": action.revision,
    }
    form = ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                expected_revision=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tiltaket er oppdatert."))
            return redirect("fidelity_actions", pk=review.pk)
    return render(
        request,
        "fidelity/action_form.html",
        {"review": review, "action": action, "form": form},
        status=400 if form.errors else 200,
    )


# Reports


@login_required
def review_pdf(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    response = HttpResponse(reports.review_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="modelltrohet-{review.pk}.pdf"'
    return response


@login_required
def review_xlsx(request, pk: int):
    review = access.get_review_for_user(request.user, pk)
    response = HttpResponse(
        reports.review_xlsx(review), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="modelltrohet-{review.pk}.xlsx"'
    return response
