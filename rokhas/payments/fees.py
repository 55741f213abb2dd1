"""The interpreter of fee rules (ProcedureVersion.fee_rules). Format: docs/fees.md.

A rule says what is charged (`kind`), from which declared fields, at which commune rate (a
dated CommuneRate chosen by `tax_code`, checked inside the legal `bands` the rule gives),
when it is due and how it is rounded. `compute()` turns a file's declared data into invoice
lines; it never writes. The rate used is the one in force on the date given (the filing date).
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

KINDS = ("per_area", "per_area_duration", "flat")
DUES = ("on_filing", "before_delivery")
_ROUNDING = {"half_up": ROUND_HALF_UP, "up": ROUND_UP, "down": ROUND_DOWN}
CENT = Decimal("0.01")
# Conditions of `applies_if`, as in the class criteria (rokhas/catalogue/classification.py).
_OPS = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
    "eq": operator.eq, "in": lambda a, b: a in b, "true": lambda a, _b: bool(a),
}


class FeeRuleError(ValueError):
    """The rule itself is malformed (a data error, reported by `validate_rules`)."""


@dataclass(frozen=True)
class FeeLine:
    rule_code: str
    label_fr: str
    label_ar: str
    due: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    commune_rate_id: int | None
    legal_source: str
    to_check: bool
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FeeProblem:
    """A line that could not be computed (no rate in force, rate outside the legal band)."""

    rule_code: str
    code: str
    message: str


@dataclass(frozen=True)
class Computation:
    lines: tuple[FeeLine, ...]
    problems: tuple[FeeProblem, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def decimal_of(value) -> Decimal:
    """A declared number (stored as int or float in JSON) as an exact Decimal; missing is 0."""
    if value is None or value == "" or isinstance(value, bool):
        return Decimal("0")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise FeeRuleError(f"not a number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise FeeRuleError(f"not a positive number: {value!r}")
    return number


def round_amount(amount: Decimal, rule: dict) -> Decimal:
    spec = rule.get("rounding") or {}
    quantum = Decimal(str(spec.get("quantum", "0.01")))
    mode = _ROUNDING[spec.get("mode", "half_up")]
    # Rounded to the rule's quantum, then written with two decimals (MAD and centimes).
    return amount.quantize(quantum, rounding=mode).quantize(CENT)


def _applies(rule: dict, declared: dict) -> bool:
    for condition in rule.get("applies_if", []):
        value = declared.get(condition["field"])
        if value is None:
            return False
        try:
            if not _OPS[condition.get("op", "eq")](value, condition.get("value")):
                return False
        except TypeError:
            return False
    return True


def tax_code_for(rule: dict, declared: dict) -> str | None:
    spec = rule.get("tax_code")
    if spec is None or isinstance(spec, str):
        return spec
    return spec["map"].get(str(declared.get(spec["field"])), spec.get("default"))


def _band(rule: dict, tax_code: str) -> tuple[Decimal | None, Decimal | None]:
    band = (rule.get("bands") or {}).get(tax_code) or {}
    low, high = band.get("min"), band.get("max")
    return (Decimal(str(low)) if low is not None else None, Decimal(str(high)) if high is not None else None)


def _out_of_band(rule: dict, tax_code: str, rate: Decimal) -> str | None:
    low, high = _band(rule, tax_code)
    if (low is not None and rate < low) or (high is not None and rate > high):
        return _("The rate %(rate)s MAD for %(code)s is outside the legal band %(low)s–%(high)s MAD.") % {
            "rate": rate, "code": tax_code, "low": low if low is not None else "0", "high": high or "∞"}
    return None


def rate_in_force(commune, tax_code: str, on: datetime.date):
    from .models import CommuneRate

    return (CommuneRate.objects.filter(commune=commune, tax_code=tax_code, effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .order_by("-effective_from").first())


def _quantity(rule: dict, declared: dict) -> tuple[Decimal, str, dict]:
    kind = rule["kind"]
    if kind == "per_area":
        area = decimal_of(declared.get(rule["area_field"]))
        doubled = sum((decimal_of(declared.get(f)) for f in rule.get("double_count_fields", [])), Decimal("0"))
        # The projections are part of the declared area once; counting them twice adds them again.
        return area + doubled, "m2", {"area": str(area), "counted_twice": str(doubled)}
    if kind == "per_area_duration":
        area = decimal_of(declared.get(rule["area_field"]))
        duration = decimal_of(declared.get(rule["duration_field"]))
        unit = f"m2_{rule.get('duration_unit', 'month')}"
        return area * duration, unit, {"area": str(area), "duration": str(duration)}
    return Decimal("1"), "flat", {}


def _line(rule: dict, declared: dict, commune, on: datetime.date) -> FeeLine | FeeProblem | None:
    if not _applies(rule, declared):
        return None
    quantity, unit, details = _quantity(rule, declared)
    if quantity == 0:
        return None
    code = tax_code_for(rule, declared)
    commune_rate = None
    if code is None:
        if "amount" not in rule:
            return FeeProblem(rule["code"], "no_tax_code",
                              _("No tax code applies to these declared values; ask the commune."))
        rate = Decimal(str(rule["amount"]))
    else:
        commune_rate = rate_in_force(commune, code, on)
        if commune_rate is None:
            return FeeProblem(rule["code"], "no_rate", _("%(commune)s has no rate in force on %(date)s for %(code)s.")
                              % {"commune": commune.name_fr, "date": on.strftime("%d/%m/%Y"), "code": code})
        rate = commune_rate.rate
        problem = _out_of_band(rule, code, rate)
        if problem:
            return FeeProblem(rule["code"], "out_of_band", problem)
        details["tax_code"] = code
    return FeeLine(
        rule_code=rule["code"], label_fr=rule["label_fr"], label_ar=rule["label_ar"], due=rule["due"],
        quantity=quantity.quantize(CENT), unit=unit, rate=rate, amount=round_amount(quantity * rate, rule),
        commune_rate_id=commune_rate.pk if commune_rate else None,
        legal_source=rule.get("legal_source", ""), to_check=bool(rule.get("check")), details=details,
    )


def compute(version, declared: dict, commune, on: datetime.date, due: str | None = None) -> Computation:
    """The invoice lines of a file: its procedure version's rules applied to its declared data,
    at the commune's rates in force on `on`. With `due`, only the rules due at that moment."""
    lines, problems = [], []
    for rule in version.fee_rules or []:
        if due is not None and rule.get("due") != due:
            continue
        try:
            result = _line(rule, declared, commune, on)
        except FeeRuleError as exc:
            result = FeeProblem(rule.get("code", "?"), "bad_value", str(exc))
        if isinstance(result, FeeLine):
            lines.append(result)
        elif isinstance(result, FeeProblem):
            problems.append(result)
    return Computation(tuple(lines), tuple(problems))


