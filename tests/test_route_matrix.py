"""The route x role matrix (issue 12, item 4): every URL pattern and every API operation, what each role gets.

The routes come from the URL resolver and the operations from the OpenAPI schema, so a new route without a row
fails ``test_every_route_has_a_row``, naming the route. Adding a row is one line in HTML_ROUTES or API_OPERATIONS:
the objects its URL needs, then the twelve answers in ROLES order:

    200 / 400 / 403 / 404 / 401 as such, ``login`` for a redirect to the login page, ``302`` for another redirect.

A route that takes only POST (an action: approve, send, publish, end a job) is asked with POST and an empty body
(``method="post"``), never with GET: a 405 would say nothing of who may act, so no page row answers 405
(``test_an_action_is_asked_with_the_method_it_takes``). A role that may act gets the form's error (400, or the page
again with 200) or the action's redirect (302); the others 403 or 404. Each request's writes are rolled back. Where
the fixture's objects are past the state an action needs (an application already submitted, a report already
sent), every role is refused: the row still holds that other organisations get 404, not 403.

The data lives in two services: IPS Oslo Nord (the demo personas) and IPS Tromsø (``other``: a job specialist of
another service). Every row is asked with Oslo Nord's objects, so the ``other`` column is the cross-service read;
CROSS_SERVICE asks Oslo Nord's roles for Tromsø's participants, periods, referrals, plans, contacts, jobs and reviews.
The grant scheme's objects (a call, and Oslo kommune's application with its decision, letter and appeal) belong to
``soker-kommune``'s organisation, so the ``soker-hf`` column (Akershus universitetssykehus HF) is the cross-tenant
read there; CROSS_TENANT asks ``soker-kommune`` for Akershus HF's own application.

Every answer is also checked against the access log: a route that shows one person (``person=True``) writes exactly
one row when it answers 200 and none otherwise; lists write one row per person shown, no more; no other route
writes any.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from brobygger.accounts.demo import PERSONAS, synthetic_orgnr
from brobygger.accounts.models import IpsService, Membership, Municipality, Organisation, Role, TreatmentTeam, User
from brobygger.api.api import api
from brobygger.audit.models import AccessLogEntry
from brobygger.fidelity import scales
from brobygger.fidelity import services as fidelity_services
from brobygger.fidelity.models import Review
from brobygger.grants import annual_reports, payments
from brobygger.grants import control as grants_control
from brobygger.grants import services as grants_services
from brobygger.grants.models import AnnualReport, Attachment, Call
from brobygger.grants.tests import payment_fixtures as grants_payments
from brobygger.grants.tests.fixtures import PDF, assessed, fill, submitted
from brobygger.participants import identity
from brobygger.participants import services as pathway
from brobygger.participants.models import Contact, Education, EmployerContact, ImportJob, Job, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS
from brobygger.reporting.models import IpsUngGoal, ReportJob

# The demo personas (one per role, two grant officers of whom ``godkjenner`` may approve, and an applicant for each of
# two organisations), a visitor who is not signed in, and another service's job specialist.
ROLES = (*(persona.username for persona in PERSONAS), "anonymous", "other")
TODAY = timezone.localdate()


@dataclass(frozen=True)
class Row:
    """The objects the URL's arguments name (``{"pk": "period"}``), the answers in ROLES order, and the method."""

    args: dict[str, str] = field(default_factory=dict)
    answers: str = ""
    method: str = "get"
    person: bool = False  # the route shows one person: exactly one access-log row on 200
    lists_people: bool = False  # the route lists people: one row per person shown
    query: str = ""  # a query string the route needs to answer at all


def row(
    answers: str, person: str | None = None, method: str = "get", lists: bool = False, query: str = "", **args: str
) -> Row:
    """``row("200 ...", "participant")``: a route whose ``pk`` is the participant, showing that one person."""
    if person is not None:
        args = {"pk": person, **args}
    return Row(args=args, answers=answers, method=method, person=person is not None, lists_people=lists, query=query)


