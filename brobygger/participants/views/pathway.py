"""Pages: the pathway from registration and referral to closure. Thin views over services.py and access.py.

Every page here shows personal data, so every response is marked ``no-store``; the participant's page writes the
access log on each view, and the identity number leaves the server only through the reveal action, which is logged
on its own. URLs carry database ids only.
"""

from datetime import date
from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from brobygger.accounts.access import Decision, can_view_personal_data
from brobygger.participants import access, caseload, identity, services
from brobygger.participants.forms import (
    GUARDIAN_AGE,
    AcceptForm,
    ContactDetailsForm,
    ExtensionAssessForm,
    IdentitySearchForm,
    NameSearchForm,
    ParticipantEditForm,
    PeriodCloseForm,
    PeriodExtendForm,
    PeriodStartForm,
    ReferralCreateForm,
    RefuseForm,
    RegisterForm,
)
from brobygger.participants.models import (
    Extension,
    Participant,
    ParticipantContactDetails,
    Period,
    Referral,
    StatusChange,
)
from brobygger.rules.base import RuleInputError
from brobygger.rules.dates import age_on
from brobygger.submit import add_service_errors, submit

PAGE_SIZE = 50
# The answer to a registration, whether the person was new or known before (no membership oracle).
REGISTERED = gettext_lazy("Personen og henvisningen er registrert.")

# What a stored rule result concluded, in words; the codes are the rules' own (brobygger/rules/).
OUTCOME_LABELS = {
    "personkrets": {
        "oppfylt": gettext_lazy("Vilkårene for å få tiltaket er oppfylt"),
        "ikke_oppfylt": gettext_lazy("Vilkårene for å få tiltaket er ikke oppfylt"),
    },
    "varighet": {
        "ikke_startet": gettext_lazy("Tiltaket har ikke startet"),
        "lopende": gettext_lazy("Innenfor lengste varighet"),
        "utlopt": gettext_lazy("Lengste varighet er nådd"),
    },
    "forlengelse": {
        "kan_forlenges": gettext_lazy("Forløpet kan forlenges"),
        "kan_ikke_forlenges": gettext_lazy("Forløpet kan ikke forlenges"),
    },
}
POSITIVE_OUTCOMES = frozenset({"oppfylt", "lopende", "ikke_startet", "kan_forlenges"})


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _require_participant_work(user) -> None:
    """Only roles that work with named participants, in a team or a service, reach these pages at all."""
    _require(can_view_personal_data(user))
    if not access.referral_teams(user).exists():
        raise PermissionDenied(_("Du hører ikke til et behandlingsteam eller et IPS-tilbud, og ser ingen deltakere."))


