"""Other ways signing fails: each is a SigningError with a message for users, never a traceback."""

import pytest
from django.utils.translation import override

from rokhas.signing import pki
from rokhas.signing.services import SigningError, sign_pdf

from .conftest import PIN


def _message(excinfo) -> str:
    with override("en"):
        return str(excinfo.value)


def test_missing_tsa_is_a_setup_error(credential, pdf_bytes):
    pki.tsa_cert_path().unlink()
    with pytest.raises(SigningError) as excinfo:
        sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    assert "not set up" in _message(excinfo)


def test_missing_key_file(credential, pdf_bytes):
    (pki.pki_dir() / credential.pkcs12_path).unlink()
    with pytest.raises(SigningError) as excinfo:
        sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    assert "cannot be found" in _message(excinfo)


def test_not_a_pdf(credential):
    with pytest.raises(SigningError) as excinfo:
        sign_pdf(b"this is no PDF", credential=credential, pin=PIN, reason="r", location="Rabat")
    assert "not a valid PDF" in _message(excinfo)


def test_technical_detail_is_kept_out_of_the_message(credential, pdf_bytes):
    once = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    with pytest.raises(SigningError) as excinfo:  # the field is already signed
        sign_pdf(once, credential=credential, pin=PIN, reason="r", location="Rabat")
    assert _message(excinfo) == "The signature could not be created."
    assert excinfo.value.detail