# The routes of the site, by their pattern. The admin site's own patterns are one row (``admin/``): the admin
# site lets in system administrators only (accounts.access.can_use_admin) before any of them is reached.
HTML_ROUTES: dict[str, Row] = {
    # route: row(jobbspesialist ips-leder behandler kvalitetsevaluator tilskuddsforvalter analytiker sysadmin
    #            godkjenner soker-kommune soker-hf anonymous other,
    #            [the object that names the person], other objects of the URL)
    "": row("200 200 200 200 200 200 200 200 200 200 login 200"),
    "admin/": row("302 302 302 302 302 302 200 302 302 302 302 302"),
    "api/v1/": row("404 404 404 404 404 404 404 404 404 404 404 404"),
    "api/v1/docs": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "api/v1/openapi.json": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "deltakere/": row("200 200 200 403 403 403 403 403 403 403 login 200", lists=True),
    "deltakere/<int:pk>/": row("200 200 200 404 404 404 404 404 404 404 login 404", "participant"),
    "deltakere/<int:pk>/endre/": row("200 200 200 404 404 404 404 404 404 404 login 404", "participant"),
    "deltakere/<int:pk>/kontaktopplysninger/": row("200 200 200 404 404 404 404 404 404 404 login 404", "participant"),
    "deltakere/<int:pk>/fodselsnummer/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "participant", method="post"
    ),
    "deltakere/<int:pk>/henvisning/ny/": row("200 200 200 404 404 404 404 404 404 404 login 404", "participant"),
    "deltakere/arbeidsgivere/": row("200 200 200 403 403 403 403 403 403 403 login 200"),
    "deltakere/arbeidsgivere/kontakter/": row("200 403 403 403 403 403 403 403 403 403 login 200", lists=True),
    "deltakere/arbeidsgivere/kontakter/ny/": row("200 403 403 403 403 403 403 403 403 403 login 200", lists=True),
    "deltakere/arbeidsgivere/ny/": row("200 200 403 403 403 403 403 403 403 403 login 200"),
    "deltakere/forlop/<int:pk>/avslutt/": row("200 200 403 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/forleng/": row("200 200 403 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/jobber/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/jobber/<int:job_pk>/slutt/": row(
        "200 200 403 404 404 404 404 404 404 404 login 404", "period", job_pk="job", method="post"
    ),
    "deltakere/forlop/<int:pk>/jobbsoking/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/karriereprofil/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/kontakter/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/plan/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/plan/aktiviteter/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "period", method="post"
    ),
    "deltakere/forlop/<int:pk>/plan/aktiviteter/<int:activity_pk>/status/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "period", activity_pk="activity", method="post"
    ),
    "deltakere/forlop/<int:pk>/plan/ny/": row(
        "200 200 403 404 404 404 404 404 404 404 login 404", "period", method="post"
    ),
    "deltakere/forlop/<int:pk>/plan/revisjon/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "period", method="post"
    ),
    "deltakere/forlop/<int:pk>/start/": row("200 200 403 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/utdanning/": row("200 200 200 404 404 404 404 404 404 404 login 404", "period"),
    "deltakere/forlop/<int:pk>/utdanning/<int:education_pk>/avslutt/": row(
        "200 200 403 404 404 404 404 404 404 404 login 404", "period", education_pk="education", method="post"
    ),
    "deltakere/henvisninger/<int:pk>/avgjor/": row("200 200 403 404 404 404 404 404 404 404 login 404", "referral"),
    "deltakere/ny/": row("200 200 200 403 403 403 403 403 403 403 login 200"),
    "i18n/setlang/": row("302 302 302 302 302 302 302 302 302 302 302 302", method="post"),
    "logg-inn/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "logg-ut/": row("login login login login login login login login login login login login", method="post"),
    "modelltrohet/": row("200 200 403 200 200 200 403 200 403 403 login 200"),
    "modelltrohet/gjennomganger/<int:pk>/": row("200 200 404 200 404 404 404 404 404 404 login 404", pk="review"),
    "modelltrohet/gjennomganger/<int:pk>/endre/": row("403 403 404 200 404 404 404 404 404 404 login 404", pk="review"),
    "modelltrohet/gjennomganger/<int:pk>/ferdigstill/": row(
        "403 403 404 302 404 404 404 404 404 404 login 404", pk="review", method="post"
    ),
    "modelltrohet/gjennomganger/<int:pk>/forslag/": row(
        "403 403 404 302 404 404 404 404 404 404 login 404", pk="review", method="post"
    ),
    "modelltrohet/gjennomganger/<int:pk>/gjenapne/": row(
        "403 403 404 302 404 404 404 404 404 404 login 404", pk="review", method="post"
    ),
    "modelltrohet/gjennomganger/<int:pk>/lever/": row(
        "403 403 404 302 404 404 404 404 404 404 login 404", pk="review", method="post"
    ),
    "modelltrohet/gjennomganger/<int:pk>/rapport.pdf": row(
        "200 200 404 200 404 404 404 404 404 404 login 404", pk="review"
    ),
    "modelltrohet/gjennomganger/<int:pk>/rapport.xlsx": row(
        "200 200 404 200 404 404 404 404 404 404 login 404", pk="review"
    ),
    "modelltrohet/gjennomganger/<int:pk>/rett/": row("403 403 404 200 404 404 404 404 404 404 login 404", pk="review"),
    "modelltrohet/gjennomganger/<int:pk>/skar/": row("403 403 404 200 404 404 404 404 404 404 login 404", pk="review"),
    "modelltrohet/gjennomganger/<int:pk>/tiltak/": row(
        "200 200 404 200 404 404 404 404 404 404 login 404", pk="review"
    ),
    "modelltrohet/gjennomganger/<int:pk>/tiltak/<int:action_pk>/": row(
        "403 200 404 200 404 404 404 404 404 404 login 404", pk="review", action_pk="action"
    ),
    "modelltrohet/maleplan/": row("200 200 403 200 200 200 403 200 403 403 login 200"),
    "modelltrohet/sammenligning/": row("200 200 403 200 200 200 403 200 403 403 login 200"),
    "modelltrohet/skalaer/": row("200 200 403 200 200 200 200 200 403 403 login 200"),
    "modelltrohet/skalaer/<int:pk>/": row("200 200 404 200 200 200 200 200 404 404 login 200", pk="scale"),
    "modelltrohet/skalaer/<int:pk>/fil/": row("200 200 404 200 200 200 200 200 404 404 login 200", pk="scale"),
    "modelltrohet/tilbud/<int:pk>/": row("200 200 403 200 200 200 403 200 403 403 login 404", pk="service"),
    "modelltrohet/tilbud/<int:pk>/ny/": row("403 200 404 200 403 403 404 403 404 404 login 404", pk="service"),
    "modelltrohet/varmekart/": row("200 200 403 200 403 200 403 403 403 403 login 200"),
    "organisasjoner/": row("200 200 200 200 200 200 200 200 200 200 login 200"),
    "organisasjoner/<int:pk>/endre/": row("403 403 403 403 403 403 200 403 403 403 login 403", pk="organisation"),
    "organisasjoner/ny/": row("403 403 403 403 403 403 200 403 403 403 login 403"),
    "regelverk/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "regelverk/<slug:rule_id>/": row("200 200 200 200 200 200 200 200 200 200 200 200", rule_id="rule"),
    "regelverk/endringer/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "revisjon/": row("403 403 403 403 403 403 200 403 403 403 login 403"),
    "saksoversikt/": row("200 302 403 403 403 403 403 403 403 403 login 200", lists=True),
    "saksoversikt/team/": row("403 200 403 403 403 403 403 403 403 403 login 403", lists=True),
    "saksoversikt/teammote/": row("200 200 200 403 403 403 403 403 403 403 login 200", lists=True),
    "saksoversikt/teammote/<int:team_pk>/": row(
        "200 200 200 403 403 403 403 403 403 403 login 404", team_pk="team", lists=True
    ),
    "statistikk/": row("403 200 403 403 200 200 403 200 403 403 login 403"),
    "statistikk/arsrapport/": row("403 400 403 403 400 400 403 400 403 403 login 403", method="post"),
    "statistikk/eksport.csv": row("403 200 403 403 400 400 403 400 403 403 login 403"),
    "statistikk/eksport.xlsx": row("403 200 403 403 400 400 403 400 403 403 login 403"),
    "statistikk/ips-ung/": row("403 403 403 403 200 200 403 200 403 403 login 403"),
    "statistikk/ips-ung/mal/<int:pk>/": row("403 403 403 403 200 200 403 200 403 403 login 403", pk="goal"),
    "statistikk/ips-ung/mal/nytt/": row("403 403 403 403 200 200 403 200 403 403 login 403"),
    "statistikk/jobb/<int:pk>/": row("403 404 403 403 404 200 403 404 403 403 login 403", pk="report_job"),
    "statistikk/jobb/<int:pk>/fil/": row("403 404 403 403 404 400 403 404 403 403 login 403", pk="report_job"),
    "statistikk/modelltrohet/": row("403 200 403 403 200 200 403 200 403 403 login 403"),
    "statistikk/publiser/": row("403 403 403 403 400 400 403 400 403 403 login 403", method="post"),
    "statistikk/sysselsetting/": row("403 200 403 403 200 200 403 200 403 403 login 403"),
    "tilbud/": row("200 200 200 200 200 200 200 200 200 200 login 200"),
    "tilbud/<int:pk>/": row("200 200 200 200 200 200 200 200 404 404 login 404", pk="service"),
    "tilbud/<int:pk>/endre/": row("403 403 403 403 403 403 200 403 403 403 login 403", pk="service"),
    "tilbud/nytt/": row("403 403 403 403 403 403 200 403 403 403 login 403"),
    "deltakere/arbeidsgivere/kontakter/<int:pk>/rett/": row(
        "200 403 403 403 403 403 403 403 403 403 login 404", pk="employer_contact", lists=True
    ),
    "deltakere/arbeidsgivere/kontakter/<int:pk>/slett/": row(
        "200 403 403 403 403 403 403 403 403 403 login 404", pk="employer_contact"
    ),
    "deltakere/forlop/<int:pk>/<slug:kind>/<int:entry_pk>/rett/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "period", kind="entry_kind", entry_pk="contact"
    ),
    "deltakere/forlop/<int:pk>/<slug:kind>/<int:entry_pk>/slett/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "period", kind="entry_kind", entry_pk="contact"
    ),
    "deltakere/henvisninger/": row("200 200 403 403 403 403 403 403 403 403 login 200", lists=True),
    "deltakere/henvisninger/<int:pk>/rett/": row("200 200 200 404 404 404 404 404 404 404 login 404", "referral"),
    "deltakere/henvisninger/<int:pk>/samtykke/": row("200 200 200 404 404 404 404 404 404 404 login 404", "referral"),
    "deltakere/henvisninger/<int:pk>/trekk-tilbake/": row(
        "200 200 200 404 404 404 404 404 404 404 login 404", "referral"
    ),
    "deltakere/import/": row("403 200 403 403 403 403 403 403 403 403 login 403"),
    "deltakere/import/<int:pk>/": row("403 200 403 403 403 403 403 403 403 403 login 403", pk="import_job"),
    "deltakere/import/mal.csv": row("403 200 403 403 403 403 403 403 403 403 login 403"),
    "deltakere/import/mal.xlsx": row("403 200 403 403 403 403 403 403 403 403 login 403"),
    "helse/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "helse/klar/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "innstillinger/": row("200 200 200 200 200 200 200 200 200 200 login 200"),
    "logg-inn/oidc/authenticate/": row("404 404 404 404 404 404 404 404 404 404 404 404"),
    "logg-inn/oidc/callback/": row("404 404 404 404 404 404 404 404 404 404 404 404"),
    "logg-inn/oidc/logout/": row(
        "login login login login login login login login login login login login", method="post"
    ),
    "logg-inn/totrinn/": row("302 302 302 302 302 302 302 302 302 302 login 302"),
    "logg-inn/totrinn/oppsett/": row("200 200 200 302 200 302 200 200 302 302 login 200"),
    "passord/": row("200 200 200 200 200 200 200 200 200 200 login 200"),
    "personvern/": row("403 403 403 403 403 403 200 403 403 403 login 403"),
    "personvern/innsyn/": row("403 403 403 403 403 403 400 403 403 403 login 403", method="post"),
    "personvern/sletting/": row("403 403 403 403 403 403 302 403 403 403 login 403", method="post"),
    "tilskudd/innstillinger/<int:pk>/godkjenn/": row(
        "403 403 403 403 403 403 403 302 403 403 login 403", pk="recommendation", method="post"
    ),
    "tilskudd/innstillinger/<int:pk>/send-tilbake/": row(
        "403 403 403 403 403 403 403 302 403 403 login 403", pk="recommendation", method="post"
    ),
    "tilskudd/kontroll/": row("403 403 403 403 200 403 403 200 200 200 login 403"),
    "tilskudd/kontroll/ny/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/kontroll/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="control_case"),
    "tilskudd/kontroll/<int:pk>/avslutt/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="control_case"),
    "tilskudd/kontroll/<int:pk>/dokumentasjon/": row(
        "403 403 403 403 200 403 403 200 403 403 login 403", pk="control_case"
    ),
    "tilskudd/kontroll/<int:pk>/dokumentasjon/<int:document_pk>.pdf": row(
        "404 404 404 404 200 404 404 200 200 404 login 404", pk="control_case", document_pk="control_document"
    ),
    "tilskudd/kontroll/<int:pk>/dokumentasjon/<int:document_pk>/send-inn/": row(
        "404 404 404 404 403 404 404 403 200 404 login 404", pk="control_case", document_pk="open_document"
    ),
    "tilskudd/kontroll/<int:pk>/funn/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="control_case"),
    "tilskudd/kontroll/<int:pk>/sanksjon/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="control_case"),
    "tilskudd/kontroll/sanksjoner/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="sanction"),
    "tilskudd/kontroll/sanksjoner/<int:pk>/brev.pdf": row(
        "404 404 404 404 200 404 404 200 200 404 login 404", pk="sanction"
    ),
    "tilskudd/kontroll/sanksjoner/<int:pk>/godkjenn/": row(
        "404 404 404 404 403 404 404 302 403 404 login 404", pk="sanction", method="post"
    ),
    "tilskudd/kontroll/sanksjoner/<int:pk>/klage/": row(
        "404 404 404 404 200 404 404 200 403 404 login 404", pk="sanction"
    ),
    "tilskudd/kontroll/sanksjoner/<int:pk>/send/": row(
        "404 404 404 404 302 404 404 302 403 404 login 404", pk="sanction", method="post"
    ),
    "tilskudd/klager/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/klager/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="appeal"),
    "tilskudd/klager/<int:pk>/departementet/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="appeal"),
    "tilskudd/klager/<int:pk>/forelopig-svar/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="appeal"),
    "tilskudd/klager/<int:pk>/omgjor/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="appeal"),
    "tilskudd/klager/<int:pk>/oversend/": row("403 403 403 403 200 403 403 200 403 403 login 403", pk="appeal"),
    "tilskudd/klager/<int:pk>/oversendelse.pdf": row("403 403 403 403 404 403 403 404 403 403 login 403", pk="appeal"),
    "tilskudd/soknader/": row("403 403 403 403 200 403 403 200 200 200 login 403"),
    "tilskudd/soknader/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/budsjett/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/endre/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/habilitet/": row("404 404 404 404 200 404 404 200 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/milepaeler/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="application"
    ),
    "tilskudd/soknader/<int:pk>/ny-versjon/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="application", method="post"
    ),
    "tilskudd/soknader/<int:pk>/send-inn/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/signer/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/unntak/": row("404 404 404 404 404 404 404 404 404 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/vedlegg/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/vurdering/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="application"),
    "tilskudd/soknader/<int:pk>/fjern/<str:kind>/<int:part_pk>/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404",
        pk="application",
        kind="part_kind",
        part_pk="budget_line",
        method="post",
    ),
    "tilskudd/soknader/<int:pk>/tiltak/<str:measure>/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="application", measure="measure"
    ),
    "tilskudd/soknader/<int:pk>/vedlegg/<int:attachment_pk>.pdf": row(
        "404 404 404 404 200 404 404 200 200 404 login 404", pk="application", attachment_pk="attachment"
    ),
    "tilskudd/tall.pdf": row("403 403 403 403 400 400 403 400 403 403 login 403"),
    "tilskudd/tall.xlsx": row("403 403 403 403 400 400 403 400 403 403 login 403"),
    "tilskudd/tall/": row("403 403 403 403 200 200 403 200 403 403 login 403"),
    "tilskudd/tidligere-tilskudd/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/utlysninger/": row("403 403 403 403 200 403 403 200 200 200 login 403"),
    "tilskudd/utlysninger/<int:call_pk>/sok/": row("404 404 404 404 403 404 404 403 200 200 login 404", call_pk="call"),
    "tilskudd/utlysninger/<int:pk>/": row("404 404 404 404 200 404 404 200 200 200 login 404", pk="call"),
    "tilskudd/utlysninger/<int:pk>/avslutt/": row(
        "404 404 404 404 302 404 404 302 403 403 login 404", pk="call", method="post"
    ),
    "tilskudd/utlysninger/<int:pk>/fordeling/": row("404 404 404 404 200 404 404 200 403 403 login 404", pk="call"),
    "tilskudd/utlysninger/<int:pk>/fordeling/sum/": row(
        "404 404 404 404 200 404 404 200 403 403 login 404", pk="call", method="post"
    ),
    "tilskudd/utlysninger/<int:pk>/innstilling/": row(
        "404 404 404 404 302 404 404 302 403 403 login 404", pk="call", method="post"
    ),
    "tilskudd/utlysninger/<int:pk>/publiser/": row(
        "404 404 404 404 302 404 404 302 403 403 login 404", pk="call", method="post"
    ),
    "tilskudd/utlysninger/ny/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/vedtak/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="decision"),
    "tilskudd/vedtak/<int:pk>/brev.pdf": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="decision"),
    "tilskudd/vedtak/<int:pk>/godkjenn/": row(
        "404 404 404 404 403 404 404 302 403 404 login 404", pk="decision", method="post"
    ),
    "tilskudd/vedtak/<int:pk>/klage/": row("404 404 404 404 200 404 404 200 403 404 login 404", pk="decision"),
    "tilskudd/vedtak/<int:pk>/send/": row(
        "404 404 404 404 302 404 404 302 403 404 login 404", pk="decision", method="post"
    ),
    "tilskudd/rapporter/": row("403 403 403 403 200 403 403 200 200 200 login 403"),
    "tilskudd/rapporter/<int:pk>/": row("404 404 404 404 200 404 404 200 200 404 login 404", pk="report"),
    "tilskudd/rapporter/<int:pk>/endre/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="report"),
    "tilskudd/rapporter/<int:pk>/signer/": row("404 404 404 404 403 404 404 403 403 404 login 404", pk="report"),
    "tilskudd/rapporter/<int:pk>/send-tilbake/": row("404 404 404 404 200 404 404 200 403 404 login 404", pk="report"),
    "tilskudd/rapporter/<int:pk>/send-inn/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="report", method="post"
    ),
    "tilskudd/rapporter/<int:pk>/hent-tall/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="report", method="post"
    ),
    "tilskudd/rapporter/<int:pk>/godkjenn/": row(
        "404 404 404 404 302 404 404 302 403 404 login 404", pk="report", method="post"
    ),
    "tilskudd/rapporter/vedtak/<int:decision_pk>/lag/": row(
        "404 404 404 404 403 404 404 403 302 404 login 404", decision_pk="decision", method="post"
    ),
    "tilskudd/rapporter/soknader/<int:pk>/tilbud/": row(
        "404 404 404 404 403 404 404 403 403 404 login 404", pk="application"
    ),
    # Payments: officers only; the recipient's own page for applicants (grants.access).
    "tilskudd/utbetalinger/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/utbetalinger/<int:pk>/": row("404 404 404 404 200 404 404 200 404 404 login 404", pk="payment_order"),
    "tilskudd/utbetalinger/<int:pk>/attester/": row(
        "404 404 404 404 302 404 404 302 404 404 login 404", pk="payment_order", method="post"
    ),
    "tilskudd/utbetalinger/<int:pk>/godkjenn/": row(
        "404 404 404 404 403 404 404 302 404 404 login 404", pk="payment_order", method="post"
    ),
    "tilskudd/utbetalinger/eksporter/": row("403 403 403 403 302 403 403 302 403 403 login 403", method="post"),
    "tilskudd/utbetalinger/filer/<int:pk>/": row(
        "404 404 404 404 200 404 404 200 404 404 login 404", pk="payment_file"
    ),
    "tilskudd/utbetalinger/filer/<int:pk>/pain001.xml": row(
        "404 404 404 404 200 404 404 200 404 404 login 404", pk="payment_file"
    ),
    "tilskudd/utbetalinger/filer/<int:pk>/utbetalinger.csv": row(
        "404 404 404 404 200 404 404 200 404 404 login 404", pk="payment_file"
    ),
    "tilskudd/utbetalinger/stans/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/utbetalinger/stans/<int:pk>/opphev/": row(
        "404 404 404 404 200 404 404 200 404 404 login 404", pk="payment_stop"
    ),
    "tilskudd/utbetalinger/endringer/": row("403 403 403 403 200 403 403 200 403 403 login 403"),
    "tilskudd/utbetalinger/endringer/<int:pk>/kontroller/": row(
        "404 404 404 404 302 404 404 302 403 404 login 404", pk="recipient_change", method="post"
    ),
    "tilskudd/utbetalinger/endringer/<int:pk>/godkjenn/": row(
        "404 404 404 404 403 404 404 302 403 404 login 404", pk="recipient_change", method="post"
    ),
    "tilskudd/utbetalinger/endringer/<int:pk>/avvis/": row(
        "404 404 404 404 200 404 404 200 403 404 login 404", pk="recipient_change"
    ),
    "tilskudd/utbetalinger/ubrukte-midler/<int:pk>/innbetaling/": row(
        "404 404 404 404 200 404 404 200 404 404 login 404", pk="overpayment"
    ),
    "tilskudd/vedtak/<int:pk>/forplikt/": row("404 404 404 404 200 404 404 200 403 404 login 404", pk="decision"),
    "tilskudd/vedtak/<int:pk>/ubrukte-midler/": row("404 404 404 404 200 404 404 200 403 404 login 404", pk="decision"),
    "tilskudd/mottaker/": row("403 403 403 403 403 403 403 403 200 200 login 403"),
    "tilskudd/mottaker/endre/": row("403 403 403 403 403 403 403 403 200 200 login 403"),
}

