"""validate_pdf answers every input with a report; it never raises (it backs a public page)."""

import os
from io import BytesIO

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields

from rokhas.signing.services import (
    MSG_BROKEN,
    MSG_NOT_PDF,
    MSG_UNSIGNED,
    SignatureReport,
    sign_pdf,
    validate_pdf,
)

from .conftest import PIN, make_pdf


@pytest.mark.parametrize("data", [
    b"",
    b"hello, I am not a PDF",
    b"%PDF-1.7\n",
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    bytes(range(256)) * 8,
    os.urandom(4096),
], ids=["empty", "text", "header-only", "no-xref", "bytes", "random"])
def test_garbage_is_not_a_pdf(pki_dir, data):
    report = validate_pdf(data)
    assert isinstance(report, SignatureReport)
    assert not report.signed and not report.valid and not report.trusted
    assert str(report.message)


def test_unsigned_pdf(pki_dir):
    report = validate_pdf(make_pdf())
    assert not report.signed and not report.valid
    assert report.message is MSG_UNSIGNED


def test_empty_signature_field_is_not_a_signature(pki_dir):
    writer = IncrementalPdfFileWriter(BytesIO(make_pdf()))
    fields.append_signature_field(writer, fields.SigFieldSpec("Signature1"))
    out = BytesIO()
    writer.write(out)
    report = validate_pdf(out.getvalue())
    assert not report.signed and not report.valid


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9, 0.99])
def test_truncated_signed_pdf(credential, pdf_bytes, fraction):
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    report = validate_pdf(signed[: int(len(signed) * fraction)])
    assert not report.valid and not report.trusted
    assert report.message is MSG_NOT_PDF  # without its xref table the file cannot be read


def test_damaged_signature_container(credential, pdf_bytes):
    signed = bytearray(sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat"))
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    signed[start:start + 64] = b"0" * 64  # the CMS blob no longer parses
    report = validate_pdf(bytes(signed))
    assert report.signed and not report.valid
    assert report.message is MSG_BROKEN


def test_signed_pdf_with_bytes_after_the_last_eof(credential, pdf_bytes):
    # Readers ignore bytes after the final %%EOF, so they cannot change what is shown: the
    # signed revisions are judged as they are.
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    report = validate_pdf(signed + b"\n% trailing junk\n" + os.urandom(512))
    assert report.signed and report.intact
