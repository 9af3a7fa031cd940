from collections import Counter
from datetime import date

from brobygger.accounts.models import County, Municipality

JAN_2024 = date(2024, 1, 1)


def test_it_has_357_municipalities_and_15_counties_valid_in_2024(db):
    assert Municipality.objects.valid_on(JAN_2024).count() == 357
    assert County.objects.valid_on(JAN_2024).count() == 15


def test_every_municipality_number_is_unique_and_four_digits(db):
    numbers = list(Municipality.objects.valid_on(JAN_2024).values_list("number", flat=True))
    assert [n for n, count in Counter(numbers).items() if count > 1] == []
    assert all(len(n) == 4 and n.isdigit() for n in numbers)


def test_each_number_starts_with_its_county_number(db):
    mismatched = [
        (k.number, k.county.number)
        for k in Municipality.objects.select_related("county")
        if k.number[:2] != k.county.number
    ]
    assert mismatched == []


def test_known_municipalities_after_the_2024_reform(db):
    known = {
        "0301": "Oslo",
        "3201": "Bærum",
        "5501": "Tromsø",
        "1508": "Ålesund",
        "1580": "Haram",
        "3901": "Horten",
    }
    found = dict(Municipality.objects.filter(number__in=known).values_list("number", "name"))
    assert found == known


def test_a_dated_version_ends_without_rewriting_history(db):
    oslo = Municipality.objects.get(number="0301")
    oslo.valid_to = date(2030, 12, 31)
    oslo.save()
    assert Municipality.objects.valid_on(date(2030, 12, 31)).filter(number="0301").exists()
    assert not Municipality.objects.valid_on(date(2031, 1, 1)).filter(number="0301").exists()