# The API's operations, by method and path as the OpenAPI schema names them. A write is asked with an empty
# body: a signed-in user gets 422 before any object is looked up, which tells nothing about what exists.
API_OPERATIONS: dict[str, Row] = {
    "GET /api/v1/fidelity/reviews": row("200 200 403 200 200 200 403 200 403 403 401 200"),
    "GET /api/v1/participants/": row("200 200 200 403 403 403 200 403 403 403 401 200", lists=True),
    "GET /api/v1/participants/{pk}": row("200 200 200 403 403 403 404 403 403 403 401 404", "participant"),
    "GET /api/v1/periods/{pk}": row("200 200 200 403 403 403 404 403 403 403 401 404", "period"),
    "GET /api/v1/periods/{pk}/contacts": row("200 200 200 403 403 403 404 403 403 403 401 404", "period"),
    "GET /api/v1/periods/{pk}/extension": row(
        "200 200 200 403 403 403 404 403 403 403 401 404", "period", query="on=2026-04-01"
    ),
    "GET /api/v1/rules/": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "GET /api/v1/rules/versions": row("200 200 200 200 200 200 200 200 200 200 200 200"),
    "GET /api/v1/statistics/published": row("403 200 403 403 200 200 403 200 403 403 401 403"),
    "GET /api/v1/statistics/published/{period}": row(
        "403 404 403 403 404 404 403 404 403 403 401 403", period="published"
    ),
    "POST /api/v1/participants/{pk}/reveal-identity": row(
        "200 200 200 403 403 403 404 403 403 403 401 404", "participant"
    ),
    "POST /api/v1/participants/{pk}/contact-details": row(
        "422 422 422 422 422 422 422 422 422 422 401 422", "participant"
    ),
    "POST /api/v1/periods/{pk}/close": row("422 422 422 422 422 422 422 422 422 422 401 422", "period"),
    "POST /api/v1/periods/{pk}/contacts": row("422 422 422 422 422 422 422 422 422 422 401 422", "period"),
    "POST /api/v1/periods/{pk}/extensions": row("422 422 422 422 422 422 422 422 422 422 401 422", "period"),
    "POST /api/v1/periods/{pk}/start": row("422 422 422 422 422 422 422 422 422 422 401 422", "period"),
    "POST /api/v1/referrals/": row("422 422 422 422 422 422 422 422 422 422 401 422"),
    "POST /api/v1/referrals/{pk}/accept": row("422 422 422 422 422 422 422 422 422 422 401 422", "referral"),
    "POST /api/v1/referrals/{pk}/refuse": row("422 422 422 422 422 422 422 422 422 422 401 422", "referral"),
    "POST /api/v1/rules/forlengelse": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/forste-arbeidsgiverkontakt": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/klagefrist": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/modelltrohet-maleplan": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/modelltrohet-neste-maling": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/modelltrohet-niva": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/ordinaert-arbeid": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/personkrets": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/plan-oppdatert": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/rapporteringskategori": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/rapportfrist": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/saksmengde": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-maksbelop": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-prioritet": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-soker": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-soknad-komplett": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-tiltak-a": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-tiltak-b": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-tiltak-c": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tilskudd-utestengt": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/tiltaksspor": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "POST /api/v1/rules/varighet": row("422 422 422 422 422 422 422 422 422 422 422 422"),
    "GET /api/v1/grants/appeals": row("403 403 403 403 200 403 403 200 200 200 401 403"),
    "GET /api/v1/grants/appeals/{pk}": row("403 403 403 403 200 403 403 200 200 404 401 403", pk="appeal"),
    "GET /api/v1/grants/applications": row("403 403 403 403 200 403 403 200 200 200 401 403"),
    "GET /api/v1/grants/applications/{pk}": row("403 403 403 403 200 403 403 200 200 404 401 403", pk="application"),
    "GET /api/v1/grants/calls": row("403 403 403 403 200 403 403 200 200 200 401 403"),
    "GET /api/v1/grants/calls/{pk}": row("403 403 403 403 200 403 403 200 200 200 401 403", pk="call"),
    "GET /api/v1/grants/decisions": row("403 403 403 403 200 403 403 200 200 200 401 403"),
    "GET /api/v1/grants/figures/": row("403 403 403 403 200 200 403 200 403 403 401 403"),
    "GET /api/v1/grants/decisions/{pk}": row("403 403 403 403 200 403 403 200 200 404 401 403", pk="decision"),
    "POST /api/v1/grants/applications/{pk}/submit": row(
        "403 403 403 403 403 403 403 403 403 404 401 403", pk="application"
    ),
    "POST /api/v1/grants/calls/{pk}/applications": row("422 422 422 422 422 422 422 422 422 422 401 422", pk="call"),
    "GET /api/v1/grants/payment-orders": row("403 403 403 403 200 403 403 200 403 403 401 403"),
    "GET /api/v1/grants/payment-orders/{pk}": row(
        "403 403 403 403 200 403 403 200 403 403 401 403", pk="payment_order"
    ),
    "POST /api/v1/grants/payment-orders/{pk}/attest": row(
        "403 403 403 403 422 403 403 422 403 403 401 403", pk="payment_order"
    ),
    "POST /api/v1/grants/payment-orders/{pk}/approve": row(
        "403 403 403 403 403 403 403 422 403 403 401 403", pk="payment_order"
    ),
    "POST /api/v1/grants/payment-orders/export": row("403 403 403 403 422 403 403 422 403 403 401 403"),
    "POST /api/v1/grants/decisions/{pk}/approve": row("403 403 403 403 403 403 403 422 403 404 401 403", pk="decision"),
    "POST /api/v1/grants/recommendations/{pk}/approve": row(
        "403 403 403 403 403 403 403 422 403 403 401 403", pk="recommendation"
    ),
    "GET /api/v1/grants/reports": row("403 403 403 403 200 403 403 200 200 200 401 403"),
    "GET /api/v1/grants/reports/{pk}": row("403 403 403 403 200 403 403 200 200 404 401 403", pk="report"),
    "POST /api/v1/grants/reports/{pk}/submit": row("403 403 403 403 403 403 403 403 403 404 401 403", pk="report"),
}

