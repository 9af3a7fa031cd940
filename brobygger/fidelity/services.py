"""Writes on fidelity reviews: atomic, audited, rule-based, and refusing stale edits.

A review goes draft → submitted → finalised. A finalised review is read-only; a correction is a new version that
names the review it corrects and why, and replaces it once finalised. Totals per section or subscale and overall,
the level and the approved-quality flag are computed on submission, from the scale's bands and the rules, and
stored with the review so they can be explained later.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from brobygger.accounts.models import IpsService, User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.fidelity import access
from brobygger.fidelity.models import ActionItem, Review, ReviewItem, Scale, ScaleItem
from brobygger.fidelity.scales import level_for, rules_on
from brobygger.fidelity.suggestions import suggest
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules.base import RuleResult

SCORES = range(1, 6)
STALE = gettext_lazy("Noen andre har lagret endringer i mellomtiden. Last siden på nytt og gjør endringen igjen.")
NEXT_REVIEW_RULE = {"modelltrohet-niva": "modelltrohet-neste-maling"}


def _record(actor: User, action: str, obj, before: dict[str, Any] | None = None) -> None:
    record_event(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def _claim_revision(model, obj, expected_revision: int | None) -> None:
    """Take the next revision, or refuse if someone saved since the user loaded ``expected_revision``."""
    if expected_revision is None or (
        model.objects.filter(pk=obj.pk, revision=expected_revision).update(revision=expected_revision + 1) != 1
    ):
        raise ValidationError(STALE, code="stale")
    obj.revision = expected_revision + 1


def _require_status(review: Review, status: str, message: str) -> None:
    if review.status != status:
        raise ValidationError(message, code="status")


def _check_dates(review_date: date, period_start: date, period_end: date) -> None:
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("Perioden kan ikke slutte før den begynner.")
    elif period_end > review_date:
        errors["period_end"] = _("Perioden gjennomgangen gjelder, kan ikke slutte etter datoen for gjennomgangen.")
    if errors:
        raise ValidationError(errors)


def _check_reviewers(service: IpsService, review_type: str, reviewers: list[User]) -> None:
    allowed = set(access.eligible_reviewers(service, review_type).values_list("pk", flat=True))
    wrong = [user for user in reviewers if user.pk not in allowed]
    if wrong:
        names = ", ".join(user.get_full_name() or user.username for user in wrong)
        raise ValidationError(
            {
                "reviewers": _("%(names)s kan ikke være gjennomgåer for denne typen gjennomgang av tilbudet.")
                % {"names": names}
            }
        )
    if not reviewers:
        raise ValidationError({"reviewers": _("Velg minst én gjennomgåer.")})


def _suggestions(review: Review) -> None:
    """Compute what the data suggest for every measurable item over the review period."""
    for review_item in review.items.select_related("item").filter(item__measure__isnull=False):
        review_item.suggestion = suggest(
            review_item.item.measure, review.service, review.period_start, review.period_end
        )
        review_item.save(update_fields=["suggestion"])


def review_create(
    *,
    actor: User,
    service: IpsService,
    scale: Scale,
    review_type: str,
    review_date: date,
    period_start: date,
    period_end: date,
    reviewers: list[User],
) -> Review:
    """Plan a review: the service, the scale version, the type, the date, the period it covers and who reviews."""
    if review_type not in Review.Type.values:
        raise ValidationError({"review_type": _("Velg ekstern gjennomgang eller egenvurdering.")})
    _check_dates(review_date, period_start, period_end)
    if scale.valid_from > review_date:
        raise ValidationError(
            {
                "scale": _("%(scale)s gjelder først fra %(date)s.")
                % {"scale": scale, "date": scale.valid_from.strftime("%d.%m.%Y")}
            }
        )
    _check_reviewers(service, review_type, reviewers)
    if Review.objects.filter(
        service=service, review_date=review_date, review_type=review_type, corrects__isnull=True
    ).exists():
        raise ValidationError(
            {"review_date": _("Tilbudet har allerede en gjennomgang av denne typen på denne datoen.")}, code="duplicate"
        )
    with transaction.atomic():
        review = Review(
            service=service,
            scale=scale,
            review_type=review_type,
            review_date=review_date,
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
        )
        review.full_clean()
        review.save()
        review.reviewers.set(reviewers)
        ReviewItem.objects.bulk_create(ReviewItem(review=review, item=item) for item in scale.items.all())
        _suggestions(review)
        _record(actor, AuditEvent.Action.CREATE, review)
    return review


def review_update(
    *,
    actor: User,
    review: Review,
    expected_revision: int | None,
    review_date: date,
    period_start: date,
    period_end: date,
    reviewers: list[User],
    summary: str = "",
    recommendations: str = "",
) -> Review:
    """Change a draft's date, period, reviewers, summary and recommendations; a new period gets new suggestions."""
    _require_status(review, Review.Status.DRAFT, _("Bare et utkast kan endres."))
    _check_dates(review_date, period_start, period_end)
    _check_reviewers(review.service, review.review_type, reviewers)
    with transaction.atomic():
        before = snapshot(review)
        _claim_revision(Review, review, expected_revision)
        period_changed = (review.period_start, review.period_end) != (period_start, period_end)
        review.review_date, review.period_start, review.period_end = review_date, period_start, period_end
        review.summary, review.recommendations = summary.strip(), recommendations.strip()
        review.full_clean()
        review.save()
        review.reviewers.set(reviewers)
        if period_changed:
            _suggestions(review)
        _record(actor, AuditEvent.Action.UPDATE, review, before)
    return review


