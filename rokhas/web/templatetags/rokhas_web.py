"""Template helpers of the web pages: badges, the legal clock of a list row, translated codes."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from rokhas.dossiers import clock as dossier_clock

from ..presenters import STATUS_STYLE, VERDICT_STYLE

register = template.Library()


@register.filter
def status_style(status: str) -> str:
    return STATUS_STYLE.get(status, "neutral")


@register.filter
def verdict_style(verdict: str) -> str:
    return VERDICT_STYLE.get(verdict, "neutral")


@register.filter
def legal_clock(dossier):
    """The file's legal clock (computed by the domain, never stored)."""
    return dossier_clock.compute(dossier)


@register.filter
def translated(value) -> str:
    """Translate a code the domain marked with gettext_noop (e.g. what sanitising removed)."""
    return gettext(str(value)) if value else ""


@register.filter
def short_hash(value) -> str:
    return (value or "")[:12]


@register.filter
def absolute(value):
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def when(value) -> str:
    """Long date and 24-hour time, the same way in both languages ("3 décembre 2026 14:51")."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'DATE_FORMAT')} {date_format(value, 'H:i')}"


@register.filter
def when_short(value) -> str:
    """Day/month/year as written in Morocco, whatever the locale's American fallback."""
    if not value:
        return ""
    value = _local(value)
    fmt = "d/m/Y H:i" if isinstance(value, datetime.datetime) else "d/m/Y"
    return date_format(value, fmt)
