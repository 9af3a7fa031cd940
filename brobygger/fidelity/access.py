"""Who may see and do what with fidelity reviews.

- Reviewers (kvalitetsevaluator) see the services they are assigned to (a ``Membership``), carry out external
  reviews of them, and never see a participant: the suggested scores are aggregates.
- A service's own staff (IPS leader, job specialists) see its reviews; the leader carries out its self-assessments.
- Grant officers and analysts see finalised totals and levels only, for every service (measures A and C report them).
- System administrators administer the scales.

Every page fetches through a ``get_<object>_for_user`` helper (404 for what the user may not see) and asks a
``can_<action>`` function, which returns ``(allowed, reason)``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import IpsService, Role, User
from brobygger.fidelity.models import ActionItem, Review, Scale

REVIEWER_ROLES = frozenset({Role.FIDELITY_REVIEWER})
STAFF_ROLES = frozenset({Role.IPS_LEADER, Role.JOB_SPECIALIST})
# Roles that see the reviews themselves: scores, evidence, suggestions and the action plan.
DETAIL_ROLES = REVIEWER_ROLES | STAFF_ROLES
# Roles that see finalised totals and levels of every service, and nothing else of a review.
TOTALS_ROLES = frozenset({Role.GRANT_OFFICER, Role.ANALYST})
# Who may take part in a review of each type.
REVIEWER_ROLES_BY_TYPE = {
    Review.Type.EXTERNAL: frozenset({Role.FIDELITY_REVIEWER}),
    Review.Type.SELF_ASSESSMENT: frozenset({Role.IPS_LEADER, Role.JOB_SPECIALIST}),
}
# Who may start a review of each type: the reviewer for an external review, the leader for a self-assessment.
CREATOR_ROLES_BY_TYPE = {
    Review.Type.EXTERNAL: frozenset({Role.FIDELITY_REVIEWER}),
    Review.Type.SELF_ASSESSMENT: frozenset({Role.IPS_LEADER}),
}
# How many reviewers each type needs: IPS-25 is scored by two reviewers in an external review (manual, 4th ed.
# 2019; docs/fidelity.md); a self-assessment is the leader's own. A type needing two is finalised by a reviewer
# other than the one who handed it in.
REVIEWERS_REQUIRED_BY_TYPE = {
    Review.Type.EXTERNAL: 2,
    Review.Type.SELF_ASSESSMENT: 1,
}


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated)


def fidelity_services(user: User) -> QuerySet[IpsService]:
    """The services whose fidelity the user may follow: their own, or every service for the national roles."""
    if not _signed_in(user):
        return IpsService.objects.none()
    if user.role in TOTALS_ROLES:
        return IpsService.objects.all()
    if user.role in DETAIL_ROLES:
        return IpsService.objects.filter(pk__in=user.memberships.values("service"))
    return IpsService.objects.none()


def sees_details(user: User) -> bool:
    return _signed_in(user) and user.role in DETAIL_ROLES


def visible_reviews(user: User) -> QuerySet[Review]:
    """Reviews the user may list: all of their services' for reviewers and staff, finalised ones for the rest."""
    services = fidelity_services(user)
    if sees_details(user):
        return Review.objects.filter(service__in=services)
    if _signed_in(user) and user.role in TOTALS_ROLES:
        return Review.objects.filter(service__in=services, status=Review.Status.FINALISED)
    return Review.objects.none()


def get_service_for_user(user: User, pk: int) -> IpsService:
    try:
        return fidelity_services(user).get(pk=pk)
    except IpsService.DoesNotExist as missing:
        raise Http404 from missing


def get_review_for_user(user: User, pk: int) -> Review:
    """A review with its scores and evidence: only for the service's staff and its assigned reviewers."""
    if not sees_details(user):
        raise Http404
    try:
        return visible_reviews(user).select_related("service", "scale", "corrects").get(pk=pk)
    except Review.DoesNotExist as missing:
        raise Http404 from missing


def get_action_for_user(user: User, review: Review, pk: int) -> ActionItem:
    try:
        return review.actions.get(pk=pk)
    except ActionItem.DoesNotExist as missing:
        raise Http404 from missing


def get_scale_for_user(user: User, pk: int) -> Scale:
    if not can_view_scales(user)[0]:
        raise Http404
    try:
        return Scale.objects.get(pk=pk)
    except Scale.DoesNotExist as missing:
        raise Http404 from missing


def can_view_fidelity(user: User) -> Decision:
    if not _signed_in(user):
        return False, _("Du må logge inn.")
    if user.role in DETAIL_ROLES | TOTALS_ROLES:
        return True, ""
    return False, _("Rollen din gir ikke tilgang til gjennomganger av modelltrohet.")