CROSS_SERVICE_ROLES = ("jobbspesialist", "ips-leder", "behandler")
MANAGING = ("jobbspesialist", "ips-leder")

# Oslo Nord's roles asking for Tromsø's objects: 404 for every one, pages and API alike. (URL, method[, roles])
CROSS_SERVICE = (
    ("/deltakere/{participant}/", "get"),
    ("/deltakere/{participant}/endre/", "get"),
    ("/deltakere/{participant}/kontaktopplysninger/", "get"),
    ("/deltakere/{participant}/fodselsnummer/", "post"),
    ("/deltakere/{participant}/henvisning/ny/", "get"),
    ("/deltakere/henvisninger/{referral}/avgjor/", "get"),
    ("/deltakere/henvisninger/{referral}/rett/", "get"),
    ("/deltakere/henvisninger/{referral}/samtykke/", "get"),
    ("/deltakere/henvisninger/{referral}/trekk-tilbake/", "get"),
    ("/deltakere/forlop/{period}/kontakt/{contact}/rett/", "get"),
    ("/deltakere/forlop/{period}/kontakt/{contact}/slett/", "get"),
    # Only the job specialist who made an employer contact may correct it: the other roles are refused by role.
    ("/deltakere/arbeidsgivere/kontakter/{employer_contact}/rett/", "get", ("jobbspesialist",)),
    ("/deltakere/arbeidsgivere/kontakter/{employer_contact}/slett/", "get", ("jobbspesialist",)),
    ("/deltakere/forlop/{period}/start/", "get"),
    ("/deltakere/forlop/{period}/forleng/", "get"),
    ("/deltakere/forlop/{period}/avslutt/", "get"),
    ("/deltakere/forlop/{period}/karriereprofil/", "get"),
    ("/deltakere/forlop/{period}/plan/", "get"),
    ("/deltakere/forlop/{period}/kontakter/", "get"),
    ("/deltakere/forlop/{period}/jobbsoking/", "get"),
    ("/deltakere/forlop/{period}/jobber/", "get"),
    ("/deltakere/forlop/{period}/utdanning/", "get"),
    # Own period, the other service's job, activity and education: the inner id is checked against the period
    # (asked of the roles that may make these writes at all; the clinician is refused them on any period).
    ("/deltakere/forlop/{own_period}/jobber/{job}/slutt/", "post", MANAGING),
    ("/deltakere/forlop/{own_period}/plan/aktiviteter/{activity}/status/", "post"),
    ("/deltakere/forlop/{own_period}/utdanning/{education}/avslutt/", "post", MANAGING),
    ("/deltakere/forlop/{own_period}/kontakt/{contact}/rett/", "get"),
    ("/deltakere/forlop/{own_period}/kontakt/{contact}/slett/", "get"),
    ("/modelltrohet/gjennomganger/{review}/", "get"),
    ("/modelltrohet/gjennomganger/{review}/rapport.pdf", "get"),
    ("/modelltrohet/gjennomganger/{review}/tiltak/", "get"),
    ("/api/v1/participants/{participant}", "get"),
    ("/api/v1/participants/{participant}/reveal-identity", "post"),
    ("/api/v1/periods/{period}", "get"),
    ("/api/v1/periods/{period}/contacts", "get"),
    ("/api/v1/periods/{period}/extension?on=2026-04-01", "get"),
)


