"""Roles and memberships: every change is audited, widening access waits for a second administrator, and nobody
grants themselves access, whether through the services or the admin."""

import pytest
from django.core.exceptions import ValidationError

from brobygger.accounts import services
from brobygger.accounts.models import AccessGrant, IpsService, Membership, Role, User
from brobygger.audit.models import AuditEvent


@pytest.fixture
def second_admin(personas):
    return User.objects.create_user("sysadmin-2", role=Role.SYSTEM_ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def tromso():
    return IpsService.objects.get(name="IPS Tromsø")


def test_a_role_that_sees_personal_data_waits_for_a_second_administrator(personas, second_admin):
    analyst = personas["analytiker"]
    grant = services.user_access_change(actor=personas["sysadmin"], user=analyst, changes={"role": Role.IPS_LEADER})
    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    assert grant.status == AccessGrant.Status.PENDING
    services.access_grant_approve(actor=second_admin, grant=grant)
    analyst.refresh_from_db()
    assert analyst.role == Role.IPS_LEADER
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (AccessGrant.Status.APPROVED, second_admin)
    change = AuditEvent.objects.get(object_type="accounts.user", object_id=str(analyst.pk), action="update")
    assert (change.before, change.after, change.actor) == ({"role": "analytiker"}, {"role": "ips_leder"}, second_admin)


def test_a_role_without_personal_data_applies_at_once_and_is_audited(personas):
    leader = personas["ips-leder"]
    assert services.user_access_change(actor=personas["sysadmin"], user=leader, changes={"role": Role.ANALYST}) is None
    leader.refresh_from_db()
    assert leader.role == Role.ANALYST
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(leader.pk), action="update")
    assert event.after == {"role": "analytiker"}


def test_the_administrator_who_asked_cannot_approve(personas, second_admin):
    grant = services.user_access_change(
        actor=personas["sysadmin"], user=personas["analytiker"], changes={"role": Role.CLINICIAN}
    )
    with pytest.raises(ValidationError, match="En annen systemadministrator"):
        services.access_grant_approve(actor=personas["sysadmin"], grant=grant)
    personas["analytiker"].refresh_from_db()
    assert personas["analytiker"].role == Role.ANALYST


def test_nobody_changes_their_own_role_or_approves_access_for_themselves(personas, second_admin):
    with pytest.raises(ValidationError, match="din egen"):
        services.user_access_change(actor=second_admin, user=second_admin, changes={"is_active": False})
    grant = services.user_access_change(
        actor=personas["sysadmin"], user=second_admin, changes={"role": Role.JOB_SPECIALIST}
    )
    with pytest.raises(ValidationError, match="din egen"):
        services.access_grant_approve(actor=second_admin, grant=grant)
    assert AccessGrant.objects.get(pk=grant.pk).status == AccessGrant.Status.PENDING


def test_only_system_administrators_change_access(personas):
    with pytest.raises(ValidationError, match="Bare systemadministratorer"):
        services.user_access_change(
            actor=personas["ips-leder"], user=personas["analytiker"], changes={"role": Role.JOB_SPECIALIST}
        )
    assert not AccessGrant.objects.exists()


def test_the_database_refuses_a_grant_asked_for_oneself(personas):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AccessGrant.objects.create(user=personas["sysadmin"], requested_by=personas["sysadmin"], changes={"x": 1})


def test_a_membership_for_a_role_that_sees_personal_data_waits_for_approval(personas, second_admin, tromso):
    specialist = personas["jobbspesialist"]
    grant = services.membership_request(actor=personas["sysadmin"], user=specialist, service=tromso)
    assert isinstance(grant, AccessGrant)
    assert not Membership.objects.filter(user=specialist, service=tromso).exists()
    services.access_grant_approve(actor=second_admin, grant=grant)
    membership = Membership.objects.get(user=specialist, service=tromso)
    assert AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(membership.pk), action="create", actor=second_admin
    ).exists()


