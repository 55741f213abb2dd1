"""Documents that depend on what the applicant declares: the three natures of the construction
permit (new construction, modification, surélévation) and the demolition of an adjoining
building each require their own documents, and submission checks exactly those."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import DocumentType, Procedure
from rokhas.catalogue.selectors import required_documents
from rokhas.dossiers import services
from tests.conftest import PETIT_PROJET, upload

BY_NATURE = {
    "new": set(),
    "modification": {"plans-existant", "autorisation-anterieure"},
    "surelevation": {"plans-existant", "autorisation-anterieure", "etude-stabilite"},
}
CONDITIONAL = {"plans-existant", "autorisation-anterieure", "etude-stabilite"}


def _codes(version, declared):
    cls = classify(version, declared).project_class
    return {r.document_type.code for r in required_documents(version, cls, declared)}


@pytest.mark.django_db
@pytest.mark.parametrize("nature", list(BY_NATURE))
def test_documents_by_nature(catalogue, nature):
    version = catalogue.versions.get(version=1)
    codes = _codes(version, {**PETIT_PROJET, "nature": nature, "levels": 2, "floor_area_m2": 300})
    assert codes & CONDITIONAL == BY_NATURE[nature]
    assert {"certificat-propriete", "plans-architecturaux"} <= codes


@pytest.mark.django_db
def test_conditional_documents_are_not_required_before_the_nature_is_declared(catalogue):
    assert _codes(catalogue.versions.get(version=1), {}) & CONDITIONAL == set()


@pytest.mark.django_db
def test_demolition_of_an_adjoining_building_needs_the_neighbours_survey(world):
    version = Procedure.objects.get(code="permis-demolir").versions.get()
    base = {"floor_area_m2": 200, "levels": 1}
    assert "constat-mitoyens" in _codes(version, {**base, "adjoining": True})
    assert "constat-mitoyens" not in _codes(version, {**base, "adjoining": False})


def _draft_with_documents_for(world, declared):
    architect = world.users["architect"]
    d = services.create_draft(actor=architect, commune=world.commune, owner=world.users["owner"],
                              procedure=Procedure.objects.get(code="permis-construire"), title="Villa")
    d = services.update_draft(actor=architect, dossier=d, title=None, declared=declared)
    cls = classify(d.procedure_version, d.declared).project_class
    for r in required_documents(d.procedure_version, cls, d.declared):
        services.attach_document(actor=architect, dossier=d, document_type=r.document_type,
                                 uploaded=upload(f"{r.document_type.code}.pdf"))
    return d


@pytest.mark.django_db
def test_submission_refuses_a_surelevation_without_its_stability_study(world):
    architect = world.users["architect"]
    d = _draft_with_documents_for(world, {**PETIT_PROJET, "nature": "new"})
    # Switching to a surélévation adds three documents that are not there yet.
    services.update_draft(actor=architect, dossier=d, title=None, declared={**PETIT_PROJET, "nature": "surelevation"})
    with pytest.raises(ValidationError) as caught:
        services.submit(actor=architect, dossier=d)
    message = " ".join(caught.value.messages)
    for code in BY_NATURE["surelevation"]:
        assert DocumentType.objects.get(code=code).name in message
    for code in BY_NATURE["surelevation"]:
        services.attach_document(actor=architect, dossier=d, document_type=DocumentType.objects.get(code=code),
                                 uploaded=upload(f"{code}.pdf"))
    assert services.submit(actor=architect, dossier=d).reference


@pytest.mark.django_db
def test_the_draft_page_lists_the_documents_of_the_declared_nature(world, client):
    architect = world.users["architect"]
    d = _draft_with_documents_for(world, {**PETIT_PROJET, "nature": "new"})
    client.force_login(architect)
    page = client.get(f"/fr/files/{d.pk}/edit/").content.decode()
    assert 'data-testid="doc-etude-stabilite"' not in page
    services.update_draft(actor=architect, dossier=d, title=None, declared={**PETIT_PROJET, "nature": "surelevation"})
    page = client.get(f"/fr/files/{d.pk}/edit/").content.decode()
    for code in BY_NATURE["surelevation"]:
        assert f'data-testid="doc-{code}"' in page
