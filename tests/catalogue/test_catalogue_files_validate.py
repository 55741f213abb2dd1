"""Every procedure file of the catalogue validates and loads, with what the law requires of it
(legal source, appeal text, a deadline source per class in both languages), and the catalogue
covers every procedure of issue 3."""

from __future__ import annotations

import pytest

from rokhas.accounts.models import Organisation
from rokhas.catalogue.loading import load_all, procedure_files, read_json, shared_document_types
from rokhas.catalogue.models import Procedure
from rokhas.catalogue.validation import validate_procedure

EXPECTED = {
    "permis-construire", "lotir", "groupe-habitations", "morceler", "permis-refection", "permis-regularisation",
    "permis-demolir", "permis-habiter", "certificat-conformite", "autorisation-publicite",
    "activite-declaration", "activite-autorisation", "etablissement-classe", "occupation-domaine-public",
    "ouverture-tranchees",
}


@pytest.mark.parametrize("path", procedure_files(), ids=lambda p: p.name)
def test_file_validates(path):
    shared = {t[0] for t in shared_document_types()}
    validate_procedure(read_json(path), known_document_types=shared, source=path.name)


def test_catalogue_covers_every_procedure_of_the_issue():
    assert {read_json(p)["code"] for p in procedure_files()} == EXPECTED


@pytest.mark.django_db
def test_load_all_loads_every_procedure_with_its_sources():
    notes = load_all()
    assert any("economic activities" in n for n in notes)
    assert set(Procedure.objects.values_list("code", flat=True)) == EXPECTED
    for procedure in Procedure.objects.all():
        version = procedure.versions.get(version=1)
        assert version.legal_source and version.appeal_fr and version.appeal_ar, procedure.code
        classes = list(version.classes.all())
        assert sum(1 for c in classes if not c.criteria) == 1, procedure.code
        for cls in classes:
            assert cls.deadline_source_fr and cls.deadline_source_ar, (procedure.code, cls.code)
            kinds = {s.organisation_kind for s in cls.seats.all()}
            assert kinds <= set(Organisation.Kind.values)
            assert cls.declaration_only or kinds, (procedure.code, cls.code)


@pytest.mark.django_db
def test_check_items_are_kept_with_the_version():
    load_all()
    morceler = Procedure.objects.get(code="morceler").versions.get()
    assert morceler.checks and all("[check]" in c["what"] for c in morceler.checks)
    # The land registry sits on the parcel-split commission.
    assert morceler.seats.filter(organisation_kind="land_registry").exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_all()
    counts = (Procedure.objects.count(), sum(p.versions.count() for p in Procedure.objects.all()))
    load_all()
    assert (Procedure.objects.count(), sum(p.versions.count() for p in Procedure.objects.all())) == counts
