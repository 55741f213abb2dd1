"""The president decides; the decision is a bilingual PDF signed PAdES B-LT with their own key."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from rokhas.decisions.services import decide, verify_code, verify_pdf_bytes
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.review.services import give_opinion
from tests.conftest import require_binary


def _reviewed(world, file_dossier):
    d = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=d, verdict="favorable", text="")
    return d


def test_grant_is_signed_and_pdfsig_says_valid(signer_world, file_dossier, tmp_path):
    world = signer_world
    d = _reviewed(world, file_dossier)
    decision = decide(actor=world.users["president"], dossier=d, outcome="granted",
                      conditions="Respecter l'alignement.", pin=DEMO_PIN)
    d.refresh_from_db()
    assert d.status == "granted" and decision.verification_code
    pdf = default_storage.open(decision.storage_name).read()
    path = tmp_path / "decision.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_binary("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    assert "Chraibi" in out  # the president's own certificate
    tampered = bytearray(pdf)
    middle = len(tampered) // 3
    tampered[middle] = (tampered[middle] + 1) % 256
    path.write_bytes(bytes(tampered))
    out = subprocess.run([require_binary("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out
    found, report = verify_pdf_bytes(pdf)
    assert found == decision and report.valid and report.ltv_embedded and report.timestamp_present
    found, report = verify_pdf_bytes(bytes(tampered))
    assert found is None and not report.valid
    assert verify_code(decision.verification_code.lower().replace("-", "")) == decision


def test_refusal_needs_reasons(signer_world, file_dossier):
    d = _reviewed(signer_world, file_dossier)
    with pytest.raises(ValidationError) as exc:
        decide(actor=signer_world.users["president"], dossier=d, outcome="refused", reasons=" ", pin=DEMO_PIN)
    assert "reasons" in exc.value.message_dict


def test_wrong_pin_leaves_the_file_undecided(signer_world, file_dossier):
    d = _reviewed(signer_world, file_dossier)
    with pytest.raises(ValidationError) as exc:
        decide(actor=signer_world.users["president"], dossier=d, outcome="granted", pin="000000")
    assert "pin" in exc.value.message_dict
    d.refresh_from_db()
    assert d.status == "in_review" and not hasattr(d, "decision") or not d.decision
    assert not default_storage.exists("decisions") or not default_storage.listdir("decisions")[1]


def test_delegate_may_decide_but_not_another_commune_president(signer_world, file_dossier):
    d = _reviewed(signer_world, file_dossier)
    with pytest.raises(PermissionDenied):
        decide(actor=signer_world.users["other_president"], dossier=d, outcome="granted", pin=DEMO_PIN)
    with pytest.raises(PermissionDenied):
        decide(actor=signer_world.users["guichet"], dossier=d, outcome="granted", pin=DEMO_PIN)
    decision = decide(actor=signer_world.users["delegate"], dossier=d, outcome="refused",
                      reasons="Hauteur supérieure au plan d'aménagement.", pin=DEMO_PIN)
    assert decision.outcome == "refused" and decision.signer_name == "Laila Fassi"


def test_five_wrong_pins_pause_the_certificate_and_are_audited(signer_world, file_dossier):
    from rokhas.audit.models import AuditEntry

    d = _reviewed(signer_world, file_dossier)
    president = signer_world.users["president"]
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            decide(actor=president, dossier=d, outcome="granted", pin="999999")
        assert exc.value.error_dict["pin"][0].code == "wrong_pin"
    with pytest.raises(ValidationError) as exc:
        decide(actor=president, dossier=d, outcome="granted", pin=DEMO_PIN)  # right PIN, but paused
    assert exc.value.error_dict["pin"][0].code == "pin_locked"
    assert AuditEntry.objects.filter(action="signing.pin_rejected", actor=president).count() == 5
