"""The follow-up pages of a period and the employer register, through the test client as each role."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Membership, Role, TreatmentTeam, User
from brobygger.audit.models import AccessLogEntry, AuditEvent
from brobygger.participants import services
from brobygger.participants.models import (
    CareerProfile,
    Contact,
    Education,
    Employer,
    EmployerContact,
    FollowUpPlan,
    Job,
    JobSearchEvent,
    Period,
    PlanActivity,
    PlanRevision,
)
from brobygger.participants.tests.conftest import register_job

PERIOD_PAGES = [
    "followup_career_profile",
    "followup_plan",
    "followup_contacts",
    "followup_job_search",
    "followup_jobs",
    "followup_education",
]
NO_PERSONAL_DATA = ["kvalitetsevaluator", "tilskuddsforvalter", "analytiker", "sysadmin"]
CLOSED_MESSAGE = "Forløpet er avsluttet. Det kan ikke registreres mer på det."
STALE_MESSAGE = "Noen andre har lagret endringer i mellomtiden."


@pytest.fixture
def closed(personas, period):
    return services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 6, 1),
        reason=Period.ClosureReason.MOVED,
        expected_revision=period.revision,
    )


@pytest.fixture
def outsider(personas):
    """A job specialist in another service's treatment team: sees none of this team's participants."""
    team = TreatmentTeam.objects.get(name="FACT Tromsø")
    user = User.objects.create(username="annen-jobbspesialist", role=Role.JOB_SPECIALIST)
    Membership.objects.create(user=user, service=team.service, team=team)
    return user


def page(name, period, *args):
    return reverse(name, args=[period.pk, *args])


def form_errors(response, form="form"):
    return response.context[form].errors


# Who sees the pages


@pytest.mark.parametrize("name", PERIOD_PAGES)
@pytest.mark.parametrize("username", ["jobbspesialist", "ips-leder", "behandler"])
def test_the_team_and_the_leader_see_every_follow_up_page_and_the_read_is_logged(
    personas, login, period, name, username
):
    response = login(personas[username]).get(page(name, period))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Ola Testesen" in response.content.decode()
    assert AccessLogEntry.objects.filter(
        actor=personas[username], object_type="participants.participant", object_id=str(period.participant_id)
    ).exists()


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_a_job_specialist_of_another_team_gets_404(login, period, outsider, name):
    client = login(outsider)
    assert client.get(page(name, period)).status_code == 404
    assert client.post(page(name, period), {}).status_code == 404


@pytest.mark.parametrize("name", PERIOD_PAGES)
@pytest.mark.parametrize("username", NO_PERSONAL_DATA)
def test_roles_without_personal_data_get_404_on_every_period_page(personas, login, period, name, username):
    response = login(personas[username]).get(page(name, period))
    assert response.status_code == 404
    assert "Ola" not in response.content.decode()


def test_a_page_asks_for_login(client, period):
    response = client.get(page("followup_plan", period))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("followup_career_profile", {"interests": "Butikk", "disclosure_wish": "undecided"}),
        ("followup_plan_create", {"purpose": "Jobb", "created_on": "2026-03-12"}),
        ("followup_job_search", {"kind": "application", "date": "2026-04-01", "position": "Kasse"}),
        ("followup_education", {"level": "fagskole", "institution": "Fagskolen", "start_date": "2026-04-01"}),
    ],
)
def test_a_clinician_reads_but_cannot_record_the_job_specialists_work(personas, login, period, name, data):
    client = login(personas["behandler"])
    events = AuditEvent.objects.count()
    response = client.post(page(name, period), data)
    assert response.status_code == 403
    assert "Bare jobbspesialistene i teamet og IPS-lederen" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_a_clinician_does_not_see_the_forms_of_the_job_specialists_work(personas, login, period):
    client = login(personas["behandler"])
    for name in ("followup_career_profile", "followup_job_search", "followup_jobs", "followup_education"):
        assert b'method="post"' not in client.get(page(name, period)).content.split(b"</header>")[1]
    assert b"Registrer en kontakt" in client.get(page("followup_contacts", period)).content


@pytest.mark.parametrize("username", ["jobbspesialist", "ips-leder", "behandler"])
def test_the_team_records_contacts_and_revises_the_plan(personas, login, plan, username):
    client = login(personas[username])
    response = client.post(
        page("followup_contacts", plan.period),
        {"kind": "team_meeting", "date": "2026-04-02", "notes": "Drøftet jobbønsker"},
    )
    assert response.status_code == 302
    response = client.post(
        page("followup_plan_revise", plan.period),
        {"revised_on": "2026-04-02", "content": "Søke tre jobber", "took_part": "participant"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().recorded_by == personas[username]
    assert PlanRevision.objects.get().recorded_by == personas[username]


# Career profile


def test_the_career_profile_is_created_then_updated_with_the_revision_seen(personas, login, period):
    client = login(personas["jobbspesialist"])
    response = client.get(page("followup_career_profile", period))
    assert "Karriereprofilen er ikke laget ennå." in response.content.decode()

    response = client.post(
        page("followup_career_profile", period),
        {"interests": "Klær", "strengths": "Punktlig", "disclosure_wish": "partial", "revision": ""},
        follow=True,
    )
    assert "Karriereprofilen er lagret." in response.content.decode()
    profile = CareerProfile.objects.get(period=period)
    assert (profile.interests, profile.revision) == ("Klær", 1)
    assert b'name="revision" value="1"' in response.content

    response = client.post(
        page("followup_career_profile", period),
        {"interests": "Klær og sko", "disclosure_wish": "partial", "revision": "1"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.interests, profile.revision) == ("Klær og sko", 2)


def test_a_stale_career_profile_edit_is_refused_and_nothing_is_saved(personas, login, period):
    services.career_profile_save(actor=personas["jobbspesialist"], period=period, expected_revision=None, interests="A")
    services.career_profile_save(actor=personas["ips-leder"], period=period, expected_revision=1, interests="B")
    response = login(personas["jobbspesialist"]).post(
        page("followup_career_profile", period), {"interests": "C", "disclosure_wish": "none", "revision": "1"}
    )
    assert response.status_code == 200
    assert STALE_MESSAGE in str(response.context["form"].non_field_errors())
    assert CareerProfile.objects.get(period=period).interests == "B"


def test_a_second_first_save_of_the_career_profile_is_stale(personas, login, period):
    services.career_profile_save(actor=personas["ips-leder"], period=period, expected_revision=None, interests="B")
    response = login(personas["jobbspesialist"]).post(
        page("followup_career_profile", period), {"interests": "C", "disclosure_wish": "none", "revision": ""}
    )
    assert "allerede en karriereprofil" in str(response.context["form"].non_field_errors())
    assert CareerProfile.objects.get(period=period).interests == "B"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"disclosure_wish": "everything"}, "disclosure_wish"),
        ({"disclosure_wish": "none", "disclosure_discussed_on": "i går"}, "disclosure_discussed_on"),
        ({"disclosure_wish": "none", "disclosure_discussed_on": "2099-01-01"}, "disclosure_discussed_on"),
        ({"disclosure_wish": "none", "revision": "abc"}, "revision"),
    ],
)
def test_bad_career_profile_input_shows_field_errors_and_saves_nothing(personas, login, period, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_career_profile", period), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not CareerProfile.objects.exists()


# Follow-up plan


def test_the_plan_is_made_and_its_stale_status_shown_with_reason_and_reference(personas, login, period):
    client = login(personas["jobbspesialist"])
    assert "Forløpet har ingen oppfølgingsplan ennå." in client.get(page("followup_plan", period)).content.decode()
    response = client.post(
        page("followup_plan_create", period), {"purpose": "Jobb i butikk", "created_on": "2026-03-12"}, follow=True
    )
    html = response.content.decode()
    assert "Oppfølgingsplanen er laget." in html
    assert FollowUpPlan.objects.get(period=period).purpose == "Jobb i butikk"
    # Made in March and never revised: by now it is out of date, and the page says why and under which paragraph.
    assert response.context["status"].outcome == "utdatert"
    assert "Planen er utdatert og må revideres." in html
    # Never revised: the page says when it was made, not that it was revised then (issue 16, item 10).
    assert "Planen ble laget 12.03.2026" in html and "og er ikke revidert ennå." in html
    assert "revidert 12.03.2026" not in html
    assert response.context["status"].reasons[0].reference in html


def test_a_plan_revised_today_is_up_to_date(personas, login, plan):
    services.plan_revise(
        actor=personas["jobbspesialist"],
        plan=plan,
        on=timezone.localdate(),
        content="Søke tre jobber",
        participant_took_part=True,
        clinician_took_part=False,
        job_specialist_took_part=True,
    )
    response = login(personas["behandler"]).get(page("followup_plan", plan.period))
    assert response.context["status"].outcome == "oppdatert"
    assert "Planen er oppdatert." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"purpose": "", "created_on": "2026-03-12"}, "purpose"),
        ({"purpose": "Jobb", "created_on": "2026-02-01"}, "created_on"),
        ({"purpose": "Jobb", "created_on": "12/13/2026"}, "created_on"),
    ],
)
def test_bad_plan_input_shows_field_errors_and_saves_nothing(personas, login, period, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_plan_create", period), data)
    assert response.status_code == 200
    assert field in form_errors(response, "create_form")
    assert not FollowUpPlan.objects.exists()


def test_a_second_plan_is_refused_with_a_message(personas, login, plan):
    response = login(personas["ips-leder"]).post(
        page("followup_plan_create", plan.period), {"purpose": "Ny", "created_on": "2026-04-01"}, follow=True
    )
    assert "Forløpet har allerede en oppfølgingsplan. Revider den i stedet." in response.content.decode()
    assert FollowUpPlan.objects.get().purpose == "Komme i jobb i butikk"


def test_a_revision_records_who_took_part_and_revisions_are_kept(personas, login, plan):
    client = login(personas["jobbspesialist"])
    for day, content in (("2026-04-01", "Første"), ("2026-05-01", "Andre")):
        client.post(
            page("followup_plan_revise", plan.period),
            {"revised_on": day, "content": content, "took_part": ["participant", "clinician"]},
        )
    html = client.get(page("followup_plan", plan.period)).content.decode()
    assert [r.content for r in plan.revisions.all()] == ["Første", "Andre"]
    assert html.index("Andre") < html.index("Første")
    assert "Deltakeren, behandler" in html


def test_a_revision_without_the_participant_is_refused_citing_the_regulation(personas, login, plan):
    response = login(personas["jobbspesialist"]).post(
        page("followup_plan_revise", plan.period),
        {"revised_on": "2026-04-01", "content": "Uten deltakeren", "took_part": "job_specialist"},
    )
    assert response.status_code == 200
    assert "forskriften § 3-3" in form_errors(response, "revise_form")["took_part"][0]
    assert not PlanRevision.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"revised_on": "2026-03-01", "content": "Før planen"}, "revised_on"),
        ({"revised_on": "2026-04-01", "content": " "}, "content"),
        ({"revised_on": "", "content": "Uten dato"}, "revised_on"),
        ({"revised_on": "2026-04-01", "content": "x", "took_part": ["participant", "sjefen"]}, "took_part"),
    ],
)
def test_bad_revision_input_shows_field_errors_and_saves_nothing(personas, login, plan, data, field):
    response = login(personas["jobbspesialist"]).post(
        page("followup_plan_revise", plan.period), {"took_part": "participant", **data}
    )
    assert field in form_errors(response, "revise_form")
    assert not PlanRevision.objects.exists()


def test_revising_a_period_without_a_plan_is_404(personas, login, period):
    response = login(personas["jobbspesialist"]).post(
        page("followup_plan_revise", period),
        {"revised_on": "2026-04-01", "content": "x", "took_part": "participant"},
    )
    assert response.status_code == 404


def test_the_plan_actions_take_only_post(personas, login, plan):
    client = login(personas["jobbspesialist"])
    assert client.get(page("followup_plan_revise", plan.period)).status_code == 405


def test_activities_are_added_and_their_status_changed_with_the_revision_seen(personas, login, plan):
    client = login(personas["behandler"])
    response = client.post(
        page("followup_activity_add", plan.period), {"description": "Øve på intervju", "due_on": "2026-05-01"}
    )
    assert response.status_code == 302
    activity = PlanActivity.objects.get()
    assert activity.status == PlanActivity.Status.PLANNED

    response = client.post(
        page("followup_activity_status", plan.period, activity.pk), {"status": "in_progress", "revision": "1"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.revision) == (PlanActivity.Status.IN_PROGRESS, 2)


def test_a_stale_activity_status_is_refused_on_its_own_row(personas, login, plan):
    activity = services.plan_activity_add(actor=personas["jobbspesialist"], plan=plan, description="Søke jobb")
    services.plan_activity_set_status(
        actor=personas["ips-leder"], activity=activity, status="cancelled", expected_revision=1
    )
    response = login(personas["jobbspesialist"]).post(
        page("followup_activity_status", plan.period, activity.pk), {"status": "done", "revision": "1"}
    )
    assert response.status_code == 200
    [(_, row_form)] = response.context["activities"]
    assert STALE_MESSAGE in str(row_form.non_field_errors())
    assert STALE_MESSAGE in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.CANCELLED


@pytest.mark.parametrize(
    ("data", "field"), [({"status": "finished", "revision": "1"}, "status"), ({"status": "done"}, "revision")]
)
def test_bad_activity_status_input_is_refused(personas, login, plan, data, field):
    activity = services.plan_activity_add(actor=personas["jobbspesialist"], plan=plan, description="Søke jobb")
    response = login(personas["jobbspesialist"]).post(page("followup_activity_status", plan.period, activity.pk), data)
    assert response.status_code == 200
    [(_, row_form)] = response.context["activities"]
    assert field in row_form.errors
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.PLANNED


@pytest.mark.parametrize(
    ("data", "field"),
    [({"description": ""}, "description"), ({"description": "For tidlig", "due_on": "2026-03-01"}, "due_on")],
)
def test_bad_activity_input_shows_field_errors(personas, login, plan, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_activity_add", plan.period), data)
    assert field in form_errors(response, "activity_add_form")
    assert not PlanActivity.objects.exists()


def test_an_activity_of_another_period_is_404(personas, login, plan, period):
    activity = services.plan_activity_add(actor=personas["jobbspesialist"], plan=plan, description="Søke jobb")
    response = login(personas["jobbspesialist"]).post(
        reverse("followup_activity_status", args=[period.pk + 1000, activity.pk]), {"status": "done", "revision": "1"}
    )
    assert response.status_code == 404


# Contacts


def test_contacts_are_recorded_and_filtered_by_kind(personas, login, period):
    client = login(personas["jobbspesialist"])
    response = client.post(
        page("followup_contacts", period),
        {"kind": "participant_meeting", "date": "2026-04-01", "place": "community", "counterpart": "Kafé"},
        follow=True,
    )
    assert "Kontakten er registrert." in response.content.decode()
    client.post(page("followup_contacts", period), {"kind": "school", "date": "2026-04-02", "counterpart": "Skole"})
    client.post(page("followup_contacts", period), {"kind": "nav_counsellor", "date": "2026-04-03"})
    assert Contact.objects.filter(period=period).count() == 3
    assert Contact.objects.get(kind="participant_meeting").place == Contact.Place.COMMUNITY

    response = client.get(page("followup_contacts", period), {"type": "school"})
    assert [k.kind for k in response.context["contacts"]] == ["school"]
    response = client.get(page("followup_contacts", period), {"type": "ukjent"})
    assert response.status_code == 200
    assert len(response.context["contacts"]) == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "participant_meeting", "date": "2026-04-01"}, "place"),
        ({"kind": "benefits_counselling", "date": "2026-04-01", "place": "garden"}, "place"),
        ({"kind": "school", "date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "date"),
        ({"kind": "school", "date": "2026-03-01"}, "date"),
        ({"kind": "follow_along", "date": "2026-04-01", "place": "office"}, "kind"),
        ({"kind": "", "date": "2026-04-01"}, "kind"),
    ],
)
def test_bad_contact_input_shows_field_errors_and_saves_nothing(personas, login, period, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_contacts", period), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Contact.objects.exists()


def test_a_contact_before_the_period_has_started_is_refused(personas, login, referral):
    waiting = services.referral_accept(actor=personas["jobbspesialist"], referral=referral, on=date(2026, 3, 3))
    response = login(personas["jobbspesialist"]).post(
        page("followup_contacts", waiting), {"kind": "team_meeting", "date": "2026-04-01"}
    )
    assert "Forløpet er ikke startet ennå." in form_errors(response)["date"]


# Job search


def test_the_job_search_log_takes_a_registered_or_a_named_employer(personas, login, period, employer):
    client = login(personas["jobbspesialist"])
    client.post(
        page("followup_job_search", period),
        {"kind": "application", "date": "2026-04-01", "position": "Kassemedarbeider", "employer": employer.pk},
    )
    client.post(
        page("followup_job_search", period),
        {"kind": "interview", "date": "2026-04-10", "position": "Lager", "employer_name": "Lageret AS"},
    )
    html = client.get(page("followup_job_search", period)).content.decode()
    assert "Testbutikken AS" in html and "Lageret AS" in html
    assert JobSearchEvent.objects.filter(period=period).count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "application", "date": "2026-04-01", "position": "Kasse"}, "employer"),
        ({"kind": "offer", "date": "2026-04-01", "position": "", "employer_name": "X"}, "position"),
        ({"kind": "hired", "date": "2026-04-01", "position": "Kasse", "employer_name": "X"}, "kind"),
        ({"kind": "offer", "date": "2026-04-01", "position": "Kasse", "employer": "999999"}, "employer"),
        ({"kind": "offer", "date": "2099-04-01", "position": "Kasse", "employer_name": "X"}, "date"),
    ],
)
def test_bad_job_search_input_shows_field_errors_and_saves_nothing(personas, login, period, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_job_search", period), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not JobSearchEvent.objects.exists()


def test_both_a_registered_and_a_named_employer_is_refused(personas, login, period, employer):
    data = {"kind": "offer", "date": "2026-04-01", "position": "Kasse", "employer": employer.pk, "employer_name": "Y"}
    response = login(personas["jobbspesialist"]).post(page("followup_job_search", period), data)
    assert "employer_name" in form_errors(response)
    assert not JobSearchEvent.objects.exists()


# Jobs and education

JOB = {
    "title": "Butikkmedarbeider",
    "job_type": "varehandel",
    "start_date": "2026-04-01",
    "hours_per_week": "20",
    "open_labour_market": "ja",
    "paid_at_least_normal_rate": "ja",
    "open_to_anyone": "ja",
}


def test_an_ordinary_job_is_registered_and_the_rule_shown_with_its_reasons(personas, login, period, employer):
    response = login(personas["jobbspesialist"]).post(
        page("followup_jobs", period), {**JOB, "employer": employer.pk}, follow=True
    )
    html = response.content.decode()
    assert "Jobben er registrert og teller som ordinært arbeid." in html
    job = Job.objects.get(period=period)
    assert job.counts_as_outcome
    assert "Jobben er på det åpne arbeidsmarkedet." in html
    assert job.ordinary_work["reasons"][0]["reference"] in html
    period.refresh_from_db()
    assert period.status == Period.Status.FOLLOW_ALONG


def test_a_sheltered_job_is_registered_but_does_not_count(personas, login, period, employer):
    response = login(personas["jobbspesialist"]).post(
        page("followup_jobs", period), {**JOB, "employer": employer.pk, "open_labour_market": "nei"}, follow=True
    )
    html = response.content.decode()
    assert "teller ikke som ordinært arbeid" in html
    assert "Jobben er ikke på det åpne arbeidsmarkedet" in html
    assert not Job.objects.get().counts_as_outcome


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "mange"}, "hours_per_week"),
        ({"end_date": "2026-03-20"}, "end_date"),
        ({"start_date": "2026-03-01"}, "start_date"),
        ({"start_date": "1900-01-01"}, "start_date"),
        ({"open_to_anyone": ""}, "open_to_anyone"),
        ({"job_type": "romfart"}, "job_type"),
        ({"employer": ""}, "employer"),
    ],
)
def test_bad_job_input_shows_field_errors_and_saves_nothing(personas, login, period, employer, overrides, field):
    data = {**JOB, "employer": employer.pk} | overrides
    response = login(personas["jobbspesialist"]).post(page("followup_jobs", period), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Job.objects.exists()
    period.refresh_from_db()
    assert period.status == Period.Status.JOB_SEARCH


def test_a_job_ends_and_an_end_before_the_start_is_refused(personas, login, period, employer):
    job = register_job(personas, period, employer)
    client = login(personas["jobbspesialist"])
    response = client.post(page("followup_job_end", period, job.pk), {"end_date": "2026-03-31"})
    assert response.status_code == 200
    [(_, end_form)] = response.context["jobs"]
    assert "end_date" in end_form.errors
    job.refresh_from_db()
    assert job.end_date is None

    assert client.post(page("followup_job_end", period, job.pk), {"end_date": "2026-06-30"}).status_code == 302
    job.refresh_from_db()
    assert job.end_date == date(2026, 6, 30)
    response = client.post(page("followup_job_end", period, job.pk), {"end_date": "2026-07-30"})
    [(_, end_form)] = response.context["jobs"]
    assert "Jobben har allerede en sluttdato." in end_form.non_field_errors()
    job.refresh_from_db()
    assert job.end_date == date(2026, 6, 30)


def test_a_job_of_another_period_is_404(personas, login, period, employer):
    job = register_job(personas, period, employer)
    response = login(personas["jobbspesialist"]).post(
        reverse("followup_job_end", args=[period.pk + 1000, job.pk]), {"end_date": "2026-06-30"}
    )
    assert response.status_code == 404


def test_education_is_registered_and_finished(personas, login, period):
    client = login(personas["ips-leder"])
    response = client.post(
        page("followup_education", period),
        {"level": "fagskole", "institution": "Fagskolen Oslo", "start_date": "2026-08-15", "planned_end": "2027-06-20"},
    )
    assert response.status_code == 302
    education = Education.objects.get(period=period)
    period.refresh_from_db()
    assert period.status == Period.Status.FOLLOW_ALONG

    response = client.post(
        page("followup_education_finish", period, education.pk), {"ended_on": "2026-10-01", "completed": "nei"}
    )
    assert response.status_code == 302
    education.refresh_from_db()
    assert (education.status, education.ended_on) == (Education.Status.DROPPED_OUT, date(2026, 10, 1))

    response = client.post(
        page("followup_education_finish", period, education.pk), {"ended_on": "2026-11-01", "completed": "ja"}
    )
    [(_, finish_form)] = response.context["educations"]
    assert "Utdanningen er allerede avsluttet." in finish_form.non_field_errors()
    education.refresh_from_db()
    assert education.status == Education.Status.DROPPED_OUT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"level": "fagskole", "institution": "F", "start_date": "2026-08-15", "planned_end": "2026-08-01"},
            "planned_end",
        ),
        ({"level": "fagskole", "institution": "F", "start_date": "2026-01-15"}, "start_date"),
        ({"level": "universitet", "institution": "F", "start_date": "2026-08-15"}, "level"),
        ({"level": "fagskole", "institution": "", "start_date": "2026-08-15"}, "institution"),
    ],
)
def test_bad_education_input_shows_field_errors_and_saves_nothing(personas, login, period, data, field):
    response = login(personas["jobbspesialist"]).post(page("followup_education", period), data)
    assert field in form_errors(response)
    assert not Education.objects.exists()


def test_education_cannot_finish_before_it_started(personas, login, period):
    education = services.education_register(
        actor=personas["jobbspesialist"], period=period, level="fagskole", institution="F", start_date=date(2026, 8, 1)
    )
    response = login(personas["jobbspesialist"]).post(
        page("followup_education_finish", period, education.pk), {"ended_on": "2026-07-01", "completed": "ja"}
    )
    [(_, finish_form)] = response.context["educations"]
    assert "ended_on" in finish_form.errors
    education.refresh_from_db()
    assert education.status == Education.Status.ONGOING


# A closed period is read-only


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("followup_career_profile", {"interests": "x", "disclosure_wish": "none"}),
        ("followup_plan_create", {"purpose": "x", "created_on": "2026-04-01"}),
        ("followup_contacts", {"kind": "team_meeting", "date": "2026-04-01"}),
        ("followup_job_search", {"kind": "offer", "date": "2026-04-01", "position": "x", "employer_name": "y"}),
        ("followup_education", {"level": "fagskole", "institution": "F", "start_date": "2026-04-01"}),
    ],
)
def test_a_closed_period_refuses_every_write_with_a_message(personas, login, closed, name, data):
    client = login(personas["jobbspesialist"])
    events = AuditEvent.objects.count()
    response = client.post(page(name, closed), data, follow=True)
    assert response.status_code == 200
    assert CLOSED_MESSAGE in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_a_closed_period_refuses_plan_activity_and_job_changes(personas, login, plan, employer):
    activity = services.plan_activity_add(actor=personas["jobbspesialist"], plan=plan, description="Søke jobb")
    job = register_job(personas, plan.period, employer)
    period = Period.objects.get(pk=plan.period_id)
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 6, 1),
        reason="work",
        expected_revision=period.revision,
    )
    client = login(personas["jobbspesialist"])
    events = AuditEvent.objects.count()
    for url, data in (
        (
            page("followup_plan_revise", period),
            {"revised_on": "2026-05-01", "content": "x", "took_part": "participant"},
        ),
        (page("followup_activity_add", period), {"description": "x"}),
        (page("followup_activity_status", period, activity.pk), {"status": "done", "revision": "1"}),
        (page("followup_job_end", period, job.pk), {"end_date": "2026-05-31"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302, url
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_a_closed_period_shows_no_forms(personas, login, closed, name):
    response = login(personas["jobbspesialist"]).get(page(name, closed))
    main = response.content.decode().split("</header>")[1]
    assert 'method="post"' not in main
    assert "Det kan leses, men ikke endres." in main


# Employers


@pytest.mark.parametrize(
    ("username", "register", "contacts"),
    [
        ("jobbspesialist", 200, 200),
        ("ips-leder", 200, 403),
        ("behandler", 403, 403),
        *((username, 403, 403) for username in NO_PERSONAL_DATA),
    ],
)
def test_only_the_pathway_roles_use_the_employer_register(personas, login, username, register, contacts):
    client = login(personas[username])
    listing = 403 if username in NO_PERSONAL_DATA else 200
    assert client.get(reverse("employer_list")).status_code == listing
    assert client.get(reverse("employer_register")).status_code == register
    assert client.get(reverse("employer_contact_list")).status_code == contacts
    assert client.get(reverse("employer_contact_record")).status_code == contacts


@pytest.mark.parametrize(("username", "shown"), [("jobbspesialist", True), ("ips-leder", True), ("behandler", False)])
def test_the_menu_has_employers_for_job_specialists_and_leaders(personas, login, username, shown):
    html = login(personas[username]).get(reverse("home")).content.decode()
    assert (f'href="{reverse("employer_list")}"' in html) is shown


def test_the_register_is_searched_by_name_or_organisation_number(personas, login, employer):
    services.employer_register(actor=personas["ips-leder"], name="Lageret AS", orgnr=synthetic_orgnr(501))
    client = login(personas["behandler"])
    assert [e.name for e in client.get(reverse("employer_list")).context["employers"]] == [
        "Lageret AS",
        "Testbutikken AS",
    ]
    assert [e.name for e in client.get(reverse("employer_list"), {"q": "testbut"}).context["employers"]] == [
        "Testbutikken AS"
    ]
    spaced = f"{employer.orgnr[:3]} {employer.orgnr[3:6]} {employer.orgnr[6:]}"
    assert [e.name for e in client.get(reverse("employer_list"), {"q": spaced}).context["employers"]] == [
        "Testbutikken AS"
    ]
    assert client.get(reverse("employer_list"), {"q": "x" * 500}).status_code == 200


def test_an_employer_is_registered_with_a_valid_organisation_number(personas, login):
    number = synthetic_orgnr(600)
    response = login(personas["jobbspesialist"]).post(
        reverse("employer_register"),
        {"name": "Kafeen AS", "orgnr": f"{number[:3]} {number[3:6]} {number[6:]}", "municipality": "0301"},
        follow=True,
    )
    assert "Arbeidsgiveren er registrert." in response.content.decode()
    employer = Employer.objects.get(orgnr=number)
    assert employer.is_synthetic and employer.municipality.number == "0301"
    assert [e.pk for e in response.context["employers"]] == [employer.pk]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "X", "orgnr": "123456789"},
            "orgnr",
            "Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer.",
        ),
        ({"name": "X", "orgnr": "abc"}, "orgnr", "Organisasjonsnummeret må ha 9 siffer med gyldig kontrollsiffer."),
        ({"name": "", "orgnr": synthetic_orgnr(601)}, "name", None),
        (
            {"name": "X", "orgnr": synthetic_orgnr(601), "municipality": "9999"},
            "municipality",
            "Kommunenummeret 9999 finnes ikke.",
        ),
    ],
)
def test_bad_employer_input_shows_field_errors_and_saves_nothing(personas, login, data, field, message):
    response = login(personas["jobbspesialist"]).post(reverse("employer_register"), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    if message:
        assert form_errors(response)[field] == [message]
    assert not Employer.objects.exists()


def test_a_duplicate_employer_is_refused_and_the_registered_one_pointed_to(personas, login, employer):
    response = login(personas["ips-leder"]).post(
        reverse("employer_register"), {"name": "Samme AS", "orgnr": employer.orgnr}
    )
    assert form_errors(response)["orgnr"] == ["Arbeidsgiveren er allerede registrert. Søk opp arbeidsgiveren i stedet."]
    assert response.context["existing"] == employer
    assert f"?q={employer.orgnr}" in response.content.decode()
    assert Employer.objects.count() == 1


def test_employer_contacts_are_recorded_for_named_participants_by_the_job_specialist(personas, login, period, employer):
    client = login(personas["jobbspesialist"])
    form = client.get(reverse("employer_contact_record"), {"arbeidsgiver": employer.pk}).context["form"]
    assert form.initial["employer"] == employer
    assert list(form.fields["participants"].queryset) == [period.participant]
    response = client.post(
        reverse("employer_contact_record"),
        {
            "employer": employer.pk,
            "date": "2026-04-01",
            "face_to_face": "ja",
            "purpose": "named_participants",
            "participants": [period.participant_id],
            "result": "Avtalt hospitering",
        },
        follow=True,
    )
    assert "Arbeidsgiverkontakten er registrert." in response.content.decode()
    contact = EmployerContact.objects.get()
    assert (contact.job_specialist, contact.face_to_face) == (personas["jobbspesialist"], True)
    assert list(contact.participants.all()) == [period.participant]
    assert "Ola Testesen" in response.content.decode()
    # Both the form and the list name the participant: each showing is a read of their data.
    reads = AccessLogEntry.objects.filter(actor=personas["jobbspesialist"], object_id=str(period.participant_id))
    assert {entry.path for entry in reads} >= {reverse("employer_contact_record"), reverse("employer_contact_list")}
    assert response["Cache-Control"] == "no-store"

    client.post(
        reverse("employer_contact_record"),
        {"employer": employer.pk, "date": "2026-04-02", "face_to_face": "nei", "purpose": "job_development"},
    )
    assert EmployerContact.objects.filter(purpose="job_development", face_to_face=False).exists()


def test_the_contact_list_shows_only_the_users_own_contacts(personas, login, employer, outsider):
    services.employer_contact_record(
        actor=outsider, employer=employer, on=date(2026, 4, 1), face_to_face=True, purpose="job_development"
    )
    response = login(personas["jobbspesialist"]).get(reverse("employer_contact_list"))
    assert list(response.context["contacts"]) == []
    response = login(outsider).get(reverse("employer_contact_list"))
    assert len(response.context["contacts"]) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "named_participants", "participants": []}, "participants"),
        ({"purpose": "job_development"}, "participants"),
        ({"date": "2099-01-01"}, "date"),
        ({"face_to_face": ""}, "face_to_face"),
        ({"purpose": "lunsj"}, "purpose"),
        ({"employer": "abc"}, "employer"),
        ({"participants": ["abc"]}, "participants"),
    ],
)
def test_bad_employer_contact_input_shows_field_errors_and_saves_nothing(
    personas, login, period, employer, overrides, field
):
    data = {
        "employer": employer.pk,
        "date": "2026-04-01",
        "face_to_face": "ja",
        "purpose": "named_participants",
        "participants": [period.participant_id],
    } | overrides
    response = login(personas["jobbspesialist"]).post(reverse("employer_contact_record"), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert not EmployerContact.objects.exists()


def test_a_contact_cannot_name_a_participant_the_user_may_not_see(login, period, employer, outsider):
    response = login(outsider).post(
        reverse("employer_contact_record"),
        {
            "employer": employer.pk,
            "date": "2026-04-01",
            "face_to_face": "ja",
            "purpose": "named_participants",
            "participants": [period.participant_id],
        },
    )
    assert form_errors(response)["participants"] == ["Velg blant deltakerne i listen."]
    assert "Ola" not in response.content.decode()
    assert not EmployerContact.objects.exists()


# The summary on the participant's page


def test_the_summary_links_every_area_and_sums_it_up(personas, plan, employer):
    period = plan.period
    services.career_profile_save(actor=personas["jobbspesialist"], period=period, expected_revision=None, interests="A")
    services.contact_record(actor=personas["jobbspesialist"], period=period, kind="team_meeting", on=date(2026, 4, 1))
    register_job(personas, period, employer)
    html = render_to_string(
        "participants/_followup_sections.html", {"period": period, "can_manage": True, "can_follow_up": True}
    )
    for name in PERIOD_PAGES:
        assert f'href="{page(name, period)}"' in html
    assert f"Sist oppdatert {timezone.localdate():%d.%m.%Y}" in html
    assert "Laget 12.03.2026, ikke revidert ennå" in html
    assert "1 kontakt, siste 01.04.2026" in html
    assert "Butikkmedarbeider (01.04.2026)" in html
    assert "ordinært arbeid" in html
    assert "Ingen utdanning registrert" in html


def test_the_summary_of_a_new_period_says_what_is_missing(period):
    html = render_to_string(
        "participants/_followup_sections.html", {"period": period, "can_manage": False, "can_follow_up": True}
    )
    assert "Ikke laget ennå" in html
    assert "Ingen plan ennå" in html
    assert "Registrer en jobb" not in html
