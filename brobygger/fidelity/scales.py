"""Fidelity scales as data: the definition file format, a loader that reports every problem, and the built-in IPS-25.

A scale file (YAML) holds the items, their sections or subscales, the anchor text for each score 1-5, the data
sources, the level bands per subscale and overall, a version and a valid-from date; see ``scales/ips-25.yaml`` and
the app README. ``load_scale`` checks the whole file first and loads nothing unless every check passes, in one
transaction, so a bad file never leaves a half-loaded scale behind.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from brobygger.accounts.models import User
from brobygger.audit.models import AuditEvent
from brobygger.audit.services import record_event, snapshot
from brobygger.fidelity.models import Scale, ScaleGroup, ScaleItem
from brobygger.fidelity.suggestions import MEASURES
from brobygger.regelverk.services import rule_evaluate
from brobygger.rules import bounds
from brobygger.rules.base import RuleInputError
from brobygger.rules.catalog import UnknownRuleError, get_rule
from brobygger.rules.versions import all_versions

SCALES_DIR = Path(__file__).parent / "scales"
BUILTIN_FILES = (SCALES_DIR / "ips-25.yaml",)
IPS_25 = "ips-25"
SCORES = (1, 2, 3, 4, 5)
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TOP_KEYS = {"key", "name", "version", "valid_from", "description", "source", "grouping", "data_sources"}
TOP_KEYS |= {"levels", "groups", "items"}
GROUP_KEYS = {"key", "name", "bands"}
ITEM_KEYS = {"number", "group", "title", "description", "data_sources", "anchors", "measure"}
BAND_KEYS = {"level", "label", "from", "to", "approved", "good"}
MEASURE_KEYS = {"key", "better", "verified", "bands"}
# The largest definition file accepted, in characters: IPS-25 is about 20 000.
MAX_SIZE = 500_000


class ScaleFileError(ValidationError):
    """A scale file with problems; ``problems`` lists every one of them in bokmål."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems, code="invalid_scale")


@dataclass
class _Checker:
    """Collects problems instead of stopping at the first, so the administrator can fix the file in one go."""

    problems: list[str]

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)


def parse_scale(text: str) -> dict[str, Any]:
    """Check a scale file and return it in normalised form; ScaleFileError lists every problem found."""
    if len(text) > MAX_SIZE:
        raise ScaleFileError([_("Filen er for stor til å være en skaladefinisjon.")])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            raise ScaleFileError([_("Filen er ikke gyldig YAML.")]) from None
        raise ScaleFileError([_("Filen er ikke gyldig YAML (linje %(line)s).") % {"line": mark.line + 1}]) from None
    if not isinstance(data, dict):
        raise ScaleFileError([_("Filen må være en YAML-struktur med nøkler som key, name, version og items.")])
    if bounds.has_control_characters(data):
        raise ScaleFileError([_("Filen inneholder kontrolltegn (for eksempel NUL) som ikke er tillatt i tekst.")])
    check = _Checker([])
    scale = _top(data, check)
    sources = scale["data_sources"]
    groups = _groups(data.get("groups"), check, scale["grouping"])
    before_items = len(check.problems)
    items = _items(data.get("items"), check, {g["key"] for g in groups}, set(sources))
    # The possible totals follow from the items; with problems among the items, coverage would only add noise.
    items_clean = len(check.problems) == before_items
    for group in groups:
        count = sum(1 for item in items if item["group"] == group["key"])
        if not count:
            check.add(_("Del «%(key)s»") % {"key": group["key"]}, _("har ingen punkter."))
        elif group["bands"] and items_clean:
            _check_coverage(group["bands"], count, check, _("Nivåer for «%(key)s»") % {"key": group["key"]})
    levels = data.get("levels")
    scale["bands"], scale["level_rule"] = [], ""
    if levels is None:
        if scale["grouping"] == Scale.Grouping.SECTIONS:
            check.add(_("levels"), _("mangler: en skala med deler må ha nivåer for totalskåren."))
    elif not isinstance(levels, dict) or set(levels) - {"rule", "bands"}:
        check.add(_("levels"), _("må ha «bands» og eventuelt «rule», og ikke noe annet."))
    else:
        scale["bands"] = _bands(levels.get("bands"), check, _("Nivåer for totalskår"))
        if scale["bands"] and items and items_clean:
            _check_coverage(scale["bands"], len(items), check, _("Nivåer for totalskår"))
        rule = levels.get("rule") or ""
        if rule:
            scale["level_rule"] = str(rule)
            _check_rule(str(rule), scale["bands"], scale.get("valid_from"), check)
    if check.problems:
        raise ScaleFileError(check.problems)
    scale["groups"], scale["items"] = groups, items
    return scale


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _top(data: dict[str, Any], check: _Checker) -> dict[str, Any]:
    for unknown in sorted(set(map(str, data)) - TOP_KEYS):
        check.add(unknown, _("ukjent nøkkel."))
    key = data.get("key")
    if not isinstance(key, str) or not SLUG.match(key) or len(key) > 40:
        check.add("key", _("må være et kort navn med små bokstaver, tall og bindestrek, f.eks. ips-25."))
    if not _text(data.get("name")):
        check.add("name", _("mangler."))
    version = data.get("version")
    if not isinstance(version, str | int | float) or isinstance(version, bool) or not str(version).strip():
        check.add("version", _("mangler."))
    elif len(str(version)) > 40:
        check.add("version", _("er for lang."))
    valid_from = data.get("valid_from")
    if not isinstance(valid_from, date):
        check.add("valid_from", _("må være en dato på formen ÅÅÅÅ-MM-DD."))
        valid_from = None
    grouping = data.get("grouping")
    if grouping not in Scale.Grouping.values:
        check.add("grouping", _("må være «sections» (deler) eller «subscales» (delskalaer)."))
    sources = data.get("data_sources")
    clean_sources: dict[str, str] = {}
    if not isinstance(sources, dict) or not sources:
        check.add("data_sources", _("må liste datakildene med kode og navn, f.eks. ADM: Administrative data."))
    else:
        for code, label in sources.items():
            if not isinstance(code, str) or not _text(label):
                check.add("data_sources", _("datakilden «%(code)s» må ha et navn.") % {"code": code})
            else:
                clean_sources[code] = _text(label)
    if isinstance(key, str) and version is not None and Scale.objects.filter(key=key, version=str(version)).exists():
        check.add(
            "version",
            _("%(key)s versjon %(version)s er allerede lastet. En rettelse må ha et nytt versjonsnummer.")
            % {"key": key, "version": version},
        )
    return {
        "key": key,
        "name": _text(data.get("name")),
        "version": str(version).strip() if version is not None else "",
        "valid_from": valid_from,
        "description": _text(data.get("description")),
        "source": _text(data.get("source")),
        "grouping": grouping,
        "data_sources": clean_sources,
    }


