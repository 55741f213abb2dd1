"""Template helpers of the web pages: badges, the legal clock of a list row, translated codes."""

from __future__ import annotations

from django import template
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