def review_score(
    *, actor: User, review: Review, expected_revision: int | None, scores: dict[int, dict[str, Any]]
) -> Review:
    """Record scores, evidence and data sources per item number. Any bad value refuses the whole save."""
    _require_status(review, Review.Status.DRAFT, _("Skårene kan bare endres mens gjennomgangen er et utkast."))
    items = {row.item.number: row for row in review.items.select_related("item")}
    known_sources = set(review.scale.data_sources)
    errors: dict[str, str] = {}
    for number, values in scores.items():
        if number not in items:
            errors[f"score_{number}"] = _("Punkt %(number)s finnes ikke på skalaen.") % {"number": number}
            continue
        score = values.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or score not in SCORES):
            errors[f"score_{number}"] = _("Skåren må være et helt tall fra 1 til 5.")
        unknown = [code for code in values.get("data_sources", []) if code not in known_sources]
        if unknown:
            errors[f"sources_{number}"] = _("Ukjent datakilde: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _claim_revision(Review, review, expected_revision)
        review.save(update_fields=["revision"])
        for number, values in scores.items():
            row = items[number]
            before = snapshot(row, ["score", "evidence", "data_sources"])
            row.score = values.get("score")
            row.evidence = (values.get("evidence") or "").strip()
            row.data_sources = list(values.get("data_sources", []))
            after = snapshot(row, ["score", "evidence", "data_sources"])
            if after != before:
                row.save(update_fields=["score", "evidence", "data_sources"])
                record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=row, before=before, after=after)
    return review


def review_refresh_suggestions(*, actor: User, review: Review) -> Review:
    """Compute the suggestions again from today's data, while the review is a draft."""
    _require_status(
        review, Review.Status.DRAFT, _("Forslagene kan bare hentes på nytt mens gjennomgangen er et utkast.")
    )
    with transaction.atomic():
        _suggestions(review)
        record_event(actor=actor, action=AuditEvent.Action.UPDATE, obj=review, after={"suggestions": "refreshed"})
    return review


def unscored_items(review: Review) -> list[ScaleItem]:
    return [row.item for row in review.items.select_related("item") if row.score is None]


def review_results(review: Review) -> dict[str, Any]:
    """Totals per section or subscale and overall, the level and approved quality, from the scale and the rules."""
    rows = list(review.items.select_related("item__group"))
    groups: dict[int, dict[str, Any]] = {}
    for group in review.scale.groups.all():
        groups[group.pk] = {"key": group.key, "name": group.name, "total": 0, "max": 0, "bands": group.bands}
    for row in rows:
        entry = groups[row.item.group_id]
        entry["total"] += row.score or 0
        entry["max"] += 5
    group_results = []
    for entry in groups.values():
        band = level_for(entry["total"], entry.pop("bands"))
        entry.update(
            level=band["level"] if band else "",
            level_label=band["label"] if band else "",
            approved=band["approved"] if band else None,
            good=band["good"] if band else None,
        )
        group_results.append(entry)
    total = sum(row.score or 0 for row in rows)
    results: dict[str, Any] = {"total": total, "group_results": group_results, "level_result": {}}
    scale = review.scale
    if scale.level_rule:
        result = rule_evaluate(rule_id=scale.level_rule, inputs={"on": rules_on(review.review_date), "total": total})
        band = next((band for band in scale.bands if band["level"] == result.outcome), None)
        results.update(
            level=result.outcome,
            level_label=str(result.details.get("label", band["label"] if band else result.outcome)),
            approved=bool(result.details.get("approved", band["approved"] if band else False)),
            good_or_better=bool(band and band["good"]),
            level_result=result.to_dict(),
        )
    elif scale.bands:
        band = level_for(total, scale.bands)
        results.update(
            level=band["level"], level_label=band["label"], approved=band["approved"], good_or_better=band["good"]
        )
    else:
        # Only the subscales have levels (IPS-Y): the service is as good as its weakest subscale.
        results.update(
            level="",
            level_label="",
            approved=all(entry["approved"] for entry in group_results),
            good_or_better=all(entry["good"] for entry in group_results),
        )
    return results


