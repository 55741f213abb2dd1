"""Bad input gets a 400 with a message per field (in the caller's language), unknown or
invisible things a 404, and nothing ever a 500."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import client_for, upload, url
from tests.conftest import PETIT_PROJET, make_pdf

ARABIC = re.compile("[\u0600-\u06ff]")


def _raw(client, method, path, body: str, content_type="application/json"):
    return getattr(client, method)(path, data=body, content_type=content_type)


def test_creating_a_file_with_bad_fields(world, clients):
    architect = clients["architect"]
    r = architect.post(url("dossier-list"), {}, format="json")
    assert r.status_code == 400
    assert set(r.json()) == {"commune", "procedure", "owner", "title"}
    assert all(isinstance(m, str) and m for msgs in r.json().values() for m in msgs)

    r = architect.post(url("dossier-list"), {"commune": "999.99.99", "procedure": "nope", "owner": "nobody@x.ma",
                                             "title": "Villa"}, format="json")
    assert r.status_code == 400
    assert set(r.json()) == {"commune", "procedure", "owner"}

    good = {"commune": world.commune.code, "procedure": "permis-construire", "owner": world.users["owner"].email}
    for title, field in (("", "title"), ("x" * 201, "title"), ({"a": 1}, "title"), (["x"], "title"),
                         ("Villa\x00", "title"), ("x" * 2_000_000, "title")):
        r = architect.post(url("dossier-list"), {**good, "title": title}, format="json")
        assert r.status_code == 400, (repr(title)[:40], r.content[:200])
        assert field in r.json()
    # The owner may be named by username too.
    r = architect.post(url("dossier-list"), {**good, "owner": world.users["owner"].username, "title": "Villa"},
                       format="json")
    assert r.status_code == 201


def test_garbage_bodies(world, clients, api_draft):
    pk = api_draft()
    architect = clients["architect"]
    path = url("dossier-detail", pk=pk)
    assert _raw(architect, "patch", path, "{not json").status_code == 400
    assert _raw(architect, "patch", path, "[1, 2]").status_code == 400
    assert _raw(architect, "patch", path, '{"title": NaN}').status_code == 400
    assert _raw(architect, "patch", path, "title=x", "text/plain").status_code == 415
    assert _raw(architect, "patch", path, "\xff\xfe", "application/json").status_code == 400
    r = _raw(architect, "post", url("dossier-list"), "[]")
    assert r.status_code == 400 and r.json()["non_field_errors"]
    r = _raw(architect, "patch", path, json.dumps({"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}))
    assert r.status_code == 413 and r.json()["detail"], r.content[:300]


def test_declared_data_errors_are_given_per_field(world, clients, api_draft):
    pk = api_draft()
    architect = clients["architect"]
    path = url("dossier-detail", pk=pk)
    cases = [
        ({"declared": "levels=2"}, None),
        ({"declared": {"levels": "deux"}}, "levels"),
        ({"declared": {"levels": 1000}}, "levels"),
        ({"declared": {"land_area_m2": 1e308}}, "land_area_m2"),
        ({"declared": {"use": "castle"}}, "use"),
        ({"declared": {"address": "x" * 5000}}, "address"),
        ({"declared": {"address": "rue\x00"}}, "address"),
        ({"declared": {"address": "\ud800"}}, "address"),
        ({"declared": {"address": ["a", "b"]}}, "address"),
        ({"declared": {"address": {"street": "x"}}}, "address"),
    ]
    for body, field in cases:
        r = _raw(architect, "patch", path, json.dumps(body))  # ASCII-escaped: a lone surrogate travels
        assert r.status_code == 400, (body, r.content[:300])
        errors = r.json()["declared"]
        if field:
            assert errors[field] and all(isinstance(m, str) and m for m in errors[field]), errors
    # Nothing was stored by the refused requests.
    assert architect.get(path).json()["declared"]["address"] == PETIT_PROJET["address"]


def test_submitting_an_incomplete_file_says_what_is_missing(world, clients):
    architect = clients["architect"]
    r = architect.post(url("dossier-list"), {"commune": world.commune.code, "procedure": "permis-construire",
                                             "owner": world.users["owner"].email, "title": "Villa"}, format="json")
    pk = r.json()["id"]
    r = architect.post(url("dossier-submit", pk=pk))
    assert r.status_code == 400
    assert {"nature", "use", "land_title", "levels"} <= set(r.json()["declared"])
    architect.patch(url("dossier-detail", pk=pk), {"declared": PETIT_PROJET}, format="json")
    r = architect.post(url("dossier-submit", pk=pk))
    assert r.status_code == 400 and r.json()["non_field_errors"][0]


def test_upload_errors(world, clients, api_draft):
    pk = api_draft()
    architect = clients["architect"]
    path = url("document-upload", pk=pk)
    r = architect.post(path, {"document_type": "plan-situation"}, format="multipart")
    assert r.status_code == 400 and r.json()["file"]
    r = architect.post(path, {"file": SimpleUploadedFile("a.pdf", make_pdf())}, format="multipart")
    assert r.status_code == 400 and r.json()["document_type"]
    assert upload(architect, pk, "no-such-type").status_code == 400
    for content in (b"", b"just text, not a PDF", b"%PDF-1.7\n garbage", b"\x89PNG\r\n\x1a\n" + b"\0" * 40):
        r = upload(architect, pk, "plan-situation", content=content)
        assert r.status_code == 400, content[:20]
        assert r.json()["non_field_errors"][0]
    r = upload(architect, pk, "plan-situation", name="../../etc/passwd")
    assert r.status_code == 201 and "/" not in r.json()["original_name"]
    r = architect.post(path, {"document_type": "plan-situation"}, format="json")
    assert r.status_code == 415


def test_check_and_review_errors(signer_world, clients, api_file):
    pk = api_file()
    guichet = clients["guichet"]
    ret = url("dossier-return", pk=pk)
    for body, field in (({}, "reasons"), ({"reasons": "doc-wrong"}, "reasons"), ({"reasons": [{"a": 1}]}, "reasons"),
                        ({"reasons": ["nope"]}, "reasons"), ({"reasons": []}, "reasons"),
                        ({"reasons": ["doc-wrong"], "message": "x" * 5000}, "message")):
        r = guichet.post(ret, body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert r.json()[field], r.json()
    assert guichet.post(url("dossier-accept", pk=pk)).status_code == 200

    reviewer = clients["urban_agency"]
    op = url("dossier-opinion", pk=pk)
    for body, field in (({}, "verdict"), ({"verdict": "maybe"}, "verdict"), ({"verdict": "defavorable"}, "text"),
                        ({"verdict": "favorable", "consultation": "x"}, "consultation"),
                        ({"verdict": "favorable", "consultation": 10**30}, "consultation"),
                        ({"verdict": "favorable", "consultation": 999999}, "consultation")):
        r = reviewer.post(op, body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert r.json()[field], r.json()
    assert reviewer.post(op, {"verdict": "favorable"}, format="json").status_code == 201
    r = reviewer.post(op, {"verdict": "favorable"}, format="json")
    assert r.status_code == 400 and r.json()["non_field_errors"]  # already answered

    president = clients["president"]
    dec = url("dossier-decide", pk=pk)
    for body, field in (({"outcome": "granted"}, "pin"), ({"outcome": "tacit_approval", "pin": "1"}, "outcome"),
                        ({"outcome": "refused", "pin": "246810"}, "reasons"),
                        ({"outcome": "granted", "pin": "000000"}, "pin")):
        r = president.post(dec, body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert r.json()[field], r.json()
    r = clients["architect"].post(url("dossier-message", pk=pk), {"body": "   "}, format="json")
    assert r.status_code == 400 and r.json()["body"]


def test_unknown_things_are_404(world, clients, api_file):
    pk = api_file()
    architect = clients["architect"]
    for path in ("/api/v1/dossiers/abc/", "/api/v1/dossiers/99999999999999999999999999/", "/api/v1/dossiers/-1/",
                 "/api/v1/dossiers/999999999999999999/", f"/api/v1/dossiers/{pk}/documents/999999/content",
                 f"/api/v1/dossiers/{pk}/rounds/0/changes", f"/api/v1/dossiers/{pk}/rounds/7/changes",
                 f"/api/v1/dossiers/{pk}/decision.pdf", f"/api/v1/dossiers/{pk}/receipt.pdf?round=9",
                 "/api/v1/verify/ABCDE-12345/", "/api/v1/verify/" + "A" * 41 + "/", "/api/v1/verify/%00/"):
        r = architect.get(path)
        assert r.status_code == 404, path
    r = architect.get(f"/api/v1/dossiers/{pk}/receipt.pdf?round=abc")
    assert r.status_code == 400 and r.json()["round"]
    r = client_for().get(url("verify-code", code="ABCDE-12345"))
    assert r.status_code == 404 and r.json()["authentic"] is False


def test_query_parameters(world, clients):
    architect = clients["architect"]
    assert architect.get(url("dossier-list"), {"status": "lost"}).status_code == 400
    assert architect.get(url("dossier-list"), {"role": "king"}).status_code == 400
    assert architect.get(url("dossier-list"), {"limit": "abc", "offset": "-3"}).status_code == 200
    anonymous = client_for()
    assert anonymous.get(url("commune-search"), {"q": "x" * 101}).status_code == 400
    r = anonymous.get(url("commune-search"), {"q": "kenitra"})
    assert r.status_code == 200 and r.json()[0]["code"] == world.commune.code
    assert anonymous.get(url("commune-search")).json() == []


def test_verifying_garbage(world):
    anonymous = client_for()
    r = anonymous.post(url("verify-pdf"), {}, format="multipart")
    assert r.status_code == 400 and r.json()["file"]
    for content in (b"", b"hello", b"%PDF-1.4\n%%EOF", make_pdf()):
        r = anonymous.post(url("verify-pdf"), {"file": SimpleUploadedFile("x.pdf", content)}, format="multipart")
        assert r.status_code == 200, content[:10]
        assert r.json()["authentic"] is False and r.json()["signature"]["signed"] is False
        assert r.json()["signature"]["message"]


def test_verifying_a_too_large_file(world, settings):
    settings.ROKHAS_UPLOAD_MAX_BYTES = 1000
    r = client_for().post(url("verify-pdf"), {"file": SimpleUploadedFile("x.pdf", b"%PDF" + b"0" * 2000)},
                          format="multipart")
    assert r.status_code == 400 and r.json()["file"]


# --- nothing is ever a 500 -----------------------------------------------------------------------------

GARBAGE = [None, [], "x", 0, -1, 10**40, 1e308, True, {"": ""}, {"\x00": "\x00"}, [{"a": [{"b": {}}]}],
           "x" * 300_000, {"title": ["x"], "declared": [], "reasons": {}, "verdict": 1, "pin": None, "body": {}}]
FIELD_VALUES = [None, "", "\x00", "\ud800", "x" * 300_000, -1, 10**40, 1e308, [], {}, [[]], True]


@pytest.mark.parametrize("route,role,state", [
    ("dossier-list", "architect", "draft"),
    ("dossier-detail", "architect", "draft"),
    ("document-upload", "architect", "draft"),
    ("dossier-submit", "architect", "draft"),
    ("dossier-accept", "guichet", "submitted"),
    ("dossier-return", "guichet", "submitted"),
    ("dossier-opinion", "urban_agency", "in_review"),
    ("dossier-decide", "president", "in_review"),
    ("dossier-message", "architect", "in_review"),
    ("verify-pdf", "anonymous", "draft"),
])
def test_no_input_gives_a_500(route, role, state, world, clients, api_draft, django_capture_on_commit_callbacks):
    pk = api_draft()
    if state != "draft":
        assert clients["architect"].post(url("dossier-submit", pk=pk)).status_code == 200
    if state == "in_review":
        assert clients["guichet"].post(url("dossier-accept", pk=pk)).status_code == 200
    client = clients[role]
    path = url(route) if route in ("dossier-list", "verify-pdf") else url(route, pk=pk)
    method = "patch" if route == "dossier-detail" else "post"
    fields = ["commune", "procedure", "owner", "title", "declared", "document_type", "file", "reasons", "message",
              "verdict", "text", "consultation", "outcome", "conditions", "pin", "body"]
    bodies = [json.dumps(g) for g in GARBAGE]
    bodies += [json.dumps({f: v for f in fields}) for v in FIELD_VALUES]
    for body in bodies:
        r = _raw(client, method, path, body)
        assert r.status_code < 500, (body[:80], r.status_code)
        assert r.status_code in (200, 201, 400, 403, 415), (body[:80], r.status_code, r.content[:200])
    for value in ("", "x" * 10_000, "\x00"):
        r = client.post(path, {f: value for f in fields if f != "file"}, format="multipart") if method == "post" \
            else client.patch(path, {f: value for f in fields if f != "file"}, format="multipart")
        assert r.status_code < 500, (value[:10], r.status_code)


# --- language ------------------------------------------------------------------------------------------------


def _project_catalogue_has_arabic() -> bool:
    return any((Path(p) / "ar" / "LC_MESSAGES" / "django.mo").exists() for p in settings.LOCALE_PATHS)


def test_messages_follow_accept_language(world, api_file):
    architect_ar = client_for(world.users["architect"], lang="ar")
    r = architect_ar.post(url("dossier-list"), {}, format="json")
    assert r.status_code == 400
    assert ARABIC.search(r.json()["title"][0]), r.json()  # Django REST framework's own catalogue
    architect_fr = client_for(world.users["architect"], lang="fr")
    assert not ARABIC.search(architect_fr.post(url("dossier-list"), {}, format="json").json()["title"][0])

    # Messages written for Rokhas (the domain's): Arabic once the catalogue exists.
    pk = api_file()
    guichet_ar = client_for(world.users["president"], lang="ar")
    r = guichet_ar.post(url("dossier-accept", pk=pk))
    assert r.status_code == 403
    message = r.json()["detail"]
    assert message
    if _project_catalogue_has_arabic():
        assert ARABIC.search(message), message
    r = client_for(world.users["guichet"], lang="ar").post(url("dossier-return", pk=pk), {"reasons": []},
                                                            format="json")
    assert r.status_code == 400 and r.json()["reasons"][0]
    if _project_catalogue_has_arabic():
        assert ARABIC.search(r.json()["reasons"][0])
