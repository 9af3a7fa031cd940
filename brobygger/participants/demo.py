"""Demo participants in every status of the pathway, made through the real services so every rule is applied.

All identity numbers are synthetic (month + 80) and all employers have organisation numbers in the 1xxxxxxxx
range. Dates are counted back from the day the demo is loaded, so the caseload alerts show the same situations
whenever it is loaded: a long wait, a late first employer contact, a stale plan, a period about to run out that
can be extended, and so on. Deterministic for a given day.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Membership, Municipality, Role, TreatmentTeam, User
from brobygger.participants import identity, services
from brobygger.participants.models import Contact, Education, Employer, Participant, Period, Referral

ELIGIBLE = {
    "moderate_or_severe_condition": True,
    "compound_problems": False,
    "in_health_service": True,
    "needs_comprehensive_follow_up": True,
    "wants_work_or_education": True,
}

EMPLOYERS = (
    ("Kiwi Storo (demo)", "0301"),
    ("Bydel Nordre Aker hjemmetjeneste (demo)", "0301"),
    ("Oslo Sportslager (demo)", "0301"),
    ("Lillestrøm Bilpleie (demo)", "3205"),
    ("Kafé Grünerløkka (demo)", "0301"),
)


@dataclass(frozen=True)
class Story:
    """One demo participant: who they are and how far their pathway has come, in days before today."""

    first_name: str
    last_name: str
    age_years: int
    team: str
    specialist: str = "jobbspesialist"
    municipality: str = "0301"
    referred: int = 30
    decision: str = "accept"  # accept, refuse, withdraw or pending
    # Registered before the person had consented: the referral waits in the inbox for consent to be recorded.
    consent_later: bool = False
    started: int | None = None
    plan_created: int | None = None
    plan_revised: int | None = None
    employer_contacts: tuple[int, ...] = ()
    benefits_counselling: int | None = None
    job: int | None = None
    education: int | None = None
    closed: tuple[int, str] | None = None
    referred_again: int | None = None
    psychosis: bool = False
    substance: bool = False
    reduced_work_capacity: bool = False
    guardian: bool = False


NORDRE_AKER = "Nordre Aker psykisk helseteam"
DPS_NORD = "DPS Nord allmennteam"
DPS_LILLESTROM = "DPS Lillestrøm ungdomsteam"

STORIES = (
    Story("Amir", "Demosen", 34, NORDRE_AKER, referred=45, psychosis=True),
    Story("Berit", "Demodatter", 41, NORDRE_AKER, referred=3, decision="pending", consent_later=True),
    Story("Carl", "Eksempelsen", 52, DPS_NORD, referred=60, decision="refuse"),
    Story("Dina", "Prøvesen", 27, NORDRE_AKER, referred=30, started=20, plan_created=18),
    Story("Erik", "Testmann", 38, NORDRE_AKER, referred=65, started=50, plan_created=48, substance=True),
    Story(
        "Fatima",
        "Fiktiv",
        45,
        DPS_NORD,
        referred=230,
        started=200,
        plan_created=195,
        plan_revised=150,
        employer_contacts=(190, 120),
        benefits_counselling=185,
        reduced_work_capacity=True,
    ),
    Story(
        "Gustav",
        "Syntetisk",
        31,
        NORDRE_AKER,
        referred=140,
        started=120,
        plan_created=118,
        plan_revised=40,
        employer_contacts=(110, 60),
        benefits_counselling=100,
        job=40,
        psychosis=True,
    ),
    Story(
        "Hanna",
        "Ungdom",
        19,
        NORDRE_AKER,
        referred=360,
        started=340,
        plan_created=335,
        plan_revised=60,
        employer_contacts=(320,),
        benefits_counselling=300,
        education=100,
    ),
    Story(
        "Ivar",
        "Avsluttet",
        29,
        DPS_NORD,
        referred=430,
        started=400,
        plan_created=395,
        plan_revised=200,
        employer_contacts=(390, 300),
        benefits_counselling=380,
        job=250,
        closed=(30, Period.ClosureReason.WORK),
    ),
    Story(
        "Jenny",
        "Tilbakekomst",
        36,
        NORDRE_AKER,
        referred=300,
        started=280,
        plan_created=275,
        closed=(100, Period.ClosureReason.HEALTH),
        referred_again=12,
    ),
    Story("Kasper", "Sekstenår", 16, NORDRE_AKER, referred=25, started=10, plan_created=8, guardian=True),
    Story(
        "Lise",
        "Kollega",
        44,
        NORDRE_AKER,
        specialist="js-0-1",
        referred=90,
        started=80,
        plan_created=78,
        employer_contacts=(70,),
        benefits_counselling=75,
    ),
    Story("Mats", "Kollega", 24, NORDRE_AKER, specialist="js-0-1", referred=40, started=35, plan_created=33),
    Story(
        "Nora",
        "Romerike",
        20,
        DPS_LILLESTROM,
        specialist="js-1-1",
        municipality="3205",
        referred=150,
        started=140,
        plan_created=138,
        plan_revised=50,
        employer_contacts=(130,),
        benefits_counselling=120,
        education=90,
    ),
    Story("Petter", "Trukketsen", 36, DPS_NORD, referred=20, decision="withdraw"),
)


def _employers(actor: User) -> list[Employer]:
    return [
        services.employer_register(
            actor=actor,
            name=name,
            orgnr=synthetic_orgnr(300 + index),
            municipality=Municipality.objects.get(number=municipality),
        )
        for index, (name, municipality) in enumerate(EMPLOYERS)
    ]


def _person(story: Story, serial: int, today: date, actor: User) -> Participant:
    # A month or more past the birthday, so the age holds for the whole demo pathway.
    birth = today - timedelta(days=365 * story.age_years + 30 + 7 * serial)
    return services.participant_register(
        actor=actor,
        identity_number=identity.synthetic_identity_number(birth, serial),
        municipality=Municipality.objects.get(number=story.municipality),
        first_name=story.first_name,
        last_name=story.last_name,
        has_psychosis=story.psychosis,
        has_substance_problems=story.substance,
        reduced_work_capacity_assessed_on=today - timedelta(days=story.referred + 30)
        if story.reduced_work_capacity
        else None,
    )


def _clinician(team: TreatmentTeam) -> User:
    """The team's clinician: "no clinician, no IPS". Teams without a demo login get one without a password."""
    existing = User.objects.filter(role=Role.CLINICIAN, memberships__team=team).order_by("pk").first()
    if existing is not None:
        return existing
    user = User(username=f"beh-{team.pk}", first_name="Behandler", last_name=team.name, role=Role.CLINICIAN)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, service=team.service, team=team)
    return user


