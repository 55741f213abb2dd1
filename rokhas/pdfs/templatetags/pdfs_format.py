"""Formatting filters for the bilingual PDF templates (``{% load pdfs_format %}``).

Dates are always dd/mm/yyyy with Western digits, as on Moroccan administrative documents.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Unicode directional isolates: WeasyPrint ignores CSS unicode-bidi, but Pango (FriBidi) honours these.
LRI = "\u2066"
PDI = "\u2069"


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


@register.filter
def dmy(value: date | datetime | None) -> str:
    """``date``/``datetime`` as ``dd/mm/yyyy`` (aware datetimes in the project's time zone)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def dmy_hm(value: datetime | None) -> str:
    """``datetime`` as ``dd/mm/yyyy HH:MM`` in the project's time zone."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return dmy(value)
    return _local(value).strftime("%d/%m/%Y %H:%M")


def text_direction(text: str) -> str:
    """``"rtl"`` if the first strongly directional character is right-to-left, else ``"ltr"``."""
    for char in str(text):
        bidi = unicodedata.bidirectional(char)
        if bidi in ("R", "AL"):
            return "rtl"
        if bidi == "L":
            return "ltr"
    return "ltr"


@register.filter
def textdir(value: str) -> str:
    return text_direction(value)


@register.filter
def textlang(value: str) -> str:
    return "ar" if text_direction(value) == "rtl" else "fr"


@register.filter
def ltr(value: object) -> SafeString:
    """Isolate a left-to-right token (reference, date, number, file name) so it survives RTL text."""
    return format_html('<bdi dir="ltr" class="ltr">{}{}{}</bdi>', LRI, value, PDI)


_ELIDING_INITIALS = set("AEIOUÂÀÉÈÊËÎÏÔÛÙ")


@register.filter
def commune_de(name: str) -> str:
    """``"Commune de Rabat"``, ``"Commune d'Agadir"``."""
    name = str(name).strip()
    if name[:1].upper() in _ELIDING_INITIALS:
        return f"Commune d'{name}"
    return f"Commune de {name}"
