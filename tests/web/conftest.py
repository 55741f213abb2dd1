"""Helpers for the web tests: clients signed in as the world's people, URLs in a language,
and the steps of the flow done through the pages (never through the services)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import PETIT_PROJET, make_pdf, upload

TOKEN_RE = re.compile(r'name="token" value="([0-9a-f]+)"')


def url(lang: str, name: str, **kwargs) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def client_for(user=None, lang: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def assert_no_500(response):
    assert response.status_code < 500, body(response)[:3000]


@pytest.fixture
def clients(world):
    """clients(lang)["architect"] … a signed-in client per person of the world."""

    def _make(lang="fr"):
        return {key: client_for(user, lang) for key, user in world.users.items()}

    return _make


def create_draft_via_web(client, world, lang="fr", title="Villa Bennani") -> int:
    from rokhas.dossiers.models import Dossier

    response = client.post(url(lang, "web:new"), {
        "commune": world.commune.code, "procedure": "permis-construire",
        "owner_email": world.users["owner"].email, "title": title,
    })
    assert response.status_code == 302, body(response)[:3000]
    return Dossier.objects.filter(applicant=world.users["architect"]).latest("created_at").pk


def declared_post(data: dict, title: str | None = None) -> dict:
    post = {k: v for k, v in data.items() if v not in (False, None)}
    for k, v in list(post.items()):
        if v is True:
            post[k] = "on"
    if title is not None:
        post["title"] = title
    return post


def save_draft_via_web(client, pk: int, data: dict, lang="fr", title="Villa Bennani"):
    response = client.post(url(lang, "web:draft", pk=pk), declared_post(data, title))
    assert response.status_code == 302, body(response)[:3000]
    return response


def upload_all_via_web(client, pk: int, lang="fr", text="plan"):
    from rokhas.catalogue.classification import classify
    from rokhas.catalogue.selectors import required_documents
    from rokhas.dossiers.models import Dossier

    dossier = Dossier.objects.get(pk=pk)
    cls = classify(dossier.procedure_version, dossier.declared).project_class
    codes = [r.document_type.code for r in required_documents(dossier.procedure_version, cls)]
    for code in codes:
        response = client.post(url(lang, "web:upload", pk=pk), {
            "document_type": code, "file": upload(f"{code}.pdf", make_pdf(text=f"{text}-{code}"))})
        assert response.status_code == 302, body(response)[:3000]
    return codes


def token_of(client, pk: int, lang="fr") -> str:
    response = client.get(url(lang, "web:draft", pk=pk))
    assert response.status_code == 200
    match = TOKEN_RE.search(body(response))
    assert match, "no submit token on the draft page"
    return match.group(1)


def filed_via_web(client, world, lang="fr", data=None) -> int:
    """Create, fill, upload and submit through the pages; returns the file's pk."""
    pk = create_draft_via_web(client, world, lang)
    save_draft_via_web(client, pk, data or PETIT_PROJET, lang)
    upload_all_via_web(client, pk, lang)
    response = client.post(url(lang, "web:submit", pk=pk), {"token": token_of(client, pk, lang)})
    assert response.status_code == 302, body(response)[:3000]
    return pk


def reviewer_for(world, organisation):
    """The world's person who answers for that organisation."""
    from rokhas.accounts.models import Membership

    m = Membership.objects.filter(organisation=organisation, role=Membership.Role.REVIEWER, active=True).first()
    assert m is not None, f"nobody answers for {organisation}"
    return m.user
