"""The session's minutes: a bilingual PDF with the attendance and each member's opinion per
file, signed in turn by every member present (one PAdES signature each, own certificate);
pdfsig finds every signature valid. Absent members cannot sign; a wrong PIN changes nothing."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from rokhas.commission import services
from rokhas.commission.models import Participant, Session
from rokhas.demo.seed import DEMO_PIN
from rokhas.signing.services import validate_pdf
from tests.conftest import require_binary

pytestmark = pytest.mark.django_db
PRESENT = ("urban_agency", "commune_reviewer", "local_authority")


@pytest.fixture
def reviewers_can_sign(signer_world):
    for key in (*PRESENT, "civil_protection"):
        call_command("rokhas_issue_signer", user=signer_world.users[key].username, pin=DEMO_PIN, verbosity=0)
    return signer_world


def _held(world, session):
    members = {p.user_id: p for p in Participant.objects.filter(session=session)}
    present = {world.users[k].pk for k in PRESENT}
    services.record_attendance(actor=world.users["guichet"], session=session, attendance={
        p.pk: ("present" if uid in present else "excused") for uid, p in members.items()})
    services.give_opinion_in_session(actor=world.users["urban_agency"], session=session, dossier=session.agenda_items
                                     .first().dossier, verdict="favorable_reserves",
                                     text="Respecter le retrait de 4 m — احترام التراجع")
    return services.draft_minutes(actor=world.users["guichet"], session=session)


def _pdftext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "pv.pdf"
    path.write_bytes(pdf)
    return subprocess.run([require_binary("pdftotext"), str(path), "-"], capture_output=True, text=True).stdout


def test_minutes_signed_by_each_member_present_and_valid_for_pdfsig(reviewers_can_sign, session, petit, grand,
                                                                    tmp_path):
    world = reviewers_can_sign
    session = _held(world, session)
    assert session.status == Session.Status.SIGNING
    text = _pdftext(default_storage.open(session.minutes_storage_name).read(), tmp_path)
    assert "procès-verbal" in text.lower() and "محضر" in text
    assert petit.reference in text and grand.reference in text
    assert "Tazi" in text and "Respecter le retrait" in text
    assert "Excusé" in text and "Présent" in text and "présentiel" in text

    with pytest.raises(PermissionDenied):  # excused: not a signer
        services.sign_minutes(actor=world.users["civil_protection"], session=session, pin=DEMO_PIN)
    with pytest.raises(ValidationError) as err:
        services.sign_minutes(actor=world.users["urban_agency"], session=session, pin="000000")
    assert "pin" in err.value.message_dict
    assert not session.signatures.exists()

    for key in PRESENT:
        services.sign_minutes(actor=world.users[key], session=session, pin=DEMO_PIN)
    session.refresh_from_db()
    assert session.status == Session.Status.CLOSED
    pdf = default_storage.open(session.minutes_storage_name).read()
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_binary("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid") == 3, out
    for name in ("Tazi", "Berrada", "Ouazzani"):
        assert name in out
    report = validate_pdf(pdf)
    assert report.valid and report.signature_count == 3
    with pytest.raises(PermissionDenied):
        services.sign_minutes(actor=world.users["urban_agency"], session=session, pin=DEMO_PIN)


def test_minutes_need_recorded_attendance(world, session):
    with pytest.raises(ValidationError) as err:
        services.draft_minutes(actor=world.users["guichet"], session=session)
    assert err.value.code == "attendance"
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED and not session.minutes_storage_name