def band_problem(tax_code: str, rate: Decimal, start: datetime.date, end: datetime.date | None = None) -> str | None:
    """Whether a commune rate for `tax_code` lies outside the legal band of a rule that uses it
    in a procedure version in force during [start, end] (checked when a rate is saved or loaded)."""
    from rokhas.catalogue.models import ProcedureVersion

    if rate is None or start is None:
        return None
    versions = ProcedureVersion.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        versions = versions.filter(effective_from__lte=end)
    for version in versions:
        for rule in version.fee_rules or []:
            if tax_code in _tax_codes(rule):
                problem = _out_of_band(rule, tax_code, Decimal(rate))
                if problem:
                    return problem
    return None


def _tax_codes(rule: dict) -> set[str]:
    spec = rule.get("tax_code")
    if spec is None:
        return set()
    if isinstance(spec, str):
        return {spec}
    return set(spec["map"].values()) | ({spec["default"]} if spec.get("default") else set())


def validate_rules(rules: list) -> list[str]:
    """Problems in a list of fee rules (used by tests and by the catalogue data check)."""
    out = []
    if not isinstance(rules, list):
        return ["fee_rules must be a list"]
    codes = set()
    for rule in rules:
        code = rule.get("code", "?")
        for key in ("code", "kind", "label_fr", "label_ar", "due", "legal_source"):
            if not rule.get(key):
                out.append(f"{code}: missing {key}")
        if code in codes:
            out.append(f"{code}: duplicate code")
        codes.add(code)
        if rule.get("kind") not in KINDS:
            out.append(f"{code}: kind must be one of {KINDS}")
        if rule.get("due") not in DUES:
            out.append(f"{code}: due must be one of {DUES}")
        needed = {"per_area": ("area_field",), "per_area_duration": ("area_field", "duration_field")}
        for key in needed.get(rule.get("kind"), ()):
            if not rule.get(key):
                out.append(f"{code}: missing {key}")
        if rule.get("tax_code") is None and "amount" not in rule:
            out.append(f"{code}: needs a tax_code (commune rate) or an amount")
        mode = (rule.get("rounding") or {}).get("mode", "half_up")
        if mode not in _ROUNDING:
            out.append(f"{code}: rounding mode must be one of {tuple(_ROUNDING)}")
    return out
