"""{% load commission_tags %}: page numbers of a document version, and the annotations kept
with a file (for the file page)."""

from __future__ import annotations

from django import template

from rokhas.commission import selectors

register = template.Library()
MAX_PAGES_SHOWN = 50  # a session looks at plans, not at 500-page annexes


@register.filter
def page_numbers(version) -> range:
    return range(1, min(version.pages or 1, MAX_PAGES_SHOWN) + 1)


@register.inclusion_tag("web/commission/annotations_kept.html")
def dossier_annotations(dossier):
    """The caller has already checked that the reader may see the file."""
    return {"kept": selectors.annotations_of(dossier)}
