"""Norwegian identity numbers (fødselsnummer and D-number): validation, synthetic numbers, encryption and search.

An identity number is enough to impersonate a person, so Brobygger stores it only encrypted (Fernet, keys from
settings), finds it by a keyed hash, shows it masked, and never puts it in URLs, logs or error messages. Functions that
hold a number are marked ``sensitive_variables`` so Django's error reports hide their locals.
See docs/adr/0004-identity-numbers.md.
"""

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import NamedTuple

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import fodselsnummer

# Skatteetaten's synthetic population (Tenor) adds 80 to the month; D-numbers add 40 to the day.
SYNTHETIC_MONTH_OFFSET = 80
D_NUMBER_DAY_OFFSET = 40

MESSAGE_FORMAT = _("Fødselsnummeret eller D-nummeret må ha 11 sifre.")
MESSAGE_CHECKSUM = _("Fødselsnummeret eller D-nummeret er ugyldig: kontrollsifrene stemmer ikke.")
MESSAGE_BIRTH_DATE = _("Fødselsnummeret eller D-nummeret er ugyldig: det inneholder ingen gyldig fødselsdato.")
MESSAGE_FUTURE = _("Fødselsnummeret eller D-nummeret er ugyldig: fødselsdatoen er i fremtiden.")
MESSAGE_KIND = _("H-nummer og FH-nummer kan ikke brukes her. Oppgi fødselsnummer eller D-nummer.")
MESSAGE_SYNTHETIC = _("Syntetiske fødselsnumre er bare tillatt i demo- og testmodus.")

_ELEVEN_DIGITS = re.compile(r"\d{11}")


def compact(value: str) -> str:
    """Drop the spaces, dots and dashes people type or paste, so every spelling of a number hashes the same."""
    return re.sub(r"[\s.-]", "", value)


def is_synthetic(number: str) -> bool:
    """True for a (valid) Tenor-style synthetic number: month + 80, a range no real number uses."""
    return int(compact(number)[2:4]) > SYNTHETIC_MONTH_OFFSET


def allow_synthetic() -> bool:
    """Synthetic numbers are accepted in demo mode and in tests, so that no real person's number is ever needed."""
    return bool(settings.DEMO_MODE or settings.IDENTITY_ALLOW_SYNTHETIC)


def _with_check_digits(first_nine: str) -> str | None:
    """The full number, or None when a mod-11 check digit comes out as 10: such individual numbers are never issued."""
    digit1 = fodselsnummer.calc_check_digit1(first_nine)
    digit2 = fodselsnummer.calc_check_digit2(first_nine + digit1)
    return first_nine + digit1 + digit2 if len(digit1 + digit2) == 2 else None


@sensitive_variables()
def birth_date_of(number: str) -> date:
    """The birth date of a fødselsnummer, D-number or synthetic number; the century follows the individual number.

    Synthetic numbers are mapped back to the real month first, so stdnum's day (D-number) and century rules apply
    unchanged. H-numbers and FH-numbers carry no birth date a participant can be registered with, and are refused.
    """
    number = compact(number)
    if not _ELEVEN_DIGITS.fullmatch(number):
        raise ValidationError(MESSAGE_FORMAT, code="format")
    month = int(number[2:4])
    if month > SYNTHETIC_MONTH_OFFSET:
        month -= SYNTHETIC_MONTH_OFFSET
        number = f"{number[:2]}{month:02d}{number[4:]}"
    if int(number[:2]) >= 80 or 40 < month <= 52:
        raise ValidationError(MESSAGE_KIND, code="kind")
    try:
        return fodselsnummer.get_birth_date(number)
    except StdnumValidationError:
        raise ValidationError(MESSAGE_BIRTH_DATE, code="birth_date") from None


@sensitive_variables()
def validate_identity_number(value: str, *, allow_synthetic: bool) -> str:
    """Return the compact number if it is a valid fødselsnummer or D-number (or, when allowed, a synthetic one).

    Both mod-11 check digits and a real, past birth date are required. Messages never repeat the number, since
    they end up in forms, logs and error pages.
    """
    return validated_with_birth_date(value, allow_synthetic=allow_synthetic)[0]


@sensitive_variables()
def validated_with_birth_date(value: str, *, allow_synthetic: bool) -> tuple[str, date]:
    """``validate_identity_number`` and the birth date it read on the way, for whoever needs both (the bulk
    import, which would otherwise read it twice per row)."""
    number = compact(value)
    if not _ELEVEN_DIGITS.fullmatch(number):
        raise ValidationError(MESSAGE_FORMAT, code="format")
    if _with_check_digits(number[:9]) != number:
        raise ValidationError(MESSAGE_CHECKSUM, code="checksum")
    if is_synthetic(number) and not allow_synthetic:
        raise ValidationError(MESSAGE_SYNTHETIC, code="synthetic")
    birth_date = birth_date_of(number)
    if birth_date > date.today():
        raise ValidationError(MESSAGE_FUTURE, code="future")
    return number, birth_date


def _birth_date_or_none(number: str) -> date | None:
    try:
        return birth_date_of(number)
    except ValidationError:
        return None