def _groups(raw: Any, check: _Checker, grouping: str | None) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        check.add("groups", _("må liste delene eller delskalaene skalaen er delt i."))
        return []
    groups: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, group in enumerate(raw, start=1):
        where = _("Del nr. %(index)s") % {"index": index}
        if not isinstance(group, dict):
            check.add(where, _("må ha key og name."))
            continue
        for unknown in sorted(set(map(str, group)) - GROUP_KEYS):
            check.add(where, _("ukjent nøkkel «%(key)s».") % {"key": unknown})
        key = group.get("key")
        if not isinstance(key, str) or not SLUG.match(key):
            check.add(where, _("key må være et kort navn med små bokstaver, tall og bindestrek."))
            continue
        where = _("Del «%(key)s»") % {"key": key}
        if key in seen:
            check.add(where, _("finnes to ganger."))
            continue
        seen.add(key)
        if not _text(group.get("name")):
            check.add(where, _("mangler navn."))
        bands = _bands(group.get("bands"), check, _("Nivåer for «%(key)s»") % {"key": key}, optional=True)
        if grouping == Scale.Grouping.SUBSCALES and not bands:
            check.add(where, _("en delskala må ha egne nivåer (bands)."))
        groups.append({"key": key, "name": _text(group.get("name")), "bands": bands})
    return groups


