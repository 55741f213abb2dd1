"""SignerCredential: usability window, revocation, and the commands that create credentials."""

import datetime as dt
from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import CommandError, call_command
from django.utils import timezone

from rokhas.signing import pki
from rokhas.signing.models import SignerCredential
from rokhas.signing.services import CredentialUnusableError, SigningError, sign_pdf, validate_pdf

from .conftest import PIN


def test_is_usable_within_validity_and_until_revoked(credential):
    now = timezone.now()
    assert credential.is_usable(now)
    assert not credential.is_usable(credential.not_before - dt.timedelta(seconds=1))
    assert not credential.is_usable(credential.not_after + dt.timedelta(seconds=1))
    credential.revoked_at = now + dt.timedelta(days=1)
    assert credential.is_usable(now)
    assert not credential.is_usable(now + dt.timedelta(days=2))


def test_revoked_credential_cannot_sign_but_earlier_signatures_stay_valid(credential, pdf_bytes):
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    credential.revoke()
    crl = x509.load_der_x509_crl(pki.crl_path().read_bytes())
    assert crl.get_revoked_certificate_by_serial_number(int(credential.serial_number, 16)) is not None

    with pytest.raises(CredentialUnusableError):
        sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    # Time-stamped before the revocation, with its CRL embedded: still valid (that is B-LT).
    report = validate_pdf(signed)
    assert report.valid, report.message


def test_certificate_on_the_crl_is_refused_even_if_the_database_missed_it(credential, pdf_bytes):
    pki.revoke_serial(credential.serial_number)  # e.g. revoked by the CA operator directly
    with pytest.raises(SigningError):
        sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")


def test_issue_signer_command(pki_dir, signer_user):
    out = StringIO()
    call_command("rokhas_issue_signer", "--user", "amina", "--pin", PIN, stdout=out)
    credential = SignerCredential.objects.get(user=signer_user)
    assert credential.storage == SignerCredential.Storage.PKCS12
    assert credential.subject_cn == "Amina El Fassi"
    assert (pki_dir / credential.pkcs12_path).exists()
    cert = credential.certificate
    assert cert.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == "BE123456"
    assert credential.serial_number == format(cert.serial_number, "x")
    assert "Issued credential" in out.getvalue()


def test_issue_signer_command_unknown_user(pki_dir, db):
    with pytest.raises(CommandError):
        call_command("rokhas_issue_signer", "--user", "nobody", "--pin", PIN)


def test_import_signer_p12_command(pki_dir, signer_user, tmp_path, pdf_bytes):
    # A PKCS#12 obtained elsewhere (here from the dev CA, written outside the PKI dir).
    issued = pki.issue_signer_certificate(full_name="Amina El Fassi", cin="BE123456", email="",
                                          organisation="Cabinet", pin="p12-pin")
    outside = tmp_path / "amina.p12"
    outside.write_bytes(issued.pkcs12_path.read_bytes())
    issued.pkcs12_path.unlink()

    with pytest.raises(CommandError):
        call_command("rokhas_import_signer_p12", "--user", "amina", "--pin", "wrong", str(outside))
    call_command("rokhas_import_signer_p12", "--user", "amina", "--pin", "p12-pin", str(outside),
                 stdout=StringIO())
    credential = SignerCredential.objects.get(user=signer_user)
    assert credential.serial_number == issued.serial_hex
    stored = pki_dir / credential.pkcs12_path
    key, cert, _ = pkcs12.load_key_and_certificates(stored.read_bytes(), b"p12-pin")
    assert cert == issued.certificate
    assert validate_pdf(sign_pdf(pdf_bytes, credential=credential, pin="p12-pin", reason="r",
                                 location="Rabat")).valid
