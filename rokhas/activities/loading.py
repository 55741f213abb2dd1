"""Loading the activity catalogue (rokhas/activities/data/activities.json), validated first."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from rokhas.catalogue.models import Procedure
from rokhas.catalogue.validation import SLUG, CatalogueError
from rokhas.territory.text import search_key

from .models import Activity, Regime

DATA_FILE = Path(__file__).parent / "data" / "activities.json"
KEYS = {"code", "name_fr", "name_ar", "regime", "category", "procedure", "synonyms", "source"}


def validate_activities(data: dict, procedures: set[str]) -> None:
    problems: list[str] = []
    entries = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError("activities", ["activities: a non-empty list is required"])
    seen = set()
    for i, a in enumerate(entries):
        w = f"activities[{i}]"
        if not isinstance(a, dict):
            problems.append(f"{w}: must be an object")
            continue
        for key in sorted(set(a) - KEYS):
            problems.append(f"{w}: unknown key {key!r}")
        code = a.get("code")
        if not isinstance(code, str) or not SLUG.match(code):
            problems.append(f"{w}.code: a slug is required")
        elif code in seen:
            problems.append(f"{w}.code: {code!r} appears twice")
        seen.add(code)
        for key in ("name_fr", "name_ar"):
            if not isinstance(a.get(key), str) or not a[key].strip():
                problems.append(f"{w}.{key}: required text")
        if a.get("regime") not in Regime.values:
            problems.append(f"{w}.regime: one of {Regime.values}")
        if a.get("regime") == Regime.CLASSIFIED and a.get("category") not in (2, 3):
            problems.append(f"{w}.category: 2 or 3 for a classified establishment")
        if a.get("regime") != Regime.CLASSIFIED and a.get("category") is not None:
            problems.append(f"{w}.category: only classified establishments have a category")
        if a.get("procedure") not in procedures:
            problems.append(f"{w}.procedure: {a.get('procedure')!r} is not a procedure of the catalogue")
    if problems:
        raise CatalogueError("activities", problems)


@transaction.atomic
def load_activities(path: Path = DATA_FILE) -> int:
    from rokhas.catalogue.loading import read_json

    data = read_json(path)
    procedures = {p.code: p for p in Procedure.objects.all()}
    validate_activities(data, set(procedures))
    default_source = data.get("source", "")
    for a in data["activities"]:
        Activity.objects.update_or_create(code=a["code"], defaults={
            "name_fr": a["name_fr"], "name_ar": a["name_ar"], "regime": a["regime"],
            "category": a.get("category"), "procedure": procedures[a["procedure"]],
            "search_key": search_key(a["name_fr"], a["name_ar"], *a.get("synonyms", [])),
            "source": a.get("source", default_source)[:300], "active": True})
    Activity.objects.exclude(code__in=[a["code"] for a in data["activities"]]).update(active=False)
    return len(data["activities"])
