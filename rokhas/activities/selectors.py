"""Reads of the activity catalogue: search (Arabic and French, accents forgiven) and choices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from rokhas.catalogue.models import ProcedureVersion
from rokhas.catalogue.selectors import version_in_force
from rokhas.territory.text import fold

from .models import Activity

MAX_RESULTS = 20


def active_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(active=True).select_related("procedure")


def search_activities(query: str, limit: int = MAX_RESULTS) -> list[Activity]:
    """Activities whose names or synonyms contain every word typed (folded), best first:
    those whose name starts with the query, then the others, alphabetically."""
    # Printable characters only: a NUL would cut the SQL pattern short (SQLite) or be refused (PostgreSQL).
    query = "".join(ch for ch in (query or "")[:100] if ch.isprintable())
    words = fold(query).split()
    if not words:
        return []
    qs = active_activities()
    for word in words:
        qs = qs.filter(search_key__contains=word)
    found = list(qs[:200])
    head = fold(query)
    found.sort(key=lambda a: (not (fold(a.name_fr).startswith(head) or fold(a.name_ar).startswith(head)),
                              fold(a.name_fr)))
    return found[:limit]


def get_activity(code: str) -> Activity | None:
    return active_activities().filter(code=(code or "")[:60]).first()


def activity_choices(selection: str = "") -> list[list]:
    """[[code, name_fr, name_ar], ...] for a procedure form or a class criterion: all activities,
    one regime's ("declaration"), or one category of classified establishments ("classified-2")."""
    qs = active_activities()
    regime, _sep, category = selection.partition("-")
    if regime:
        qs = qs.filter(regime=regime)
    if category.isdigit():
        qs = qs.filter(category=int(category))
    return [[a.code, a.name_fr, a.name_ar] for a in qs.order_by("name_fr")]


@dataclass(frozen=True)
class WhatFollows:
    """What the applicant can expect once the file is filed, from the version in force."""

    version: ProcedureVersion | None
    declaration_only: bool
    organisations: tuple[str, ...]  # kinds of the bodies consulted
    total_days: int | None
    day_kind: str
    deadline_source: str


def what_follows(activity: Activity) -> WhatFollows:
    version = version_in_force(activity.procedure, timezone.localdate())
    if version is None:
        return WhatFollows(None, False, (), None, "", "")
    cls = _class_for(activity, version)
    kinds = tuple(dict.fromkeys(seat.organisation_kind for seat in cls.seats.all())) if cls else ()
    return WhatFollows(version, bool(cls and cls.declaration_only), kinds, cls.total_days if cls else None,
                       cls.day_kind if cls else "", cls.deadline_source if cls else "")


def _class_for(activity: Activity, version: ProcedureVersion):
    from rokhas.catalogue.classification import classify

    return classify(version, prefilled_data(activity)).project_class


def prefilled_data(activity: Activity) -> dict:
    """What the applicant declares by choosing this activity (its category, for a classified
    establishment, comes from the catalogue, not from the applicant)."""
    return {"activity": activity.code}
