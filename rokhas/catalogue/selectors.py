"""Reads of the catalogue."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Procedure, ProcedureVersion, RequiredDocument


def version_in_force(procedure: Procedure, on: datetime.date) -> ProcedureVersion | None:
    return (
        procedure.versions.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from", "-version")
        .first()
    )


def procedures_open_for_filing(on: datetime.date) -> list[tuple[Procedure, ProcedureVersion]]:
    out = []
    for procedure in Procedure.objects.order_by("code"):
        version = version_in_force(procedure, on)
        if version is not None:
            out.append((procedure, version))
    return out


def required_documents(version: ProcedureVersion, project_class=None,
                       declared: dict | None = None) -> list[RequiredDocument]:
    """The documents of the version for that class and what was declared: a document with a
    condition (e.g. only for a surélévation) is listed only when the declared data meet it."""
    from .classification import matches

    qs = version.required_documents.select_related("document_type")
    if project_class is None:
        qs = qs.filter(project_class__isnull=True)
    else:
        qs = qs.filter(Q(project_class__isnull=True) | Q(project_class=project_class))
    declared = declared or {}
    return [r for r in qs if not r.condition or matches(r.condition, declared)]
