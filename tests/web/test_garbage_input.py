"""Garbage in, a clear answer out: never a 500 (non-numeric and huge ids, huge strings,
missing fields, wrong methods, a PNG named .pdf, an empty file)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rokhas.dossiers.models import Dossier

from .conftest import assert_no_500, body, client_for, create_draft_via_web, filed_via_web, url

pytestmark = pytest.mark.django_db

HUGE = "x" * 300_000


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("path", [
    "/fr/files/abc/", "/fr/files/-1/", "/fr/files/1.5/", "/fr/files/99999999999999999999999999/",
    "/fr/files/99999999999999999/", "/fr/files/1/documents/zz/", "/fr/files/1/receipt/x/",
    "/fr/files/1/receipt/999999999999999999999/", "/fr/files/%00/", "/fr/files/1/edit/?page=%00",
    "/fr/?page_mine=abc", "/fr/?page_mine=-5", "/fr/?page_mine=999999999999999999999",
    "/fr/verify/" + "A" * 5000 + "/", "/fr/verify/%27%20OR%201=1--/", "/fr/verify/?code=" + "Z" * 5000,
    "/fr/verify/?code=", "/fr/files/new/communes/?q=" + "é" * 3000,
])
def test_garbage_urls_give_no_500(path, world):
    client = client_for(world.users["guichet"])
    response = client.get(path)
    assert_no_500(response)


def test_wrong_methods(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    client = client_for(world.users["guichet"])
    for name in ("web:accept", "web:return", "web:opinion", "web:decide", "web:message", "web:submit", "web:upload"):
        response = client.get(url("fr", name, pk=pk))
        assert response.status_code == 405, name
    assert client.put(url("fr", "web:dossier", pk=pk)).status_code == 405
    assert client.delete(url("fr", "verify")).status_code == 405
    assert client_for(None).get(url("fr", "web:logout")).status_code == 405


def test_missing_fields_and_huge_strings_on_every_form(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    # New application: everything missing, then huge.
    for data in ({}, {"title": HUGE, "owner_email": HUGE, "commune": HUGE, "procedure": HUGE, "q": HUGE}):
        response = architect.post(url("fr", "web:new"), data)
        assert response.status_code == 200
        assert 'class="errors"' in body(response)
    # Draft: huge values are refused with a message next to the field.
    response = architect.post(url("fr", "web:draft", pk=pk), {"title": "T", "address": HUGE, "levels": "many",
                                                               "land_area_m2": "1e999", "nature": "castle"})
    assert response.status_code == 200
    html = body(response)
    for field in ("address", "levels", "land_area_m2", "nature"):
        assert f'data-testid="errors-{field}"' in html, field
    response = architect.post(url("fr", "web:draft", pk=pk), {"title": HUGE})
    assert response.status_code == 200 and 'data-testid="errors-title"' in body(response)
    response = architect.post(url("fr", "web:draft", pk=pk), {"title": "a\x00b"})
    assert_no_500(response)
    # Upload: no file, unknown type, huge type code.
    for data in ({}, {"document_type": "nope"}, {"document_type": HUGE}):
        response = architect.post(url("fr", "web:upload", pk=pk), data)
        assert response.status_code == 200
        assert 'data-testid="upload-errors' in body(response)
    # Submit incomplete: errors shown, no number given.
    response = architect.post(url("fr", "web:submit", pk=pk), {"token": HUGE})
    assert response.status_code == 200 and 'data-testid="submit-errors"' in body(response)
    assert Dossier.objects.get(pk=pk).reference is None
    response = architect.post(url("fr", "web:submit", pk=pk), {})
    assert response.status_code == 200


def test_action_forms_with_garbage(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    guichet = client_for(world.users["guichet"])
    response = guichet.post(url("fr", "web:return", pk=pk), {"reasons": ["no-such-reason", HUGE]})
    assert response.status_code == 200 and 'data-testid="errors-reasons"' in body(response)
    response = guichet.post(url("fr", "web:return", pk=pk), {})
    assert response.status_code == 200 and 'data-testid="errors-reasons"' in body(response)
    response = guichet.post(url("fr", "web:return", pk=pk), {"reasons": ["other"], "message": HUGE})
    assert response.status_code == 200 and 'data-testid="errors-message"' in body(response)
    response = guichet.post(url("fr", "web:message", pk=pk), {"body": HUGE})
    assert response.status_code == 200 and 'data-testid="errors-body"' in body(response)
    response = guichet.post(url("fr", "web:message", pk=pk), {})
    assert response.status_code == 200 and 'data-testid="errors-body"' in body(response)
    guichet.post(url("fr", "web:accept", pk=pk))
    reviewer = client_for(world.users["commune_reviewer"])
    response = reviewer.post(url("fr", "web:opinion", pk=pk), {"verdict": "maybe"})
    assert response.status_code == 200 and 'data-testid="errors-verdict"' in body(response)
    response = reviewer.post(url("fr", "web:opinion", pk=pk), {"verdict": "defavorable"})
    assert response.status_code == 200 and 'data-testid="errors-text"' in body(response)
    response = reviewer.post(url("fr", "web:opinion", pk=pk), {"verdict": "favorable", "consultation": "abc"})
    assert_no_500(response)
    president = client_for(world.users["president"])
    response = president.post(url("fr", "web:decide", pk=pk), {"outcome": "refused", "pin": "1"})
    assert response.status_code == 200 and 'data-testid="errors-reasons"' in body(response)
    response = president.post(url("fr", "web:decide", pk=pk), {"outcome": "maybe", "pin": HUGE})
    assert response.status_code == 200
    response = president.post(url("fr", "web:decide", pk=pk), {})
    assert response.status_code == 200 and 'data-testid="errors-pin"' in body(response)


def test_a_png_named_pdf_is_refused_with_a_clear_message(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = architect.post(url("fr", "web:upload", pk=pk), {
        "document_type": "plan-situation", "file": SimpleUploadedFile("plan.pdf", _png(), "application/pdf")})
    assert response.status_code == 200
    html = body(response)
    assert 'data-testid="upload-errors-plan-situation"' in html
    errors = html.split('data-testid="upload-errors-plan-situation"')[1].split("</ul>")[0]
    assert "<li>" in errors
    # An empty file, and garbage bytes.
    for content in (b"", b"%PDF-1.7 garbage" * 10):
        response = architect.post(url("fr", "web:upload", pk=pk), {
            "document_type": "plan-situation", "file": SimpleUploadedFile("plan.pdf", content)})
        assert response.status_code == 200 and "upload-errors" in body(response)


def test_verify_upload_garbage(world, settings):
    client = client_for(None)
    from django.core.files.uploadedfile import SimpleUploadedFile

    for content in (b"not a pdf", _png(), b"%PDF-1.4\n%%EOF"):
        response = client.post(url("fr", "verify"), {"pdf": SimpleUploadedFile("x.pdf", content)})
        assert response.status_code == 200
        assert 'data-authentic="no"' in body(response)
    response = client.post(url("fr", "verify"), {})
    assert response.status_code == 200 and 'data-testid="errors-pdf"' in body(response)
    settings.ROKHAS_UPLOAD_MAX_BYTES = 100
    response = client.post(url("fr", "verify"), {"pdf": SimpleUploadedFile("x.pdf", b"%PDF" + b"0" * 500)})
    assert response.status_code == 200 and 'data-testid="errors-pdf"' in body(response)
