"""Validation of a procedure file before anything is loaded.

Refuses bad data with one message per fault, each saying where it is ("versions[0].classes[1]
.seats[2].organisation_kind: …"), so that whoever edits the law as data sees what to fix.
Unknown keys are faults too: a misspelt key would otherwise be silently ignored.
"""

from __future__ import annotations

import datetime
import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
DOMAINS = {"urbanism", "economic"}
DAY_KINDS = {"working", "calendar"}
SILENCE_RULES = {"tacit_approval", "tacit_refusal", "none"}
FIELD_TYPES = {"int", "decimal", "text", "longtext", "choice", "bool"}
OPERATORS = {"gt", "gte", "lt", "lte", "eq", "in", "true"}
FORMATS = {"pdf", "jpeg", "png"}

TOP_KEYS = {"code", "domain", "name_fr", "name_ar", "reference_prefix", "document_types", "versions", "source",
            "check"}
VERSION_KEYS = {"version", "effective_from", "effective_to", "legal_source", "dispatch_days", "dispatch_day_kind",
                "complement_suspends_clock", "appeal_fr", "appeal_ar", "form_schema", "classes", "documents",
                "fee_rules", "check"}
CLASS_KEYS = {"code", "order", "name_fr", "name_ar", "criteria", "total_days", "day_kind", "silence_rule",
              "deadline_source_fr", "deadline_source_ar", "seats", "documents", "declaration_only", "check"}
SEAT_KEYS = {"organisation_kind", "days", "day_kind", "binding", "check"}
DOC_KEYS = {"code", "mandatory", "when", "check"}
FIELD_KEYS = {"name", "type", "label_fr", "label_ar", "required", "min", "max", "max_length", "choices",
              "choices_from", "must_be", "help_fr", "help_ar"}
CRITERION_KEYS = {"field", "op", "value", "value_from", "why_fr", "why_ar"}


