"""sign_pdf makes PAdES B-LT signatures that poppler's pdfsig (NSS) and pyHanko accept."""

import shutil
from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from rokhas.signing import pki
from rokhas.signing.services import sign_pdf, signing_validation_context, validate_pdf

from .conftest import PIN, require_binary, run


@pytest.fixture
def signed(credential, pdf_bytes) -> bytes:
    return sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="Autorisation de construire",
                    location="Rabat")


def _pdfsig(pdf: bytes, tmp_path, *args) -> str:
    pdfsig = require_binary("pdfsig")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = run(pdfsig, *args, path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_pdfsig_says_valid(signed, tmp_path):
    out = _pdfsig(signed, tmp_path)
    assert "Signature is Valid" in out
    assert "Signer Certificate Common Name: Amina El Fassi" in out
    assert "ETSI.CAdES.detached" in out


def test_pdfsig_trusts_the_dev_ca_when_told_to(signed, tmp_path, nss_db):
    out = _pdfsig(signed, tmp_path, "-nssdir", f"sql:{nss_db}")
    assert "Signature is Valid" in out
    assert "Certificate is Trusted" in out


def test_one_flipped_byte_breaks_the_signature(signed, tmp_path, nss_db):
    reader = PdfFileReader(BytesIO(signed))
    byte_range = reader.embedded_signatures[0].byte_range
    start, length = int(byte_range[0]), int(byte_range[1])
    marker = signed.index(b"(Rokhas - autorisation")
    assert start <= marker < start + length  # the page text is inside the signed bytes
    tampered = bytearray(signed)
    tampered[marker + 1] ^= 0x01  # 'R' -> 'S'
    out = _pdfsig(bytes(tampered), tmp_path, "-nssdir", f"sql:{nss_db}")
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out
    report = validate_pdf(bytes(tampered))
    assert report.signed and not report.intact and not report.valid


def test_signature_is_b_lt(signed):
    reader = PdfFileReader(BytesIO(signed))
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) >= 3  # signer, CA, TSA
    assert len(dss["/CRLs"]) >= 1
    (sig,) = reader.embedded_signatures
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"

    status = validate_pdf_signature(sig, signer_validation_context=signing_validation_context())
    assert status.bottom_line
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted

    report = validate_pdf(signed)
    assert report.valid and report.trusted and report.intact
    assert report.timestamp_present and report.ltv_embedded
    assert report.pades_level == "B-LT"
    assert report.signer_cn == "Amina El Fassi"
    assert report.signing_time is not None


def test_validates_offline_from_the_document_alone(signed, settings, tmp_path):
    # A verifier somewhere else: it trusts the CA certificate and has nothing else —
    # no CRL file, no TSA certificate, no network. The DSS must carry the rest.
    elsewhere = tmp_path / "verifier"
    (elsewhere / "trust").mkdir(parents=True)
    shutil.copy(pki.ca_cert_path(), elsewhere / "trust" / "rokhas-ca.pem")
    settings.ROKHAS_PKI_DIR = elsewhere
    report = validate_pdf(signed)
    assert report.valid and report.trusted and report.ltv_embedded, report.message


def test_untrusted_without_the_ca(signed, settings, tmp_path):
    settings.ROKHAS_PKI_DIR = tmp_path / "empty"
    report = validate_pdf(signed)
    assert report.signed and report.intact
    assert not report.trusted and not report.valid


def test_lta_adds_a_document_timestamp(credential, pdf_bytes, tmp_path, nss_db):
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat", lta=True)
    report = validate_pdf(signed)
    assert report.valid and report.pades_level == "B-LTA", report
    out = _pdfsig(signed, tmp_path, "-nssdir", f"sql:{nss_db}")
    assert "Signature is Valid" in out and "Certificate is Trusted" in out
    # pdfsig 22.x lists the RFC 3161 document time-stamp but cannot verify that type.
    assert "Signature #2" in out and f"Common Name: {pki.TSA_NAME}" in out


def test_second_signature_keeps_the_first_valid(credential, pdf_bytes, tmp_path, nss_db):
    once = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="avis", location="Rabat")
    twice = sign_pdf(once, credential=credential, pin=PIN, reason="décision", location="Rabat",
                     field_name="Signature2")
    report = validate_pdf(twice)
    assert report.signature_count == 2 and report.valid, report
    out = _pdfsig(twice, tmp_path, "-nssdir", f"sql:{nss_db}")
    assert out.count("Signature is Valid") == 2


def test_too_small_reservation_falls_back_to_measuring(credential, pdf_bytes, monkeypatch):
    from rokhas.signing import services

    monkeypatch.setattr(services, "_bytes_reserved", lambda cert, chain: 2048)
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    assert validate_pdf(signed).valid


def test_cms_carries_the_signer_chain_only(signed):
    (sig,) = PdfFileReader(BytesIO(signed)).embedded_signatures
    names = {c.chosen.subject.native["common_name"] for c in sig.signed_data["certificates"]}
    assert names == {"Amina El Fassi", pki.CA_NAME}
