"""Identity numbers: validation, synthetic numbers, encryption, keyed hash, masking and key rotation.

No number in this file is written out. Inputs come from the synthetic generator, or are built here from a birth date
with check digits computed by the test itself. "Real-path" numbers use birth dates in 1855: nobody born then was
alive when fødselsnumre were introduced in 1964, so such a number belongs to no one.
"""

import re
import sys
from datetime import date, timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.views.debug import ExceptionReporter
from hypothesis import given
from hypothesis import strategies as st

from brobygger.participants import identity

OLD_1855 = date(1855, 3, 14)


def with_check_digits(first_nine: str) -> str | None:
    """Both mod-11 check digits, computed independently of the code under test; None when one would be 10."""
    k1 = (11 - sum(w * int(d) for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), first_nine, strict=True))) % 11
    k2 = (11 - sum(w * int(d) for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), f"{first_nine}{k1}", strict=True))) % 11
    return None if 10 in (k1, k2) else f"{first_nine}{k1}{k2}"


def build(day: int, month: int, yy: int, individuals: range) -> str:
    """The first number with valid check digits for these (possibly offset) date digits and individual numbers."""
    for individual in individuals:
        number = with_check_digits(f"{day:02d}{month:02d}{yy:02d}{individual:03d}")
        if number:
            return number
    raise AssertionError("no individual number gives valid check digits")


def refusal(value: str, *, allow_synthetic: bool) -> ValidationError:
    """Assert the value is refused, and that the message leaks neither the number nor its birth-date digits."""
    with pytest.raises(ValidationError) as caught:
        identity.validate_identity_number(value, allow_synthetic=allow_synthetic)
    text = " ".join(caught.value.messages)
    assert not value or identity.compact(value) not in text
    assert not re.search(r"\d{4}", text)
    return caught.value


# Validation --------------------------------------------------------------------------------------------------------


def test_it_accepts_a_fodselsnummer_and_returns_it_compact():
    number = build(14, 3, 55, range(500, 750))
    spaced = f"{number[:6]} {number[6:]}"
    assert identity.validate_identity_number(spaced, allow_synthetic=False) == number
    assert (
        identity.validate_identity_number(f"{number[:2]}.{number[2:4]}.{number[4:]}", allow_synthetic=False) == number
    )
    assert identity.birth_date_of(number) == OLD_1855
    assert not identity.is_synthetic(number)


def test_it_accepts_a_d_number_and_reads_its_birth_date():
    d_number = build(14 + 40, 3, 55, range(500, 750))
    assert identity.validate_identity_number(d_number, allow_synthetic=False) == d_number
    assert identity.birth_date_of(d_number) == OLD_1855


def test_it_refuses_a_synthetic_number_outside_demo_and_test_mode():
    error = refusal(identity.synthetic_identity_number(date(1990, 1, 1), 0), allow_synthetic=False)
    assert error.code == "synthetic"
    assert error.messages == ["Syntetiske fødselsnumre er bare tillatt i demo- og testmodus."]


def test_it_accepts_a_synthetic_number_in_demo_and_test_mode():
    number = identity.synthetic_identity_number(date(1990, 1, 1), 0)
    assert identity.validate_identity_number(number, allow_synthetic=True) == number
    assert identity.is_synthetic(number)


def test_it_accepts_a_synthetic_d_number_only_when_synthetic_numbers_are_allowed():
    number = build(1 + 40, 1 + 80, 90, range(0, 500))
    assert identity.validate_identity_number(number, allow_synthetic=True) == number
    assert identity.birth_date_of(number) == date(1990, 1, 1)
    assert refusal(number, allow_synthetic=False).code == "synthetic"


@pytest.mark.parametrize("allow_synthetic", [False, True])
def test_it_refuses_wrong_check_digits(allow_synthetic):
    for valid in (build(14, 3, 55, range(500, 750)), identity.synthetic_identity_number(date(1990, 1, 1), 0)):
        for position in (9, 10):
            wrong = f"{valid[:position]}{(int(valid[position]) + 1) % 10}{valid[position + 1 :]}"
            error = refusal(wrong, allow_synthetic=allow_synthetic)
            assert error.code == "checksum"
            assert error.messages == ["Fødselsnummeret eller D-nummeret er ugyldig: kontrollsifrene stemmer ikke."]


