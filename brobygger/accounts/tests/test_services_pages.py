import re

import pytest

from brobygger.accounts.models import IpsService, Municipality, Organisation
from brobygger.audit.models import AuditEvent


def test_a_job_specialist_sees_only_their_own_service(personas, login):
    client = login(personas["jobbspesialist"])
    own = IpsService.objects.get(name="IPS Oslo Nord")
    other = IpsService.objects.get(name="IPS Tromsø")
    assert client.get(f"/tilbud/{own.pk}/").status_code == 200
    assert client.get(f"/tilbud/{other.pk}/").status_code == 404
    listed = [s.name for s in client.get("/tilbud/").context["services"]]
    assert listed == ["IPS Oslo Nord"]


@pytest.mark.parametrize("username", ["tilskuddsforvalter", "analytiker", "sysadmin"])
def test_national_roles_see_every_service(personas, login, username):
    client = login(personas[username])
    assert len(client.get("/tilbud/").context["services"]) == IpsService.objects.count()


def test_a_reviewer_sees_the_services_assigned_to_them(personas, login):
    client = login(personas["kvalitetsevaluator"])
    listed = sorted(s.name for s in client.get("/tilbud/").context["services"])
    assert listed == ["IPS Tromsø", "IPS ung Romerike"]


def test_a_system_administrator_registers_a_service_with_its_municipalities(personas, login):
    client = login(personas["sysadmin"])
    owner = Organisation.objects.get(name="Oslo kommune (demo)")
    municipalities = Municipality.objects.filter(number__in=["0301", "3201"])
    response = client.post(
        "/tilbud/nytt/",
        {
            "name": "IPS Nytt",
            "owners": [owner.pk],
            "anchoring": "kommunal",
            "health_region": "sor_ost",
            "municipalities": [k.pk for k in municipalities],
            "offers_ips_ung": "on",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    service = IpsService.objects.get(name="IPS Nytt")
    assert sorted(service.municipalities.values_list("number", flat=True)) == ["0301", "3201"]
    event = AuditEvent.objects.get(object_type="accounts.ipsservice", object_id=str(service.pk))
    assert event.after["municipalities"] == sorted(k.pk for k in municipalities)


def test_a_service_without_municipalities_or_date_is_refused(personas, login):
    client = login(personas["sysadmin"])
    response = client.post("/tilbud/nytt/", {"name": "Uten kommune", "anchoring": "kommunal"})
    errors = response.context["form"].errors
    assert {"municipalities", "start_date", "owners", "health_region"} <= set(errors)
    assert not IpsService.objects.filter(name="Uten kommune").exists()


def test_home_page_differs_by_role(personas, login):
    for username, heading in [
        ("jobbspesialist", "Jobbspesialist"),
        ("tilskuddsforvalter", "Tilskuddsforvalter"),
    ]:
        page = login(personas[username]).get("/").content.decode()
        assert f">{heading}</h1>" in page


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/tilbud/")
    assert response.status_code == 302 and response.url.startswith("/logg-inn/")


def test_the_service_page_lists_its_job_specialists_with_position_fractions(personas, login):
    service = IpsService.objects.get(name="IPS Oslo Nord")
    response = login(personas["ips-leder"]).get(f"/tilbud/{service.pk}/")
    fractions = sorted(str(s.position_fraction) for s in response.context["specialists"])
    assert fractions == ["0.50", "1.00", "1.00"]


def test_the_grant_officers_home_page_links_only_to_pages_that_open_for_them(personas, login):
    client = login(personas["tilskuddsforvalter"])
    response = client.get("/")
    page = response.content.decode()
    # Every part of the grant scheme has its way in: reports, payments, control and the Ministry's figures.
    assert all(word in page for word in ("årsrapport", "utbetalinger", "Kontrollere", "departementet"))
    can_do = page.split('id="can-do"')[1].split("</section>")[0]
    links = re.findall(r'href="([^"]+)"', can_do)
    assert len(links) == 11
    for link in links:
        assert client.get(link).status_code == 200, link