def test_a_membership_for_a_role_without_personal_data_applies_at_once(personas, tromso):
    reviewer = personas["kvalitetsevaluator"]
    membership = Membership.objects.get(user=reviewer, service=tromso)
    services.membership_remove(actor=personas["sysadmin"], membership=membership)
    result = services.membership_request(actor=personas["sysadmin"], user=reviewer, service=tromso)
    assert isinstance(result, Membership)
    assert AuditEvent.objects.filter(object_type="accounts.membership", action="delete").count() == 1


def test_a_rejected_grant_changes_nothing_and_cannot_be_approved_later(personas, second_admin, tromso):
    grant = services.membership_request(actor=personas["sysadmin"], user=personas["behandler"], service=tromso)
    services.access_grant_reject(actor=second_admin, grant=grant)
    with pytest.raises(ValidationError, match="allerede avgjort"):
        services.access_grant_approve(actor=second_admin, grant=grant)
    assert not Membership.objects.filter(user=personas["behandler"], service=tromso).exists()


def test_a_team_of_another_service_is_refused(personas, tromso):
    oslo_team = IpsService.objects.get(name="IPS Oslo Nord").teams.first()
    with pytest.raises(ValidationError):
        services.membership_request(
            actor=personas["sysadmin"], user=personas["behandler"], service=tromso, team=oslo_team
        )


# --- The admin goes through the same services --------------------------------------------------------------------


def _user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_role_change_in_the_admin_becomes_a_pending_grant(personas, login):
    analyst = personas["analytiker"]
    client = login(personas["sysadmin"])
    response = client.post(f"/admin/accounts/user/{analyst.pk}/change/", _user_form(analyst, role=Role.CLINICIAN))
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    grant = AccessGrant.objects.get(user=analyst)
    assert grant.changes == {"role": "behandler"}


def test_in_the_admin_an_administrator_cannot_change_their_own_role(personas, login):
    admin = personas["sysadmin"]
    client = login(admin)
    client.post(f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin, role=Role.ANALYST, is_superuser=""))
    admin.refresh_from_db()
    assert (admin.role, admin.is_superuser) == (Role.SYSTEM_ADMINISTRATOR, True)
    assert not AccessGrant.objects.exists()


def test_a_membership_added_in_the_admin_waits_and_another_admin_approves_it_there(
    personas, login, second_admin, tromso
):
    specialist = personas["jobbspesialist"]
    existing = list(specialist.memberships.order_by("pk"))
    form = _user_form(specialist)
    form.update({"memberships-TOTAL_FORMS": str(len(existing) + 1), "memberships-INITIAL_FORMS": str(len(existing))})
    for index, membership in enumerate(existing):
        form[f"memberships-{index}-id"] = str(membership.pk)
        form[f"memberships-{index}-user"] = str(specialist.pk)
    form[f"memberships-{len(existing)}-service"] = str(tromso.pk)
    form[f"memberships-{len(existing)}-user"] = str(specialist.pk)
    client = login(personas["sysadmin"])
    assert client.post(f"/admin/accounts/user/{specialist.pk}/change/", form).status_code == 302
    assert not Membership.objects.filter(user=specialist, service=tromso).exists()
    grant = AccessGrant.objects.get(user=specialist, service=tromso)

    # The one who asked cannot approve it in the admin either.
    client.post("/admin/accounts/accessgrant/", {"action": "approve", "_selected_action": [grant.pk]})
    assert not Membership.objects.filter(user=specialist, service=tromso).exists()

    other = login(second_admin)
    other.post("/admin/accounts/accessgrant/", {"action": "approve", "_selected_action": [grant.pk]})
    assert Membership.objects.filter(user=specialist, service=tromso).exists()


def test_a_user_created_in_the_admin_starts_inactive_until_a_second_administrator_approves(personas, login):
    client = login(personas["sysadmin"])
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ny-jobbspesialist",
            "password1": "et-langt-passord-2026",
            "password2": "et-langt-passord-2026",
            "usable_password": "true",
            "role": Role.JOB_SPECIALIST,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="ny-jobbspesialist")
    assert not user.is_active
    assert AccessGrant.objects.get(user=user).changes == {"is_active": True}


def test_the_admin_pages_refuse_roles_other_than_system_administrator(personas, login):
    client = login(personas["ips-leder"])
    assert client.get("/admin/accounts/accessgrant/").status_code == 302
