"""Plausibility of what is registered on a pathway: the bounds, in one place, and the checks the services run.

These are not numbers of the law (those are dated and cited in ``brobygger/rules/parameters/``): they catch typing
errors that would otherwise flow into the caseload and the national figures, such as a job of 400 hours a week,
a job starting years ahead, the same job saved twice, or a closure "to education" with no education behind it.
Each check raises a ValidationError per field with a message in bokmål.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from brobygger.participants.models import Education, Employer, Job, Period

# More than 60 hours of paid work a week is far beyond a full-time week of 37.5 hours even with overtime: a typing
# error (400 for 40), not a job.
MAX_HOURS_PER_WEEK = Decimal(60)
# A job agreed now may start after the summer or a notice period; a start further ahead is taken to be a wrong year.
JOB_START_HORIZON = timedelta(days=183)
# The career profile's own words; the disclosure wish alone (it defaults to "not decided") is not a profile.
CAREER_PROFILE_TEXT_FIELDS = ("interests", "strengths", "preferences", "work_history", "education_history")
EDUCATION_REASONS = frozenset({Period.ClosureReason.EDUCATION, Period.ClosureReason.WORK_AND_EDUCATION})


def check_job(
    *,
    period: Period,
    employer: Employer,
    title: str,
    start_date: date,
    hours_per_week: Decimal,
    today: date,
    corrected: Job | None = None,
) -> None:
    """A job of at most 60 hours a week, starting within half a year, and not already registered. A correction is
    held to the same checks; the job being corrected is not a duplicate of itself."""
    errors = {}
    if hours_per_week is not None and Decimal(hours_per_week) > MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = _("En jobb kan ikke være på mer enn %(max)s timer per uke.") % {
            "max": MAX_HOURS_PER_WEEK
        }
    if start_date > today + JOB_START_HORIZON:
        errors["start_date"] = _(
            "Startdatoen er mer enn et halvt år fram i tid (etter %(last)s). Sjekk årstallet, eller registrer "
            "jobben nærmere oppstart."
        ) % {"last": f"{today + JOB_START_HORIZON:%d.%m.%Y}"}
    same = Job.objects.filter(period=period, employer=employer, title__iexact=title.strip(), start_date=start_date)
    if corrected is not None:
        same = same.exclude(pk=corrected.pk)
    if same.exists():
        errors["title"] = _("Denne jobben er allerede registrert på forløpet (samme arbeidsgiver, stilling og start).")
    if errors:
        raise ValidationError(errors)


def check_closure(*, period: Period, reason: str) -> None:
    """A closure to education needs an education registered on the period: the figures count it as an outcome."""
    if reason in EDUCATION_REASONS and not Education.objects.filter(period=period).exists():
        raise ValidationError(
            {
                "closure_reason": _(
                    "Det er ikke registrert noen utdanning på forløpet. Registrer utdanningen før forløpet "
                    "avsluttes til utdanning."
                )
            }
        )


def check_career_profile(values: Mapping[str, Any]) -> None:
    """A career profile says something in the participant's own words."""
    if not any(str(values.get(name) or "").strip() for name in CAREER_PROFILE_TEXT_FIELDS):
        raise ValidationError(
            {"interests": _("Karriereprofilen er tom. Skriv minst noe om interesser, styrker, ønsker eller erfaring.")}
        )