@pytest.mark.parametrize(
    ("day", "month", "yy", "individuals"),
    [
        (30, 2, 55, range(500, 750)),  # 30 February
        (29, 2, 55, range(500, 750)),  # 1855 was no leap year
        (32, 1, 55, range(500, 750)),
        (0, 1, 55, range(500, 750)),
        (14, 13, 55, range(500, 750)),
        (14 + 40, 13, 55, range(500, 750)),  # D-number with an impossible month
        (30, 2 + 80, 90, range(0, 500)),  # synthetic 30 February
        (14, 3, 45, range(500, 750)),  # individual 500-749 with year 40-53 belongs to no century
        (14, 3, 55, range(750, 900)),  # individual 750-899 with year 40-99 likewise
    ],
)
def test_it_refuses_impossible_birth_dates(day, month, yy, individuals):
    assert refusal(build(day, month, yy, individuals), allow_synthetic=True).code == "birth_date"


def test_it_refuses_a_birth_date_in_the_future():
    tomorrow = date.today() + timedelta(days=1)
    number = build(tomorrow.day, tomorrow.month + 80, tomorrow.year % 100, range(500, 1000))
    assert refusal(number, allow_synthetic=True).code == "future"


@pytest.mark.parametrize("month_offset", [0, 80])
def test_it_refuses_h_and_fh_numbers(month_offset):
    h_number = build(14, 3 + 40, 90, range(0, 500))
    fh_number = build(81, 3 + month_offset, 90, range(0, 500))
    assert refusal(h_number, allow_synthetic=True).code == "kind"
    assert refusal(fh_number, allow_synthetic=True).code == "kind"


@pytest.mark.parametrize("value", ["", "1234567890", "123456789012", "12345678 9O1", "abcdefghijk"])
def test_it_refuses_anything_but_eleven_digits(value):
    assert refusal(value, allow_synthetic=True).code == "format"


# Birth dates and the synthetic generator --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "birth_date",
    [
        date(1854, 1, 1),
        date(1899, 12, 31),
        date(1900, 1, 1),
        date(1939, 6, 30),
        date(1940, 1, 1),
        date(1999, 12, 31),
        date(2000, 1, 1),
        date(2000, 2, 29),
        date(2024, 2, 29),
    ],
)
def test_birth_dates_take_the_century_from_the_individual_number(birth_date):
    for serial in (0, 1, 50):
        number = identity.synthetic_identity_number(birth_date, serial)
        assert identity.birth_date_of(number) == birth_date
        assert identity.validate_identity_number(number, allow_synthetic=True) == number


@pytest.mark.parametrize(
    ("yy", "individuals", "year"),
    [
        (55, range(500, 750), 1855),
        (55, range(0, 500), 1955),
        (55, range(900, 1000), 1955),
        (5, range(500, 1000), 2005),
        (5, range(0, 500), 1905),
    ],
)
def test_the_individual_number_decides_the_century(yy, individuals, year):
    assert identity.birth_date_of(build(14, 3 + 80, yy, individuals)) == date(year, 3, 14)


def test_the_generator_is_deterministic_and_gives_distinct_numbers():
    numbers = [identity.synthetic_identity_number(date(2001, 5, 17), serial) for serial in range(20)]
    assert numbers == [identity.synthetic_identity_number(date(2001, 5, 17), serial) for serial in range(20)]
    assert len(set(numbers)) == 20
    assert all(81 <= int(number[2:4]) <= 92 for number in numbers)


def test_the_generator_refuses_a_future_birth_date_and_a_serial_beyond_the_range():
    with pytest.raises(ValueError):
        identity.synthetic_identity_number(date.today() + timedelta(days=1), 0)
    with pytest.raises(ValueError):
        identity.synthetic_identity_number(date(1855, 1, 1), 250)  # only 250 individual numbers, fewer valid


@given(st.dates(min_value=date(1854, 1, 1), max_value=date.today()), st.integers(min_value=0, max_value=100))
def test_every_synthetic_number_is_valid_only_as_synthetic(birth_date, serial):
    number = identity.synthetic_identity_number(birth_date, serial)
    assert identity.validate_identity_number(number, allow_synthetic=True) == number
    assert identity.birth_date_of(number) == birth_date
    with pytest.raises(ValidationError):
        identity.validate_identity_number(number, allow_synthetic=False)


