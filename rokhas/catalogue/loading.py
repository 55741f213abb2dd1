"""Loading the catalogue from its versioned JSON files (rokhas/catalogue/data/).

Every file is validated first (validation.py): bad data is refused as a whole, with one clear
message per fault, and nothing is written. Idempotent: a procedure version that already exists
is updated in place only while no file uses it; once files are filed on it, it is frozen and a
change must come as a new version.
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
from .validation import CatalogueError, document_entry, validate_procedure

DATA_DIR = Path(__file__).parent / "data"
RETURN_REASONS = "return-reasons.json"
DOCUMENT_TYPES = "document-types.json"
NOT_PROCEDURES = {RETURN_REASONS, DOCUMENT_TYPES}

__all__ = ["CatalogueError", "load_all", "load_document_types", "load_procedure", "load_return_reasons",
           "read_json", "validate_procedure"]


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(path.name, [f"cannot be read as JSON: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueError(path.name, ["the file must hold one JSON object"])
    return data


@transaction.atomic
def load_return_reasons(path: Path = DATA_DIR / RETURN_REASONS) -> int:
    data = read_json(path)
    for code, fr, ar in data["reasons"]:
        ReturnReason.objects.update_or_create(code=code, defaults={"label_fr": fr, "label_ar": ar})
    return len(data["reasons"])


@transaction.atomic
def load_document_types(entries: list) -> dict[str, DocumentType]:
    types = {}
    for code, fr, ar, formats in entries:
        types[code], _ = DocumentType.objects.update_or_create(
            code=code, defaults={"name_fr": fr, "name_ar": ar, "formats": formats})
    return types


def shared_document_types(data_dir: Path = DATA_DIR) -> list:
    path = data_dir / DOCUMENT_TYPES
    return read_json(path).get("document_types", []) if path.exists() else []


def _checks(v: dict) -> list[dict]:
    """Every "[check]" note of a version, with where it sits, for the admin and the docs."""
    found = [{"where": "version", "what": v["check"]}] if v.get("check") else []
    for entry in v.get("documents", []):
        doc = document_entry(entry)
        if doc.get("check"):
            found.append({"where": f"document {doc['code']}", "what": doc["check"]})
    for c in v["classes"]:
        if c.get("check"):
            found.append({"where": f"class {c['code']}", "what": c["check"]})
        for seat in c.get("seats", []):
            if seat.get("check"):
                found.append({"where": f"class {c['code']}, seat {seat['organisation_kind']}", "what": seat["check"]})
        for entry in c.get("documents", []):
            doc = document_entry(entry)
            if doc.get("check"):
                found.append({"where": f"class {c['code']}, document {doc['code']}", "what": doc["check"]})
    return found


VERSION_FIELDS = ("effective_from", "effective_to", "legal_source", "dispatch_days", "dispatch_day_kind",
                  "complement_suspends_clock", "appeal_fr", "appeal_ar", "form_schema")
CLASS_FIELDS = ("code", "order", "name_fr", "name_ar", "criteria", "total_days", "day_kind", "silence_rule",
                "deadline_source_fr", "deadline_source_ar")
SEAT_FIELDS = ("organisation_kind", "days", "day_kind", "binding")


def _add_documents(version, cls, entries, types, order: int) -> int:
    for entry in entries:
        doc = document_entry(entry)
        order += 1
        RequiredDocument.objects.create(version=version, project_class=cls, document_type=types[doc["code"]],
                                        mandatory=doc.get("mandatory", True), condition=doc.get("when") or {},
                                        order=order)
    return order


def _write_version(procedure: Procedure, v: dict, types: dict) -> ProcedureVersion:
    fields = {k: v.get(k) for k in VERSION_FIELDS}
    fields["dispatch_days"] = v.get("dispatch_days", 3)
    fields["dispatch_day_kind"] = v.get("dispatch_day_kind", "working")
    fields["complement_suspends_clock"] = v.get("complement_suspends_clock", True)
    fields["form_schema"] = v.get("form_schema", [])
    fields["fee_rules"] = v.get("fee_rules", [])
    fields["checks"] = _checks(v)
    version, _ = ProcedureVersion.objects.update_or_create(procedure=procedure, version=v["version"],
                                                           defaults=fields)
    version.required_documents.all().delete()
    version.seats.all().delete()
    version.classes.all().delete()
    order = _add_documents(version, None, v.get("documents", []), types, 0)
    for c in v["classes"]:
        cls = ProjectClass.objects.create(version=version, declaration_only=c.get("declaration_only", False),
                                          **{k: c[k] for k in CLASS_FIELDS if k in c})
        for seat in c.get("seats", []):
            CommissionSeat.objects.create(version=version, project_class=cls,
                                          **{k: seat[k] for k in SEAT_FIELDS if k in seat})
        order = _add_documents(version, cls, c.get("documents", []), types, order)
    return version


@transaction.atomic
def load_procedure(path: Path, shared_types: list | None = None) -> tuple[Procedure, list[str]]:
    data = read_json(path)
    if shared_types is None:  # the shared list beside the file, else the catalogue's own
        here = path.parent if (path.parent / DOCUMENT_TYPES).exists() else DATA_DIR
        shared_types = shared_document_types(here)
    validate_procedure(data, known_document_types={t[0] for t in shared_types if t}, source=path.name)
    procedure, _ = Procedure.objects.update_or_create(code=data["code"], defaults={
        "domain": data["domain"], "name_fr": data["name_fr"], "name_ar": data["name_ar"],
        "reference_prefix": data["reference_prefix"]})
    types = load_document_types([*shared_types, *data.get("document_types", [])])
    notes = []
    for v in data["versions"]:
        existing = ProcedureVersion.objects.filter(procedure=procedure, version=v["version"]).first()
        if existing is not None and existing.dossiers.exists():
            notes.append(f"{procedure.code} v{existing.version} is in use by files: left unchanged")
            continue
        _write_version(procedure, v, types)
        notes.append(f"{procedure.code} v{v['version']} loaded")
    return procedure, notes


def procedure_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return [p for p in sorted(data_dir.glob("*.json")) if p.name not in NOT_PROCEDURES]


def load_all() -> list[str]:
    """The whole catalogue: reasons, shared document types, every procedure, then the
    activities that point at those procedures."""
    notes = [f"{load_return_reasons()} return reasons"]
    shared = shared_document_types()
    for path in procedure_files():
        notes.extend(load_procedure(path, shared)[1])
    from rokhas.activities.loading import load_activities

    notes.append(f"{load_activities()} economic activities")
    return notes
