"""Demo fidelity reviews: a few years of finalised IPS-25 reviews per demo service, made through the real services.

The totals follow a trend per service (one improving to good fidelity, one stuck below approved quality, ...), and
the same items are weak everywhere (community-based services, collaboration with the treatment team and NAV, as in
the Norwegian IPS ung reviews), so the history, the comparison and the heat map show something to read. Dates are
counted back from the day the demo is loaded. Every name is synthetic.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from brobygger.accounts.models import IpsService, Membership, Role, User
from brobygger.fidelity import services
from brobygger.fidelity.models import Review
from brobygger.fidelity.scales import IPS_25, ensure_builtin_scales, scale_in_force

# Items weak across services, and items most services do well, paired so a total is kept while the profile shifts.
WEAK_ITEMS = (24, 6, 5, 25, 17)
STRONG_ITEMS = (9, 2, 1, 21, 15)
EVIDENCE = "Demodata: intervjuer med teamet, journalgjennomgang og tall fra Brobygger."


@dataclass(frozen=True)
class DemoReviewer:
    username: str
    first_name: str
    last_name: str
    services: tuple[str, ...]


REVIEWERS = (
    DemoReviewer("evaluator-vik", "Knut", "Vik", ("IPS Oslo Nord", "IPS ung Romerike", "IPS Tromsø", "IPS Bodø TSB")),
    DemoReviewer("evaluator-moen", "Lise", "Moen", ("IPS Oslo Nord", "IPS Bodø TSB")),
)

# Per service: (days before today, total) for each external review, oldest first.
HISTORY = {
    "IPS Oslo Nord": ((900, 70), (720, 82), (540, 96), (170, 104)),
    "IPS ung Romerike": ((800, 65), (600, 76), (230, 88)),
    "IPS Tromsø": ((1000, 92), (640, 101), (270, 108)),
    "IPS Bodø TSB": ((700, 60), (400, 68)),
}


def scores_for(total: int) -> dict[int, int]:
    """25 item scores adding up to ``total``: weak items a step below, strong ones a step above."""
    base, extra = divmod(total, 25)
    scores = dict.fromkeys(range(1, 26), base)
    middle = tuple(n for n in range(1, 26) if n not in STRONG_ITEMS + WEAK_ITEMS)
    for number in (STRONG_ITEMS + middle + WEAK_ITEMS)[:extra]:
        scores[number] += 1
    for weak, strong in zip(WEAK_ITEMS, STRONG_ITEMS, strict=True):
        if scores[weak] > 1 and scores[strong] < 5:
            scores[weak] -= 1
            scores[strong] += 1
    return scores


def _reviewer(spec: DemoReviewer) -> User:
    user = User(
        username=spec.username, first_name=spec.first_name, last_name=spec.last_name, role=Role.FIDELITY_REVIEWER
    )
    user.set_unusable_password()
    user.save()
    for name in spec.services:
        Membership.objects.create(user=user, service=IpsService.objects.get(name=name))
    return user


def _review(service: IpsService, reviewers: list[User], day: date, total: int, today: date) -> Review:
    actor = reviewers[0]
    review = services.review_create(
        actor=actor,
        service=service,
        scale=scale_in_force(IPS_25, day),
        review_type=Review.Type.EXTERNAL,
        review_date=day,
        period_start=day - timedelta(days=182),
        period_end=day,
        reviewers=reviewers,
    )
    scores = {
        number: {"score": score, "evidence": EVIDENCE, "data_sources": ["INT", "DOK"]}
        for number, score in scores_for(total).items()
    }
    services.review_score(actor=actor, review=review, expected_revision=review.revision, scores=scores)
    review.refresh_from_db()
    review = services.review_update(
        actor=actor,
        review=review,
        expected_revision=review.revision,
        review_date=day,
        period_start=review.period_start,
        period_end=review.period_end,
        reviewers=reviewers,
        summary="Demodata: tilbudet er i utvikling; se punktene med lavest skår.",
        recommendations="Mer av tiden ute i samfunnet, og faste møter med behandlingsteamet og NAV.",
    )
    review = services.review_submit(actor=actor, review=review, expected_revision=review.revision, on=today)
    # The second reviewer finalises what the first handed in, as the scale asks.
    return services.review_finalise(actor=reviewers[-1], review=review, expected_revision=review.revision, on=today)


def is_seeded() -> bool:
    return Review.objects.exists()


def seed(*, today: date) -> int:
    """Demo reviewers and finalised reviews; returns how many reviews were made."""
    ensure_builtin_scales()
    with transaction.atomic():
        extra = {spec.username: _reviewer(spec) for spec in REVIEWERS}
        persona = User.objects.get(username="kvalitetsevaluator")
        count = 0
        for name, history in HISTORY.items():
            service = IpsService.objects.get(name=name)
            assigned = persona.memberships.filter(service=service).exists()
            reviewers = (
                [persona, extra["evaluator-vik"]] if assigned else [extra["evaluator-vik"], extra["evaluator-moen"]]
            )
            latest = None
            for days_ago, total in history:
                latest = _review(service, reviewers, today - timedelta(days=days_ago), total, today)
                count += 1
            services.action_add(
                actor=reviewers[0],
                review=latest,
                description="Jobbspesialistene bruker minst halvparten av tiden ute i samfunnet.",
                owner="IPS-leder",
                due_on=today + timedelta(days=60),
                item=latest.scale.items.get(number=24),
            )
            services.action_add(
                actor=reviewers[0],
                review=latest,
                description="Faste ukentlige møter med behandlingsteamet.",
                owner="Teamleder",
                due_on=today + timedelta(days=30),
                item=latest.scale.items.get(number=5),
            )
    return count