# Oslo kommune's applicant asking for Akershus HF's application: 404 for every one, pages and API alike.
CROSS_TENANT = (
    ("/tilskudd/soknader/{application}/", "get"),
    ("/tilskudd/soknader/{application}/endre/", "get"),
    ("/tilskudd/soknader/{application}/habilitet/", "get"),
    ("/api/v1/grants/applications/{application}", "get"),
    ("/api/v1/grants/applications/{application}/submit", "post"),
)


# The data: one pathway with everything on it in each service ------------------------------------------------------


def _referred(actor: User, clinician: User, team: TreatmentTeam, birth: date, serial: int, municipality: str):
    """A person registered and referred from ``team``, with consent and the facts of an eligible referral."""
    person = pathway.participant_register(
        actor=actor,
        identity_number=identity.synthetic_identity_number(birth, serial),
        municipality=Municipality.objects.get(number=municipality),
        first_name="Matrise",
        last_name=f"Deltaker{serial}",
    )
    return pathway.referral_create(
        actor=clinician,
        participant=person,
        team=team,
        clinician=clinician,
        referred_on=date(2026, 1, 5),
        goals="Jobb",
        facts=ELIGIBLE_FACTS,
        consent_given_on=date(2026, 1, 5),
        consent_method=Referral.ConsentMethod.WRITTEN,
    )


