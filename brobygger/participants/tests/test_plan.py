"""Career profile (IPS principle 4) and the follow-up plan (forskriften § 3-3) through the service functions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brobygger.audit.models import AuditEvent
from brobygger.participants import services
from brobygger.participants.models import CareerProfile, FollowUpPlan, PlanActivity, PlanRevision
from brobygger.participants.tests.conftest import PLAN_DAY, audited


def revise(personas, plan, on, **overrides):
    fields = {
        "content": "Søke på tre butikkjobber; øve på intervju",
        "participant_took_part": True,
        "clinician_took_part": True,
        "job_specialist_took_part": True,
    } | overrides
    return services.plan_revise(actor=personas["jobbspesialist"], plan=plan, on=on, **fields)


# Career profile


def test_a_career_profile_is_created_and_updated_with_audit(personas, period):
    profile = services.career_profile_save(
        actor=personas["jobbspesialist"],
        period=period,
        expected_revision=None,
        interests="Klær og kundeservice",
        strengths="Punktlig",
        preferences="Dagtid, deltid, nær Storo",
        disclosure_wish=CareerProfile.DisclosureWish.PARTIAL,
        disclosure_discussed_on=date(2026, 3, 11),
    )
    assert profile.updated_on == timezone.localdate()
    assert profile.revision == 1
    assert audited(profile)

    updated = services.career_profile_save(
        actor=personas["jobbspesialist"], period=period, expected_revision=1, work_history="Lager, 2022"
    )
    assert updated.revision == 2
    assert CareerProfile.objects.get(period=period).work_history == "Lager, 2022"
    assert CareerProfile.objects.get(period=period).interests == "Klær og kundeservice"
    assert audited(updated, "update")


def test_a_stale_career_profile_edit_is_refused_and_nothing_is_saved(personas, period):
    services.career_profile_save(
        actor=personas["jobbspesialist"], period=period, expected_revision=None, interests="Butikk"
    )
    services.career_profile_save(actor=personas["ips-leder"], period=period, expected_revision=1, interests="Lager")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Noen andre har lagret"):
        services.career_profile_save(
            actor=personas["jobbspesialist"], period=period, expected_revision=1, interests="Kafé"
        )
    profile = CareerProfile.objects.get(period=period)
    assert (profile.interests, profile.revision) == ("Lager", 2)
    assert AuditEvent.objects.count() == events


def test_a_second_career_profile_and_a_bad_disclosure_choice_are_refused(personas, period):
    services.career_profile_save(
        actor=personas["jobbspesialist"], period=period, expected_revision=None, strengths="Ro"
    )
    with pytest.raises(ValidationError):
        services.career_profile_save(
            actor=personas["jobbspesialist"], period=period, expected_revision=None, strengths="Ro"
        )
    with pytest.raises(ValidationError) as error:
        services.career_profile_save(
            actor=personas["jobbspesialist"], period=period, expected_revision=1, disclosure_wish="kanskje"
        )
    assert "disclosure_wish" in error.value.message_dict
    assert CareerProfile.objects.get(period=period).revision == 1


def test_an_empty_career_profile_is_refused_and_one_word_is_enough(personas, period):
    specialist = personas["jobbspesialist"]
    empty = {"interests": " ", "strengths": "", "disclosure_wish": "full"}
    with pytest.raises(ValidationError) as error:
        services.career_profile_save(actor=specialist, period=period, expected_revision=None, **empty)
    assert error.value.message_dict == {
        "interests": ["Karriereprofilen er tom. Skriv minst noe om interesser, styrker, ønsker eller erfaring."]
    }
    assert not CareerProfile.objects.exists()
    services.career_profile_save(actor=specialist, period=period, expected_revision=None, work_history="Lager")
    with pytest.raises(ValidationError):
        services.career_profile_save(actor=specialist, period=period, expected_revision=1, work_history="")
    assert CareerProfile.objects.get(period=period).work_history == "Lager"


# Plan, revisions and activities


def test_a_plan_is_created_revised_and_given_activities_with_audit(personas, plan):
    assert plan.created_on == PLAN_DAY
    assert audited(plan)
    first = revise(personas, plan, date(2026, 3, 20), clinician_took_part=False)
    second = revise(personas, plan, date(2026, 4, 20))
    assert [r.pk for r in plan.revisions.all()] == [first.pk, second.pk]
    assert (first.clinician_took_part, second.clinician_took_part) == (False, True)
    assert first.recorded_by == personas["jobbspesialist"]
    assert audited(first) and audited(second)

    activity = services.plan_activity_add(
        actor=personas["jobbspesialist"], plan=plan, description="Lage CV", due_on=date(2026, 3, 31)
    )
    assert activity.status == PlanActivity.Status.PLANNED
    assert audited(activity)
    done = services.plan_activity_set_status(
        actor=personas["jobbspesialist"], activity=activity, status=PlanActivity.Status.DONE, expected_revision=1
    )
    assert PlanActivity.objects.get(pk=done.pk).status == "done"
    assert done.revision == 2
    assert audited(done, "update")


def test_a_revision_without_the_participant_is_refused_citing_section_3_3(personas, plan):
    with pytest.raises(ValidationError) as error:
        revise(personas, plan, date(2026, 3, 20), participant_took_part=False)
    assert "participant_took_part" in error.value.message_dict
    assert "§ 3-3" in error.value.message_dict["participant_took_part"][0]
    assert not PlanRevision.objects.exists()


def test_a_revision_dated_before_the_previous_one_is_refused(personas, plan):
    revise(personas, plan, date(2026, 4, 20))
    with pytest.raises(ValidationError) as error:
        revise(personas, plan, date(2026, 4, 19))
    assert "revised_on" in error.value.message_dict
    assert PlanRevision.objects.count() == 1


def test_a_second_plan_for_the_same_period_is_refused(personas, period, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_create(actor=personas["jobbspesialist"], period=period, purpose="Ny plan", on=date(2026, 4, 1))
    assert "period" in error.value.message_dict
    assert FollowUpPlan.objects.count() == 1


def test_a_plan_for_a_closed_period_is_refused(personas, period):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 3, 11),
        reason="moved",
        expected_revision=period.revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        services.plan_create(actor=personas["jobbspesialist"], period=period, purpose="For sent", on=PLAN_DAY)
    assert not FollowUpPlan.objects.exists()


def test_a_stale_activity_status_change_is_refused(personas, plan):
    activity = services.plan_activity_add(actor=personas["jobbspesialist"], plan=plan, description="Lage CV")
    services.plan_activity_set_status(
        actor=personas["ips-leder"], activity=activity, status=PlanActivity.Status.IN_PROGRESS, expected_revision=1
    )
    stale = PlanActivity.objects.get(pk=activity.pk)
    with pytest.raises(ValidationError, match="Noen andre har lagret"):
        services.plan_activity_set_status(
            actor=personas["jobbspesialist"], activity=stale, status=PlanActivity.Status.CANCELLED, expected_revision=1
        )
    assert PlanActivity.objects.get(pk=activity.pk).status == "in_progress"
    with pytest.raises(ValidationError) as error:
        services.plan_activity_set_status(
            actor=personas["jobbspesialist"], activity=stale, status="glemt", expected_revision=2
        )
    assert "status" in error.value.message_dict


# Plan status (rule "plan-oppdatert")


def test_plan_status_counts_from_creation_when_there_is_no_revision(plan):
    at_limit = services.plan_status(plan=plan, on=PLAN_DAY + timedelta(days=90))
    assert at_limit.rule == "plan-oppdatert"
    assert at_limit.outcome == "oppdatert"
    assert at_limit.details["max_days"] == 90
    stale = services.plan_status(plan=plan, on=PLAN_DAY + timedelta(days=91))
    assert stale.outcome == "utdatert"
    assert "mer enn 90 dager" in stale.reasons[0].text


def test_plan_status_counts_from_the_last_revision(personas, plan):
    revise(personas, plan, date(2026, 3, 20))
    revised = date(2026, 5, 1)
    revise(personas, plan, revised)
    assert services.plan_status(plan=plan, on=revised + timedelta(days=90)).outcome == "oppdatert"
    stale = services.plan_status(plan=plan, on=revised + timedelta(days=91))
    assert stale.outcome == "utdatert"
    assert stale.details["days_since_revision"] == 91


def test_plan_status_honours_a_given_limit(plan):
    assert services.plan_status(plan=plan, on=PLAN_DAY + timedelta(days=30), max_days=30).outcome == "oppdatert"
    assert services.plan_status(plan=plan, on=PLAN_DAY + timedelta(days=31), max_days=30).outcome == "utdatert"


def test_a_plan_of_a_closed_period_cannot_be_revised(personas, period, plan):
    services.period_close(
        actor=personas["jobbspesialist"],
        period=period,
        on=date(2026, 4, 1),
        reason="moved",
        expected_revision=period.revision,
    )
    with pytest.raises(ValidationError, match="avsluttet"):
        revise(personas, plan, date(2026, 4, 2))
    assert not PlanRevision.objects.exists()