def next_review(review: Review, on: date) -> RuleResult:
    """When the service is due for its next review after this one (every 6 months until good, then yearly)."""
    rule = NEXT_REVIEW_RULE.get(review.scale.level_rule)
    when = rules_on(max(on, review.review_date))
    if rule:
        return rule_evaluate(
            rule_id=rule, inputs={"on": when, "review_date": review.review_date, "total": review.total}
        )
    return rule_evaluate(
        rule_id="modelltrohet-maleplan",
        inputs={
            "on": when,
            "service_start": review.service.start_date,
            "review_date": review.review_date,
            "good_or_better": bool(review.good_or_better),
        },
    )


def review_submit(*, actor: User, review: Review, expected_revision: int | None, on: date | None = None) -> Review:
    """Hand in a review for finalising: every item scored, and not before the review has taken place."""
    _require_status(review, Review.Status.DRAFT, _("Gjennomgangen er allerede levert."))
    on = on or timezone.localdate()
    missing = unscored_items(review)
    if missing:
        listed = "; ".join(f"{item.number} {item.title}" for item in missing)
        raise ValidationError(
            ngettext(
                "%(count)s punkt mangler skår: %(items)s.", "%(count)s punkter mangler skår: %(items)s.", len(missing)
            )
            % {"count": len(missing), "items": listed},
            code="unscored",
        )
    if review.review_date > on:
        raise ValidationError(_("Gjennomgangen kan ikke leveres før datoen for gjennomgangen."), code="future")
    with transaction.atomic():
        before = snapshot(review)
        _claim_revision(Review, review, expected_revision)
        _suggestions(review)
        results = review_results(review)
        for name, value in results.items():
            setattr(review, name, value)
        review.status, review.submitted_at, review.submitted_by = Review.Status.SUBMITTED, timezone.now(), actor
        review.full_clean()
        review.save()
        _record(actor, AuditEvent.Action.UPDATE, review, before)
    return review


def review_reopen(*, actor: User, review: Review, expected_revision: int | None) -> Review:
    """Take a submitted review back to draft to change it."""
    _require_status(review, Review.Status.SUBMITTED, _("Bare en levert gjennomgang kan åpnes igjen."))
    with transaction.atomic():
        before = snapshot(review)
        _claim_revision(Review, review, expected_revision)
        review.status, review.submitted_at, review.submitted_by = Review.Status.DRAFT, None, None
        review.total, review.level, review.level_label, review.approved, review.good_or_better = (
            None,
            "",
            "",
            None,
            None,
        )
        review.group_results, review.level_result = [], {}
        review.save()
        _record(actor, AuditEvent.Action.UPDATE, review, before)
    return review


def review_finalise(*, actor: User, review: Review, expected_revision: int | None, on: date | None = None) -> Review:
    """Finalise a submitted review: read-only from now on.

    A type that needs two reviewers (an external review) is finalised by one of its reviewers who did not hand it
    in, so no one finalises a review alone.
    """
    _require_status(review, Review.Status.SUBMITTED, _("Gjennomgangen må være levert før den kan ferdigstilles."))
    if access.REVIEWERS_REQUIRED_BY_TYPE[review.review_type] > 1:
        reviewer_ids = set(review.reviewers.values_list("pk", flat=True))
        if len(reviewer_ids) < 2:
            raise ValidationError(
                _("En ekstern gjennomgang må ha minst to gjennomgåere før den kan ferdigstilles."), code="reviewers"
            )
        if actor.pk not in reviewer_ids or actor.pk == review.submitted_by_id:
            raise ValidationError(
                _("En annen gjennomgåer enn den som leverte gjennomgangen, må ferdigstille den."), code="four_eyes"
            )
    on = on or timezone.localdate()
    with transaction.atomic():
        before = snapshot(review)
        _claim_revision(Review, review, expected_revision)
        review.status, review.finalised_at, review.finalised_by = Review.Status.FINALISED, timezone.now(), actor
        review.next_review_due = next_review(review, on).details["next_review"]
        review.save()
        _record(actor, AuditEvent.Action.UPDATE, review, before)
        if review.corrects_id:
            corrected = Review.objects.select_for_update().get(pk=review.corrects_id)
            old = snapshot(corrected)
            corrected.status = Review.Status.SUPERSEDED
            corrected.save(update_fields=["status"])
            _record(actor, AuditEvent.Action.UPDATE, corrected, old)
    return review


