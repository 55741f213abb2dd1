"""Size, emptiness, page count, damaged and password-protected PDFs."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError

from rokhas.documents.validation import validate_upload

from .builders import FakeUpload, error_code, error_params, make_pdf, pdf_bytes, upload

MB = 1024 * 1024


def refuse(uploaded, **options):
    with pytest.raises(ValidationError) as exc_info:
        validate_upload(uploaded, **options)
    return exc_info


def test_declared_size_over_the_limit_is_refused_without_reading():
    huge = FakeUpload("plan.pdf", size=2 * 1024 * MB, read_limit=0)
    exc_info = refuse(huge, max_bytes=20 * MB)
    assert error_code(exc_info) == "too_large"
    assert huge.requested == 0


def test_undeclared_size_reads_at_most_one_byte_over_the_limit():
    stream = FakeUpload("plan.pdf", length=50 * MB, read_limit=MB + 1)
    stream.size = None  # e.g. a plain file object: the size is not known
    assert error_code(refuse(stream, max_bytes=MB)) == "too_large"
    assert stream.requested == MB + 1


def test_understated_size_does_not_help():
    stream = FakeUpload("plan.pdf", length=50 * MB, size=10, read_limit=MB + 1)
    assert error_code(refuse(stream, max_bytes=MB)) == "too_large"


def test_file_exactly_at_the_limit_is_accepted():
    data = make_pdf()
    assert validate_upload(upload("a.pdf", data), max_bytes=len(data)).kind == "pdf"
    assert error_code(refuse(upload("a.pdf", data), max_bytes=len(data) - 1)) == "too_large"


def test_limits_default_to_settings(settings):
    settings.ROKHAS_UPLOAD_MAX_BYTES = 100
    assert error_code(refuse(upload("a.pdf", make_pdf()))) == "too_large"
    settings.ROKHAS_UPLOAD_MAX_BYTES = 10 * MB
    settings.ROKHAS_UPLOAD_MAX_PAGES = 2
    assert error_code(refuse(upload("a.pdf", make_pdf(pages=3)))) == "too_many_pages"


def test_empty_file_is_refused():
    assert error_code(refuse(upload("a.pdf", b""))) == "empty"


def test_too_many_pages():
    exc_info = refuse(upload("a.pdf", make_pdf(pages=5)), max_pages=4)
    assert error_code(exc_info) == "too_many_pages"
    assert (error_params(exc_info)["pages"], error_params(exc_info)["max"]) == (5, 4)
    assert validate_upload(upload("a.pdf", make_pdf(pages=4)), max_pages=4).pages == 4


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"this is not a pdf at all\n" * 20,
        b"%PDF-1.4\n%%EOF\n",
        make_pdf(pages=2)[:200],  # truncated
    ],
    ids=["garbage", "no-objects", "truncated"],
)
def test_corrupt_pdf(data):
    assert error_code(refuse(upload("a.pdf", data))) == "corrupt_pdf"


def test_pdf_with_a_password_is_refused():
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    data = pdf_bytes(pdf, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"))
    assert error_code(refuse(upload("a.pdf", data))) == "encrypted_pdf"


def test_pdf_with_only_an_owner_password_is_accepted_and_stored_unencrypted():
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages=2)))
    data = pdf_bytes(pdf, encryption=pikepdf.Encryption(owner="owner-secret", user=""))
    clean = validate_upload(upload("a.pdf", data))
    assert clean.pages == 2 and "encryption" in clean.removed
    with pikepdf.open(io.BytesIO(clean.content)) as stored:
        assert not stored.is_encrypted
