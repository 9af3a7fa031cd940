"""Pages: the referral inbox, and consent recorded later, correction and withdrawal of an undecided referral.

Thin views over services.py and access.py. The inbox is a list of people, so it writes the access log for each
person on the page; a referral is fetched through ``access.get_referral_for_user`` (404 outside the user's scope).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from brobygger.accounts.access import Decision
from brobygger.participants import access, services
from brobygger.participants.forms import ConsentForm, InboxFilterForm, ReferralCorrectForm, WithdrawForm
from brobygger.participants.models import Referral
from brobygger.participants.views.pathway import explained
from brobygger.submit import submit

PAGE_SIZE = 50
INBOX_ORDERS = {
    "waiting": ("referred_on", "pk"),
    "newest": ("-referred_on", "-pk"),
    "name": ("participant__last_name", "participant__first_name", "pk"),
}


def _require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


@login_required
@never_cache
def referral_inbox(request):
    """The undecided referrals to the user's teams or service, longest waiting first, to act on from here."""
    user = request.user
    if user.role not in access.MANAGING_ROLES:
        raise PermissionDenied(_("Henvisningene er for jobbspesialistene og IPS-lederen i tilbudet."))
    form = InboxFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    referrals = access.inbox_referrals(user).select_related("participant__municipality__county", "team", "clinician")
    if filters.get("team"):
        referrals = referrals.filter(team=filters["team"])
    if filters.get("consent") == "missing":
        referrals = referrals.filter(consent_given_on__isnull=True)
    elif filters.get("consent") == "given":
        referrals = referrals.filter(consent_given_on__isnull=False)
    order = filters.get("order") or "waiting"
    page = Paginator(referrals.order_by(*INBOX_ORDERS[order]), PAGE_SIZE).get_page(request.GET.get("side"))
    today = timezone.localdate()
    rows = [{"referral": referral, "waiting_days": (today - referral.referred_on).days} for referral in page]
    access.participants_shown(row["referral"].participant for row in rows)
    kept = {key: value for key, value in request.GET.items() if key != "side" and value}
    context = {"form": form, "page": page, "rows": rows, "page_query": urlencode(kept)}
    return render(request, "participants/referral_inbox.html", context)


def _correctable(request, pk: int) -> tuple[Referral, bool]:
    """The referral and whether it can still be changed; a decided one is history (a message says so)."""
    referral = access.get_referral_for_user(request.user, pk)
    allowed, reason = access.can_correct_referral(request.user, referral)
    if not allowed and referral.decision != Referral.Decision.PENDING:
        messages.warning(request, reason)
        return referral, False
    _require((allowed, reason))
    return referral, True


def _page(request, referral: Referral, template: str, form) -> HttpResponse:
    context = {
        "referral": referral,
        "participant": referral.participant,
        "eligibility": explained(referral.eligibility),
        "form": form,
    }
    return render(request, template, context)


@login_required
@never_cache
def referral_consent(request, pk: int):
    """Record consent given after the referral was registered; the eligibility is assessed again with it."""
    referral, pending = _correctable(request, pk)
    if not pending:
        return redirect("participant_detail", pk=referral.participant_id)
    form = ConsentForm(request.POST or None, referral=referral)
    if request.method == "POST" and submit(
        form,
        lambda data: services.referral_record_consent(
            actor=request.user,
            referral=referral,
            given_on=data["consent_given_on"],
            method=data["consent_method"],
            expected_revision=data["revision"],
        ),
    ):
        messages.success(request, _("Samtykket er registrert, og personkretsen er vurdert på nytt."))
        return redirect("referral_decide", pk=referral.pk)
    return _page(request, referral, "participants/referral_consent.html", form)


@login_required
@never_cache
def referral_correct(request, pk: int):
    """Correct the date, goals, facts or consent of an undecided referral, with a reason kept in the audit trail."""
    referral, pending = _correctable(request, pk)
    if not pending:
        return redirect("participant_detail", pk=referral.participant_id)
    form = ReferralCorrectForm(request.POST or None, referral=referral, user=request.user)
    if request.method == "POST" and submit(
        form,
        lambda data: services.referral_correct(
            actor=request.user, referral=referral, expected_revision=data["revision"], **form.correction_data()
        ),
    ):
        messages.success(request, _("Henvisningen er rettet, og personkretsen er vurdert på nytt."))
        return redirect("participant_detail", pk=referral.participant_id)
    return _page(request, referral, "participants/referral_correct.html", form)


@login_required
@never_cache
def referral_withdraw(request, pk: int):
    """Withdraw an undecided referral, with why: it then leaves the inbox and can no longer be taken in."""
    referral, pending = _correctable(request, pk)
    if not pending:
        return redirect("participant_detail", pk=referral.participant_id)
    form = WithdrawForm(request.POST or None, referral=referral)
    if request.method == "POST" and submit(
        form,
        lambda data: services.referral_withdraw(
            actor=request.user,
            referral=referral,
            reason=data["withdrawal_reason"],
            on=data["decided_on"],
            expected_revision=data["revision"],
        ),
    ):
        messages.success(request, _("Henvisningen er trukket tilbake."))
        return redirect("participant_detail", pk=referral.participant_id)
    return _page(request, referral, "participants/referral_withdraw.html", form)
