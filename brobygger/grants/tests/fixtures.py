"""Fixtures and helpers for the grants tests and the grants API tests: the demo's grant officers and applicants,
a published 2026 call and complete applications.

Everything is synthetic. Dates are in 2026, before the day the tests were written, so that no date is in the
future whenever they run.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Municipality, Organisation, Role, User
from brobygger.grants import services
from brobygger.grants.models import Attachment

PDF = b"%PDF-1.4\n% syntetisk samarbeidsavtale\n%%EOF\n"


@pytest.fixture
def officer(personas):
    return personas["tilskuddsforvalter"]


@pytest.fixture
def approver(personas):
    return personas["godkjenner"]


@pytest.fixture
def second_officer(personas):
    """A third grant officer, without approval authority, to take over a case."""
    return User.objects.create(username="forvalter-2", first_name="Trine", last_name="Annen", role=Role.GRANT_OFFICER)


@pytest.fixture
def applicant(personas):
    """Sara, for Oslo kommune (demo)."""
    return personas["soker-kommune"]


@pytest.fixture
def applicant_hf(personas):
    """Henrik, for Akershus universitetssykehus HF (demo)."""
    return personas["soker-hf"]


@pytest.fixture
def outsider(personas):
    """An applicant in another municipality: must never see Oslo's or Akershus' cases."""
    municipality = Municipality.objects.filter(number="4601", valid_to__isnull=True).first()
    org = Organisation.objects.create(
        name="Bergen kommune (test)",
        orgnr=synthetic_orgnr(900),
        org_type=Organisation.Type.MUNICIPALITY,
        municipality=municipality,
        is_synthetic=True,
    )
    return User.objects.create(
        username="soker-bergen",
        first_name="Berit",
        last_name="Utenfor",
        role=Role.APPLICANT,
        organisation=org,
        email="soker-bergen@demo.invalid",
    )


@pytest.fixture
def call(officer):
    call = services.call_create(
        actor=officer,
        year=2026,
        title="Tilskudd til IPS 2026",
        budget_frame=Decimal("3000000"),
        deadline=date(2026, 3, 1),
        text="Helsedirektoratet lyser ut midler til tiltak A, B og C.",
    )
    return services.call_publish(actor=officer, call=call)


def fill(applicant, application, *, measure="A", fte="1.00", requested=500000, sign=True, **measure_fields):
    """Everything pkt. 4 asks for, and one measure; the milestone in the call's year, the signature too (or today,
    if that is earlier: a signature is never in the future)."""
    year = application.call.year
    services.application_update(
        actor=applicant,
        application=application,
        goals="Flere i arbeid.",
        project_description="Jobbspesialister i psykisk helsetjeneste.",
        need="Ventelisten er lang.",
        award_criteria="Tiltaket oppfyller kriteriene i pkt. 5.",
        co_funding_amount=0,
        co_funding_text="Ingen.",
        own_funding_amount=100000,
        own_funding_text="Kommunen dekker resten.",
        control_measures="Internkontroll og revisjon.",
        risk_assessment="Lav risiko.",
    )
    defaults = {
        "A": {"earlier_scheme_project_year": 2, "salary_costs_only": True},
        "B": {
            "area": "Helse Sør-Øst",
            "staff_qualifications": "Sykepleiere med IPS-erfaring.",
            "staff_health_or_social_education": True,
            "staff_ips_experience_years": Decimal(3),
            "staff_training_experience": True,
            "well_established": True,
            "covers_tasks": True,
            "training_measures": "Regionale samlinger.",
            "training_amount": 100000,
        },
        "C": {
            "team_type": "fact",
            "out_of_act_fact_scheme": True,
            "specialist_in_health_service": True,
            "management_anchoring": True,
            "salary_costs_only": True,
        },
    }[measure] | measure_fields
    services.application_measure_set(
        actor=applicant,
        application=application,
        measure=measure,
        requested_amount=requested,
        positions=[("Jobbspesialist", fte)],
        **defaults,
    )
    services.budget_line_add(
        actor=applicant,
        application=application,
        measure=measure,
        category="salary",
        description="Lønn",
        amount=requested,
    )
    services.milestone_add(actor=applicant, application=application, due=date(year, 6, 1), description="Oppstart")
    if sign:
        services.signature_add(
            actor=applicant,
            application=application,
            name="Kari Direktør",
            authority="municipal_director" if applicant.organisation.org_type == "kommune" else "chair",
            title="Kommunedirektør",
            signed_on=min(date(year, 2, 1), timezone.localdate()),  # never in the future
        )
    return application


@pytest.fixture
def complete(applicant, call):
    """A complete draft for measure A (1 FTE, 500 000 kr) from Oslo kommune."""
    application = services.application_create(actor=applicant, call=call, title="IPS Oslo 2026")
    return fill(applicant, application)


@pytest.fixture
def joint(applicant, applicant_hf, call):
    """A complete joint application for measure C from Oslo kommune with Akershus HF, both signed, agreement on."""
    application = services.application_create(
        actor=applicant, call=call, title="FACT Oslo 2026", partner=applicant_hf.organisation
    )
    fill(applicant, application, measure="C", fte="0.50", requested=250000)
    services.signature_add(
        actor=applicant_hf,
        application=application,
        name="Per Styreleder",
        authority="chair",
        title="Styreleder",
        signed_on=date(2026, 2, 2),
    )
    services.attachment_add(
        actor=applicant,
        application=application,
        kind=Attachment.Kind.COLLABORATION_AGREEMENT,
        filename="samarbeidsavtale.pdf",
        content=PDF,
    )
    return application


def submitted(applicant, application):
    return services.application_submit(actor=applicant, application=application, on=date(2026, 2, 20))


def assessed(officer, application, amounts=None, **kwargs):
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    proposals = {
        row.measure: ((amounts or {}).get(row.measure, row.requested_amount + row.training_amount), "Avkortet.")
        for row in application.measures.all()
    }
    return services.application_assess(
        actor=officer, application=application, criteria="Godt begrunnet.", proposals=proposals, **kwargs
    )
