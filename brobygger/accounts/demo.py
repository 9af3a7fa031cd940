"""Deterministic demo organisations, services, teams and one persona per role.

Everything here is synthetic: organisation numbers start with 1 (Brønnøysund assigns 8 and 9), carry valid
check digits and are flagged ``is_synthetic``; the personas' password exists only in demo mode.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from stdnum.no import orgnr

from brobygger.accounts.models import (
    HealthRegion,
    IpsService,
    JobSpecialist,
    JobSpecialistUnit,
    Membership,
    Municipality,
    Organisation,
    Role,
    TreatmentTeam,
    User,
)
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot

DEMO_PASSWORD = "demo-brobygger-2026"


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str


PERSONAS = (
    Persona("jobbspesialist", "Jonas", "Berg", Role.JOB_SPECIALIST),
    Persona("ips-leder", "Ingrid", "Lund", Role.IPS_LEADER),
    Persona("behandler", "Bjørn", "Haugen", Role.CLINICIAN),
    Persona("kvalitetsevaluator", "Kari", "Strand", Role.FIDELITY_REVIEWER),
    Persona("tilskuddsforvalter", "Tone", "Dahl", Role.GRANT_OFFICER),
    Persona("analytiker", "Anders", "Moe", Role.ANALYST),
    Persona("sysadmin", "Siri", "Bakke", Role.SYSTEM_ADMINISTRATOR),
    Persona("godkjenner", "Gunnar", "Vik", Role.GRANT_OFFICER),
    Persona("soker-kommune", "Sara", "Kommunesen", Role.APPLICANT),
    Persona("soker-hf", "Henrik", "Foretak", Role.APPLICANT),
)

# The applicant personas act for the owner of a demo service; the second grant officer may approve.
APPLICANT_SERVICE = {"soker-kommune": 0, "soker-hf": 1}
GRANT_APPROVERS = frozenset({"godkjenner"})
PERSONA_NOTES = {
    "godkjenner": " med godkjenningsfullmakt",
    "soker-kommune": " for Oslo kommune (demo)",
    "soker-hf": " for Akershus universitetssykehus HF (demo)",
}


def synthetic_orgnr(serial: int) -> str:
    """A valid organisation number in the 1xxxxxxxx range, which Brønnøysund does not assign.

    Some stems admit no check digit (the remainder would be 10), so the next stem is tried.
    """
    for stem in range(serial * 10, serial * 10 + 10):
        for check in range(10):
            number = f"1{stem:07d}{check}"
            if orgnr.is_valid(number):
                return number
    raise ValueError(serial)


@dataclass(frozen=True)
class DemoService:
    name: str
    owner: str
    owner_type: str
    anchoring: str
    region: str
    municipalities: tuple[str, ...]
    offers_ips_ung: bool
    start_date: date
    teams: tuple[tuple[str, str], ...]


SERVICES = (
    DemoService(
        "IPS Oslo Nord",
        "Oslo kommune (demo)",
        Organisation.Type.MUNICIPALITY,
        IpsService.Anchoring.MUNICIPAL,
        HealthRegion.SOUTH_EAST,
        ("0301",),
        False,
        date(2019, 3, 1),
        (
            ("Nordre Aker psykisk helseteam", TreatmentTeam.Type.MUNICIPAL),
            ("DPS Nord allmennteam", TreatmentTeam.Type.DPS),
        ),
    ),
    DemoService(
        "IPS ung Romerike",
        "Akershus universitetssykehus HF (demo)",
        Organisation.Type.HEALTH_TRUST,
        IpsService.Anchoring.FACT_UNG,
        HealthRegion.SOUTH_EAST,
        ("3205", "3222", "3224"),
        True,
        date(2021, 9, 1),
        (
            ("FACT ung Romerike", TreatmentTeam.Type.FACT_UNG),
            ("DPS Lillestrøm ungdomsteam", TreatmentTeam.Type.DPS),
        ),
    ),
    DemoService(
        "IPS Tromsø",
        "Tromsø kommune (demo)",
        Organisation.Type.MUNICIPALITY,
        IpsService.Anchoring.MUNICIPAL,
        HealthRegion.NORTH,
        ("5501", "5503"),
        True,
        date(2018, 1, 15),
        (
            ("Tromsø rus- og psykiatritjeneste", TreatmentTeam.Type.MUNICIPAL),
            ("FACT Tromsø", TreatmentTeam.Type.FACT),
        ),
    ),
    DemoService(
        "IPS Bodø TSB",
        "Nordlandssykehuset HF (demo)",
        Organisation.Type.HEALTH_TRUST,
        IpsService.Anchoring.TSB,
        HealthRegion.NORTH,
        ("1804",),
        False,
        date(2020, 5, 1),
        (("TSB poliklinikk Bodø", TreatmentTeam.Type.TSB),),
    ),
)

# Which service and teams each service-scoped persona belongs to, by service and team index.
PERSONA_SCOPE = {
    "jobbspesialist": (0, (0, 1)),
    "ips-leder": (0, ()),
    "behandler": (0, (0,)),
    "kvalitetsevaluator": (1, ()),
}


def _create(obj, *, actor: User | None = None):
    obj.full_clean()
    obj.save()
    record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj))
    return obj


def _organisation(serial: int, name: str, org_type: str, municipality: Municipality | None) -> Organisation:
    return _create(
        Organisation(
            name=name, orgnr=synthetic_orgnr(serial), org_type=org_type, municipality=municipality, is_synthetic=True
        )
    )


def _personas(demo_password: str) -> dict[str, User]:
    users = {}
    for persona in PERSONAS:
        user = User(
            username=persona.username,
            first_name=persona.first_name,
            last_name=persona.last_name,
            email=f"{persona.username}@demo.invalid",
            role=persona.role,
            # System administrators hold every model permission; the admin site itself checks the role too.
            is_staff=persona.role == Role.SYSTEM_ADMINISTRATOR,
            is_superuser=persona.role == Role.SYSTEM_ADMINISTRATOR,
            grant_approver=persona.username in GRANT_APPROVERS,
        )
        user.set_password(demo_password)
        users[persona.username] = _create(user)
    return users


def _service(index: int, spec: DemoService) -> IpsService:
    municipalities = list(Municipality.objects.filter(number__in=spec.municipalities, valid_to__isnull=True))
    owner = _organisation(100 + index, spec.owner, spec.owner_type, municipalities[0])
    service = _create(
        IpsService(
            name=spec.name,
            anchoring=spec.anchoring,
            health_region=spec.region,
            offers_ips_ung=spec.offers_ips_ung,
            start_date=spec.start_date,
        )
    )
    service.owners.set([owner])
    service.municipalities.set(municipalities)
    for team_name, team_type in spec.teams:
        _create(TreatmentTeam(service=service, name=team_name, team_type=team_type, organisation=owner))
    _create(JobSpecialistUnit(service=service, name=f"Jobbspesialistene i {spec.name}"))
    return service


def _colleagues(service: IpsService, nav: Organisation, index: int) -> None:
    """Two more job specialists per service, without logins, so caseloads and FTE sums have substance."""
    for number, fraction in ((1, Decimal("1.00")), (2, Decimal("0.50"))):
        user = User(username=f"js-{index}-{number}", first_name="Jobbspesialist", last_name=f"{index}.{number}")
        user.role = Role.JOB_SPECIALIST
        user.set_unusable_password()
        _create(user)
        _create(
            JobSpecialist(
                user=user,
                unit=service.unit,
                position_fraction=fraction,
                employer_kind=JobSpecialist.Employer.NAV,
                employer=nav,
            )
        )
        Membership.objects.create(user=user, service=service, team=service.teams.first())


def _scope_personas(users: dict[str, User], services: list[IpsService], nav: Organisation) -> None:
    for username, (service_index, team_indexes) in PERSONA_SCOPE.items():
        service = services[service_index]
        teams = list(service.teams.order_by("pk"))
        if team_indexes:
            for team_index in team_indexes:
                Membership.objects.create(user=users[username], service=service, team=teams[team_index])
        else:
            Membership.objects.create(user=users[username], service=service)
    leader = users["ips-leder"]
    unit = services[0].unit
    unit.leader = leader
    unit.save()
    _create(
        JobSpecialist(
            user=users["jobbspesialist"],
            unit=unit,
            position_fraction=Decimal("1.00"),
            employer_kind=JobSpecialist.Employer.NAV,
            employer=nav,
        )
    )
    # The fidelity reviewer is assigned a second service, in the other region.
    Membership.objects.create(user=users["kvalitetsevaluator"], service=services[2])
    for username, service_index in APPLICANT_SERVICE.items():
        applicant = users[username]
        applicant.organisation = services[service_index].owners.get()
        applicant.save(update_fields=["organisation"])


def is_seeded() -> bool:
    return User.objects.exists() or Organisation.objects.exists()


def seed(*, demo_password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create the demo organisations, services, teams and personas in one transaction."""
    with transaction.atomic():
        oslo = Municipality.objects.get(number="0301", valid_to__isnull=True)
        nav = _organisation(1, "NAV Oslo (demo)", Organisation.Type.NAV_OFFICE, oslo)
        _organisation(2, "Helsedirektoratet (demo)", Organisation.Type.DIRECTORATE_OF_HEALTH, oslo)
        _organisation(
            3,
            "Arbeids- og velferdsdirektoratet (demo)",
            Organisation.Type.DIRECTORATE_OF_LABOUR_AND_WELFARE,
            oslo,
        )
        users = _personas(demo_password)
        services = [_service(index, spec) for index, spec in enumerate(SERVICES)]
        for index, service in enumerate(services):
            _colleagues(service, nav, index)
        _scope_personas(users, services, nav)
    return users