def explained(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored rule result (``RuleResult.to_dict()``) with what the page needs to show it: words and dates."""
    if not result:
        return None
    outcome = result.get("outcome", "")
    if result.get("rule") == "personkrets":
        result = result | {"reasons": _paths_not_needed(result.get("reasons", []))}
    return result | {
        "on_date": date.fromisoformat(result["on"]) if result.get("on") else None,
        "outcome_label": OUTCOME_LABELS.get(result.get("rule", ""), {}).get(outcome, outcome),
        "positive": outcome in POSITIVE_OUTCOMES,
    }


# The three ways into the target group (forskriften § 3-1): one that holds is enough, so the others are not needed.
ELIGIBILITY_PATH_CODES = ("PERSONKRETS_ORDINAER_", "PERSONKRETS_IPS_UNG_", "PERSONKRETS_UNNTAK_")


def _paths_not_needed(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reasons, with the ways into the target group that did not hold marked as not needed when another did."""
    paths = [reason for reason in reasons if reason.get("code", "").startswith(ELIGIBILITY_PATH_CODES)]
    if not any(reason.get("passed") for reason in paths):
        return reasons
    return [
        reason | {"not_needed": True} if reason in paths and not reason.get("passed") else reason for reason in reasons
    ]


# The list and the search -----------------------------------------------------------------------------------------


def _current_period(participant: Participant) -> Period | None:
    """The open period, or else the latest one the user may see."""
    periods = list(participant.visible_periods)
    return next((f for f in periods if f.closed_on is None), periods[0] if periods else None)


@sensitive_variables()
@login_required
@never_cache
@sensitive_post_parameters("identity_number")
def participant_list(request):
    user = request.user
    _require_participant_work(user)
    name_form = NameSearchForm(request.GET or None, user=user)
    identity_form = IdentitySearchForm(request.POST or None)
    not_found = False
    if request.method == "POST" and identity_form.is_valid():
        key = identity.identity_hash(identity_form.cleaned_data["identity_number"])
        found = access.visible_participants(user).filter(identity_hash=key).first()
        if found is not None:
            return redirect("participant_detail", pk=found.pk)
        not_found = True

    filters = name_form.cleaned_data if name_form.is_valid() else {}
    query = filters.get("q", "")
    people = _filtered_people(user, filters)
    people = people.select_related("municipality__county").prefetch_related(
        Prefetch(
            "periods",
            queryset=access.visible_periods(user).select_related("job_specialist").order_by("-pk"),
            to_attr="visible_periods",
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.filter(decision=Referral.Decision.PENDING, team__in=access.referral_teams(user)),
            to_attr="pending_referrals",
        ),
    )
    order = LIST_ORDERS[filters.get("order") or "name"]
    page = Paginator(people.order_by(*order), PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [{"participant": d, "period": _current_period(d), "pending": bool(d.pending_referrals)} for d in page]
    access.participants_shown(page)
    context = {
        "name_form": name_form,
        "identity_form": identity_form,
        "not_found": not_found,
        "query": query,
        "page": page,
        "rows": rows,
        "page_query": urlencode({key: value for key, value in request.GET.items() if key != "side" and value}),
        "filtered": any(filters.get(name) for name in ("status", "team", "job_specialist", "alert")),
        "can_import": access.can_import(user)[0],
    }
    return render(request, "participants/list.html", context)


LIST_ORDERS = {
    "name": ("last_name", "first_name", "pk"),
    "newest": ("-latest_referral", "last_name", "pk"),
    "birth": ("birth_date", "last_name", "pk"),
}


def _filtered_people(user, filters: dict[str, Any]):
    """The people the user may see, narrowed by name, status, team, job specialist and alert. Each filter is a
    subquery on the user's own periods or referrals, so one person is one row however many periods they have."""
    people = Participant.objects.filter(pk__in=access.visible_participants(user).values("pk"))
    for word in filters.get("q", "").split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    periods = access.visible_periods(user)
    status = filters.get("status")
    if status == NameSearchForm.PENDING:
        pending = Referral.objects.filter(decision=Referral.Decision.PENDING, team__in=access.referral_teams(user))
        people = people.filter(pk__in=pending.values("participant"))
    elif status == Period.Status.CLOSED:
        people = people.filter(pk__in=periods.filter(closed_on__isnull=False).values("participant")).exclude(
            pk__in=periods.filter(closed_on__isnull=True).values("participant")
        )
    elif status:
        people = people.filter(pk__in=periods.filter(status=status, closed_on__isnull=True).values("participant"))
    if filters.get("team"):
        people = people.filter(pk__in=Referral.objects.filter(team=filters["team"]).values("participant"))
    if filters.get("job_specialist"):
        running = periods.filter(job_specialist=filters["job_specialist"], closed_on__isnull=True)
        people = people.filter(pk__in=running.values("participant"))
    if filters.get("alert"):
        # The alerts are worked out in Python from one query over the visible open periods, as on the caseload.
        flagged = caseload.participants_with_alert(periods, filters["alert"], on=timezone.localdate())
        people = people.filter(pk__in=flagged)
    return people.annotate(
        latest_referral=Max("referrals__referred_on", filter=Q(referrals__team__in=access.referral_teams(user)))
    )


# Registration and referral ---------------------------------------------------------------------------------------


@sensitive_variables()
@login_required
@never_cache
@sensitive_post_parameters("identity_number")
def participant_register(request):
    """The person and the first referral in one form: saved together or not at all."""
    user = request.user
    _require_participant_work(user)
    form = RegisterForm(request.POST or None, user=user)
    existing = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["identity_number"]
        _require(access.can_refer(user, form.cleaned_data["team"]))
        known = services.participant_by_identity(number)
        if known is None:
            try:
                with transaction.atomic():
                    participant = services.participant_register(
                        actor=user, identity_number=number, **form.person_data()
                    )
                    services.referral_create(
                        actor=user,
                        participant=participant,
                        contact_details=form.contact_data(),
                        **form.referral_data(),
                    )
            except ValidationError as error:
                # Someone may have registered the same person a moment ago; that is answered below like any other.
                known = services.participant_by_identity(number)
                if known is None:
                    add_service_errors(form, error)
            except IntegrityError:
                # Someone registered the same person a moment ago: the unique hash keeps one.
                known = services.participant_by_identity(number)
                if known is None:
                    form.add_error(None, _("Personen kunne ikke registreres. Prøv igjen."))
            except RuleInputError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, REGISTERED)
                return redirect("participant_detail", pk=participant.pk)
        if known is not None:
            # Only a person the user may already see is answered "already registered": that tells them nothing new.
            existing = _registered_already(user, number)
            if existing is None:
                return _refer_known_person(request, form, known)
            form.add_error("identity_number", _("Personen er allerede registrert. Søk opp personen i stedet."))
    return render(request, "participants/register.html", {"form": form, "existing": existing})


def _refer_known_person(request, form: RegisterForm, known: Participant):
    """A person registered by another team or service is referred here too: the referral links to the existing
    record. The answer is the one a new registration gets, so the page tells nobody whether, or where, the person
    was registered; what the other service recorded stays its own (``access.recorded_details``), and what this one
    typed goes into its own contact details of the person."""
    referred = submit(
        form,
        lambda data: services.referral_create(
            actor=request.user, participant=known, contact_details=form.contact_data(), **form.referral_data()
        ),
    )
    if referred:
        messages.success(request, REGISTERED)
        return redirect("participant_detail", pk=known.pk)
    return render(request, "participants/register.html", {"form": form, "existing": None})


@sensitive_variables()
def _registered_already(user, number: str) -> Participant | None:
    """The registered person with this number, if the user may see them."""
    return access.visible_participants(user).filter(identity_hash=identity.identity_hash(number)).first()


@login_required
@never_cache
def referral_create(request, pk: int):
    """A new referral of a participant already registered, e.g. after a closed period."""
    user = request.user
    participant = access.get_participant_for_user(user, pk)
    _require_participant_work(user)
    form = ReferralCreateForm(request.POST or None, user=user, participant=participant)
    if request.method == "POST" and form.is_valid():
        _require(access.can_refer(user, form.cleaned_data["team"]))
        if submit(
            form, lambda data: services.referral_create(actor=user, participant=participant, **form.referral_data())
        ):
            messages.success(request, _("Henvisningen er registrert."))
            return redirect("participant_detail", pk=participant.pk)
    return render(request, "participants/referral_form.html", {"form": form, "participant": participant})


@login_required
@never_cache
def referral_decide(request, pk: int):
    """Take the person in (a period waiting to start) or refuse, for a reason the regulation allows."""
    user = request.user
    referral = access.get_referral_for_user(user, pk)
    _require(access.can_decide_referral(user, referral))
    action = request.POST.get("action") if request.method == "POST" else None
    accept_form = AcceptForm(
        request.POST if action == "accept" else None, prefix="ta-inn", referral=referral, user=user
    )
    refuse_form = RefuseForm(request.POST if action == "refuse" else None, prefix="avsla", referral=referral)
    pending = referral.decision == Referral.Decision.PENDING
    if action in {"accept", "refuse"} and not pending:
        messages.warning(request, _("Henvisningen er allerede avgjort."))
        return redirect("participant_detail", pk=referral.participant_id)
    if action == "accept":
        accepted = submit(
            accept_form,
            lambda data: services.referral_accept(
                actor=user, referral=referral, on=data["decided_on"], job_specialist=data["job_specialist"]
            ),
        )
        if accepted:
            messages.success(request, _("Personen er tatt inn. Forløpet venter på oppstart."))
            return redirect("participant_detail", pk=referral.participant_id)
    if action == "refuse":
        refused = submit(
            refuse_form,
            lambda data: services.referral_refuse(
                actor=user, referral=referral, reason=data["refusal_reason"], on=data["decided_on"]
            ),
        )
        if refused:
            messages.success(request, _("Henvisningen er avslått, med grunnen registrert."))
            return redirect("participant_detail", pk=referral.participant_id)
    context = {
        "referral": referral,
        "participant": referral.participant,
        "eligibility": explained(referral.eligibility),
        "pending": pending,
        "accept_form": accept_form,
        "refuse_form": refuse_form,
    }
    return render(request, "participants/referral_decide.html", context)


# The participant's page ------------------------------------------------------------------------------------------


def _period_view(period: Period, can_manage: bool, can_follow_up: bool) -> dict[str, Any]:
    is_open = period.closed_on is None
    return {
        "period": period,
        "duration": explained(period.duration),
        "can_manage": can_manage,
        "can_follow_up": can_follow_up,
        "can_start": can_manage and period.status == Period.Status.WAITING,
        "can_extend": can_manage and is_open and period.start_date is not None,
        "can_close": can_manage and is_open,
        "extensions": [
            {"extension": extension, "result": explained(extension.rule_result)}
            for extension in period.extensions.all()
        ],
        "status_history": period.status_history.all(),
    }


def _periods_for_page(referrals: list[Referral]) -> dict[int, Period]:
    """The periods of the referrals with everything the page shows of them, by referral: a fixed number of queries
    however many periods, contacts, jobs and job-search events the person has."""
    periods = (
        Period.objects.filter(referral__in=referrals)
        .select_related("service", "job_specialist", "career_profile", "plan", "referral")
        .prefetch_related(
            Prefetch("extensions", queryset=Extension.objects.select_related("decided_by")),
            Prefetch("status_history", queryset=StatusChange.objects.select_related("recorded_by")),
            "contacts",
            "job_search",
            "jobs",
            "educations",
            "plan__revisions",
            "plan__activities",
        )
    )
    return {period.referral_id: period for period in periods}


@login_required
@never_cache
def participant_detail(request, pk: int):
    user = request.user
    participant = access.get_participant_for_user(user, pk)
    teams = access.referral_teams(user)
    shown = list(participant.referrals.filter(team__in=teams).select_related("team__service", "clinician"))
    periods = _periods_for_page(shown)
    manageable, followed = access.period_permissions(user, list(periods.values()))
    decidable = access.decidable_referrals(user, shown)
    correctable = access.correctable_referrals(user, shown)
    referrals = []
    for referral in shown:
        period = periods.get(referral.pk)
        referrals.append(
            {
                "referral": referral,
                "eligibility": explained(referral.eligibility),
                "can_decide": referral.decision == Referral.Decision.PENDING and referral.pk in decidable,
                "can_correct": referral.decision == Referral.Decision.PENDING and referral.pk in correctable,
                "period": _period_view(period, period.pk in manageable, period.pk in followed) if period else None,
            }
        )
    details = access.recorded_details(user, participant)
    contact = access.own_contact_details(user, participant)
    context = {
        "participant": participant,
        "masked_identity": identity.mask(_decrypted_or_blank(participant)),
        "details": details,
        "contact": contact,
        "contact_service": access.contact_service(user, participant),
        "show_guardian": (contact is not None and contact.has_guardian)
        or age_on(participant.birth_date, timezone.localdate()) < GUARDIAN_AGE,
        "referrals": referrals,
        "can_refer": teams.exists(),
        "employer_contacts": participant.employer_contacts.select_related("employer", "job_specialist"),
        "can_record_employer_contact": access.can_record_employer_contact(user)[0]
        and participant.periods.filter(closed_on__isnull=True).exists(),
    }
    return render(request, "participants/detail.html", context)


@sensitive_variables()
def _decrypted_or_blank(participant: Participant) -> str:
    """The number, for masking; blank (masked completely) if no configured key opens it."""
    try:
        return identity.decrypt_identity(participant.identity_encrypted)
    except InvalidToken:
        return ""


@sensitive_variables()
@login_required
@require_POST
@never_cache
def participant_reveal_identity(request, pk: int):
    """Show the full identity number once, to a user who may see the person; the reading is logged on its own."""
    user = request.user
    participant = access.get_participant_for_user(user, pk)
    _require(access.can_reveal_identity(user, participant))
    number = _decrypted_or_blank(participant)
    if number:
        access.identity_revealed(participant)
    context = {"participant": participant, "identity_number": f"{number[:6]} {number[6:]}" if number else ""}
    template = "participants/_identity_revealed.html" if request.htmx else "participants/reveal.html"
    return render(request, template, context)


@login_required
@never_cache
def participant_edit(request, pk: int):
    """Names, municipality and health facts, by the recording service; never the identity number."""
    user = request.user
    participant = access.get_participant_for_user(user, pk)
    _require(access.can_edit_participant(user, participant))
    form = ParticipantEditForm(request.POST or None, participant=participant)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.participant_update(
                actor=user, participant=participant, expected_revision=data["revision"], **form.person_data()
            ),
        )
        if saved:
            messages.success(request, _("Opplysningene er lagret."))
            return redirect("participant_detail", pk=participant.pk)
    return render(request, "participants/participant_form.html", {"form": form, "participant": participant})