def review_correct(*, actor: User, review: Review, reason: str) -> Review:
    """Start a correction of a finalised review: a new version with the same scores, to change and finalise."""
    _require_status(review, Review.Status.FINALISED, _("Bare en ferdigstilt gjennomgang kan rettes."))
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor gjennomgangen rettes.")})
    if Review.objects.filter(corrects=review).exists():
        raise ValidationError(_("En rettelse av denne gjennomgangen er allerede påbegynt."), code="duplicate")
    with transaction.atomic():
        correction = Review(
            service=review.service,
            scale=review.scale,
            review_type=review.review_type,
            review_date=review.review_date,
            period_start=review.period_start,
            period_end=review.period_end,
            summary=review.summary,
            recommendations=review.recommendations,
            version=review.version + 1,
            corrects=review,
            correction_reason=reason.strip(),
            created_by=actor,
        )
        correction.full_clean()
        correction.save()
        reviewers = list(review.reviewers.all())
        correction.reviewers.set(reviewers if actor in reviewers else [*reviewers, actor])
        ReviewItem.objects.bulk_create(
            ReviewItem(
                review=correction,
                item=row.item,
                score=row.score,
                evidence=row.evidence,
                data_sources=row.data_sources,
                suggestion=row.suggestion,
            )
            for row in review.items.all()
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                review=correction,
                item=action.item,
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
                status=action.status,
                follow_up=action.follow_up,
            )
            for action in review.actions.all()
        )
        _record(actor, AuditEvent.Action.CREATE, correction)
    return correction


def _actions_open(review: Review) -> None:
    if review.status == Review.Status.SUPERSEDED:
        raise ValidationError(_("Gjennomgangen er erstattet av en rettelse. Oppdater tiltaksplanen der."))
    if Review.objects.filter(corrects=review).exists():
        raise ValidationError(_("Gjennomgangen rettes. Oppdater tiltaksplanen i den nye versjonen."))


def _check_action(description: str, owner: str, due_on: date | None, item: ScaleItem | None, review: Review) -> None:
    errors = {}
    if not description.strip():
        errors["description"] = _("Beskriv tiltaket.")
    if not owner.strip():
        errors["owner"] = _("Skriv hvem som er ansvarlig.")
    if due_on is None:
        errors["due_on"] = _("Sett en frist.")
    elif due_on < review.review_date:
        errors["due_on"] = _("Fristen kan ikke være før datoen for gjennomgangen.")
    if item is not None and item.scale_id != review.scale_id:
        errors["item"] = _("Punktet hører ikke til skalaen gjennomgangen bruker.")
    if errors:
        raise ValidationError(errors)


def action_add(
    *, actor: User, review: Review, description: str, owner: str, due_on: date, item: ScaleItem | None = None
) -> ActionItem:
    """Add a point to the review's action plan: what, who owns it, and by when."""
    _actions_open(review)
    _check_action(description, owner, due_on, item, review)
    with transaction.atomic():
        action = ActionItem(
            review=review, item=item, description=description.strip(), owner=owner.strip(), due_on=due_on
        )
        action.full_clean()
        action.save()
        _record(actor, AuditEvent.Action.CREATE, action)
    return action


def action_update(
    *,
    actor: User,
    action: ActionItem,
    expected_revision: int | None,
    status: str,
    follow_up: str,
    owner: str,
    due_on: date,
) -> ActionItem:
    """Follow up an action: its status, notes, owner and due date. Allowed on a finalised review too."""
    _actions_open(action.review)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Velg en gyldig status.")})
    _check_action(action.description, owner, due_on, action.item, action.review)
    with transaction.atomic():
        before = snapshot(action)
        _claim_revision(ActionItem, action, expected_revision)
        action.status, action.follow_up, action.owner, action.due_on = status, follow_up.strip(), owner.strip(), due_on
        action.full_clean()
        action.save()
        _record(actor, AuditEvent.Action.UPDATE, action, before)
    return action