def synthetic_identity_number(birth_date: date, serial: int) -> str:
    """The ``serial``-th synthetic number (month + 80) for a birth date, counting only individual numbers that
    fit the birth year's century and give valid check digits. Deterministic, so demo data and tests are repeatable.
    """
    if birth_date > date.today():
        raise ValueError("A synthetic identity number needs a birth date in the past.")
    prefix = f"{birth_date:%d}{birth_date.month + SYNTHETIC_MONTH_OFFSET:02d}{birth_date:%y}"
    found = -1
    for individual in range(1000):
        number = _with_check_digits(f"{prefix}{individual:03d}")
        # The individual number also fixes the century; skip those that would put the birth in another one.
        if number is None or _birth_date_or_none(number) != birth_date:
            continue
        found += 1
        if found == serial:
            return number
    raise ValueError(f"No synthetic identity number with serial {serial} for birth date {birth_date}.")


def _fernet() -> MultiFernet:
    keys = settings.IDENTITY_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEYS er tom.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        # The message must not quote the key.
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEYS inneholder en ugyldig Fernet-nøkkel.") from None


@sensitive_variables()
def encrypt_identity(number: str) -> str:
    """Encrypt with the current (first) key. Fernet is authenticated, so a tampered token fails to decrypt."""
    return _fernet().encrypt(compact(number).encode()).decode()


def identity_encrypter() -> Callable[[str], str]:
    """``encrypt_identity`` for many numbers: the keys are read and set up once (the bulk import)."""
    fernet = _fernet()

    @sensitive_variables()
    def encrypt(number: str) -> str:
        return fernet.encrypt(compact(number).encode()).decode()

    return encrypt


@sensitive_variables()
def decrypt_identity(token: str) -> str:
    """Decrypt with any configured key; raises ``cryptography.fernet.InvalidToken`` if none fits."""
    return _fernet().decrypt(token.encode()).decode()


def rotate_token(token: str) -> str:
    """Re-encrypt with the current key, so an old key can be removed once every stored token is rotated."""
    return _fernet().rotate(token.encode()).decode()


@sensitive_variables()
def identity_hash(number: str) -> str:
    """HMAC-SHA256 of the compact number: exact search and duplicate detection without decrypting every row.

    Keyed, because a plain hash of an 11-digit number with a known birth date is reversed by trying every value.
    """
    key = settings.IDENTITY_HASH_KEY
    if not key:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY er tom.")
    return hmac.new(key.encode(), compact(number).encode(), hashlib.sha256).hexdigest()


@sensitive_variables()
def mask(number: str) -> str:
    """Day and month only, e.g. ``1705** *****``: enough to tell two people apart on screen, too little to search by.

    Anything that is not 11 digits is masked completely, so a malformed value never leaks either.
    """
    number = compact(number)
    if not _ELEVEN_DIGITS.fullmatch(number):
        return "****** *****"
    return f"{number[:4]}** *****"


# Key rotation ----------------------------------------------------------------------------------------------------


class RotationCount(NamedTuple):
    rows: int
    rewritten: int


class UndecryptableIdentity(Exception):
    """A stored token no configured key opens: a key was removed too early. Names the row, never the number."""


def identity_models() -> list[type[models.Model]]:
    """Every model declaring ``IDENTITY_FIELDS = (encrypted field, hash field)``, each table once (no proxies or
    multi-table children that merely inherit the attribute)."""
    found = []
    for model in apps.get_models():
        fields = getattr(model, "IDENTITY_FIELDS", None)
        if fields and model._meta.get_field(fields[0]).model is model:
            found.append(model)
    return found


def _locked_batches(model: type[models.Model], fields: tuple[str, str], size: int) -> Iterator[list[models.Model]]:
    # Keyset pages instead of .iterator(): no cursor stays open while we write (SQLite does not isolate a cursor
    # from updates on the same connection), and on PostgreSQL each page is locked against concurrent saves.
    rows = model._base_manager.select_for_update().order_by("pk").only("pk", *fields)
    last = None
    while batch := list((rows if last is None else rows.filter(pk__gt=last))[:size]):
        yield batch
        last = batch[-1].pk


@sensitive_variables()
def identity_keys_rotate(*, batch_size: int = 500, check_only: bool = False) -> dict[str, RotationCount]:
    """Re-encrypt every stored number with the current key and re-hash it with the current hash key.

    Rows already under both current keys are left alone, so a rerun is cheap and ``check_only`` counts exactly the
    rows that still need it (must be 0 before an old key is removed). One transaction per model. Returns counts only.
    """
    current = Fernet(settings.IDENTITY_ENCRYPTION_KEYS[0])
    every_key = _fernet()
    counts = {}
    for model in identity_models():
        encrypted_field, hash_field = model.IDENTITY_FIELDS  # type: ignore[attr-defined]
        rows = rewritten = 0
        with transaction.atomic():
            for batch in _locked_batches(model, (encrypted_field, hash_field), batch_size):
                stale = []
                for row in batch:
                    token = getattr(row, encrypted_field)
                    if not token:
                        continue
                    rows += 1
                    try:
                        number, is_current = current.decrypt(token.encode()).decode(), True
                    except InvalidToken:
                        try:
                            number, is_current = every_key.decrypt(token.encode()).decode(), False
                        except InvalidToken:
                            raise UndecryptableIdentity(f"{model._meta.label} pk={row.pk}") from None
                    new_hash = identity_hash(number)
                    if is_current and getattr(row, hash_field) == new_hash:
                        continue
                    setattr(row, encrypted_field, token if is_current else every_key.rotate(token.encode()).decode())
                    setattr(row, hash_field, new_hash)
                    stale.append(row)
                if stale and not check_only:
                    model._base_manager.bulk_update(stale, [encrypted_field, hash_field])
                rewritten += len(stale)
        counts[model._meta.label] = RotationCount(rows, rewritten)
    return counts