class CatalogueError(ValueError):
    """Bad catalogue data: `problems` lists every fault found, with where it is."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def organisation_kinds() -> set[str]:
    from rokhas.accounts.models import Organisation

    return set(Organisation.Kind.values)


def document_entry(entry) -> dict:
    """A document of a version or class: "code", ["code", mandatory] or {"code", "mandatory",
    "when", "check"} (the first two forms are those of the first catalogue files)."""
    if isinstance(entry, str):
        return {"code": entry}
    if isinstance(entry, list) and len(entry) == 2:
        return {"code": entry[0], "mandatory": entry[1]}
    return entry if isinstance(entry, dict) else {}


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _text(p: list[str], where: str, obj: dict, key: str, limit: int | None = None) -> None:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        p.append(f"{where}.{key}: required text")
    elif limit and len(value) > limit:
        p.append(f"{where}.{key}: at most {limit} characters ({len(value)} given)")


def _unknown(p: list[str], where: str, obj: dict, allowed: set[str]) -> None:
    for key in sorted(set(obj) - allowed):
        p.append(f"{where}: unknown key {key!r}")


def _positive_int(p: list[str], where: str, value, *, zero_ok: bool = False) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if zero_ok else 1):
        p.append(f"{where}: a whole number {'≥ 0' if zero_ok else '≥ 1'} is required")


def _condition(p: list[str], where: str, cond, fields: dict[str, dict]) -> None:
    if not isinstance(cond, dict):
        p.append(f"{where}: must be an object {{field, op, value}}")
        return
    _unknown(p, where, cond, CRITERION_KEYS)
    if cond.get("field") not in fields:
        p.append(f"{where}.field: {cond.get('field')!r} is not a field of the form")
    op = cond.get("op", "eq")
    if op not in OPERATORS:
        p.append(f"{where}.op: {op!r} is not one of {sorted(OPERATORS)}")
    elif "value_from" in cond:
        if op != "in" or not isinstance(cond["value_from"], str) or "value" in cond:
            p.append(f"{where}.value_from: a list source name, with op 'in' and no 'value'")
    elif op == "in" and not isinstance(cond.get("value"), list):
        p.append(f"{where}.value: 'in' needs a list")
    elif op != "true" and "value" not in cond:
        p.append(f"{where}.value: required for {op!r}")


def _form(p: list[str], where: str, schema) -> dict[str, dict]:
    if not isinstance(schema, list):
        p.append(f"{where}: must be a list of fields")
        return {}
    fields: dict[str, dict] = {}
    for i, spec in enumerate(schema):
        w = f"{where}[{i}]"
        if not isinstance(spec, dict):
            p.append(f"{w}: must be an object")
            continue
        _unknown(p, w, spec, FIELD_KEYS)
        name = spec.get("name")
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
            p.append(f"{w}.name: lower-case identifier required")
        elif name in fields:
            p.append(f"{w}.name: {name!r} appears twice")
        else:
            fields[name] = spec
        if spec.get("type", "text") not in FIELD_TYPES:
            p.append(f"{w}.type: {spec.get('type')!r} is not one of {sorted(FIELD_TYPES)}")
        _text(p, w, spec, "label_fr")
        _text(p, w, spec, "label_ar")
        if spec.get("type") == "choice" and not spec.get("choices_from"):
            choices = spec.get("choices")
            if not isinstance(choices, list) or not choices or not all(
                    isinstance(c, list) and len(c) == 3 for c in choices):
                p.append(f"{w}.choices: a non-empty list of [value, label_fr, label_ar] is required")
    return fields


def _documents(p: list[str], where: str, entries, known: set[str], fields: dict) -> None:
    if not isinstance(entries, list):
        p.append(f"{where}: must be a list")
        return
    for i, entry in enumerate(entries):
        w = f"{where}[{i}]"
        doc = document_entry(entry)
        if not doc:
            p.append(f"{w}: a code, [code, mandatory] or {{code, mandatory, when, check}} is required")
            continue
        _unknown(p, w, doc, DOC_KEYS)
        if doc.get("code") not in known:
            p.append(f"{w}: unknown document type {doc.get('code')!r}")
        if not isinstance(doc.get("mandatory", True), bool):
            p.append(f"{w}.mandatory: true or false")
        if "when" in doc:
            _condition(p, f"{w}.when", doc["when"], fields)


def _seats(p: list[str], where: str, seats, kinds: set[str], cls: dict) -> None:
    if not isinstance(seats, list):
        p.append(f"{where}: must be a list")
        return
    if cls.get("declaration_only"):
        if seats:
            p.append(f"{where}: a simple-declaration class has no commission")
        return
    if not seats:
        p.append(f"{where}: at least one body must examine the file (or set declaration_only)")
    seen = set()
    for i, seat in enumerate(seats):
        w = f"{where}[{i}]"
        if not isinstance(seat, dict):
            p.append(f"{w}: must be an object")
            continue
        _unknown(p, w, seat, SEAT_KEYS)
        kind = seat.get("organisation_kind")
        if kind not in kinds:
            p.append(f"{w}.organisation_kind: {kind!r} is not an organisation kind ({', '.join(sorted(kinds))})")
        elif kind in seen:
            p.append(f"{w}.organisation_kind: {kind!r} sits twice in this class")
        seen.add(kind)
        _positive_int(p, f"{w}.days", seat.get("days"))
        if isinstance(seat.get("days"), int) and isinstance(cls.get("total_days"), int) \
                and seat["days"] > cls["total_days"] and cls.get("day_kind") == seat.get("day_kind", "working"):
            p.append(f"{w}.days: the sub-deadline exceeds the class's deadline ({cls['total_days']})")
        if seat.get("day_kind", "working") not in DAY_KINDS:
            p.append(f"{w}.day_kind: 'working' or 'calendar'")
        if not isinstance(seat.get("binding", False), bool):
            p.append(f"{w}.binding: true or false")


def _classes(p: list[str], where: str, classes, fields: dict, known: set[str], kinds: set[str]) -> None:
    if not isinstance(classes, list) or not classes:
        p.append(f"{where}: at least one class is required")
        return
    codes, defaults = set(), 0
    for i, cls in enumerate(classes):
        w = f"{where}[{i}]"
        if not isinstance(cls, dict):
            p.append(f"{w}: must be an object")
            continue
        _unknown(p, w, cls, CLASS_KEYS)
        code = cls.get("code")
        if not isinstance(code, str) or not SLUG.match(code):
            p.append(f"{w}.code: a slug is required")
        elif code in codes:
            p.append(f"{w}.code: {code!r} appears twice")
        codes.add(code)
        for key in ("name_fr", "name_ar"):
            _text(p, w, cls, key, 200)
        for key in ("deadline_source_fr", "deadline_source_ar"):
            _text(p, w, cls, key, 300)
        _positive_int(p, f"{w}.total_days", cls.get("total_days"), zero_ok=bool(cls.get("declaration_only")))
        if cls.get("day_kind") not in DAY_KINDS:
            p.append(f"{w}.day_kind: 'working' or 'calendar'")
        if cls.get("silence_rule") not in SILENCE_RULES:
            p.append(f"{w}.silence_rule: one of {sorted(SILENCE_RULES)}")
        criteria = cls.get("criteria", [])
        if not isinstance(criteria, list):
            p.append(f"{w}.criteria: must be a list")
            criteria = []
        if not criteria:
            defaults += 1
        for j, criterion in enumerate(criteria):
            _condition(p, f"{w}.criteria[{j}]", criterion, fields)
            if isinstance(criterion, dict):
                _text(p, f"{w}.criteria[{j}]", criterion, "why_fr")
                _text(p, f"{w}.criteria[{j}]", criterion, "why_ar")
        _seats(p, f"{w}.seats", cls.get("seats", []), kinds, cls)
        _documents(p, f"{w}.documents", cls.get("documents", []), known, fields)
    if defaults != 1:
        p.append(f"{where}: exactly one class without criteria (the default) is required, {defaults} found")


def _version(p: list[str], where: str, v: dict, known: set[str], kinds: set[str]) -> None:
    _unknown(p, where, v, VERSION_KEYS)
    _positive_int(p, f"{where}.version", v.get("version"))
    start = _date(v.get("effective_from"))
    if start is None:
        p.append(f"{where}.effective_from: a date YYYY-MM-DD is required")
    end = v.get("effective_to")
    if end is not None and (_date(end) is None or (start and _date(end) < start)):
        p.append(f"{where}.effective_to: null, or a date YYYY-MM-DD on or after effective_from")
    _text(p, where, v, "legal_source")
    _text(p, where, v, "appeal_fr")
    _text(p, where, v, "appeal_ar")
    if v.get("dispatch_day_kind", "working") not in DAY_KINDS:
        p.append(f"{where}.dispatch_day_kind: 'working' or 'calendar'")
    _positive_int(p, f"{where}.dispatch_days", v.get("dispatch_days", 3), zero_ok=True)
    if not isinstance(v.get("fee_rules", []), list):
        p.append(f"{where}.fee_rules: must be a list")
    fields = _form(p, f"{where}.form_schema", v.get("form_schema", []))
    _documents(p, f"{where}.documents", v.get("documents", []), known, fields)
    _classes(p, f"{where}.classes", v.get("classes"), fields, known, kinds)


def validate_procedure(data: dict, *, known_document_types: set[str] = frozenset(), source: str = "procedure",
                       kinds: set[str] | None = None) -> None:
    """Raise CatalogueError listing every fault of a procedure file; return None when sound."""
    p: list[str] = []
    if not isinstance(data, dict):
        raise CatalogueError(source, ["the file must hold one JSON object"])
    _unknown(p, "procedure", data, TOP_KEYS)
    if not isinstance(data.get("code"), str) or not SLUG.match(data.get("code", "")):
        p.append("procedure.code: a slug (a-z, 0-9, -) is required")
    if data.get("domain") not in DOMAINS:
        p.append(f"procedure.domain: one of {sorted(DOMAINS)}")
    for key in ("name_fr", "name_ar"):
        _text(p, "procedure", data, key, 200)
    if not isinstance(data.get("reference_prefix"), str) or not PREFIX.match(data.get("reference_prefix", "")):
        p.append("procedure.reference_prefix: 1 to 8 capital letters or digits, starting with a letter")
    known = set(known_document_types)
    for i, t in enumerate(data.get("document_types", [])):
        if not (isinstance(t, list) and len(t) == 4 and all(isinstance(x, str) and x for x in t)):
            p.append(f"document_types[{i}]: [code, name_fr, name_ar, formats] is required")
            continue
        if not set(t[3].split(",")) <= FORMATS:
            p.append(f"document_types[{i}].formats: only {', '.join(sorted(FORMATS))}")
        known.add(t[0])
    versions = data.get("versions")
    if not isinstance(versions, list) or not versions:
        p.append("procedure.versions: at least one version is required")
        versions = []
    numbers, starts = set(), set()
    kinds = organisation_kinds() if kinds is None else kinds
    for i, v in enumerate(versions):
        where = f"versions[{i}]"
        if not isinstance(v, dict):
            p.append(f"{where}: must be an object")
            continue
        if v.get("version") in numbers:
            p.append(f"{where}.version: {v.get('version')} appears twice")
        numbers.add(v.get("version"))
        if v.get("effective_from") in starts:
            p.append(f"{where}.effective_from: two versions take effect on {v.get('effective_from')}")
        starts.add(v.get("effective_from"))
        _version(p, where, v, known, kinds)
    if p:
        raise CatalogueError(source, p)
