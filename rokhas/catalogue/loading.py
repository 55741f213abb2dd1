"""Loading the catalogue from its versioned JSON files (rokhas/catalogue/data/).

Idempotent: a procedure version that already exists is updated in place only while no file
uses it; once files are filed on it, it is frozen and a change must come as a new version.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from .models import (
    CommissionSeat,
    DocumentType,
    Procedure,
    ProcedureVersion,
    ProjectClass,
    RequiredDocument,
    ReturnReason,
)

DATA_DIR = Path(__file__).parent / "data"


@transaction.atomic
def load_return_reasons(path: Path = DATA_DIR / "return-reasons.json") -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    for code, fr, ar in data["reasons"]:
        ReturnReason.objects.update_or_create(code=code, defaults={"label_fr": fr, "label_ar": ar})
    return len(data["reasons"])


def _required(entry) -> tuple[str, bool]:
    return (entry[0], entry[1]) if isinstance(entry, list) else (entry, True)


@transaction.atomic
def load_procedure(path: Path) -> tuple[Procedure, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    procedure, _ = Procedure.objects.update_or_create(code=data["code"], defaults={
        "domain": data["domain"], "name_fr": data["name_fr"], "name_ar": data["name_ar"],
        "reference_prefix": data["reference_prefix"]})
    types = {}
    for code, fr, ar, formats in data["document_types"]:
        types[code], _ = DocumentType.objects.update_or_create(
            code=code, defaults={"name_fr": fr, "name_ar": ar, "formats": formats})
    notes = []
    for v in data["versions"]:
        version = ProcedureVersion.objects.filter(procedure=procedure, version=v["version"]).first()
        if version is not None and version.dossiers.exists():
            notes.append(f"{procedure.code} v{version.version} is in use by files: left unchanged")
            continue
        fields = {k: v[k] for k in ("effective_from", "effective_to", "legal_source", "dispatch_days",
                                    "dispatch_day_kind", "complement_suspends_clock", "appeal_fr",
                                    "appeal_ar", "form_schema")}
        fields["fee_rules"] = v.get("fee_rules", [])
        version, _ = ProcedureVersion.objects.update_or_create(
            procedure=procedure, version=v["version"], defaults=fields)
        version.required_documents.all().delete()
        version.seats.all().delete()
        version.classes.all().delete()
        order = 0
        for entry in v["documents"]:
            code, mandatory = _required(entry)
            order += 1
            RequiredDocument.objects.create(version=version, document_type=types[code], mandatory=mandatory,
                                            order=order)
        for c in v["classes"]:
            cls = ProjectClass.objects.create(
                version=version, **{k: c[k] for k in ("code", "order", "name_fr", "name_ar", "criteria",
                                                      "total_days", "day_kind", "silence_rule",
                                                      "deadline_source_fr", "deadline_source_ar")})
            for seat in c["seats"]:
                CommissionSeat.objects.create(version=version, project_class=cls, **seat)
            for entry in c["documents"]:
                code, mandatory = _required(entry)
                order += 1
                RequiredDocument.objects.create(version=version, project_class=cls, document_type=types[code],
                                                mandatory=mandatory, order=order)
        notes.append(f"{procedure.code} v{version.version} loaded")
    return procedure, notes


def load_all() -> list[str]:
    notes = [f"{load_return_reasons()} return reasons"]
    for path in sorted(DATA_DIR.glob("*.json")):
        if path.name == "return-reasons.json":
            continue
        notes.extend(load_procedure(path)[1])
    return notes