@login_required
@never_cache
def contact_details_edit(request, pk: int):
    """The user's service's own phone, e-mail and guardian of the person; another service's are never shown."""
    user = request.user
    participant = access.get_participant_for_user(user, pk)
    _require(access.can_edit_contact_details(user, participant))
    service = access.contact_service(user, participant)
    details = access.own_contact_details(user, participant) or ParticipantContactDetails()
    form = ContactDetailsForm(request.POST or None, participant=participant, details=details)
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.contact_details_record(
                actor=user,
                participant=participant,
                service=service,
                expected_revision=data["revision"] or 0,  # 0: the service had recorded nothing yet
                **form.contact_data(),
            ),
        )
        if saved:
            messages.success(request, _("Kontaktopplysningene er lagret."))
            return redirect("participant_detail", pk=participant.pk)
    context = {"form": form, "participant": participant, "service": service}
    return render(request, "participants/contact_details_form.html", context)


# Period actions --------------------------------------------------------------------------------------------------


def _managed_period(request, pk: int) -> Period:
    period = access.get_period_for_user(request.user, pk)
    _require(access.can_manage_period(request.user, period))
    return period


@login_required
@never_cache
def period_start(request, pk: int):
    period = _managed_period(request, pk)
    form = PeriodStartForm(request.POST or None, period=period)
    waiting = period.status == Period.Status.WAITING
    if request.method == "POST" and form.is_valid():
        if not waiting:
            form.add_error(None, _("Forløpet er allerede startet."))
        elif submit(
            form,
            lambda data: services.period_start(
                actor=request.user, period=period, start_date=data["start_date"], expected_revision=data["revision"]
            ),
        ):
            messages.success(
                request,
                _("Forløpet er startet: %(track)s, siste dag i tiltaket %(last_day)s, ventetid %(days)s dager.")
                % {
                    "track": period.get_track_display(),
                    "last_day": f"{period.last_permitted_day:%d.%m.%Y}",
                    "days": period.waiting_days,
                },
            )
            return redirect("participant_detail", pk=period.participant_id)
        else:
            # The service may have changed the period in memory before it refused: show what is saved.
            period.refresh_from_db()
    return render(request, "participants/forlop_start.html", {"period": period, "form": form, "waiting": waiting})


