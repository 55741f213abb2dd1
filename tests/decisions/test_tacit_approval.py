"""Silence of the administration past the legal deadline = approval, with a sealed certificate."""

import datetime as dt
import subprocess

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from rokhas.dossiers.models import Dossier, Round
from rokhas.dossiers.selectors import timeline
from tests.conftest import require_binary


def _age(d, days):
    filed = timezone.now() - dt.timedelta(days=days)
    Dossier.objects.filter(pk=d.pk).update(filed_at=filed)
    Round.objects.filter(dossier=d).update(submitted_at=filed)
    from rokhas.dossiers.clock import refresh_due_date

    d.refresh_from_db()
    refresh_due_date(d)


def test_overdue_file_is_tacitly_approved_by_the_sweep(signer_world, file_dossier, tmp_path, capsys):
    d = file_dossier()
    _age(d, 40)  # petits projets: 15 calendar days
    fresh = file_dossier()
    call_command("rokhas_sweep_deadlines")
    assert "1 tacitly approved" in capsys.readouterr().out
    d.refresh_from_db()
    fresh.refresh_from_db()
    assert d.status == "tacitly_approved" and fresh.status == "submitted"
    assert d.decision.outcome == "tacit_approval"
    actions = [e.action for e in timeline(d)]
    assert "clock.expired" in actions and actions[-1] == "decision.signed"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(default_storage.open(d.decision.storage_name).read())
    out = subprocess.run([require_binary("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    text = subprocess.run([require_binary("pdftotext"), str(path), "-"], capture_output=True, text=True).stdout
    assert d.reference in text and "1839-23" in text


def test_suspended_file_is_not_approved(signer_world, file_dossier):
    from rokhas.catalogue.models import ReturnReason
    from rokhas.dossiers import services

    d = file_dossier()
    services.return_for_complements(actor=signer_world.users["guichet"], dossier=d,
                                    reasons=[ReturnReason.objects.get(code="other")], message="x")
    _age(d, 40)
    call_command("rokhas_sweep_deadlines")
    d.refresh_from_db()
    assert d.status == "returned"


def test_sweep_twice_approves_once(signer_world, file_dossier):
    from rokhas.decisions.services import sweep_deadlines

    d = file_dossier()
    _age(d, 40)
    assert sweep_deadlines()["tacitly_approved"] == 1
    assert sweep_deadlines()["tacitly_approved"] == 0
