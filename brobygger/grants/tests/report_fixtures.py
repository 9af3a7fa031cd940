"""A granted 2025 application for the annual report tests, pages and browser tests: everything synthetic."""

from datetime import date
from decimal import Decimal

from brobygger.grants import services

YEAR = 2025


def _application(applicant, call, *, measure="A", requested=500000):
    application = services.application_create(actor=applicant, call=call, title=f"IPS {measure} {YEAR}")
    services.application_update(
        actor=applicant,
        application=application,
        goals="Flere i arbeid.",
        project_description="Jobbspesialister.",
        need="Lang venteliste.",
        award_criteria="Pkt. 5.",
        co_funding_amount=0,
        co_funding_text="Ingen.",
        own_funding_amount=0,
        own_funding_text="Ingen.",
        control_measures="Internkontroll.",
        risk_assessment="Lav.",
    )
    facts = {"earlier_scheme_project_year": 2} if measure == "A" else {}
    services.application_measure_set(
        actor=applicant,
        application=application,
        measure=measure,
        requested_amount=requested,
        positions=[("Jobbspesialist", "1.00")],
        **facts,
    )
    services.budget_line_add(
        actor=applicant,
        application=application,
        measure=measure,
        category="salary",
        description="Lønn",
        amount=requested,
    )
    services.milestone_add(actor=applicant, application=application, due=date(YEAR, 6, 1), description="Oppstart")
    services.signature_add(
        actor=applicant,
        application=application,
        name="Kari Direktør",
        authority="municipal_director",
        title="Kommunedirektør",
        signed_on=date(YEAR, 2, 1),
    )
    return application


def granted_2025(officer, approver, applicant):
    """Oslo kommune's measure A for 2025, granted 500 000 kr and sent 10 April 2025."""
    call = services.call_publish(
        actor=officer,
        call=services.call_create(
            actor=officer, year=YEAR, title="IPS 2025", budget_frame=1000000, deadline=date(YEAR, 3, 1), text="A."
        ),
    )
    application = _application(applicant, call)
    services.application_submit(actor=applicant, application=application, on=date(YEAR, 2, 20))
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    services.application_assess(
        actor=officer, application=application, criteria="Godt.", proposals={"A": (Decimal(500000), "")}
    )
    recommendation = services.recommendation_submit(actor=officer, call=call)
    (decision,) = services.recommendation_approve(actor=approver, recommendation=recommendation)
    services.decision_send(actor=officer, decision=decision, on=date(YEAR, 4, 10))
    decision.refresh_from_db()
    return decision
