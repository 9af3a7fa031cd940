"""The data protection duties towards a person: access to what is held (GDPR art. 15, including who has read it),
and erasure once the retention period after the last closed period has run out (GDPR art. 5 (1) (e) and 17).

Erasure anonymises rather than deletes: the rows the indicators count (periods, jobs, education, dates, outcomes,
municipality, the health categories, the birth date for age groups) stay, so that published and recomputed figures
do not change; what names or describes the person (identity number, names, contact details, guardian, every free
text) is removed. Audit rows are append-only and hold no personal data (`audit.services.REDACTED_FIELDS`, and
labels name participants by number only), so they stay as they are.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from brobygger.accounts.models import User
from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.audit.services import note_read, record_event
from brobygger.participants.models import (
    CareerProfile,
    Contact,
    EmployerContact,
    Extension,
    JobSearchEvent,
    Participant,
    ParticipantContactDetails,
    Period,
    PlanActivity,
    PlanRevision,
    Referral,
)
from brobygger.participants.services import identity_number_checked, participant_by_identity

ANONYMISED = "Anonymisert"
ANONYMISED_KEY = "anonymisert-"  # the identity hash of an anonymised person: a real hash is 64 hex digits
# Where the pathway holds free text about a person, and the path from each model to the person: the same fields the
# audit trail masks (AUDIT_MASK), emptied on erasure.
FREE_TEXT_PATHS: dict[type, str] = {
    Referral: "participant",
    Period: "participant",
    CareerProfile: "period__participant",
    PlanRevision: "plan__period__participant",
    PlanActivity: "plan__period__participant",
    Contact: "period__participant",
    JobSearchEvent: "period__participant",
    Extension: "period__participant",
}


# Access (innsyn) -----------------------------------------------------------------------------------------------


def access_report_pdf(*, identity_number: str) -> bytes:
    """Everything held about the person with this identity number and every earlier read of it, as a PDF for them.

    Producing it is itself a read of the person's data: it is noted like every other read, and the access-log
    middleware writes its one row (purpose ``access_report``) once the report has been handed out.
    """
    number = identity_number_checked(identity_number)
    participant = participant_by_identity(number)
    context: dict[str, Any] = {"made_on": timezone.localdate(), "participant": participant, "identity_number": number}
    if participant is not None:
        context |= _held_about(participant)
        note_read(participant, AccessLogEntry.Purpose.ACCESS_REPORT)
    from weasyprint import HTML  # loads system libraries the rest of the app never needs

    return HTML(string=render_to_string("privacy/access_report.html", context)).write_pdf()


def _held_about(participant: Participant) -> dict[str, Any]:
    periods = list(
        participant.periods.select_related("service", "job_specialist", "referral__team", "plan").prefetch_related(
            "status_history",
            "contacts",
            "job_search",
            "jobs__employer",
            "educations",
            "extensions",
            "plan__revisions",
            "plan__activities",
        )
    )
    period_ids = [str(period.pk) for period in periods]
    reads = AccessLogEntry.objects.filter(
        Q(object_type=Participant._meta.label_lower, object_id=str(participant.pk))
        | Q(object_type=Period._meta.label_lower, object_id__in=period_ids)
    ).select_related("actor")
    return {
        "referrals": participant.referrals.select_related("team__service", "clinician").order_by("referred_on"),
        "periods": periods,
        "profiles": CareerProfile.objects.filter(period__in=periods),
        "employer_contacts": EmployerContact.objects.filter(participants=participant).select_related("employer"),
        # Every service's own record: the person has the right to see all of them (GDPR art. 15).
        "contact_details": ParticipantContactDetails.objects.filter(participant=participant)
        .select_related("service")
        .order_by("service__name"),
        "reads": reads.order_by("at"),
    }


# Retention and erasure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRun:
    on: date
    cutoff: date
    applied: bool
    participant_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.participant_ids)


def retention_cutoff(on: date) -> date:
    """The last day of activity that is old enough to erase on ``on``."""
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - years, day=28)


def retention_due(on: date) -> QuerySet[Participant]:
    """People with nothing open (no open period, no pending referral) whose last closed period, or last decided
    referral where they were never taken in, ended on or before the cutoff; not already anonymised."""
    open_work = Q(periods__closed_on__isnull=True, periods__isnull=False) | Q(referrals__decision="pending")
    last_day = Coalesce(Max("periods__closed_on"), Max("referrals__decided_on"))
    return (
        Participant.objects.exclude(identity_hash__startswith=ANONYMISED_KEY)
        .exclude(pk__in=Participant.objects.filter(open_work).values("pk"))
        .annotate(last_day=last_day)
        .filter(last_day__lte=retention_cutoff(on))
        .order_by("pk")
    )


def retention_run(*, actor: User | None, on: date, apply: bool) -> RetentionRun:
    """Anonymise everyone whose retention period has run out; with ``apply=False`` only say who that would be."""
    with transaction.atomic():
        ids = list(retention_due(on).values_list("pk", flat=True))
        due = list(Participant.objects.filter(pk__in=ids).order_by("pk").select_for_update())
        if apply:
            for participant in due:
                _anonymise(participant, actor)
    return RetentionRun(on=on, cutoff=retention_cutoff(on), applied=apply, participant_ids=tuple(p.pk for p in due))


def _anonymise(participant: Participant, actor: User | None) -> None:
    for field in (*Participant.AUDIT_MASK, "identity_encrypted"):
        setattr(participant, field, "")
    participant.first_name = ANONYMISED
    participant.identity_hash = f"{ANONYMISED_KEY}{participant.pk}"
    participant.revision += 1
    participant.save()
    # How each service reached the person is no figure anyone counts: every service's record goes.
    ParticipantContactDetails.objects.filter(participant=participant).delete()
    for model, path in FREE_TEXT_PATHS.items():
        model.objects.filter(**{path: participant}).update(**dict.fromkeys(model.AUDIT_MASK, ""))
    record_event(
        actor=actor,
        action=AuditEvent.Action.ANONYMISE,
        obj=participant,
        after={"retention_years": settings.RETENTION_YEARS_AFTER_CLOSURE},
    )
