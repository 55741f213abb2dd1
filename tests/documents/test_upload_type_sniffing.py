"""The type comes from the content; the file name's extension is never trusted."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from rokhas.documents.validation import validate_upload

from .builders import FakeUpload, error_code, error_params, make_jpeg, make_pdf, make_png, upload


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def refuse(name: str, data: bytes, **options) -> pytest.ExceptionInfo:
    with pytest.raises(ValidationError) as exc_info:
        validate_upload(upload(name, data), **options)
    return exc_info


def english(exc_info) -> str:
    with translation.override("en"):
        return " ".join(exc_info.value.messages)


def test_genuine_pdf_is_accepted():
    clean = validate_upload(upload("plan de masse.pdf", make_pdf(pages=3)))
    assert (clean.kind, clean.content_type, clean.pages) == ("pdf", "application/pdf", 3)
    assert clean.original_name == "plan de masse.pdf"
    assert clean.content.startswith(b"%PDF-")
    assert clean.sanitised is False and clean.removed == ()


def test_jpeg_is_accepted():
    clean = validate_upload(upload("facade.JPG", make_jpeg()))
    assert (clean.kind, clean.content_type, clean.pages) == ("jpeg", "image/jpeg", None)
    assert clean.original_name == "facade.JPG"


def test_png_is_accepted():
    clean = validate_upload(upload("situation.png", make_png()))
    assert (clean.kind, clean.content_type) == ("png", "image/png")


def test_png_renamed_pdf_is_a_type_mismatch():
    exc_info = refuse("plan.pdf", make_png())
    assert error_code(exc_info) == "type_mismatch"
    message = english(exc_info)
    assert "plan.pdf" in message and ".pdf" in message and "PNG image" in message


def test_pdf_renamed_exe_is_a_type_mismatch():
    assert error_code(refuse("plan.exe", make_pdf())) == "type_mismatch"


def test_zip_renamed_pdf_is_refused_and_named():
    exc_info = refuse("plan.pdf", zip_bytes())
    assert error_code(exc_info) == "type_not_allowed"
    assert "ZIP archive" in english(exc_info)


def test_html_renamed_pdf_is_refused_and_named():
    html = b"  <!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"
    exc_info = refuse("plan.pdf", html)
    assert error_code(exc_info) == "type_not_allowed"
    assert "HTML" in english(exc_info)


def test_windows_program_renamed_pdf_is_refused_and_named():
    exc_info = refuse("plan.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode")
    assert error_code(exc_info) == "type_not_allowed"
    assert "Windows program" in english(exc_info)


def test_unknown_binary_is_refused():
    exc_info = refuse("plan.pdf", bytes(range(256)) * 4)
    assert error_code(exc_info) == "type_not_allowed"
    assert "unknown type" in english(exc_info)


def test_pdf_header_after_junk_is_not_a_pdf():
    exc_info = refuse("plan.pdf", b"<html>" + make_pdf())
    assert error_code(exc_info) == "type_not_allowed"


def test_allowed_restricts_the_kinds():
    exc_info = refuse("photo.png", make_png(), allowed=frozenset({"pdf"}))
    assert error_code(exc_info) == "type_not_allowed"
    assert error_params(exc_info)["allowed"] == "PDF"


def test_missing_or_unknown_extension_gets_the_right_one():
    assert validate_upload(upload("scan", make_pdf())).original_name == "scan.pdf"
    assert validate_upload(upload("plan.v2", make_jpeg())).original_name == "plan.v2.jpg"
    assert validate_upload(FakeUpload("", make_png())).original_name == "document.png"
    assert validate_upload(FakeUpload(None, make_png())).original_name == "document.png"


def test_allowed_with_unsupported_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_upload(upload("a.gif", b"GIF89a"), allowed=frozenset({"gif"}))
