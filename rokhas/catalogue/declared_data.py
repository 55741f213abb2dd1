"""Validation of what the applicant declares, against the procedure version's form schema.

A field spec: {"name", "type": int|decimal|text|longtext|choice|bool, "label_fr", "label_ar",
"required": bool, "min", "max", "max_length", "choices": [[value, label_fr, label_ar], ...],
"choices_from": "provider[:argument]" (choices kept by another app, e.g. "activities:declaration"),
"must_be": true (a commitment the applicant must accept, e.g. restoring the road)}.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rokhas.core.bilingual import is_arabic

# Providers of choice lists kept elsewhere (name -> function(argument) -> [[value, fr, ar], ...]).
_CHOICE_PROVIDERS: dict[str, Callable[[str], list]] = {}


def register_choices(name: str, provider: Callable[[str], list]) -> None:
    _CHOICE_PROVIDERS[name] = provider


def choices_of(spec: dict) -> list:
    """The [value, label_fr, label_ar] choices of a field, inline or from a provider."""
    source = spec.get("choices_from")
    if not source:
        return spec.get("choices", [])
    name, _sep, argument = source.partition(":")
    provider = _CHOICE_PROVIDERS.get(name)
    return provider(argument) if provider else []


def field_label(spec: dict) -> str:
    lang = "ar" if is_arabic() else "fr"
    return spec.get(f"label_{lang}") or spec.get("label_fr") or spec["name"]


def choice_label(spec: dict, value: Any) -> str:
    lang = 2 if is_arabic() else 1
    for choice in choices_of(spec):
        if choice[0] == value:
            return choice[lang]
    return str(value)


def _clean_one(spec: dict, raw: Any) -> Any:
    kind = spec.get("type", "text")
    if kind == "bool":
        return raw in (True, "true", "on", "1", 1, "True")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind in ("int", "decimal"):
        try:
            value = int(str(raw).strip()) if kind == "int" else Decimal(str(raw).strip().replace(",", "."))
        except (ValueError, InvalidOperation):
            raise ValidationError(_("Enter a number."), code="invalid_number") from None
        if kind == "decimal" and not value.is_finite():
            raise ValidationError(_("Enter a number."), code="invalid_number")
        if "min" in spec and value < spec["min"]:
            raise ValidationError(_("Must be at least %(min)s.") % {"min": spec["min"]}, code="too_small")
        if "max" in spec and value > spec["max"]:
            raise ValidationError(_("Must be at most %(max)s.") % {"max": spec["max"]}, code="too_large")
        return float(value) if kind == "decimal" else value
    if kind == "choice":
        allowed = [c[0] for c in choices_of(spec)]
        if raw not in allowed:
            raise ValidationError(_("Choose one of the proposed values."), code="invalid_choice")
        return raw
    text = str(raw).strip()
    limit = spec.get("max_length", 2000 if kind == "longtext" else 200)
    if len(text) > limit:
        raise ValidationError(
            _("At most %(limit)d characters (%(count)d given).") % {"limit": limit, "count": len(text)},
            code="too_long",
        )
    if "\x00" in text:
        raise ValidationError(_("Invalid characters."), code="invalid_chars")
    return text


def clean_declared_data(schema: list[dict], raw: dict, *, require_complete: bool) -> dict:
    """Return the cleaned values; raise ValidationError({field: [messages]}) on bad input.

    Drafts may be incomplete (require_complete=False); submission requires every required
    field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for spec in schema:
        name = spec["name"]
        try:
            value = _clean_one(spec, raw.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        if value is None and spec.get("required") and require_complete:
            errors[name] = [_("This field is required.")]
            continue
        if spec.get("must_be") is True and value is not True and require_complete:
            errors[name] = [_("You must accept this commitment to file.")]
            continue
        if value is not None:
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
