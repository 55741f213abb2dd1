"""A wrong PIN is a clear, translatable SigningError — never a pyHanko or OpenSSL traceback."""

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from rokhas.signing.services import SigningError, WrongPinError, sign_pdf

from .conftest import PIN


@pytest.mark.parametrize("pin", ["000000", PIN + "0", " "])
def test_wrong_pin_raises_signing_error(credential, pdf_bytes, pin):
    with pytest.raises(SigningError) as excinfo:
        sign_pdf(pdf_bytes, credential=credential, pin=pin, reason="r", location="Rabat")
    error = excinfo.value
    assert isinstance(error, WrongPinError)
    assert isinstance(error.message, Promise)  # gettext_lazy: rendered in the reader's language
    with override("en"):
        assert "Wrong PIN" in str(error.message)


def test_missing_pin_is_asked_for(credential, pdf_bytes):
    with pytest.raises(WrongPinError) as excinfo:
        sign_pdf(pdf_bytes, credential=credential, pin="", reason="r", location="Rabat")
    with override("en"):
        assert "PIN" in str(excinfo.value)


def test_right_pin_after_a_wrong_one_still_works(credential, pdf_bytes):
    with pytest.raises(WrongPinError):
        sign_pdf(pdf_bytes, credential=credential, pin="999999", reason="r", location="Rabat")
    assert sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")