def _pathway(actor: User, clinician: User, team: TreatmentTeam, serial: int, municipality: str) -> dict:
    accepted = _referred(actor, clinician, team, date(1996, 2, serial), serial, municipality)
    participant = accepted.participant
    # A second person, referred and not yet decided: the pending referral.
    pending = _referred(actor, clinician, team, date(1997, 3, serial), serial + 1, municipality)
    period = pathway.referral_accept(actor=actor, referral=accepted, on=date(2026, 1, 6), job_specialist=actor)
    period = pathway.period_start(actor=actor, period=period, start_date=date(2026, 1, 7), expected_revision=1)
    plan = pathway.plan_create(actor=actor, period=period, purpose="Komme i jobb", on=date(2026, 1, 8))
    activity = pathway.plan_activity_add(actor=actor, plan=plan, description="Lage CV")
    contact = pathway.contact_record(
        actor=actor, period=period, kind=Contact.Kind.PARTICIPANT_MEETING, on=date(2026, 1, 9), place="office"
    )
    employer = pathway.employer_register(
        actor=actor,
        name=f"Matrisebutikken {serial} AS",
        orgnr=synthetic_orgnr(900 + serial),
        municipality=Municipality.objects.get(number=municipality),
    )
    job = pathway.job_register(
        actor=actor,
        period=period,
        employer=employer,
        title="Butikkmedarbeider",
        job_type=Job.JobType.RETAIL,
        start_date=date(2026, 2, 1),
        hours_per_week=Decimal("20"),
        open_labour_market=True,
        paid_at_least_normal_rate=True,
        open_to_anyone=True,
    )
    education = pathway.education_register(
        actor=actor,
        period=period,
        level=Education.Level.UPPER_SECONDARY,
        institution="Matriseskolen",
        start_date=date(2026, 2, 2),
    )
    employer_contact = pathway.employer_contact_record(
        actor=actor,
        employer=employer,
        on=date(2026, 1, 10),
        face_to_face=True,
        purpose=EmployerContact.Purpose.NAMED_PARTICIPANTS,
        participants=[participant],
    )
    return {
        "participant": participant.pk,
        "employer_contact": employer_contact.pk,
        "entry_kind": "kontakt",
        "period": period.pk,
        "period_person": participant.pk,
        "referral_person": pending.participant_id,
        "referral": pending.pk,
        "plan": plan.pk,
        "activity": activity.pk,
        "contact": contact.pk,
        "job": job.pk,
        "education": education.pk,
        "team": team.pk,
        "service": team.service_id,
    }


def _review(service: IpsService, reviewers: list[User]) -> dict:
    scales.ensure_builtin_scales()
    scale = scales.scale_in_force(scales.IPS_25, date(2026, 1, 1))
    review = fidelity_services.review_create(
        actor=reviewers[0],
        service=service,
        scale=scale,
        review_type=Review.Type.EXTERNAL,
        review_date=TODAY,
        period_start=TODAY - timedelta(days=180),
        period_end=TODAY,
        reviewers=reviewers,
    )
    action = fidelity_services.action_add(
        actor=reviewers[0], review=review, description="Flere arbeidsgiverkontakter", owner="IPS-leder", due_on=TODAY
    )
    return {"review": review.pk, "action": action.pk, "scale": scale.pk}


