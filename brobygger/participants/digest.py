"""The daily e-mail of caseload alerts, for the job specialists and IPS leaders who asked for it.

It says how many alerts of each kind the user's caseload has (the same alerts the caseload page shows, from
``caseload.py``) and links to that page: counts and links, no names, so the e-mail holds no personal data. One per
user per day (``DigestSent``); the background worker sends it (``tasks.send_daily_digest``), queued each morning by
``manage.py send_daily_digests``.
"""

from collections import Counter
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygger.accounts.access import DIGEST_ROLES, can_receive_digest
from brobygger.accounts.models import Role, User
from brobygger.participants import access, caseload
from brobygger.participants.models import DigestSent


def recipients(day: date):
    """Users who asked for the e-mail, may get it, and have not had the day's yet."""
    done = DigestSent.objects.filter(day=day).values("user_id")
    return (
        User.objects.filter(daily_digest=True, is_active=True, role__in=DIGEST_ROLES)
        .exclude(email="")
        .exclude(pk__in=done)
        .order_by("pk")
    )


def alert_counts(user: User, day: date) -> dict[str, int]:
    """Alerts per kind on the user's caseload page: the own periods, or the leader's services."""
    periods = access.caseload_periods(user)
    if user.role == Role.IPS_LEADER:
        overviews = caseload.service_caseloads(list(access.caseload_services(user)), periods, on=day)
        statuses = [status for overview in overviews for status in overview.periods]
    else:
        statuses = caseload.own_caseload(user, periods, on=day).periods
    counts = Counter(alert.kind for status in statuses for alert in status.alerts)
    return {kind: counts[kind] for kind in caseload.PERIOD_ALERT_KINDS if counts[kind]}


def digest_send(*, user: User, day: date) -> DigestSent | None:
    """Send the user's e-mail for ``day`` unless it is sent already; None when not sent now."""
    if not user.daily_digest or not can_receive_digest(user)[0]:
        return None
    try:
        with transaction.atomic():
            # The row first: a second worker waits on it and then finds the day done. If sending fails, the row
            # goes too, and the next run tries again.
            sent = DigestSent.objects.create(user=user, day=day)
            sent.alert_counts = alert_counts(user, day)
            if sent.alert_counts:
                subject, body = _message(user, sent.alert_counts)
                send_mail(subject, body, None, [user.email])
                sent.emailed = True
            sent.save(update_fields=["alert_counts", "emailed"])
    except IntegrityError:
        return None
    return sent


def _message(user: User, counts: dict[str, int]) -> tuple[str, str]:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        total = sum(counts.values())
        page = reverse("caseload_team" if user.role == Role.IPS_LEADER else "caseload")
        subject = ngettext(
            "Brobygger: %(count)s varsel i saksoversikten", "Brobygger: %(count)s varsler i saksoversikten", total
        ) % {"count": total}
        lines = [_("God morgen. Saksoversikten din har disse varslene i dag:"), ""]
        lines += [f"- {caseload.PERIOD_ALERT_KINDS[kind]}: {count}" for kind, count in counts.items()]
        lines += [
            "",
            _("Se hvem det gjelder i saksoversikten: %(url)s") % {"url": settings.SITE_URL + page},
            "",
            _("Du får denne e-posten fordi du har bedt om den. Slå den av under innstillinger: %(url)s")
            % {"url": settings.SITE_URL + reverse("preferences")},
        ]
        return subject, "\n".join(lines)