def _bands(raw: Any, check: _Checker, where: str, *, optional: bool = False) -> list[dict[str, Any]]:
    """Level bands, highest first, each with an inclusive range of totals."""
    if raw is None and optional:
        return []
    if not isinstance(raw, list) or not raw:
        check.add(where, _("må liste nivåene med level, label, from og to."))
        return []
    bands: list[dict[str, Any]] = []
    levels: set[str] = set()
    for band in raw:
        if not isinstance(band, dict):
            check.add(where, _("hvert nivå må ha level, label, from og to."))
            continue
        for unknown in sorted(set(map(str, band)) - BAND_KEYS):
            check.add(where, _("ukjent nøkkel «%(key)s».") % {"key": unknown})
        level, low, high = band.get("level"), band.get("from"), band.get("to")
        name = level if isinstance(level, str) else "?"
        if not isinstance(level, str) or not SLUG.match(level):
            check.add(where, _("hvert nivå må ha en kode (level) med små bokstaver, f.eks. bra."))
        elif level in levels:
            check.add(where, _("nivået «%(level)s» finnes to ganger.") % {"level": level})
        levels.add(name)
        if not _text(band.get("label")):
            check.add(where, _("nivået «%(level)s» mangler navn (label).") % {"level": name})
        if not _is_int(low) or not _is_int(high):
            check.add(where, _("nivået «%(level)s» må ha hele tall i from og to.") % {"level": name})
            continue
        if low > high:
            check.add(where, _("nivået «%(level)s» har from større enn to.") % {"level": name})
            continue
        for flag in ("approved", "good"):
            if flag in band and not isinstance(band[flag], bool):
                check.add(
                    where, _("%(flag)s i nivået «%(level)s» må være true eller false.") % {"flag": flag, "level": name}
                )
        approved, good = band.get("approved") is True, band.get("good") is True
        if good and not approved:
            check.add(where, _("nivået «%(level)s» er bra uten å være godkjent.") % {"level": name})
        bands.append(
            {
                "level": name,
                "label": _text(band.get("label")),
                "low": low,
                "high": high,
                "approved": approved,
                "good": good,
            }
        )
    bands.sort(key=lambda band: band["low"], reverse=True)
    for higher, lower in itertools.pairwise(bands):
        if lower["high"] >= higher["low"]:
            check.add(
                where,
                _("nivåene «%(a)s» og «%(b)s» overlapper (%(a_low)s-%(a_high)s og %(b_low)s-%(b_high)s).")
                % {
                    "a": higher["level"],
                    "b": lower["level"],
                    "a_low": higher["low"],
                    "a_high": higher["high"],
                    "b_low": lower["low"],
                    "b_high": lower["high"],
                },
            )
        elif lower["high"] + 1 < higher["low"]:
            check.add(
                where,
                _("hull mellom nivåene «%(b)s» og «%(a)s»: skårene %(first)s-%(last)s har ikke noe nivå.")
                % {"a": higher["level"], "b": lower["level"], "first": lower["high"] + 1, "last": higher["low"] - 1},
            )
    return bands


def _check_coverage(bands: list[dict[str, Any]], item_count: int, check: _Checker, where: str) -> None:
    """The bands must cover exactly the totals that are possible: every item scored 1 up to every item scored 5."""
    lowest, highest = item_count * 1, item_count * 5
    if bands[-1]["low"] != lowest:
        check.add(
            where,
            _("laveste nivå må starte på %(lowest)s (%(count)s punkter à 1), ikke %(low)s.")
            % {"lowest": lowest, "count": item_count, "low": bands[-1]["low"]},
        )
    if bands[0]["high"] != highest:
        check.add(
            where,
            _("høyeste nivå må slutte på %(highest)s (%(count)s punkter à 5), ikke %(high)s.")
            % {"highest": highest, "count": item_count, "high": bands[0]["high"]},
        )


def _check_rule(rule_id: str, bands: list[dict[str, Any]], valid_from: date | None, check: _Checker) -> None:
    """A scale that names a rule for its level must agree with it at every band boundary."""
    try:
        get_rule(rule_id)
    except UnknownRuleError:
        check.add("levels.rule", _("regelen «%(rule)s» finnes ikke i regelverket.") % {"rule": rule_id})
        return
    if valid_from is None:
        return
    for band in bands:
        for total in (band["low"], band["high"]):
            try:
                outcome = rule_evaluate(rule_id=rule_id, inputs={"on": rules_on(valid_from), "total": total}).outcome
            except RuleInputError as error:
                check.add("levels.rule", error.message)
                return
            if outcome != band["level"]:
                check.add(
                    "levels.rule",
                    _("totalskår %(total)s gir «%(file)s» i filen, men «%(rule)s» etter regelen «%(id)s».")
                    % {"total": total, "file": band["level"], "rule": outcome, "id": rule_id},
                )


def rules_on(day: date) -> date:
    """The date to evaluate a fidelity rule on. Brobygger's rule versions start with the 2023 regulation, while the
    fidelity parameters hold from 2008: a review before that is judged under the earliest version."""
    first = min(version.valid_from for version in all_versions() if version.valid_from is not None)
    return max(day, first)


