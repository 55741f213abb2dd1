"""Changing a procedure while files are open: the change comes as a new version with an
effective date; open files keep the version they were filed under (deadline, commission,
documents); drafts created once the new version is in force take it; a version in use is frozen."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.utils import timezone

from rokhas.catalogue.loading import DATA_DIR, load_procedure, read_json
from rokhas.catalogue.models import Procedure
from rokhas.catalogue.selectors import required_documents
from rokhas.demo.procedures import dispatch, file_it, fill_file
from rokhas.dossiers import services

TODAY = timezone.localdate()


def _new_version(effective_from: datetime.date, tamper_v1: bool = True) -> dict:
    data = read_json(DATA_DIR / "lotir.json")
    v1 = data["versions"][0]
    v2 = copy.deepcopy(v1)
    v2.update(version=2, effective_from=effective_from.isoformat())
    v1["effective_to"] = (effective_from - datetime.timedelta(days=1)).isoformat()
    grands = v2["classes"][0]
    grands["total_days"] = 20
    grands["deadline_source_fr"] = "Nouvel arrêté (test) : 20 jours"
    grands["seats"] = [s for s in grands["seats"] if s["organisation_kind"] != "electricity_operator"]
    v2["documents"].append("etude-beton-arme")
    if tamper_v1:  # an edit of the version in use, which the loader must refuse to apply
        v1["classes"][0]["total_days"] = 5
    data["versions"].append(v2)
    return data


def _load(tmp_path, data):
    path = tmp_path / "lotir.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_procedure(path)


@pytest.mark.django_db
def test_open_files_keep_their_version_and_new_files_take_the_new_one(world, tmp_path):
    old = file_it(world, fill_file(world, "lotir"))
    due_before = old.legal_due_date
    assert old.procedure_version.version == 1 and old.project_class.total_days == 30

    _procedure, notes = _load(tmp_path, _new_version(TODAY))
    assert "lotir v1 is in use by files: left unchanged" in notes and "lotir v2 loaded" in notes

    old.refresh_from_db()
    v1 = old.procedure_version
    assert v1.version == 1 and old.project_class.total_days == 30  # the frozen rule, not the tampered 5
    assert old.legal_due_date == due_before
    # Dispatched under v1: v1's commission, electricity operator included.
    old = dispatch(world, old)
    assert "electricity_operator" in {c.organisation.kind for c in old.consultations.all()}

    new = fill_file(world, "lotir")
    assert new.procedure_version.version == 2
    codes = {r.document_type.code for r in required_documents(new.procedure_version, None)}
    assert "etude-beton-arme" in codes
    new = file_it(world, new)
    assert new.project_class.total_days == 20
    assert new.legal_due_date < due_before + datetime.timedelta(days=30)
    new = dispatch(world, new)
    assert "electricity_operator" not in {c.organisation.kind for c in new.consultations.all()}


@pytest.mark.django_db
def test_a_version_not_yet_in_force_does_not_apply(world, tmp_path):
    _load(tmp_path, _new_version(TODAY + datetime.timedelta(days=10), tamper_v1=False))
    draft = fill_file(world, "lotir")
    assert draft.procedure_version.version == 1


@pytest.mark.django_db
def test_a_version_without_files_can_still_be_corrected(world, tmp_path):
    data = read_json(DATA_DIR / "lotir.json")
    data["versions"][0]["classes"][0]["total_days"] = 25
    _load(tmp_path, data)
    version = Procedure.objects.get(code="lotir").versions.get(version=1)
    assert version.classes.get().total_days == 25


@pytest.mark.django_db
def test_a_draft_keeps_the_version_it_was_created_under(world, tmp_path):
    draft = fill_file(world, "lotir")
    _load(tmp_path, _new_version(TODAY, tamper_v1=False))
    draft = services.submit(actor=draft.applicant, dossier=draft, token="t")
    assert draft.procedure_version.version == 1 and draft.project_class.total_days == 30
