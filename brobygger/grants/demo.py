"""Demo grants: a closed 2025 call with decisions, letters and appeals, and a published 2026 call with about twenty
applications in every state before the decision, all made through the real services.

The 2025 decisions are the history the 2026 applications' project years come from (A, B and C step down in the
second year). The 2025 decisions are committed and paid through attestation, approval and two exported payment
files, with one payment approved and waiting for export, one held for a new bank account, a claim for unused grant
and an offset waiting for next year (``_seed_payments``). Two of them are under control: one sample closed without
remark, and Oslo's on suspicion with its payment stopped by a sanction. The 2026 call is left where a grant
officer takes over: six applications to assess, then the allocation, the recommendation, and the approver
(``godkjenner``) approving it. Every organisation, person and bank account is synthetic; the letters are not
e-mailed.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.no import kontonr

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import IpsService, Municipality, Organisation, Role, User
from brobygger.grants import annual_reports, control, payments, services
from brobygger.grants.models import (
    AnnualReport,
    Application,
    Attachment,
    Call,
    ControlCase,
    Decision,
    Finding,
    Overpayment,
    RecipientChange,
    Sanction,
)

PDF = b"%PDF-1.4\n% Demodata: syntetisk samarbeidsavtale mellom kommune og helseforetak.\n%%EOF\n"

# Organisations the demo adds beside the accounts demo's own: (serial, name, type, municipality number).
ORGANISATIONS = (
    (200, "Bergen kommune (demo)", Organisation.Type.MUNICIPALITY, "4601"),
    (201, "Trondheim kommune (demo)", Organisation.Type.MUNICIPALITY, "5001"),
    (202, "Stavanger kommune (demo)", Organisation.Type.MUNICIPALITY, "1103"),
    (203, "Kristiansand kommune (demo)", Organisation.Type.MUNICIPALITY, "4204"),
    (204, "Drammen kommune (demo)", Organisation.Type.MUNICIPALITY, "3301"),
    (205, "Sandefjord kommune (demo)", Organisation.Type.MUNICIPALITY, "3907"),
    (206, "Ålesund kommune (demo)", Organisation.Type.MUNICIPALITY, "1508"),
    (207, "Narvik kommune (demo)", Organisation.Type.MUNICIPALITY, "1806"),
    (208, "Hamar kommune (demo)", Organisation.Type.MUNICIPALITY, "3403"),
    (209, "Arendal kommune (demo)", Organisation.Type.MUNICIPALITY, "4203"),
    (210, "Helse Bergen HF (demo)", Organisation.Type.HEALTH_TRUST, "4601"),
    (211, "St. Olavs hospital HF (demo)", Organisation.Type.HEALTH_TRUST, "5001"),
    (212, "Helse Stavanger HF (demo)", Organisation.Type.HEALTH_TRUST, "1103"),
    (213, "Universitetssykehuset Nord-Norge HF (demo)", Organisation.Type.HEALTH_TRUST, "5501"),
)


@dataclass(frozen=True)
class Spec:
    """One demo application: who applies for which measure, how much, and how far it gets."""

    org: str
    measure: str
    fte: tuple[str, ...] = ("1.00",)
    requested: int = 500000
    partner: str | None = None
    facts: dict = field(default_factory=dict)
    proposed: int | None = None


OSLO, AKERSHUS = "Oslo kommune (demo)", "Akershus universitetssykehus HF (demo)"
TROMSO, BODO = "Tromsø kommune (demo)", "Nordlandssykehuset HF (demo)"

# 2025: all decided. The proposed amount is what the officer proposes (None: what was applied for).
DECIDED_2025 = (
    Spec(OSLO, "A"),
    Spec("Bergen kommune (demo)", "A"),
    Spec("Trondheim kommune (demo)", "A", fte=("0.50",), requested=250000),
    Spec("Stavanger kommune (demo)", "A", requested=600000, proposed=500000),
    Spec("Kristiansand kommune (demo)", "A", facts={"earlier_scheme_project_year": 0}, proposed=0),
    Spec("Helse Bergen HF (demo)", "B", fte=("1.00", "1.00"), requested=1400000),
    Spec("St. Olavs hospital HF (demo)", "B", requested=700000, proposed=600000),
    Spec(TROMSO, "C", fte=("0.50",), requested=250000, partner="Universitetssykehuset Nord-Norge HF (demo)"),
    Spec("Narvik kommune (demo)", "C", partner=BODO, facts={"team_type": "act"}),
    Spec(
        "Drammen kommune (demo)",
        "C",
        fte=("0.50",),
        requested=250000,
        partner=AKERSHUS,
        facts={"team_type": "fact_ung", "out_of_act_fact_scheme": False, "act_fact_grant_year": 2},
        proposed=0,
    ),
    Spec("Hamar kommune (demo)", "A"),
    Spec("Sandefjord kommune (demo)", "A"),
)

# 2026: submitted and then assessed by the grant officer.
ASSESSED_2026 = (
    Spec("Stavanger kommune (demo)", "A", requested=400000),
    Spec("Helse Bergen HF (demo)", "B", fte=("1.00", "1.00"), requested=1400000),
    Spec("St. Olavs hospital HF (demo)", "B", requested=700000, proposed=650000),
    Spec(TROMSO, "C", fte=("0.50",), requested=200000, partner="Universitetssykehuset Nord-Norge HF (demo)"),
    Spec(OSLO, "C", fte=("0.50",), requested=250000, partner=AKERSHUS),
    Spec("Drammen kommune (demo)", "A", fte=("0.80",), requested=400000),
)
# 2026: submitted, waiting for assessment.
SUBMITTED_2026 = (
    Spec("Bergen kommune (demo)", "A", requested=400000),
    Spec("Trondheim kommune (demo)", "A", fte=("0.50",), requested=200000),
    Spec("Hamar kommune (demo)", "A", requested=400000),
    Spec("Narvik kommune (demo)", "C", partner=BODO, requested=400000, facts={"team_type": "act"}),
    Spec("Kristiansand kommune (demo)", "A", requested=400000),
    Spec("Helse Stavanger HF (demo)", "B", requested=700000),
)

MEASURE_FACTS = {
    "A": {"earlier_scheme_project_year": 2, "salary_costs_only": True},
    "B": {
        "area": "Helseregionen og kommunene rundt.",
        "staff_qualifications": "Sykepleier og sosionom med fire års IPS-erfaring og veiledererfaring.",
        "staff_health_or_social_education": True,
        "staff_ips_experience_years": Decimal(4),
        "staff_training_experience": True,
        "well_established": True,
        "covers_tasks": True,
        "training_measures": "Regionale grunnkurs i IPS og samlinger for nye tilbud.",
        "training_amount": 100000,
    },
    "C": {
        "team_type": "fact",
        "out_of_act_fact_scheme": True,
        "specialist_in_health_service": True,
        "management_anchoring": True,
        "salary_costs_only": True,
    },
}


def is_seeded() -> bool:
    return Call.objects.exists()


def _organisations() -> dict[str, Organisation]:
    orgs = {org.name: org for org in Organisation.objects.filter(name__in=[OSLO, AKERSHUS, TROMSO, BODO])}
    for serial, name, org_type, number in ORGANISATIONS:
        municipality = Municipality.objects.filter(number=number, valid_to__isnull=True).first()
        org = Organisation(name=name, orgnr=synthetic_orgnr(serial), org_type=org_type, municipality=municipality)
        org.is_synthetic = True
        org.full_clean()
        org.save()
        orgs[name] = org
    return orgs


def _applicants(orgs: dict[str, Organisation]) -> dict[str, User]:
    """The applicant personas for Oslo and Akershus, and a user without login for every other organisation."""
    users = {
        user.organisation.name: user for user in User.objects.filter(role=Role.APPLICANT, organisation__isnull=False)
    }
    for index, (name, org) in enumerate(sorted(orgs.items())):
        if name in users:
            continue
        user = User(username=f"soker-demo-{index}", first_name="Søker", last_name=name, role=Role.APPLICANT)
        user.organisation = org
        user.set_unusable_password()
        user.save()
        users[name] = user
    return users


def _call(officer: User, year: int, frame: int) -> Call:
    call = services.call_create(
        actor=officer,
        year=year,
        title=f"Tilskudd til individuell jobbstøtte (IPS) {year}",
        budget_frame=frame,
        deadline=date(year, 3, 1),
        text=(
            "Helsedirektoratet lyser ut midler til IPS i helse- og omsorgstjenesten (kap. 765 post 73): tiltak A "
            "(jobbspesialiststillinger), tiltak B (ressursmiljøer) og tiltak C (jobbspesialist i ACT-, FACT- og "
            "FACT ung-team). Kommuner og helseforetak kan søke. Søknaden skal inneholde det regelverket pkt. 4 krever."
        ),
    )
    return services.call_publish(actor=officer, call=call)


def _draft(call: Call, spec: Spec, users: dict[str, User], orgs: dict[str, Organisation]) -> Application:
    applicant = users[spec.org]
    partner = orgs[spec.partner] if spec.partner else None
    title = f"IPS {spec.org.removesuffix(' (demo)')} {call.year}, tiltak {spec.measure}"
    return services.application_create(actor=applicant, call=call, title=title, partner=partner)


def _fill(application: Application, spec: Spec, users: dict[str, User], *, sign: bool = True) -> Application:
    applicant = users[spec.org]
    year = application.call.year
    services.application_update(
        actor=applicant,
        application=application,
        goals="Flere pasienter i psykisk helse- og rustjenestene kommer i ordinært arbeid.",
        project_description="Jobbspesialister integrert i behandlingsteamene, etter IPS-modellen.",
        need="Mange pasienter ønsker arbeid, og ventetiden til IPS er lang.",
        award_criteria="Tiltaket oppfyller vilkårene i regelverket pkt. 5 og gir forventet måloppnåelse.",
        co_funding_amount=0,
        co_funding_text="Ingen andre tilskudd.",
        own_funding_amount=150000,
        own_funding_text="Ledelse, kontor og reiser dekkes av søkeren.",
        control_measures="Internkontroll, månedlig oppfølging av budsjett og revisjon av regnskapet.",
        risk_assessment="Risiko for turnover; avbøtes med to jobbspesialister og felles opplæring.",
    )
    facts = MEASURE_FACTS[spec.measure] | spec.facts
    services.application_measure_set(
        actor=applicant,
        application=application,
        measure=spec.measure,
        requested_amount=spec.requested,
        positions=[(f"Jobbspesialist {n}", fte) for n, fte in enumerate(spec.fte, start=1)],
        **facts,
    )
    services.budget_line_add(
        actor=applicant,
        application=application,
        measure=spec.measure,
        category="salary",
        description="Lønn og sosiale kostnader",
        amount=spec.requested,
    )
    if spec.measure == "B":
        services.budget_line_add(
            actor=applicant,
            application=application,
            measure="B",
            category="training",
            description="Opplæringstiltak",
            amount=facts["training_amount"],
        )
    services.milestone_add(
        actor=applicant, application=application, due=date(year, 4, 1), description="Stillingene er besatt"
    )
    services.milestone_add(
        actor=applicant, application=application, due=date(year, 10, 1), description="Egenvurdering av modelltrohet"
    )
    if sign:
        _sign(application, applicant)
        if spec.partner:
            _sign(application, users[spec.partner])
            services.attachment_add(
                actor=applicant,
                application=application,
                kind=Attachment.Kind.COLLABORATION_AGREEMENT,
                filename="samarbeidsavtale.pdf",
                content=PDF,
            )
    return application


def _sign(application: Application, user: User) -> None:
    municipality = user.organisation.org_type == Organisation.Type.MUNICIPALITY
    services.signature_add(
        actor=user,
        application=application,
        name=f"{'Kommunedirektør' if municipality else 'Styreleder'} i {user.organisation.name}",
        authority="municipal_director" if municipality else "chair",
        title="Kommunedirektør" if municipality else "Styreleder",
        signed_on=date(application.call.year, 2, 1),
    )


def _submit(application: Application, users: dict[str, User], spec: Spec) -> Application:
    return services.application_submit(
        actor=users[spec.org], application=application, on=date(application.call.year, 2, 15)
    )


def _assess(application: Application, officer: User, spec: Spec) -> None:
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    proposals = {}
    for row in application.measures.prefetch_related("positions"):
        computed = services.measure_ceiling(row)
        proposed = min(computed.requested, computed.ceiling) if spec.proposed is None else Decimal(spec.proposed)
        if not computed.eligible:
            proposed = Decimal(0)
        reason = "" if proposed >= computed.requested else "Avkortet etter en samlet vurdering av søknadene."
        proposals[row.measure] = (proposed, reason)
    refused = not any(amount for amount, _reason in proposals.values())
    services.application_assess(
        actor=officer,
        application=application,
        criteria="Søknaden er godt forankret og beskriver realistiske mål og milepæler.",
        proposals=proposals,
        conditions="Tilskuddet brukes til lønn til jobbspesialistene. Modelltroheten måles innen utgangen av året.",
        refusal_reasons="Søknaden oppfyller ikke vilkårene for tiltaket." if refused else "",
        refusal_citations="Regelverket pkt. 5" if refused else "",
    )


def _seed_2025(officer: User, approver: User, users, orgs) -> dict[str, Decision]:
    call = _call(officer, 2025, 6000000)
    applications = {}
    for spec in DECIDED_2025:
        application = _submit(_fill(_draft(call, spec, users, orgs), spec, users), users, spec)
        _assess(application, officer, spec)
        applications[spec.org] = application
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decisions = {
        d.application.organisation.name: d
        for d in services.recommendation_approve(actor=approver, recommendation=recommendation)
    }
    for decision in decisions.values():
        services.decision_send(actor=officer, decision=decision, on=date(2025, 4, 11), email=False)
    # Upheld and sent to the Ministry, which agreed.
    upheld = services.appeal_register(
        actor=officer,
        decision=decisions["Stavanger kommune (demo)"],
        received_on=date(2025, 4, 25),
        grounds="Vi søkte om 600 000 kroner fordi lønnsnivået i regionen er høyt.",
    )
    services.appeal_forward(
        actor=officer,
        appeal=upheld,
        reconsideration="Høyeste tilskudd for én stilling i første prosjektår er 500 000 kroner; det er gitt.",
        on=date(2025, 5, 20),
    )
    services.appeal_ministry_outcome(actor=officer, appeal=upheld, outcome="upheld", decided_on=date(2025, 8, 15))
    # Changed by the Directorate: new information on the earlier scheme.
    changed = services.appeal_register(
        actor=officer,
        decision=decisions["Kristiansand kommune (demo)"],
        received_on=date(2025, 4, 28),
        grounds="Vi var i vårt 2. prosjektår etter den tidligere ordningen; det sto feil i søknaden.",
    )
    new = services.appeal_change(
        actor=officer,
        appeal=changed,
        amounts={"A": 250000},
        reasons="Klagen tas til følge for en halv stilling: tilbudet var i sitt 2. prosjektår.",
    )
    services.decision_approve(actor=approver, decision=new)
    services.decision_send(actor=officer, decision=new, on=date(2025, 5, 30), email=False)
    # Late, and dismissed (fvl. § 31).
    services.appeal_register(
        actor=officer,
        decision=decisions["Drammen kommune (demo)"],
        received_on=date(2025, 5, 20),
        grounds="Teamet blir etablert i løpet av året.",
    )
    # Late but considered; a new decision is prepared and waits for the approver.
    considered = services.appeal_register(
        actor=officer,
        decision=decisions["St. Olavs hospital HF (demo)"],
        received_on=date(2025, 5, 6),
        grounds="Opplæringstiltakene er nødvendige for de nye tilbudene i regionen.",
        late_considered=True,
        late_reason="Vedtaksbrevet ble sendt til en adresse som ikke var i bruk.",
    )
    services.appeal_preliminary_reply(actor=officer, appeal=considered, on=date(2025, 5, 30))
    services.appeal_change(
        actor=officer,
        appeal=considered,
        amounts={"B": 750000},
        reasons="Klagen tas til følge: opplæringstiltakene dekkes fullt ut.",
    )
    # In time, still with the Directorate.
    services.appeal_register(
        actor=officer,
        decision=decisions["Hamar kommune (demo)"],
        received_on=date(2025, 4, 30),
        grounds="Vi ber om at vilkåret om måling av modelltrohet i år tas ut.",
    )
    services.call_close(actor=officer, call=call)
    _seed_reports(officer, users, orgs, call)
    return decisions


# 2025's annual reports, due 1 April 2026: Oslo's pre-filled and waiting (late, as the deadline has passed), Tromsø's
# submitted with one figure corrected, Trondheim's submitted, Bergen's approved, Helse Bergen's returned, and the
# rest not made yet (late). Oslo and Tromsø cover the accounts demo's IPS services, so their figures come from the
# demo pathway; the other organisations own no service in the demo and type their figures.
REPORT_STATES = {
    OSLO: AnnualReport.Status.DRAFT,
    TROMSO: AnnualReport.Status.SUBMITTED,
    "Trondheim kommune (demo)": AnnualReport.Status.SUBMITTED,
    "Bergen kommune (demo)": AnnualReport.Status.APPROVED,
    "Helse Bergen HF (demo)": AnnualReport.Status.RETURNED,
}
COVERED = {OSLO: "IPS Oslo Nord", TROMSO: "IPS Tromsø"}


def _seed_reports(officer: User, users: dict[str, User], orgs: dict[str, Organisation], call: Call) -> None:
    for org_name, state in REPORT_STATES.items():
        application = call.applications.get(organisation__name=org_name)
        applicant = users[org_name]
        row = application.measures.get()
        if org_name in COVERED:
            service = IpsService.objects.filter(name=COVERED[org_name]).first()
            if service is not None:
                annual_reports.covered_service_add(
                    actor=applicant, application=application, measure=row.measure, service=service
                )
        decision = annual_reports.in_force_decision(application)
        report = annual_reports.annual_report_prepare(actor=applicant, decision=decision, on=date(2026, 1, 5))
        if state == AnnualReport.Status.DRAFT:
            continue
        _complete_report(report, applicant, corrected=org_name == TROMSO)
        for org in application.organisations:
            _sign_report(report, users[org.name])
        annual_reports.annual_report_submit(actor=applicant, report=report)
        if state == AnnualReport.Status.APPROVED:
            annual_reports.annual_report_approve(actor=officer, report=report)
        elif state == AnnualReport.Status.RETURNED:
            annual_reports.annual_report_return(
                actor=officer,
                report=report,
                comment="Regnskapet for opplæringstiltakene avviker mye fra budsjettet. Forklar avviket.",
            )


def _complete_report(report: AnnualReport, applicant: User, *, corrected: bool) -> None:
    answers = {}
    for figure in report.figures.all():
        question = annual_reports.QUESTION_BY_KEY[(figure.measure, figure.key)]
        if question.kind == annual_reports.TEXT:
            answers[figure.pk] = {"text": figure.text or "Se vedlagt beskrivelse i måloppnåelsen."}
        elif figure.value is None:
            answers[figure.pk] = {"value": 2}
    if corrected:
        work = report.figures.get(key="work")
        answers[work.pk] = {
            "value": (work.prefilled or 0) + 1,
            "reason": "En deltaker fikk jobb i desember, men jobben ble registrert i januar.",
        }
    annual_reports.annual_report_update(
        actor=applicant,
        report=report,
        goal_achievement="Tiltaket har gitt flere deltakere ordinært arbeid, og ventetiden er kortere enn i fjor.",
        figures=answers,
        accounts={
            line.pk: {"spent": line.budget_line.amount * Decimal("0.9"), "note": "Stillingen var ledig i en måned."}
            for line in report.account_lines.select_related("budget_line")
        },
    )


def _sign_report(report: AnnualReport, user: User) -> None:
    municipality = user.organisation.org_type == Organisation.Type.MUNICIPALITY
    annual_reports.report_sign(
        actor=user,
        report=report,
        name=f"{'Kommunedirektør' if municipality else 'Styreleder'} i {user.organisation.name}",
        authority="municipal_director" if municipality else "chair",
        title="Kommunedirektør" if municipality else "Styreleder",
        signed_on=date(2026, 3, 20),
    )


def _seed_control(officer: User, approver: User, users, decisions) -> None:
    """Control of 2025 grants (pkt. 10-11): Trondheim's sample closed without remark; Oslo's on suspicion, with its
    payment stopped by a sent decision (its autumn payment held) and the accounts still to come, so the demo applicant
    has a request to answer."""
    today = timezone.localdate()
    sample = control.control_case_open(
        actor=officer, decision=decisions["Trondheim kommune (demo)"], basis=ControlCase.Basis.SAMPLE
    )
    document = control.document_request(
        actor=officer, case=sample, description="Lønnsslipper for jobbspesialisten 2025", due_on=today
    )
    control.document_upload(
        actor=users["Trondheim kommune (demo)"], document=document, filename="lonnsslipper.pdf", content=PDF
    )
    control.finding_record(
        actor=officer,
        case=sample,
        kind=Finding.Kind.NO_REMARK,
        text="Lønnsutgiftene stemmer med budsjettet og gjelder jobbspesialisten.",
        reference=control.CONTROL_REFERENCE,
    )
    control.control_case_close(actor=officer, case=sample, conclusion="Tilskuddet er brukt etter vilkårene.")
    suspicion = control.control_case_open(
        actor=officer,
        decision=decisions[OSLO],
        basis=ControlCase.Basis.SUSPICION,
        suspicion_reason="Rapporten oppgir flere jobbspesialister enn tilskuddet og egenfinansieringen kan dekke.",
    )
    control.finding_record(
        actor=officer,
        case=suspicion,
        kind=Finding.Kind.DEVIATION,
        text="Antall årsverk i rapporten avviker fra budsjettet i søknaden.",
        reference="Regelverk for tilskuddsordningen, pkt. 10 (opplysningene i rapporteringen skal være korrekte)",
    )
    control.document_request(
        actor=officer, case=suspicion, description="Regnskap for 2025 med lønnsutgifter", due_on=today + timedelta(21)
    )
    stop = control.sanction_prepare(
        actor=officer,
        case=suspicion,
        kind=Sanction.Kind.STOP_PAYMENT,
        reasons="Det er mistanke om at opplysningene i rapporten ikke er riktige. Utbetalingen stanses til "
        "regnskapet er gjennomgått.",
    )
    control.sanction_approve(actor=approver, sanction=stop)
    control.sanction_send(actor=officer, sanction=stop, on=today, email=False)


def _seed_2026(officer: User, approver: User, users, orgs) -> int:
    call = _call(officer, 2026, 5000000)
    count = 0
    for spec in ASSESSED_2026:
        application = _submit(_fill(_draft(call, spec, users, orgs), spec, users), users, spec)
        _assess(application, officer, spec)
        count += 1
    for spec in SUBMITTED_2026:
        _submit(_fill(_draft(call, spec, users, orgs), spec, users), users, spec)
        count += 1
    # A conflict of interest: the case goes to the approver, who has declared and not yet assessed.
    bergen = call.applications.get(organisation__name="Bergen kommune (demo)")
    services.impartiality_declare(
        actor=officer,
        application=bergen,
        conflict=True,
        explanation="Jeg er i nær familie med lederen av IPS-tilbudet.",
        hand_to=approver,
    )
    # A change after submission: version 1 kept, version 2 submitted.
    sandefjord = Spec("Sandefjord kommune (demo)", "A", requested=400000)
    first = _submit(_fill(_draft(call, sandefjord, users, orgs), sandefjord, users), users, sandefjord)
    second = services.application_new_version(actor=users[sandefjord.org], application=first)
    services.application_update(
        actor=users[sandefjord.org], application=second, need="Ventelisten er doblet siden søknaden ble sendt."
    )
    _sign(second, users[sandefjord.org])
    _submit(second, users, sandefjord)
    count += 2
    # Drafts: Oslo's complete but unsigned, with a deadline exception so the demo applicant can still submit it;
    # Ålesund half-way; Arendal only started.
    oslo = Spec(OSLO, "A", requested=400000)
    oslo_draft = _fill(_draft(call, oslo, users, orgs), oslo, users, sign=False)
    services.application_record_deadline_exception(
        actor=officer, application=oslo_draft, reason="Søknaden ble sendt til en adresse Helsedirektoratet ikke bruker."
    )
    alesund = Spec("Ålesund kommune (demo)", "B", requested=700000)
    alesund_draft = _draft(call, alesund, users, orgs)
    services.application_update(actor=users[alesund.org], application=alesund_draft, goals="Et regionalt ressursmiljø.")
    _draft(call, Spec("Arendal kommune (demo)", "A"), users, orgs)
    return count + 3


def demo_account(serial: int) -> str:
    """A bank account number valid by its check digit (MOD 11), in the 9999 bank range used for demo data only."""
    for stem in range(serial * 10, serial * 10 + 10):
        for check in range(10):
            number = f"9999{stem:06d}{check}"
            if kontonr.is_valid(number):
                return number
    raise ValueError(serial)


def _seed_payments(officer: User, approver: User, users) -> None:
    """The 2025 decisions committed in two instalments and paid: the spring instalments exported in April, the
        autumn ones in October, except Bergen's (approved, waiting for the next export), Hamar's (held: a new bank
        account is verified and waits for the approver), Oslo's (attested, then stopped by the control sanction in
    ``_seed_control``) and St. Olavs' (planned).
        Stavanger's unused grant is claimed back and partly repaid; Oslo's is set off against its 2026 grant when that
        is committed."""
    decisions = {
        d.application.organisation.name: d
        for d in Decision.objects.filter(
            application__call__year=2025, status=Decision.Status.NOTIFIED, total__gt=0
        ).select_related("application__organisation")
    }
    for serial, name in enumerate(sorted(decisions), start=1):
        account = payments.recipient_change_report(
            actor=users[name], kind=RecipientChange.Kind.BANK_ACCOUNT, value=demo_account(serial)
        )
        payments.recipient_change_verify(actor=officer, change=account)
        payments.recipient_change_approve(actor=approver, change=account)
        payments.commitment_create(actor=officer, decision=decisions[name], instalments=2, first_due=date(2025, 4, 20))
    held = {"Hamar kommune (demo)", OSLO}
    for instalment, exported_on in ((1, date(2025, 4, 22)), (2, date(2025, 10, 20))):
        for name, decision in sorted(decisions.items()):
            if instalment == 2 and name == "St. Olavs hospital HF (demo)":
                continue
            order = payments.payment_order_attest(
                actor=officer, order=decision.commitment.orders.get(instalment=instalment)
            )
            if instalment == 1 or name not in held:
                payments.payment_order_approve(actor=approver, order=order)
        ready = payments.exportable_orders().exclude(
            commitment__organisation__name="Bergen kommune (demo)", instalment=2
        )
        payments.payment_export(actor=officer, orders=list(ready), on=exported_on)
    hamar = "Hamar kommune (demo)"
    change = payments.recipient_change_report(
        actor=users[hamar], kind=RecipientChange.Kind.BANK_ACCOUNT, value=demo_account(99)
    )
    payments.recipient_change_verify(actor=officer, change=change)
    claim = payments.overpayment_register(
        actor=officer,
        decision=decisions["Stavanger kommune (demo)"],
        amount=35000,
        handling=Overpayment.Handling.CLAIM,
        due_date=date(2026, 5, 1),
        reference="Regnskap for 2025: stillingen sto ubesatt i februar",
    )
    payments.repayment_register(actor=officer, overpayment=claim, received_on=date(2026, 4, 20), amount=20000)
    payments.overpayment_register(
        actor=officer,
        decision=decisions[OSLO],
        amount=45000,
        handling=Overpayment.Handling.OFFSET,
        reference="Regnskap for 2025: lavere lønnskostnader enn budsjettert",
    )


def seed() -> int:
    """The demo calls and applications; returns how many applications were made."""
    officer = User.objects.get(username="tilskuddsforvalter")
    approver = User.objects.get(username="godkjenner")
    # The letters are made and stored, but a demo sends no e-mail (the sending services are told so).
    with transaction.atomic():
        orgs = _organisations()
        users = _applicants(orgs)
        decisions = _seed_2025(officer, approver, users, orgs)
        _seed_payments(officer, approver, users)
        _seed_control(officer, approver, users, decisions)
        _seed_2026(officer, approver, users, orgs)
    return Application.objects.count()