@pytest.mark.parametrize(
    ("demo_mode", "setting", "allowed"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_synthetic_numbers_are_allowed_in_demo_mode_or_when_tests_turn_them_on(settings, demo_mode, setting, allowed):
    settings.DEMO_MODE = demo_mode
    settings.IDENTITY_ALLOW_SYNTHETIC = setting
    assert identity.allow_synthetic() is allowed


# Encryption, hash and masking --------------------------------------------------------------------------------------


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [old]
    settings.IDENTITY_HASH_KEY = "test-hash-key"
    return old, new


@pytest.fixture
def number():
    return identity.synthetic_identity_number(date(1990, 1, 1), 3)


def test_an_encrypted_number_decrypts_and_does_not_contain_the_number(keys, number):
    token = identity.encrypt_identity(number)
    assert number not in token
    assert identity.decrypt_identity(token) == number
    assert identity.encrypt_identity(number) != token  # random IV: equal numbers do not give equal tokens


def test_an_old_token_still_decrypts_after_a_new_key_is_put_first(settings, keys, number):
    old, new = keys
    token = identity.encrypt_identity(number)
    settings.IDENTITY_ENCRYPTION_KEYS = [new, old]
    assert identity.decrypt_identity(token) == number
    rotated = identity.rotate_token(token)
    settings.IDENTITY_ENCRYPTION_KEYS = [new]
    assert identity.decrypt_identity(rotated) == number
    with pytest.raises(InvalidToken):
        identity.decrypt_identity(token)
    with pytest.raises(InvalidToken):
        MultiFernet([Fernet(old)]).decrypt(rotated.encode())


@pytest.mark.parametrize(("setting", "value"), [("IDENTITY_ENCRYPTION_KEYS", []), ("IDENTITY_HASH_KEY", "")])
def test_missing_keys_are_a_configuration_error(settings, number, setting, value):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured):
        identity.encrypt_identity(number) if setting == "IDENTITY_ENCRYPTION_KEYS" else identity.identity_hash(number)


def test_a_malformed_key_is_a_configuration_error_that_does_not_quote_the_key(settings, number):
    settings.IDENTITY_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured) as caught:
        identity.encrypt_identity(number)
    assert "not-a-fernet-key" not in str(caught.value)


def test_the_hash_is_stable_keyed_and_blind_to_spacing(settings, keys, number):
    digest = identity.identity_hash(number)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert identity.identity_hash(f"{number[:6]} {number[6:]}") == digest
    assert identity.identity_hash(identity.synthetic_identity_number(date(1990, 1, 1), 4)) != digest
    settings.IDENTITY_HASH_KEY = "another-key"
    assert identity.identity_hash(number) != digest


def test_the_mask_shows_day_and_month_only(number):
    assert identity.mask(number) == f"{number[:4]}** *****"
    assert number[4:6] not in identity.mask(number)[4:]


@pytest.mark.parametrize("value", ["", "123", "abcdefghijk"])
def test_anything_but_eleven_digits_is_masked_completely(value):
    assert identity.mask(value) == "****** *****"


def test_error_reports_hide_the_number_in_identity_frames(settings, number):
    settings.DEBUG = False
    bad = f"{number[:10]}{(int(number[10]) + 1) % 10}"
    try:
        identity.validate_identity_number(bad, allow_synthetic=True)
    except ValidationError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    # Our own frame holds the number, of course; every frame below it (identity, stdnum, decorators) must not.
    frames = [frame for frame in reporter.get_traceback_frames() if frame["function"] != sys._getframe().f_code.co_name]
    assert any(frame["filename"] == identity.__file__ for frame in frames)
    for frame in frames:
        assert bad not in str(frame["vars"])


# Key rotation -----------------------------------------------------------------------------------------------------


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("rotate_identity_keys", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_when_no_model_declares_identity_fields(monkeypatch):
    monkeypatch.setattr(identity, "identity_models", list)
    assert "ingenting å gjøre" in run_command()
    assert "ingenting å gjøre" in run_command("--check")


def test_it_finds_each_table_with_identity_fields_once():
    from brobygger.participants.models import Participant

    assert identity.identity_models().count(Participant) == 1


@pytest.mark.django_db
def test_the_command_counts_zero_rows_in_an_empty_table():
    assert "participants.Participant: 0 rader, 0 kryptert på nytt." in run_command()


def test_rotation_re_encrypts_and_re_hashes_every_row_and_prints_counts_only(settings, participant):
    number = identity.decrypt_identity(participant.identity_encrypted)
    old = list(settings.IDENTITY_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [new, *old]
    settings.IDENTITY_HASH_KEY = "a-new-hash-key"

    with pytest.raises(CommandError, match="1 rader bruker fortsatt en gammel nøkkel"):
        run_command("--check")
    output = run_command("--batch-size", "1")
    participant.refresh_from_db()

    assert "participants.Participant: 1 rader, 1 kryptert på nytt." in output
    assert number not in output and number[:6] not in output
    assert participant.identity_hash == identity.identity_hash(number)
    settings.IDENTITY_ENCRYPTION_KEYS = [new]
    assert identity.decrypt_identity(participant.identity_encrypted) == number
    assert "1 rader, 0 trenger ny kryptering" in run_command("--check")
    assert "1 rader, 0 kryptert på nytt" in run_command()


def test_rotation_stops_without_changes_when_a_key_was_removed_too_early(settings, participant):
    token = participant.identity_encrypted
    settings.IDENTITY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match=r"participants\.Participant pk=\d+: ingen av nøklene"):
        run_command()
    participant.refresh_from_db()
    assert participant.identity_encrypted == token
