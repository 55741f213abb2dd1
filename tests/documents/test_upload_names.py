"""The original name kept for display and downloads is a safe basename."""

from rokhas.documents.validation import safe_basename, validate_upload

from .builders import make_pdf, upload


def test_path_parts_are_dropped():
    assert safe_basename("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_basename("C:\\Users\\Ahmed\\Bureau\\plan.pdf") == "plan.pdf"


def test_control_and_bidi_override_characters_are_dropped():
    # U+202E would display "plan‮fdp.exe" as "planexe.pdf".
    assert safe_basename("plan\u202efdp.exe") == "planfdp.exe"
    assert safe_basename("plan\r\nX-Header: 1\x00.pdf") == "planX-Header_ 1.pdf"


def test_arabic_names_are_kept():
    assert safe_basename("تصميم الواجهة.pdf") == "تصميم الواجهة.pdf"


def test_leading_dots_and_reserved_characters():
    assert safe_basename('..."plan"<1>.pdf') == "_plan__1_.pdf"


def test_long_names_are_cut_to_150_characters_keeping_the_extension():
    name = safe_basename("x" * 400 + ".pdf")
    assert len(name) == 150 and name.endswith("x.pdf")


def test_validate_upload_returns_the_safe_name():
    clean = validate_upload(upload("dossier/../" + "é" * 300 + ".pdf", make_pdf()))
    assert len(clean.original_name) <= 150
    assert clean.original_name.endswith(".pdf") and "/" not in clean.original_name