def _grants(personas: dict) -> dict:
    """Oslo kommune's application to a 2026 call, decided, sent with its letter and appealed; Akershus HF (the
    other applicant persona's organisation) must see none of it, and grant officers none of the pathway."""
    officer, approver, applicant = (personas[name] for name in ("tilskuddsforvalter", "godkjenner", "soker-kommune"))
    call = grants_services.call_create(
        actor=officer,
        year=2026,
        title="Tilskudd til IPS 2026",
        budget_frame=Decimal("3000000"),
        deadline=date(2026, 3, 1),
        text="Matrise.",
    )
    call = grants_services.call_publish(actor=officer, call=call)
    application = fill(applicant, grants_services.application_create(actor=applicant, call=call, title="IPS Oslo"))
    attachment = grants_services.attachment_add(
        actor=applicant,
        application=application,
        kind=Attachment.Kind.COLLABORATION_AGREEMENT,
        filename="avtale.pdf",
        content=PDF,
    )
    application = submitted(applicant, application)
    assessed(officer, application)
    recommendation = grants_services.recommendation_submit(actor=officer, call=call)
    (decision,) = grants_services.recommendation_approve(actor=approver, recommendation=recommendation)
    grants_services.decision_send(actor=officer, decision=decision, on=date(2026, 4, 10))
    appeal = grants_services.appeal_register(
        actor=officer, decision=decision, received_on=date(2026, 4, 20), grounds="Matrise."
    )
    # The 2026 report as it will be in 2027: prepared after the year, and submitted, so the officer has it to review.
    report = annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2027, 1, 5))
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    payment = _payments(officer, approver, applicant, decision)
    case = grants_control.control_case_open(actor=officer, decision=decision, basis="sample")
    received = grants_control.document_request(actor=officer, case=case, description="Regnskap", due_on=TODAY)
    grants_control.document_upload(actor=applicant, document=received, filename="regnskap.pdf", content=PDF)
    waiting = grants_control.document_request(actor=officer, case=case, description="Lønnslister", due_on=TODAY)
    grants_control.finding_record(actor=officer, case=case, kind="breach", text="Matrise.", reference="pkt. 5")
    sanction = grants_control.sanction_prepare(
        actor=officer, case=case, kind="bar", reasons="Matrise.", bar_from_year=2027, bar_to_year=2027
    )
    grants_control.sanction_approve(actor=approver, sanction=sanction)
    grants_control.sanction_send(actor=officer, sanction=sanction)
    return payment | {
        "control_case": case.pk,
        "control_document": received.pk,
        "open_document": waiting.pk,
        "sanction": sanction.pk,
        "call": call.pk,
        "application": application.pk,
        "attachment": attachment.pk,
        "budget_line": application.budget_lines.first().pk,
        "part_kind": "budsjettlinje",
        "measure": "A",
        "recommendation": recommendation.pk,
        "decision": decision.pk,
        "appeal": appeal.pk,
        "report": report.pk,
    }


def _payments(officer, approver, applicant, decision) -> dict:
    """The decision committed in two instalments: the first attested, approved and exported to the approved
    account, the second planned; a change of address waiting, a claim for unused grant, a stop on the decision."""
    grants_payments.approved_account(applicant, officer, approver)
    commitment = payments.commitment_create(
        actor=officer, decision=decision, instalments=2, first_due=date(2026, 4, 15)
    )
    first = commitment.orders.get(instalment=1)
    payments.payment_order_attest(actor=officer, order=first)
    payments.payment_order_approve(actor=approver, order=first)
    payment_file = payments.payment_export(actor=officer, on=date(2026, 4, 15))
    change = payments.recipient_change_report(actor=applicant, kind="address", value="Postboks 1, 0101 Oslo")
    claim = payments.overpayment_register(
        actor=officer, decision=decision, amount=1000, handling="claim", due_date=date(2026, 9, 1)
    )
    stop = payments.payment_stop(actor=officer, decision=decision, reason="Matrise.")
    return {
        "payment_order": first.pk,
        "payment_file": payment_file.pk,
        "recipient_change": change.pk,
        "overpayment": claim.pk,
        "payment_stop": stop.pk,
    }


def _other_organisations_application(personas: dict, call_pk: int) -> dict:
    """Akershus universitetssykehus HF's own application to the same call, submitted: Oslo kommune must not see it."""
    applicant = personas["soker-hf"]
    call = Call.objects.get(pk=call_pk)
    application = fill(applicant, grants_services.application_create(actor=applicant, call=call, title="IPS HF"))
    return {"application": submitted(applicant, application).pk}


@pytest.fixture
def world(personas) -> dict:
    """Oslo Nord's and Tromsø's data, the users of every role, and the ids each row's URL needs."""
    oslo = IpsService.objects.get(name="IPS Oslo Nord")
    tromso = IpsService.objects.get(name="IPS Tromsø")
    tromso_team = tromso.teams.order_by("pk").first()
    other = User.objects.create_user("js-tromso", role=Role.JOB_SPECIALIST)
    other_clinician = User.objects.create_user("beh-tromso", role=Role.CLINICIAN)
    for user in (other, other_clinician):
        Membership.objects.create(user=user, service=tromso, team=tromso_team)
    second_reviewer = User.objects.create(username="evaluator-2", role=Role.FIDELITY_REVIEWER)
    reviewer = personas["kvalitetsevaluator"]
    for service in (oslo, tromso):
        Membership.objects.create(user=second_reviewer, service=service)
    Membership.objects.create(user=reviewer, service=oslo)
    own = _pathway(
        personas["jobbspesialist"],
        personas["behandler"],
        TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam"),
        1,
        "0301",
    )
    theirs = _pathway(other, other_clinician, tromso_team, 11, tromso.municipalities.order_by("pk").first().number)
    own |= _review(oslo, [reviewer, second_reviewer])
    theirs |= _review(tromso, [reviewer, second_reviewer])
    goal = IpsUngGoal.objects.create(
        year=2026,
        health_region="",
        indicator=IpsUngGoal.Indicator.choices[0][0],
        target=Decimal("50"),
        description="Matrise",
        recorded_by=personas["analytiker"],
    )
    imported = ImportJob.objects.create(requested_by=personas["ips-leder"], file_name="matrise.csv")
    job = ReportJob.objects.create(kind=ReportJob.Kind.choices[0][0], params={}, requested_by=personas["analytiker"])
    own |= {
        "goal": goal.pk,
        "report_job": job.pk,
        "organisation": Organisation.objects.order_by("pk").first().pk,
        "rule": "personkrets",
        "published": "2025",
        "import_job": imported.pk,
    } | _grants(personas)
    users = {persona.username: personas[persona.username] for persona in PERSONAS} | {"anonymous": None, "other": other}
    theirs_grants = _other_organisations_application(personas, own["call"])
    return {"own": own, "theirs": theirs, "theirs_grants": theirs_grants, "users": users}


