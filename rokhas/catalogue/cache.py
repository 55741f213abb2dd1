"""Per-process cache of the catalogue rows that files point at.

A file's procedure version (with its procedure) and its project class are a handful of rows
with large texts and JSON (form schema, legal sources, fee rules). Joined into every list and
detail query they cost planning time and JSON decoding on each row (bench/README.md, read
paths); they are frozen once a file uses them (loading.py, admin), so each process keeps one
copy instead. Any save of a catalogue row clears the cache (signals below).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from operator import attrgetter

from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.models.signals import post_delete, post_save

from .models import Procedure, ProcedureVersion, ProjectClass

_lock = threading.Lock()
_versions: dict[int, ProcedureVersion] = {}
_classes: dict[int, ProjectClass] = {}


def clear(**_kwargs) -> None:
    with _lock:
        _versions.clear()
        _classes.clear()


for _model in (Procedure, ProcedureVersion, ProjectClass):
    post_save.connect(clear, sender=_model, dispatch_uid=f"catalogue-cache-{_model.__name__}-save")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"catalogue-cache-{_model.__name__}-delete")


def _load(version_ids: set[int], class_ids: set[int]) -> None:
    missing_versions = version_ids - _versions.keys()
    missing_classes = class_ids - _classes.keys()
    if missing_versions:
        rows = ProcedureVersion.objects.select_related("procedure").filter(pk__in=missing_versions)
        with _lock:
            _versions.update({v.pk: v for v in rows})
    if missing_classes:
        rows = ProjectClass.objects.filter(pk__in=missing_classes)
        with _lock:
            _classes.update({c.pk: c for c in rows})


def attach(dossiers: Iterable) -> None:
    """Give each file its procedure version (with procedure) and class from the cache."""
    dossiers = [d for d in dossiers if d is not None]
    _load({d.procedure_version_id for d in dossiers},
          {d.project_class_id for d in dossiers if d.project_class_id})
    for d in dossiers:
        d.procedure_version = _versions[d.procedure_version_id]
        if d.project_class_id:
            d.project_class = _classes[d.project_class_id]


class CatalogueQuerySet(QuerySet):
    """`.with_catalogue(path)`: once the rows are fetched, the files found at `path` ("" for
    the rows themselves, "dossier" for consultations or decisions…) get their catalogue rows
    from the cache, without a join or a query."""

    _catalogue_path: str | None = None

    def with_catalogue(self, path: str = "") -> CatalogueQuerySet:
        qs = self._chain()
        qs._catalogue_path = path
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._catalogue_path = self._catalogue_path
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._catalogue_path is not None and self._iterable_class is ModelIterable:
            rows = self._result_cache
            attach([attrgetter(self._catalogue_path)(r) for r in rows] if self._catalogue_path else rows)
