"""Reads of the catalogue."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

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


def required_documents(version: ProcedureVersion, project_class=None) -> QuerySet[RequiredDocument]:
    qs = version.required_documents.select_related("document_type")
    if project_class is None:
        return qs.filter(project_class__isnull=True)
    return qs.filter(Q(project_class__isnull=True) | Q(project_class=project_class))
