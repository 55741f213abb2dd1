"""The new-application page: commune search (htmx fragment and no-JavaScript fallback),
the full-list select, the owner by e-mail, and the redirect to the draft."""

from __future__ import annotations

import pytest

from rokhas.dossiers.models import Dossier

from .conftest import body, client_for, url

pytestmark = pytest.mark.django_db


def test_htmx_commune_search_returns_a_fragment(world):
    client = client_for(world.users["architect"])
    response = client.get(url("fr", "web:commune-search"), {"q": "kenit"}, HTTP_HX_REQUEST="true")
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert f'value="{world.commune.code}"' in html and "Kénitra" in html
    response = client.get(url("ar", "web:commune-search"), {"q": "القنيطرة"})
    assert f'value="{world.commune.code}"' in body(response)
    response = client.get(url("fr", "web:commune-search"), {"q": "zzzzzz"})
    assert 'data-testid="commune-none"' in body(response)


def test_search_without_javascript_keeps_the_typed_fields(world):
    client = client_for(world.users["architect"])
    response = client.post(url("fr", "web:new"), {"search": "1", "q": "temara", "title": "Mon projet",
                                                 "owner_email": "x@y.ma"})
    html = body(response)
    assert response.status_code == 200
    assert f'value="{world.other_commune.code}"' in html
    assert 'value="Mon projet"' in html and 'value="x@y.ma"' in html
    assert 'class="errors"' not in html  # searching is not submitting
    assert not Dossier.objects.exists()


def test_full_list_select_fallback(world):
    client = client_for(world.users["architect"])
    html = body(client.get(url("fr", "web:new")))
    assert 'name="commune_list"' in html and f'<option value="{world.commune.code}"' in html
    response = client.post(url("fr", "web:new"), {
        "commune_list": world.commune.code, "procedure": "permis-construire",
        "owner_email": world.users["owner"].email.upper(), "title": "Depuis la liste"})
    assert response.status_code == 302
    dossier = Dossier.objects.get(title="Depuis la liste")
    assert dossier.commune == world.commune and dossier.owner == world.users["owner"]
    assert response["Location"] == url("fr", "web:draft", pk=dossier.pk)


def test_unknown_owner_gets_a_clear_error(world):
    client = client_for(world.users["architect"], "ar")
    response = client.post(url("ar", "web:new"), {
        "commune": world.commune.code, "procedure": "permis-construire",
        "owner_email": "nobody@example.ma", "title": "Projet"})
    assert response.status_code == 200
    html = body(response)
    assert 'data-testid="errors-owner_email"' in html
    assert not Dossier.objects.exists()


def test_missing_commune_and_procedure(world):
    client = client_for(world.users["architect"])
    response = client.post(url("fr", "web:new"), {
        "commune": "999.99.99", "procedure": "no-such", "owner_email": world.users["owner"].email, "title": "P"})
    html = body(response)
    assert 'data-testid="errors-procedure"' in html
    response = client.post(url("fr", "web:new"), {
        "commune": "999.99.99", "procedure": "permis-construire", "owner_email": world.users["owner"].email,
        "title": "P"})
    assert 'data-testid="errors-commune"' in body(response)
    assert not Dossier.objects.exists()
