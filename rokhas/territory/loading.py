"""Loading the committed reference data (data/territory.json) into the database.

Idempotent upsert by official code, in bulk: unchanged rows are not written, rows that
are no longer in the file are kept (dossiers and accounts point at them) and counted.
Population figures are never touched here (see population.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from .models import Commune, Province, Region
from .text import search_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "territory.json"


@dataclass
class LevelReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        text = f"{self.total} ({self.created} created, {self.updated} updated, {self.unchanged} unchanged)"
        if self.not_in_file:
            text += f"; {len(self.not_in_file)} in the database but not in the file, kept"
        return text


@dataclass
class LoadReport:
    regions: LevelReport
    provinces: LevelReport
    communes: LevelReport


def read_data(path: Path | None = None) -> dict[str, list[dict[str, str]]]:
    raw = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    return {
        level: [dict(zip(raw[level]["columns"], row, strict=True)) for row in raw[level]["rows"]]
        for level in ("regions", "provinces", "communes")
    }


def _upsert(model: type[models.Model], wanted: dict[str, dict], fields: list[str]) -> LevelReport:
    report = LevelReport()
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
            continue
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            to_update.append(obj)
        else:
            report.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, fields, batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    report.not_in_file = sorted(set(existing) - set(wanted))
    return report


@transaction.atomic
def load_territory(path: Path | None = None) -> LoadReport:
    data = read_data(path)
    regions = _upsert(
        Region,
        {r["code"]: {"name_fr": r["name_fr"], "name_ar": r["name_ar"]} for r in data["regions"]},
        ["name_fr", "name_ar"],
    )
    region_ids = dict(Region.objects.values_list("code", "id"))
    provinces = _upsert(
        Province,
        {
            p["code"]: {
                "name_fr": p["name_fr"], "name_ar": p["name_ar"], "kind": p["kind"],
                "region_id": region_ids[p["region"]],
            }
            for p in data["provinces"]
        },
        ["name_fr", "name_ar", "kind", "region"],
    )
    province_ids = dict(Province.objects.values_list("code", "id"))
    communes = _upsert(
        Commune,
        {
            c["code"]: {
                "name_fr": c["name_fr"], "name_ar": c["name_ar"], "kind": c["kind"],
                "province_id": province_ids[c["province"]],
                "search_text": search_key(c["name_fr"], c["name_ar"]),
            }
            for c in data["communes"]
        },
        ["name_fr", "name_ar", "kind", "province", "search_text"],
    )
    return LoadReport(regions, provinces, communes)