@login_required
@never_cache
def period_extend(request, pk: int):
    """The rule's assessment first, with every reason; the decision form only when the rule allows it."""
    period = _managed_period(request, pk)
    is_post = request.method == "POST"
    today = timezone.localdate()
    assess_form = ExtensionAssessForm(request.GET if "on" in request.GET else None, initial={"on": today})
    on = assess_form.cleaned_data["on"] if assess_form.is_bound and assess_form.is_valid() else today
    form = PeriodExtendForm(request.POST if is_post else None, period=period, on=on)
    if is_post and not form.is_valid() and "decided_on" not in form.cleaned_data:
        # Without the date the user saw assessed, there is nothing to decide on: assess again.
        return redirect("period_extend", pk=period.pk)
    if is_post:
        on = form.cleaned_data["decided_on"]
    result, problem = None, ""
    if period.closed_on is not None:
        problem = _("Forløpet er avsluttet og kan ikke forlenges.")
    elif period.start_date is None:
        problem = _("Forløpet er ikke startet ennå.")
    else:
        try:
            result = services.extension_assess(period=period, on=on)
        except ValidationError as error:
            problem = " ".join(error.messages)
        except RuleInputError as error:
            problem = error.message
    if is_post and result is not None:
        extended = submit(
            form,
            lambda data: services.period_extend(
                actor=request.user,
                period=period,
                on=on,
                justification=data["justification"],
                expected_revision=data["revision"],
                extended_to=data["extended_to"],
            ),
        )
        if extended:
            messages.success(
                request,
                _("Forløpet er forlenget til og med %(day)s.") % {"day": f"{period.last_permitted_day:%d.%m.%Y}"},
            )
            return redirect("participant_detail", pk=period.participant_id)
    context = {
        "period": period,
        "assess_form": assess_form,
        "form": form,
        "on": on,
        "result": explained(result.to_dict()) if result is not None else None,
        "allowed": result is not None and result.outcome == "kan_forlenges",
        "latest": result.details.get("max_extended_last_day") if result is not None else None,
        "problem": problem,
    }
    return render(request, "participants/forlop_extend.html", context)


@login_required
@never_cache
def period_close(request, pk: int):
    period = _managed_period(request, pk)
    form = PeriodCloseForm(request.POST or None, period=period)
    is_open = period.closed_on is None
    if request.method == "POST" and form.is_valid():
        if not is_open:
            form.add_error(None, _("Forløpet er allerede avsluttet."))
        elif submit(
            form,
            lambda data: services.period_close(
                actor=request.user,
                period=period,
                on=data["closed_on"],
                reason=data["closure_reason"],
                text=data["closure_text"],
                expected_revision=data["revision"],
            ),
        ):
            messages.success(request, _("Forløpet er avsluttet."))
            return redirect("participant_detail", pk=period.participant_id)
        else:
            # The service may have changed the period in memory before it refused: show what is saved.
            period.refresh_from_db()
    return render(request, "participants/forlop_close.html", {"period": period, "form": form, "is_open": is_open})
