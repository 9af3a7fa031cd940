"""What each role is for: the navigation it gets and what its home page says it can do."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from brobygger.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise


HOME = NavItem("home", _("Hjem"))
SERVICES = NavItem("service_list", _("IPS-tilbud"))
ORGANISATIONS = NavItem("organisation_list", _("Organisasjoner"))
AUDIT = NavItem("audit_search", _("Revisjonsspor"))
RULES = NavItem("rule_list", _("Regelverk"))
CASELOAD = NavItem("caseload", _("Saksoversikt"))
CASELOAD_TEAM = NavItem("caseload_team", _("Saksoversikt"))
TEAM_MEETING = NavItem("team_meeting", _("Teammøte"))
PARTICIPANTS = NavItem("participant_list", _("Deltakere"))
EMPLOYERS = NavItem("employer_list", _("Arbeidsgivere"))
FIDELITY = NavItem("fidelity_index", _("Modelltrohet"))
FIDELITY_SCALES = NavItem("fidelity_scale_list", _("Skalaer for modelltrohet"))
STATISTICS = NavItem("statistics", _("Statistikk"))
GRANT_CALLS = NavItem("grants_call_list", _("Utlysninger"))
GRANT_APPLICATIONS = NavItem("grants_application_list", _("Søknader"))
GRANT_APPEALS = NavItem("grants_appeal_list", _("Klager"))
GRANT_FIGURES = NavItem("grants_figures", _("Tall for departementet"))
GRANT_CONTROL = NavItem("grants_control_list", _("Kontroll"))

ROLE_NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    Role.JOB_SPECIALIST: (HOME, CASELOAD, PARTICIPANTS, TEAM_MEETING, SERVICES, EMPLOYERS, RULES),
    Role.IPS_LEADER: (
        HOME,
        CASELOAD_TEAM,
        PARTICIPANTS,
        TEAM_MEETING,
        FIDELITY,
        STATISTICS,
        SERVICES,
        ORGANISATIONS,
        EMPLOYERS,
        RULES,
    ),
    Role.CLINICIAN: (HOME, PARTICIPANTS, TEAM_MEETING, SERVICES, RULES),
    Role.FIDELITY_REVIEWER: (HOME, FIDELITY, SERVICES, RULES),
    Role.GRANT_OFFICER: (
        HOME,
        GRANT_CALLS,
        GRANT_APPLICATIONS,
        GRANT_APPEALS,
        GRANT_FIGURES,
        GRANT_CONTROL,
        FIDELITY,
        STATISTICS,
        SERVICES,
        ORGANISATIONS,
        RULES,
    ),
    Role.ANALYST: (HOME, FIDELITY, STATISTICS, GRANT_FIGURES, SERVICES, ORGANISATIONS, RULES),
    Role.SYSTEM_ADMINISTRATOR: (HOME, SERVICES, ORGANISATIONS, FIDELITY_SCALES, AUDIT, RULES),
    Role.APPLICANT: (HOME, GRANT_CALLS, GRANT_APPLICATIONS, GRANT_CONTROL, RULES),
}

ROLE_PURPOSE: dict[str, Promise] = {
    Role.JOB_SPECIALIST: _(
        "Du følger deltakerne i behandlingsteamene dine fra henvisning til avslutning: karriereprofil, "
        "oppfølgingsplan, arbeidsgiverkontakter, jobber og utdanning."
    ),
    Role.IPS_LEADER: _(
        "Du leder IPS-tilbudet: jobbspesialistenes saksmengde, ventetid, modelltrofasthet og tallene tilbudet "
        "rapporterer."
    ),
    Role.CLINICIAN: _(
        "Du henviser pasienter fra behandlingsteamet ditt til IPS og følger dem sammen med jobbspesialisten."
    ),
    Role.FIDELITY_REVIEWER: _(
        "Du gjennomfører og rapporterer gjennomganger av modelltrofasthet for tilbudene du er tildelt. "
        "Du ser ingen opplysninger om enkeltdeltakere."
    ),
    Role.GRANT_OFFICER: _(
        "Du forvalter tilskuddsordningen for IPS i helse- og omsorgstjenesten og følger tallene og "
        "modelltroheten til tilbudene. Du ser tall, aldri opplysninger om enkeltpersoner."
    ),
    Role.ANALYST: _(
        "Du analyserer nasjonale tall for IPS og IPS ung. Små tall skjules slik at ingen enkeltperson kan "
        "kjennes igjen."
    ),
    Role.SYSTEM_ADMINISTRATOR: _(
        "Du forvalter organisasjoner, IPS-tilbud, brukere og tilganger, og du kan søke i revisjonsspor og innsynslogg."
    ),
    Role.APPLICANT: _(
        "Du søker om tilskudd til IPS for organisasjonen din og følger søknadene, vedtakene og tilskuddsbrevene. "
        "Du ser bare din egen organisasjons saker."
    ),
}


def navigation_for(role: str) -> tuple[NavItem, ...]:
    return ROLE_NAVIGATION.get(role, (HOME,))