def _contact_details(story: Story, serial: int) -> dict[str, str]:
    guardian = {"guardian_name": "Foresatt Demosen", "guardian_phone": "99 99 99 99"} if story.guardian else {}
    return {"phone": f"900 00 {serial:03d}", **guardian}


def _referral(story: Story, person: Participant, on: date, contact_details: dict[str, str] | None = None) -> Referral:
    consent = {} if story.consent_later else {"consent_given_on": on, "consent_method": Referral.ConsentMethod.WRITTEN}
    team = TreatmentTeam.objects.get(name=story.team)
    clinician = _clinician(team)
    return services.referral_create(
        actor=clinician,
        participant=person,
        team=team,
        clinician=clinician,
        referred_on=on,
        goals="Komme i jobb eller utdanning som passer interessene mine.",
        facts=ELIGIBLE,
        contact_details=contact_details,
        **consent,
    )


def _follow_up(story: Story, period: Period, today: date, actor: User, employers: list[Employer]) -> None:
    def day(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    if story.plan_created is not None:
        plan = services.plan_create(
            actor=actor, period=period, purpose="Finne og beholde en jobb eller utdanning.", on=day(story.plan_created)
        )
        services.plan_activity_add(actor=actor, plan=plan, description="Lage CV sammen", due_on=day(story.started - 14))
        if story.plan_revised is not None:
            services.plan_revise(
                actor=actor,
                plan=plan,
                on=day(story.plan_revised),
                content="Plan revidert sammen med deltaker og behandler.",
                participant_took_part=True,
                clinician_took_part=True,
                job_specialist_took_part=True,
            )
    for index, days_ago in enumerate(story.employer_contacts):
        services.employer_contact_record(
            actor=actor,
            employer=employers[index % len(employers)],
            on=day(days_ago),
            face_to_face=True,
            purpose="named_participants",
            participants=[period.participant],
            result="Arbeidsgiveren vil gjerne møte kandidaten.",
        )
    if story.benefits_counselling is not None:
        services.contact_record(
            actor=actor,
            period=period,
            kind=Contact.Kind.BENEFITS_COUNSELLING,
            on=day(story.benefits_counselling),
            place=Contact.Place.OFFICE,
            counterpart="NAV-veileder",
        )
    if story.job is not None:
        services.job_register(
            actor=actor,
            period=period,
            employer=employers[0],
            title="Butikkmedarbeider",
            job_type="varehandel",
            start_date=day(story.job),
            hours_per_week=Decimal("20"),
            open_labour_market=True,
            paid_at_least_normal_rate=True,
            open_to_anyone=True,
        )
        services.contact_record(
            actor=actor, period=period, kind="follow_along", on=day(story.job - 7), place=Contact.Place.COMMUNITY
        )
    if story.education is not None:
        services.education_register(
            actor=actor,
            period=period,
            level=Education.Level.UPPER_SECONDARY,
            institution="Demo videregående skole",
            start_date=day(story.education),
            planned_end=day(story.education - 300),
        )


def _story(story: Story, serial: int, today: date, users: dict[str, User], employers: list[Employer]) -> None:
    person = _person(story, serial, today, users["jobbspesialist"])
    referral = _referral(story, person, today - timedelta(days=story.referred), _contact_details(story, serial))
    decided = today - timedelta(days=max(story.referred - 1, 0))
    if story.decision == "pending":
        return
    actor = users[story.specialist]
    if story.decision == "refuse":
        services.referral_refuse(actor=actor, referral=referral, reason="outside_area", on=decided)
        return
    if story.decision == "withdraw":
        services.referral_withdraw(
            actor=actor,
            referral=referral,
            reason="Registrert ved en feil: personen var allerede henvist fra et annet team.",
            on=decided,
            expected_revision=referral.revision,
        )
        return
    period = services.referral_accept(actor=actor, referral=referral, on=decided, job_specialist=actor)
    if story.started is None:
        return
    period = services.period_start(
        actor=actor, period=period, start_date=today - timedelta(days=story.started), expected_revision=period.revision
    )
    _follow_up(story, period, today, actor, employers)
    if story.closed is not None:
        period.refresh_from_db()
        days_ago, reason = story.closed
        services.period_close(
            actor=actor,
            period=period,
            on=today - timedelta(days=days_ago),
            reason=reason,
            expected_revision=period.revision,
        )
    if story.referred_again is not None:
        # A new referral of the same person starts a new period; the closed one stays in the history.
        again = _referral(story, person, today - timedelta(days=story.referred_again))
        services.referral_accept(actor=actor, referral=again, on=again.referred_on, job_specialist=actor)


def is_seeded() -> bool:
    return Participant.objects.exists()


def seed(*, today: date) -> int:
    """Create the demo participants through the services; returns how many. Needs the accounts demo first."""
    users = {user.username: user for user in User.objects.all()}
    with transaction.atomic():
        employers = _employers(users["jobbspesialist"])
        for serial, story in enumerate(STORIES):
            _story(story, serial, today, users, employers)
    return len(STORIES)
