"""The grant services: every rule and limit, with both sides of each boundary."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brobygger.accounts.demo import synthetic_orgnr
from brobygger.accounts.models import Organisation, Role, User
from brobygger.audit.models import AuditEvent
from brobygger.grants import services
from brobygger.grants.models import Appeal, Application, Attachment, Decision, Recommendation
from brobygger.grants.tests.fixtures import PDF, assessed, fill, submitted


def messages(error: ValidationError) -> str:
    return " ".join(error.value.messages)


# Calls


def test_it_refuses_a_call_whose_deadline_is_outside_its_year(officer):
    with pytest.raises(ValidationError) as error:
        services.call_create(
            actor=officer, year=2026, title="X", budget_frame=1000, deadline=date(2027, 1, 1), text="Tekst"
        )
    assert "utlysningens år" in messages(error)


@pytest.mark.parametrize("frame", [0, "-1", "100.50", "abc", "1000000001"])
def test_it_refuses_a_frame_that_is_not_whole_positive_kroner_within_bounds(officer, frame):
    with pytest.raises(ValidationError):
        services.call_create(
            actor=officer, year=2026, title="X", budget_frame=frame, deadline=date(2026, 3, 1), text="Tekst"
        )


def test_only_grant_officers_make_calls(applicant):
    with pytest.raises(PermissionDenied):
        services.call_create(
            actor=applicant, year=2026, title="X", budget_frame=1000, deadline=date(2026, 3, 1), text="Tekst"
        )


def test_applicants_cannot_apply_to_a_draft_call(officer, applicant):
    draft = services.call_create(
        actor=officer, year=2026, title="X", budget_frame=1000, deadline=date(2026, 3, 1), text="Tekst"
    )
    with pytest.raises(PermissionDenied):
        services.application_create(actor=applicant, call=draft, title="Søknad")


# Applications


def test_an_inter_municipal_company_cannot_apply(call, personas):
    iks = Organisation.objects.create(
        name="IKS (test)",
        orgnr=synthetic_orgnr(901),
        org_type=Organisation.Type.INTER_MUNICIPAL_COMPANY,
        is_synthetic=True,
    )
    user = User.objects.create(username="iks", role=Role.APPLICANT, organisation=iks)
    with pytest.raises(ValidationError) as error:
        services.application_create(actor=user, call=call, title="Søknad")
    assert "interkommunale selskaper" in messages(error)


def test_submission_lists_every_missing_item_with_its_citation(applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Tom søknad")
    with pytest.raises(ValidationError) as error:
        submitted(applicant, application)
    texts = error.value.messages
    assert "Søknaden sier ikke hvilket tiltak (A, B eller C) det søkes til." in texts[0]
    assert any("mangler en prosjektbeskrivelse" in text for text in texts)
    assert any("mangler en gjennomføringsplan med milepæler" in text for text in texts)
    assert any("mangler underskrift av den som har fullmakt" in text for text in texts)
    assert len(texts) == 12
    assert all("pkt. 4" in text for text in texts)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_one_missing_item_is_named_and_nothing_is_submitted(applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Usignert")
    fill(applicant, application, sign=False)
    with pytest.raises(ValidationError) as error:
        submitted(applicant, application)
    assert error.value.messages == [
        "Søknaden mangler underskrift av den som har fullmakt. "
        "(Regelverk for tilskuddsordningen, pkt. 4 Søknaden skal inneholde)"
    ]


def test_a_complete_application_is_submitted_locked_and_audited(applicant, complete):
    events = AuditEvent.objects.count()
    application = submitted(applicant, complete)
    assert application.status == Application.Status.SUBMITTED
    assert application.checklist["outcome"] == "komplett"
    assert application.measures.get().project_year == 1
    assert AuditEvent.objects.count() > events
    with pytest.raises(PermissionDenied):
        services.application_update(actor=applicant, application=application, goals="Endret")


def test_it_submits_on_the_deadline_day_and_refuses_the_day_after(applicant, complete):
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=applicant, application=complete, on=date(2026, 3, 2))
    assert "Søknadsfristen gikk ut 01.03.2026" in messages(error)
    services.application_submit(actor=applicant, application=complete, on=date(2026, 3, 1))


def test_a_late_application_is_submitted_after_an_officer_records_an_exception(applicant, officer, complete):
    with pytest.raises(ValidationError):
        services.application_record_deadline_exception(actor=officer, application=complete, reason=" ")
    with pytest.raises(PermissionDenied):
        services.application_record_deadline_exception(actor=applicant, application=complete, reason="Selv")
    services.application_record_deadline_exception(actor=officer, application=complete, reason="Systemfeil hos oss.")
    application = services.application_submit(actor=applicant, application=complete, on=date(2026, 3, 10))
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize(("fte", "ok"), [("0", False), ("0.01", True), ("1", True), ("1.01", False), ("0.005", False)])
def test_each_position_is_more_than_0_and_at_most_1_fte(applicant, call, fte, ok):
    application = services.application_create(actor=applicant, call=call, title="Stillinger")
    kwargs = dict(actor=applicant, application=application, measure="A", requested_amount=1, positions=[("JS", fte)])
    if ok:
        assert services.application_measure_set(**kwargs).fte == Decimal(fte)
    else:
        with pytest.raises(ValidationError):
            services.application_measure_set(**kwargs)
        assert not application.measures.exists()


def test_a_measure_closed_in_the_call_is_refused(officer, applicant):
    call = services.call_create(
        actor=officer,
        year=2026,
        title="Bare A",
        budget_frame=1000,
        deadline=date(2026, 3, 1),
        text="T",
        opens_b=False,
        opens_c=False,
    )
    services.call_publish(actor=officer, call=call)
    application = services.application_create(actor=applicant, call=call, title="B")
    with pytest.raises(ValidationError) as error:
        services.application_measure_set(
            actor=applicant, application=application, measure="B", requested_amount=1, area="Oslo"
        )
    assert "ikke åpent" in messages(error)


def test_attachments_must_be_pdf_by_their_bytes_and_under_the_size_limit(applicant, complete, settings):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=applicant, application=complete, kind="other", filename="lur.pdf", content=b"PK\x03\x04zip"
        )
    assert "PDF" in messages(error)
    too_big = PDF + b"0" * (services.MAX_ATTACHMENT_BYTES - len(PDF) + 1)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=applicant, application=complete, kind="other", filename="s.pdf", content=too_big)
    at_limit = too_big[:-1]
    attachment = services.attachment_add(
        actor=applicant, application=complete, kind="other", filename="s.pdf", content=at_limit
    )
    assert attachment.size == services.MAX_ATTACHMENT_BYTES


def test_a_municipality_signs_by_its_director_not_a_chair(applicant, call):
    application = services.application_create(actor=applicant, call=call, title="S")
    with pytest.raises(ValidationError) as error:
        services.signature_add(
            actor=applicant,
            application=application,
            name="N",
            authority="chair",
            title="Styreleder",
            signed_on=date(2026, 2, 1),
        )
    assert "kommunedirektøren" in messages(error)


def test_a_joint_c_application_needs_both_signatures_and_the_agreement(applicant, applicant_hf, call):
    application = services.application_create(
        actor=applicant, call=call, title="FACT", partner=applicant_hf.organisation
    )
    fill(applicant, application, measure="C", fte="0.5", requested=250000)
    result = services.application_checklist(application)
    assert set(result.details["missing"]) == {"c_felles_soknad", "c_samarbeidsavtale"}
    services.signature_add(
        actor=applicant_hf,
        application=application,
        name="P",
        authority="chair",
        title="Styreleder",
        signed_on=date(2026, 2, 2),
    )
    services.attachment_add(
        actor=applicant,
        application=application,
        kind=Attachment.Kind.COLLABORATION_AGREEMENT,
        filename="a.pdf",
        content=PDF,
    )
    assert services.application_checklist(application).outcome == "komplett"
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=applicant_hf, application=application, on=date(2026, 2, 20))
    assert submitted(applicant, application).status == Application.Status.SUBMITTED


def test_a_change_after_submission_is_a_new_version_that_keeps_the_old(applicant, complete):
    old = submitted(applicant, complete)
    new = services.application_new_version(actor=applicant, application=old)
    assert (new.version, new.supersedes, new.status) == (2, old, Application.Status.DRAFT)
    assert new.measures.get().positions.count() == 1
    assert not new.signatures.exists()
    services.application_update(actor=applicant, application=new, goals="Nye mål.")
    services.signature_add(
        actor=applicant,
        application=new,
        name="K",
        authority="municipal_director",
        title="Kommunedirektør",
        signed_on=date(2026, 2, 3),
    )
    submitted(applicant, new)
    old.refresh_from_db()
    assert old.status == Application.Status.SUPERSEDED
    assert old.goals == "Flere i arbeid."


# Project year and ceiling from history


def test_the_project_year_and_ceiling_come_from_earlier_grants(officer, applicant, complete):
    organisation = applicant.organisation
    services.earlier_grant_record(actor=officer, organisation=organisation, measure="A", year=2024, amount=500000)
    services.earlier_grant_record(actor=officer, organisation=organisation, measure="A", year=2025)
    services.earlier_grant_record(actor=officer, organisation=organisation, measure="C", year=2025)
    application = submitted(applicant, complete)
    row = application.measures.get()
    assert row.project_year == 3
    assert services.measure_ceiling(row).ceiling == Decimal(300000)


def test_an_earlier_grant_cannot_be_recorded_for_the_future(officer, applicant):
    with pytest.raises(ValidationError):
        services.earlier_grant_record(actor=officer, organisation=applicant.organisation, measure="A", year=2099)


def test_measure_b_counts_at_most_two_positions_and_adds_training(applicant, call):
    application = services.application_create(actor=applicant, call=call, title="B")
    row = services.application_measure_set(
        actor=applicant,
        application=application,
        measure="B",
        requested_amount=2000000,
        positions=[("R1", "1"), ("R2", "1"), ("R3", "0.5")],
        area="Øst",
        training_measures="Kurs",
        training_amount=100000,
    )
    assert services.measure_ceiling(row).ceiling == Decimal(1500000)


# Impartiality and assessment


def test_an_officer_must_declare_impartiality_before_assessing(officer, applicant, complete):
    application = submitted(applicant, complete)
    with pytest.raises(PermissionDenied) as error:
        services.application_assess(actor=officer, application=application, criteria="x", proposals={})
    assert "§ 6" in str(error.value)


def test_a_declared_conflict_hands_the_case_on_and_blocks_assessing(officer, second_officer, applicant, complete):
    application = submitted(applicant, complete)
    with pytest.raises(ValidationError):
        services.impartiality_declare(actor=officer, application=application, conflict=True, explanation="Søster")
    services.impartiality_declare(
        actor=officer,
        application=application,
        conflict=True,
        explanation="Søsteren min leder tjenesten.",
        hand_to=second_officer,
    )
    application.refresh_from_db()
    assert application.assigned_officer == second_officer
    with pytest.raises(PermissionDenied) as error:
        services.application_assess(actor=officer, application=application, criteria="x", proposals={"A": (500000, "")})
    assert "inhabil" in str(error.value)
    assessment = assessed(second_officer, application)
    assert assessment.assessor == second_officer


def test_only_the_officer_the_case_is_assigned_to_assesses_it(officer, second_officer, applicant, complete):
    application = submitted(applicant, complete)
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    services.impartiality_declare(actor=second_officer, application=application, conflict=False)
    with pytest.raises(PermissionDenied) as error:
        services.application_assess(
            actor=second_officer, application=application, criteria="x", proposals={"A": (500000, "")}
        )
    assert "tildelt Tone Dahl" in str(error.value)


def test_the_proposed_amount_is_at_most_the_ceiling(officer, applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Over")
    fill(applicant, application, requested=600000)
    submitted(applicant, application)
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    with pytest.raises(ValidationError) as error:
        services.application_assess(
            actor=officer, application=application, criteria="x", proposals={"A": (500001, "Tak")}
        )
    assert "500 000 kr" in messages(error)
    assessment = services.application_assess(
        actor=officer, application=application, criteria="x", proposals={"A": (500000, "Høyeste tilskudd.")}
    )
    assert assessment.outcome == "partly"
    assert assessment.priority == 1


def test_a_reduction_needs_a_reason(officer, applicant, complete):
    application = submitted(applicant, complete)
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    with pytest.raises(ValidationError) as error:
        services.application_assess(actor=officer, application=application, criteria="x", proposals={"A": (400000, "")})
    assert "lavere enn omsøkt" in messages(error)


def test_a_refusal_needs_reasons_and_citations(officer, applicant, complete):
    application = submitted(applicant, complete)
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    with pytest.raises(ValidationError) as error:
        services.application_assess(
            actor=officer, application=application, criteria="x", proposals={"A": (0, "Avslått.")}
        )
    assert set(error.value.message_dict) == {"refusal_reasons", "refusal_citations"}
    assessment = services.application_assess(
        actor=officer,
        application=application,
        criteria="x",
        proposals={"A": (0, "Avslått.")},
        refusal_reasons="Svak måloppnåelse.",
        refusal_citations="Regelverket pkt. 5",
    )
    assert assessment.outcome == "refuse"


def test_an_ineligible_measure_gets_nothing(officer, applicant, call):
    application = services.application_create(actor=applicant, call=call, title="Ikke i ordningen")
    fill(applicant, application, earlier_scheme_project_year=0)
    submitted(applicant, application)
    services.impartiality_declare(actor=officer, application=application, conflict=False)
    with pytest.raises(ValidationError) as error:
        services.application_assess(
            actor=officer, application=application, criteria="x", proposals={"A": (100000, "x")}
        )
    assert "oppfyller ikke vilkårene" in messages(error)


def test_c_has_second_priority_and_teams_out_of_the_scheme_go_first(officer, applicant, joint):
    assessment = assessed(officer, submitted(applicant, joint))
    assert (assessment.priority, assessment.within_priority) == (2, 1)


# Allocation and recommendation


@pytest.fixture
def two_assessed(officer, applicant, complete, joint):
    """A: 500 000 and C: 250 000 proposed, in a call with a frame of 3 000 000."""
    return [assessed(officer, submitted(applicant, complete)), assessed(officer, submitted(applicant, joint))]


def test_allocation_lists_priority_order_with_a_running_sum(call, two_assessed):
    rows = services.allocation(call)
    assert [(r.measure, r.priority, r.running_total) for r in rows] == [
        ("A", 1, Decimal(500000)),
        ("C", 2, Decimal(750000)),
    ]


def test_allocation_refuses_to_exceed_the_frame(officer, call, two_assessed):
    call.budget_frame = Decimal(700000)
    call.save()
    rows = services.allocation(call)
    with pytest.raises(ValidationError) as error:
        services.allocation_update(actor=officer, call=call, amounts={rows[0].assessed.pk: 500000})
    assert "over budsjettrammen" in messages(error)
    total = services.allocation_update(actor=officer, call=call, amounts={rows[0].assessed.pk: 450000})
    assert total == Decimal(700000)
    rows[0].assessed.refresh_from_db()
    assert rows[0].assessed.reduction_reason


def test_allocation_refuses_an_amount_above_the_ceiling(officer, call, two_assessed):
    row = services.allocation(call)[0]
    with pytest.raises(ValidationError):
        services.allocation_update(actor=officer, call=call, amounts={row.assessed.pk: 500001})


def test_a_recommendation_over_the_frame_is_refused(officer, call, two_assessed):
    call.budget_frame = Decimal(749999)
    call.save()
    with pytest.raises(ValidationError) as error:
        services.recommendation_submit(actor=officer, call=call)
    assert "over budsjettrammen" in messages(error)
    call.budget_frame = Decimal(750000)
    call.save()
    assert services.recommendation_submit(actor=officer, call=call).total == Decimal(750000)


def test_a_recommendation_waits_for_every_application_to_be_assessed(officer, applicant, call, complete):
    submitted(applicant, complete)
    with pytest.raises(ValidationError) as error:
        services.recommendation_submit(actor=officer, call=call)
    assert "ikke vurdert" in messages(error)


def test_an_approver_cannot_approve_their_own_recommendation(approver, officer, call, two_assessed):
    recommendation = services.recommendation_submit(actor=approver, call=call)
    with pytest.raises(PermissionDenied) as error:
        services.recommendation_approve(actor=approver, recommendation=recommendation)
    assert "selv har sendt" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.recommendation_approve(actor=officer, recommendation=recommendation)
    assert Recommendation.objects.get().status == Recommendation.Status.SUBMITTED


def test_an_approver_returns_a_recommendation_with_a_comment(approver, officer, call, two_assessed):
    recommendation = services.recommendation_submit(actor=officer, call=call)
    with pytest.raises(ValidationError):
        services.recommendation_return(actor=approver, recommendation=recommendation, comment="")
    services.recommendation_return(actor=approver, recommendation=recommendation, comment="Se på C.")
    assert services.recommendation_submit(actor=officer, call=call).status == Recommendation.Status.SUBMITTED


def test_approval_makes_one_decision_per_application_by_two_people(approver, officer, call, two_assessed):
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decisions = services.recommendation_approve(actor=approver, recommendation=recommendation)
    assert len(decisions) == 2
    assert all(d.prepared_by == officer and d.approved_by == approver for d in decisions)
    assert {d.outcome for d in decisions} == {Decision.Outcome.GRANTED}
    assert all(d.report_due == date(2027, 4, 1) for d in decisions)


# Decisions: never edited, replaced


@pytest.fixture
def notified(approver, officer, call, two_assessed):
    recommendation = services.recommendation_submit(actor=officer, call=call)
    decision = services.recommendation_approve(actor=approver, recommendation=recommendation)[0]
    services.decision_send(actor=officer, decision=decision, on=date(2026, 3, 13))
    return decision


def test_an_appeal_in_time_goes_through_reconsideration_to_the_ministry(officer, notified):
    assert notified.letter.appeal_deadline == date(2026, 4, 7)
    appeal = services.appeal_register(
        actor=officer, decision=notified, received_on=date(2026, 4, 7), grounds="Vi trenger mer."
    )
    assert appeal.in_time and appeal.status == Appeal.Status.RECEIVED
    step = services.appeal_next_step(appeal, today=date(2026, 5, 1))
    assert step.due == date(2026, 5, 7) and "foreløpig svar" in step.text
    services.appeal_preliminary_reply(actor=officer, appeal=appeal, on=date(2026, 5, 2))
    services.appeal_forward(actor=officer, appeal=appeal, reconsideration="Vedtaket står.", on=date(2026, 5, 20))
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.FORWARDED and bytes(appeal.summary_pdf).startswith(b"%PDF")
    with pytest.raises(ValidationError):
        services.appeal_ministry_outcome(actor=officer, appeal=appeal, outcome="upheld", decided_on=date(2026, 5, 19))
    services.appeal_ministry_outcome(actor=officer, appeal=appeal, outcome="upheld", decided_on=date(2026, 6, 20))
    assert Appeal.objects.get().status == Appeal.Status.CLOSED


def test_a_late_appeal_is_dismissed_unless_considered_with_a_reason(officer, notified):
    late = services.appeal_register(actor=officer, decision=notified, received_on=date(2026, 4, 8), grounds="Sent")
    assert (late.in_time, late.status) == (False, Appeal.Status.DISMISSED)
    with pytest.raises(ValidationError) as error:
        services.appeal_register(
            actor=officer, decision=notified, received_on=date(2026, 4, 8), grounds="Sent", late_considered=True
        )
    assert "§ 31" in messages(error)
    considered = services.appeal_register(
        actor=officer,
        decision=notified,
        received_on=date(2026, 4, 8),
        grounds="Sent",
        late_considered=True,
        late_reason="Brevet kom ikke fram.",
    )
    assert considered.status == Appeal.Status.RECEIVED


def test_a_changed_decision_is_a_new_one_approved_by_someone_else(officer, approver, notified):
    appeal = services.appeal_register(
        actor=officer, decision=notified, received_on=date(2026, 3, 20), grounds="Beløpet er for lavt."
    )
    measure = notified.measures.get()
    with pytest.raises(ValidationError):
        services.appeal_change(
            actor=officer, appeal=appeal, amounts={measure.measure: measure.ceiling + 1}, reasons="Mer."
        )
    new = services.appeal_change(actor=officer, appeal=appeal, amounts={measure.measure: 400000}, reasons="Rettet.")
    assert new.replaces == notified and new.status == Decision.Status.PREPARED
    with pytest.raises(PermissionDenied):
        services.decision_approve(actor=officer, decision=new)
    services.decision_approve(actor=approver, decision=new)
    notified.refresh_from_db()
    assert notified.status == Decision.Status.REPLACED
    assert notified.total == Decimal(500000)
    letter = services.decision_send(actor=officer, decision=new, on=date(2026, 4, 1))
    assert letter.appeal_deadline == date(2026, 4, 22)


def test_the_database_refuses_the_same_person_preparing_and_approving(officer, notified):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=notified.pk).update(approved_by=officer)


def test_parts_of_a_draft_can_be_removed_but_not_another_organisations_signature(applicant, applicant_hf, joint):
    line = joint.budget_lines.get()
    services.application_part_remove(actor=applicant, application=joint, part=line)
    assert not joint.budget_lines.exists()
    theirs = joint.signatures.get(organisation=applicant_hf.organisation)
    with pytest.raises(PermissionDenied):
        services.application_part_remove(actor=applicant, application=joint, part=theirs)
    services.application_part_remove(actor=applicant_hf, application=joint, part=theirs)
    assert services.application_checklist(joint).outcome == "mangler"


def test_nothing_is_removed_from_a_submitted_application(applicant, complete):
    application = submitted(applicant, complete)
    with pytest.raises(PermissionDenied):
        services.application_part_remove(actor=applicant, application=application, part=application.milestones.get())