def can_view_scales(user: User) -> Decision:
    if _signed_in(user) and (user.role in DETAIL_ROLES | TOTALS_ROLES or user.role == Role.SYSTEM_ADMINISTRATOR):
        return True, ""
    return False, _("Rollen din gir ikke tilgang til skalaene for modelltrohet.")


def can_manage_scales(user: User) -> Decision:
    if _signed_in(user) and user.role == Role.SYSTEM_ADMINISTRATOR:
        return True, ""
    return False, _("Bare systemadministratorer kan laste inn skalaer for modelltrohet.")


def can_view_item_scores(user: User) -> Decision:
    """Scores per item (the heat map): the reviews' own people; grant officers and analysts see totals only."""
    if sees_details(user):
        return True, ""
    return False, _("Rollen din gir tilgang til totalskår og nivå, ikke til skår per punkt.")


def can_view_heatmap(user: User) -> Decision:
    """The item heat map across services shows which items are weak nationally: the reviews' own people for their
    services, and national analysts for all (aggregated item scores of finalised reviews, no personal data). Grant
    officers use totals and levels, as the grant reports for measures A and C do."""
    if sees_details(user) or (_signed_in(user) and user.role == Role.ANALYST):
        return True, ""
    return can_view_item_scores(user)


def eligible_reviewers(service: IpsService, review_type: str) -> QuerySet[User]:
    """Who may review the service: its assigned reviewers (external), or its leader and job specialists (self)."""
    roles = REVIEWER_ROLES_BY_TYPE.get(review_type, frozenset())
    return (
        User.objects.filter(role__in=roles, is_active=True, memberships__service=service)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def review_types_for(user: User, service: IpsService) -> list[str]:
    """The types of review the user may start for the service."""
    if not _signed_in(user) or not fidelity_services(user).filter(pk=service.pk).exists():
        return []
    return [kind for kind, roles in CREATOR_ROLES_BY_TYPE.items() if user.role in roles]


def can_create_review(user: User, service: IpsService, review_type: str | None = None) -> Decision:
    types = review_types_for(user, service)
    if not types or (review_type is not None and review_type not in types):
        return False, _(
            "Eksterne gjennomganger gjøres av kvalitetsevaluatorer som er tildelt tilbudet, og egenvurderinger av "
            "tilbudets IPS-leder."
        )
    return True, ""


def _takes_part(user: User, review: Review) -> bool:
    return (
        _signed_in(user)
        and fidelity_services(user).filter(pk=review.service_id).exists()
        and (review.created_by_id == user.pk or review.reviewers.filter(pk=user.pk).exists())
    )


def can_edit_review(user: User, review: Review) -> Decision:
    """Score, edit, submit and reopen: the review's own reviewers, while it is theirs to change."""
    if not _takes_part(user, review):
        return False, _("Bare gjennomgåerne kan endre gjennomgangen.")
    return True, ""


def can_finalise_review(user: User, review: Review) -> Decision:
    if not _takes_part(user, review) or user.role not in CREATOR_ROLES_BY_TYPE[review.review_type]:
        return False, _(
            "En ekstern gjennomgang ferdigstilles av en kvalitetsevaluator som er gjennomgåer, og en egenvurdering "
            "av IPS-lederen."
        )
    # With fewer reviewers than required, the service's refusal says what is missing instead.
    needed = REVIEWERS_REQUIRED_BY_TYPE[review.review_type]
    if needed > 1 and review.submitted_by_id == user.pk and review.reviewers.count() >= needed:
        return False, _("En annen gjennomgåer enn den som leverte gjennomgangen, må ferdigstille den.")
    return True, ""


def can_correct_review(user: User, review: Review) -> Decision:
    if not can_create_review(user, review.service, review.review_type)[0]:
        return False, _("Bare den som kan gjennomføre denne typen gjennomgang av tilbudet, kan rette den.")
    return True, ""


def can_manage_actions(user: User, review: Review) -> Decision:
    """The action plan: the reviewers draw it up, and the service's leader follows it up."""
    if _takes_part(user, review):
        return True, ""
    in_service = fidelity_services(user).filter(pk=review.service_id).exists()
    if _signed_in(user) and user.role == Role.IPS_LEADER and in_service:
        return True, ""
    return False, _("Bare gjennomgåerne og tilbudets IPS-leder kan endre tiltaksplanen.")


def schedule_services(user: User) -> QuerySet[IpsService]:
    """Services on the user's review schedule."""
    return fidelity_services(user).order_by("health_region", "name")


def comparable_reviews(user: User) -> QuerySet[Review]:
    """Finalised reviews for history and comparison: totals and levels, which every fidelity role may see."""
    return visible_reviews(user).filter(Q(status=Review.Status.FINALISED))