def _items(raw: Any, check: _Checker, groups: set[str], sources: set[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        check.add("items", _("må liste punktene på skalaen."))
        return []
    items: list[dict[str, Any]] = []
    seen: set[int] = set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            check.add(
                _("Punkt nr. %(index)s i lista") % {"index": index},
                _("må være en struktur med number, title og anchors."),
            )
            continue
        number = item.get("number")
        if not _is_int(number) or number < 1:
            check.add(_("Punkt nr. %(index)s i lista") % {"index": index}, _("number må være et positivt heltall."))
            continue
        where = _("Punkt %(number)s") % {"number": number}
        if number in seen:
            check.add(where, _("nummeret er brukt før i filen."))
            continue
        seen.add(number)
        for unknown in sorted(set(map(str, item)) - ITEM_KEYS):
            check.add(where, _("ukjent nøkkel «%(key)s».") % {"key": unknown})
        group = item.get("group")
        if group not in groups:
            check.add(where, _("delen «%(group)s» finnes ikke under groups.") % {"group": group})
        if not _text(item.get("title")):
            check.add(where, _("mangler tittel."))
        item_sources = item.get("data_sources", [])
        if not isinstance(item_sources, list):
            check.add(where, _("data_sources må være en liste."))
            item_sources = []
        for code in item_sources:
            if code not in sources:
                check.add(where, _("ukjent datakilde «%(code)s».") % {"code": code})
        items.append(
            {
                "number": number,
                "group": group,
                "title": _text(item.get("title")),
                "description": _text(item.get("description")),
                "data_sources": [code for code in item_sources if code in sources],
                "anchors": _anchors(item.get("anchors"), check, where),
                "measure": _measure(item.get("measure"), check, where),
            }
        )
    items.sort(key=lambda item: item["number"])
    return items


def _anchors(raw: Any, check: _Checker, where: str) -> dict[str, dict[str, Any]]:
    """The anchor text for each score 1-5; an anchor is a text, or {text, verified: false} if not yet verified."""
    if not isinstance(raw, dict):
        check.add(where, _("mangler forankringer (anchors) for skårene 1-5."))
        return {}
    anchors: dict[str, dict[str, Any]] = {}
    for score in raw:
        if score not in SCORES:
            check.add(where, _("forankring for «%(score)s»: skåren må være 1, 2, 3, 4 eller 5.") % {"score": score})
    missing = [str(score) for score in SCORES if score not in raw]
    if missing:
        check.add(where, _("mangler forankring for skår %(scores)s.") % {"scores": ", ".join(missing)})
    for score in SCORES:
        if score not in raw:
            continue
        value = raw[score]
        verified = True
        if isinstance(value, dict):
            for unknown in sorted(set(map(str, value)) - {"text", "verified"}):
                check.add(where, _("forankring %(score)s: ukjent nøkkel «%(key)s».") % {"score": score, "key": unknown})
            verified = value.get("verified", True)
            if not isinstance(verified, bool):
                check.add(where, _("forankring %(score)s: verified må være true eller false.") % {"score": score})
            value = value.get("text")
        if not _text(value):
            check.add(where, _("forankringen for skår %(score)s er tom.") % {"score": score})
            continue
        anchors[str(score)] = {"text": _text(value), "verified": verified is not False}
    return anchors


def _measure(raw: Any, check: _Checker, where: str) -> dict[str, Any] | None:
    """What Brobygger's own data can measure for the item, and which score each band of the figure implies."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.add(where, _("measure må ha key, better og bands."))
        return None
    for unknown in sorted(set(map(str, raw)) - MEASURE_KEYS):
        check.add(where, _("measure: ukjent nøkkel «%(key)s».") % {"key": unknown})
    key, better, bands = raw.get("key"), raw.get("better"), raw.get("bands")
    if key not in MEASURES:
        known = ", ".join(sorted(MEASURES))
        check.add(where, _("measure: ukjent mål «%(key)s». Kjente mål: %(known)s.") % {"key": key, "known": known})
    if better not in ("lower", "higher"):
        check.add(where, _("measure: better må være «lower» eller «higher»."))
    if "verified" in raw and not isinstance(raw["verified"], bool):
        check.add(where, _("measure: verified må være true eller false."))
    if not isinstance(bands, list) or len(bands) < 2:
        check.add(where, _("measure: bands må liste minst to skår med grense."))
        return None
    clean: list[dict[str, Any]] = []
    for position, band in enumerate(bands):
        last = position == len(bands) - 1
        if not isinstance(band, dict) or set(map(str, band)) - {"score", "limit"}:
            check.add(where, _("measure: hvert bånd må ha score og limit."))
            return None
        score, limit = band.get("score"), band.get("limit")
        if score not in SCORES:
            check.add(where, _("measure: skåren må være 1, 2, 3, 4 eller 5."))
            return None
        if last and limit is not None:
            check.add(
                where,
                _("measure: det siste båndet (skår %(score)s) skal ikke ha grense; det tar resten.") % {"score": score},
            )
        if not last:
            try:
                limit = Decimal(str(limit))
            except InvalidOperation:
                limit = None
            if limit is None or isinstance(band.get("limit"), bool) or not limit.is_finite():
                check.add(where, _("measure: skår %(score)s mangler en tallgrense.") % {"score": score})
                return None
        clean.append({"score": score, "limit": None if last else str(limit)})
    for higher, lower in itertools.pairwise(clean):
        if lower["score"] >= higher["score"]:
            check.add(where, _("measure: skårene må komme fra høyeste til laveste, hver én gang."))
            return None
        if higher["limit"] is not None and lower["limit"] is not None:
            a, b = Decimal(higher["limit"]), Decimal(lower["limit"])
            if (better == "lower" and b <= a) or (better == "higher" and b >= a):
                check.add(
                    where,
                    _("measure: grensene overlapper eller står i feil rekkefølge (%(a)s og %(b)s).")
                    % {"a": higher["limit"], "b": lower["limit"]},
                )
                return None
    return {"key": key, "better": better, "verified": raw.get("verified", True) is not False, "bands": clean}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def load_scale(*, actor: User | None, text: str, builtin: bool = False) -> Scale:
    """Load a scale from its definition file, all or nothing; ScaleFileError lists every problem."""
    definition = parse_scale(text)
    try:
        with transaction.atomic():
            scale = Scale(
                key=definition["key"],
                name=definition["name"],
                version=definition["version"],
                valid_from=definition["valid_from"],
                description=definition["description"],
                source=definition["source"],
                grouping=definition["grouping"],
                data_sources=definition["data_sources"],
                bands=definition["bands"],
                level_rule=definition["level_rule"],
                definition_text=text,
                builtin=builtin,
                loaded_by=actor,
            )
            _validate(scale, "")
            scale.save()
            record_event(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=scale,
                after=snapshot(scale, ["key", "name", "version", "valid_from", "grouping", "builtin"]),
            )
            groups = {}
            for order, group in enumerate(definition["groups"], start=1):
                groups[group["key"]] = ScaleGroup(
                    scale=scale, key=group["key"], name=group["name"], order=order, bands=group["bands"]
                )
                _validate(groups[group["key"]], _("Del «%(key)s»") % {"key": group["key"]})
                groups[group["key"]].save()
            scale_items = [
                ScaleItem(
                    scale=scale,
                    group=groups[item["group"]],
                    number=item["number"],
                    title=item["title"],
                    description=item["description"],
                    data_sources=item["data_sources"],
                    anchors=item["anchors"],
                    measure=item["measure"],
                )
                for item in definition["items"]
            ]
            for scale_item in scale_items:
                _validate(scale_item, _("Punkt %(number)s") % {"number": scale_item.number})
            ScaleItem.objects.bulk_create(scale_items)
    except IntegrityError:
        raise ScaleFileError(
            [
                _("%(key)s versjon %(version)s er allerede lastet. En rettelse må ha et nytt versjonsnummer.")
                % {"key": definition["key"], "version": definition["version"]}
            ]
        ) from None
    return scale


def _validate(obj: Scale | ScaleGroup | ScaleItem, where: str) -> None:
    """The model's own limits (a title of 100 000 characters does not fit its column), as problems of the file."""
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as error:
        labels = [where] if where else []
        raise ScaleFileError(
            [
                ", ".join([*labels, str(obj._meta.get_field(field).verbose_name)]) + f": {message}"
                if field != NON_FIELD_ERRORS
                else message
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None


def ensure_builtin_scales() -> None:
    """Load the scales Brobygger ships (IPS-25) the first time they are needed."""
    for path in BUILTIN_FILES:
        text = path.read_text(encoding="utf-8")
        head = yaml.safe_load(text)
        if Scale.objects.filter(key=head["key"], version=str(head["version"])).exists():
            continue
        try:
            load_scale(actor=None, text=text, builtin=True)
        except ScaleFileError:
            # Loaded meanwhile by a concurrent request; anything else is a broken shipped file, which tests catch.
            if not Scale.objects.filter(key=head["key"], version=str(head["version"])).exists():
                raise


def scale_in_force(key: str, on: date) -> Scale | None:
    """The version of a scale that applies on a day: the latest valid from that day or earlier."""
    ensure_builtin_scales()
    return Scale.objects.filter(key=key, valid_from__lte=on).order_by("-valid_from", "-pk").first()


def level_for(total: int, bands: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The band a total falls in."""
    return next((band for band in bands if band["low"] <= total <= band["high"]), None)
