"""Helpers for the API tests: clients logged in as the world's people, and a file carried
through the flow by the API itself."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PETIT_PROJET, make_pdf

BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_for(user=None, lang: str | None = None) -> APIClient:
    client = APIClient()
    if lang:
        client.credentials(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


@pytest.fixture
def clients(world):
    """clients["architect"], clients["guichet"]...; clients["anonymous"] is not logged in."""
    out = {key: client_for(user) for key, user in world.users.items()}
    out["anonymous"] = client_for()
    return out


def required_codes(dossier_json: dict) -> list[str]:
    return [d["code"] for d in dossier_json["missing_documents"]]


def upload(client, pk: int, code: str, content: bytes | None = None, name: str | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile(name or f"{code}.pdf", content if content is not None else make_pdf(text=code),
                           content_type="application/pdf")
    return client.post(url("document-upload", pk=pk), {"document_type": code, "file": f}, format="multipart")


# The fixtures below do not run the after-commit work (mails with the rendered receipt):
# inside a test's transaction it is simply never run. test_api_flow runs it.


@pytest.fixture
def api_draft(world, clients):
    """A draft created, filled and complete (all documents), through the API; returns its id."""

    def _make(declared=None, commune=None) -> int:
        architect = clients["architect"]
        r = architect.post(url("dossier-list"), {
            "commune": (commune or world.commune).code, "procedure": "permis-construire",
            "owner": world.users["owner"].email, "title": "Villa Bennani"}, format="json")
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        r = architect.patch(url("dossier-detail", pk=pk), {"declared": declared or PETIT_PROJET}, format="json")
        assert r.status_code == 200, r.content
        for code in required_codes(r.json()):
            assert upload(architect, pk, code).status_code == 201
        return pk

    return _make


@pytest.fixture
def api_file(api_draft, clients):
    """A filed file (status submitted), through the API; returns its id."""

    def _make(**kwargs) -> int:
        pk = api_draft(**kwargs)
        r = clients["architect"].post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY=f"k-{pk}")
        assert r.status_code == 200, r.content
        return pk

    return _make
