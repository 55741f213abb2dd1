"""A simple declaration: filing closes the file at once with its receipt (law 55-19); nobody
examines it, nothing is dispatched, no clock runs, and the change is audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from rokhas.audit.models import AuditEntry
from rokhas.decisions.documents import receipt_context, receipt_pdf
from rokhas.demo.procedures import file_it, fill_file
from rokhas.dossiers import services
from rokhas.dossiers.access import Action, can
from rokhas.dossiers.models import Dossier


@pytest.fixture
def declared(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return file_it(world, fill_file(world, "activite-declaration"))


def test_filing_gives_the_receipt_at_once_and_closes_the_file(declared):
    d = declared
    assert d.status == Dossier.Status.DECLARED
    assert d.reference.startswith("DA-") and d.filed_at and d.closed_at == d.filed_at
    assert d.rounds.count() == 1
    assert not d.consultations.exists()
    assert d.legal_due_date is None
    assert d.status in Dossier.CLOSED_STATUSES and not d.is_open


def test_the_receipt_says_there_is_no_examination(declared):
    ctx = receipt_context(declared, 1)
    assert ctx.deadline_rule_fr == declared.project_class.deadline_source_fr
    assert "sans instruction" in ctx.deadline_rule_fr
    assert receipt_pdf(declared, 1).startswith(b"%PDF")


def test_the_declaration_is_audited_and_mailed(declared):
    entry = AuditEntry.objects.get(dossier_id=declared.pk, action="dossier.declared")
    assert entry.changes == {"status": ["draft", "declared"]}
    assert not AuditEntry.objects.filter(dossier_id=declared.pk, action="dossier.submitted").exists()
    assert {m.to[0] for m in mail.outbox} == {declared.owner.email}


def test_nobody_can_check_dispatch_or_decide_it(declared, world):
    for key in ("guichet", "president"):
        assert not can(world.users[key], Action.CHECK, declared)
        assert not can(world.users[key], Action.DECIDE, declared)
    with pytest.raises(PermissionDenied):  # the file is closed
        services.accept_and_dispatch(actor=world.users["guichet"], dossier=declared)
    assert not declared.consultations.exists()


def test_the_guichet_still_sees_it(declared, world):
    assert can(world.users["guichet"], Action.VIEW, declared)


def test_a_second_submit_returns_the_same_file(declared, world):
    again = services.submit(actor=declared.applicant, dossier=declared, token=f"demo-{declared.pk}")
    assert again.pk == declared.pk and again.status == Dossier.Status.DECLARED
    assert Dossier.objects.filter(reference=declared.reference).count() == 1
