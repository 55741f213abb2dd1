"""Scopes: one commune's agents never see another's files; reviewers only what was sent to them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rokhas.catalogue.models import ReturnReason
from rokhas.dossiers import services
from rokhas.dossiers.access import Action, can, visible_dossiers
from rokhas.review.services import give_opinion


def test_draft_is_seen_only_by_its_parties(world, file_dossier):
    d = file_dossier(submit=False)
    assert can(world.users["owner"], Action.VIEW, d)
    assert not can(world.users["guichet"], Action.VIEW, d)
    assert d not in visible_dossiers(world.users["guichet"])


def test_owner_sees_what_the_architect_sees(world, file_dossier):
    d = file_dossier()
    assert d in visible_dossiers(world.users["owner"])
    assert can(world.users["owner"], Action.VIEW, d)
    assert not can(world.users["owner"], Action.SUBMIT, d)  # the architect files


def test_other_commune_agent_cannot_see_or_check(world, file_dossier):
    d = file_dossier()
    other = world.users["other_guichet"]
    assert d not in visible_dossiers(other)
    with pytest.raises(PermissionDenied):
        services.accept_and_dispatch(actor=other, dossier=d)
    with pytest.raises(PermissionDenied):
        services.return_for_complements(actor=other, dossier=d, reasons=list(ReturnReason.objects.all()[:1]),
                                        message="")


def test_reviewer_sees_only_dispatched_files(world, file_dossier):
    d = file_dossier()
    reviewer = world.users["urban_agency"]
    assert d not in visible_dossiers(reviewer)
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    assert d in visible_dossiers(reviewer)
    # Civil protection sits on grands projets only: this petit projet was not sent to it.
    assert d not in visible_dossiers(world.users["civil_protection"])
    with pytest.raises(PermissionDenied):
        give_opinion(actor=world.users["civil_protection"], dossier=d, verdict="favorable", text="")


def test_provincial_committee_is_guichet_for_small_communes(world, file_dossier):
    d = file_dossier(commune=world.small_commune)
    assert can(world.users["committee"], Action.CHECK, d)
    assert not can(world.users["guichet"], Action.CHECK, d)


def test_supervisor_reads_but_cannot_act(world, file_dossier):
    d = file_dossier()
    boss = world.users["supervisor"]
    assert can(boss, Action.VIEW, d)
    assert not can(boss, Action.CHECK, d) and not can(boss, Action.DECIDE, d)


def test_missing_document_blocks_submission(world, file_dossier):
    from rokhas.documents.models import Document

    d = file_dossier(submit=False)
    Document.objects.filter(dossier=d, document_type__code="plan-situation").delete()
    with pytest.raises(ValidationError) as exc:
        services.submit(actor=world.users["architect"], dossier=d, token="x")
    assert exc.value.code == "missing_documents"
    d.refresh_from_db()
    assert d.reference is None and d.status == "draft"


def test_only_listed_documents_can_be_uploaded(world, file_dossier):
    from rokhas.catalogue.models import DocumentType
    from tests.conftest import upload

    d = file_dossier(submit=False)
    extra = DocumentType.objects.create(code="attestation-fantaisiste", name_fr="x", name_ar="x")
    with pytest.raises(ValidationError):
        services.attach_document(actor=world.users["architect"], dossier=d, document_type=extra, uploaded=upload())