# Which routes there are -----------------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str | None]]:
    """(route, namespace) for every URL pattern, the way the resolver joins them."""
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                found.append(("admin/", "admin"))
            elif pattern.namespace == api.urls_namespace:
                found.extend((sub, "api") for sub, _ in _patterns(pattern, route) if not _is_operation(sub))
            else:
                found.extend(_patterns(pattern, route))
        elif isinstance(pattern, URLPattern):
            found.append((route, None))
    return found


def _is_operation(route: str) -> bool:
    """The API's operations are rows of API_OPERATIONS, from the schema; its other patterns are pages."""
    return route.rstrip("/").removeprefix("api/v1").strip("/") not in {"", "openapi.json", "docs"}


def site_routes() -> list[str]:
    return sorted({route for route, _ in _patterns(get_resolver())})


def api_operations() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations)


# Asking -----------------------------------------------------------------------------------------------------------


def _fill(route: str, args: dict[str, str], ids: dict) -> str:
    """The route's URL with the row's objects: ``<int:pk>`` and ``{pk}`` alike."""
    url = "/" + route.lstrip("/")
    for name, key in args.items():
        value = str(ids[key])
        for placeholder in (f"<int:{name}>", f"<slug:{name}>", f"<str:{name}>", f"<{name}>", f"{{{name}}}"):
            url = url.replace(placeholder, value)
    return url


def _answer(response) -> str:
    # The login page itself, not the second-factor pages under it: those are a redirect like any other.
    if response.status_code == 302 and urlsplit(response.get("Location", "")).path == reverse("login"):
        return "login"
    return str(response.status_code)


def ask(client, user, method: str, url: str) -> tuple[str, list[tuple[str, str]]]:
    """What ``user`` gets, and the access-log rows (object type, id) the request wrote.

    A POST is sent with an empty body (the test client does not check CSRF tokens), so a role that may act gets
    the form's error or the action's redirect. Whatever it wrote is rolled back, so that the next row finds the
    world as the fixture made it: an empty POST that is a whole action (publish, approve, close) does it."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, "{}", content_type="application/json") if "/api/" in url else client.post(url)
        rows = list(AccessLogEntry.objects.filter(id__gt=before).values_list("object_type", "object_id"))
        transaction.set_rollback(True)
    return _answer(response), rows


def _person_of(row: Row, ids: dict) -> str | None:
    """The participant a person route shows: its own id, or the participant of the period or referral it names."""
    if not row.person:
        return None
    return str(ids[f"{row.args['pk']}_person"] if f"{row.args['pk']}_person" in ids else ids["participant"])


def check(client, users: dict, ids: dict, table: dict[str, Row], role: str) -> list[str]:
    """Every row of ``table`` for one role: what differs from the table, and any access-log row out of place."""
    problems = []
    index = ROLES.index(role)
    for key, row in table.items():
        method, route = key.split(" ", 1) if key.split(" ", 1)[0] in {"GET", "POST"} else (row.method, key)
        url = _fill(route, row.args, ids) + (f"?{row.query}" if row.query else "")
        got, logged = ask(client, users[role], method.lower(), url)
        expected = row.answers.split()[index]
        if got != expected:
            problems.append(f"{key} as {role}: got {got}, the table says {expected} ({url})")
        person = _person_of(row, ids)
        if row.person:
            want = [("participants.participant", person)] if got.startswith("2") else []
            if logged != want:
                problems.append(f"{key} as {role}: access log {logged}, expected {want}")
        elif row.lists_people:
            if len(logged) != len(set(logged)):
                problems.append(f"{key} as {role}: a person logged twice in one read: {logged}")
        elif logged:
            problems.append(f"{key} as {role}: wrote access-log rows {logged} but shows no person")
    return problems


# The tests --------------------------------------------------------------------------------------------------------


def test_every_route_has_a_row():
    missing = [route for route in site_routes() if route not in HTML_ROUTES]
    assert not missing, "Routes without a row in tests/test_route_matrix.py HTML_ROUTES: " + ", ".join(missing)
    stale = [route for route in HTML_ROUTES if route not in site_routes()]
    assert not stale, "Rows of HTML_ROUTES for routes that no longer exist: " + ", ".join(stale)


def test_every_api_operation_has_a_row():
    missing = [operation for operation in api_operations() if operation not in API_OPERATIONS]
    assert not missing, "API operations without a row in tests/test_route_matrix.py API_OPERATIONS: " + ", ".join(
        missing
    )
    stale = [operation for operation in API_OPERATIONS if operation not in api_operations()]
    assert not stale, "Rows of API_OPERATIONS for operations that no longer exist: " + ", ".join(stale)


def test_an_action_is_asked_with_the_method_it_takes():
    asked_wrongly = [route for route, row in HTML_ROUTES.items() if "405" in row.answers.split()]
    assert not asked_wrongly, "Rows that expect 405: ask them with the method the route takes: " + ", ".join(
        asked_wrongly
    )


def test_every_row_names_one_answer_per_role():
    wrong = [key for key, row in (HTML_ROUTES | API_OPERATIONS).items() if len(row.answers.split()) != len(ROLES)]
    assert not wrong, f"Rows without one answer per role ({', '.join(ROLES)}): " + ", ".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_and_each_read_is_logged_once(client, world, role):
    ids = world["own"]
    problems = check(client, world["users"], ids, HTML_ROUTES, role)
    problems += check(client, world["users"], ids, API_OPERATIONS, role)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", CROSS_SERVICE_ROLES)
def test_the_other_services_objects_are_404_pages_and_api_alike(client, world, role):
    ids = world["theirs"] | {"own_period": world["own"]["period"]}
    problems = []
    for template, method, *roles in CROSS_SERVICE:
        if roles and role not in roles[0]:
            continue
        url = template.format(**ids)
        got, logged = ask(client, world["users"][role], method, url)
        if got != "404" or logged:
            problems.append(f"{method.upper()} {url} as {role}: got {got}, access log {logged}; expected 404, none")
    assert not problems, "\n".join(problems)


def test_another_organisations_application_is_404_for_an_applicant_pages_and_api_alike(client, world):
    problems = []
    for template, method in CROSS_TENANT:
        url = template.format(**world["theirs_grants"])
        got, logged = ask(client, world["users"]["soker-kommune"], method, url)
        if got != "404" or logged:
            problems.append(f"{method.upper()} {url}: got {got}, access log {logged}; expected 404, none")
    assert not problems, "\n".join(problems)
