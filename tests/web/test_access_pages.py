"""Who sees what: a file is a 404 for outsiders (no leak), a forbidden action is a 403 page
with the domain's reason, drafts stay private, anonymous people are sent to sign in."""

from __future__ import annotations

import pytest

from rokhas.dossiers.models import Dossier

from .conftest import body, client_for, create_draft_via_web, filed_via_web, url

pytestmark = pytest.mark.django_db


def test_outsiders_get_404_not_403(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    version_id = Dossier.objects.get(pk=pk).documents.first().versions.first().pk
    for who in ("other_citizen", "other_guichet", "other_president"):
        client = client_for(world.users[who])
        for name, kwargs in (("web:dossier", {}), ("web:draft", {}), ("web:receipt", {"number": 1}),
                             ("web:decision", {}), ("web:document", {"version_id": version_id})):
            response = client.get(url("fr", name, pk=pk, **kwargs))
            assert response.status_code == 404, (who, name)
        assert client.post(url("fr", "web:accept", pk=pk)).status_code == 404
    assert Dossier.objects.get(pk=pk).status == Dossier.Status.SUBMITTED


def test_anonymous_is_sent_to_sign_in(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    response = client_for(None).get(url("fr", "web:dossier", pk=pk))
    assert response.status_code == 302 and response["Location"].startswith(url("fr", "web:login"))
    response = client_for(None, "ar").get(url("ar", "web:new"))
    assert response.status_code == 302


def test_forbidden_action_shows_the_403_page_with_the_reason(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    owner = client_for(world.users["owner"])
    response = owner.post(url("fr", "web:accept", pk=pk))
    assert response.status_code == 403
    html = body(response)
    assert 'data-testid="error-403"' in html and "guichet unique" in html  # the reason, in French
    response = client_for(world.users["owner"], "ar").post(url("ar", "web:accept", pk=pk))
    assert response.status_code == 403 and 'dir="rtl"' in body(response)
    # A commission member cannot decide; the president cannot give an opinion before dispatch.
    assert client_for(world.users["urban_agency"]).post(url("fr", "web:decide", pk=pk), {
        "outcome": "granted", "pin": "x"}).status_code in (403, 404)
    assert client_for(world.users["president"]).post(url("fr", "web:decide", pk=pk), {
        "outcome": "granted", "pin": "x"}).status_code == 403
    # Panels are only shown to whom access.can() allows.
    html = body(owner.get(url("fr", "web:dossier", pk=pk)))
    for panel in ("panel-check", "panel-opinion", "panel-decide"):
        assert f'data-testid="{panel}"' not in html
    assert 'data-testid="panel-check"' in body(client_for(world.users["guichet"]).get(url("fr", "web:dossier", pk=pk)))


def test_drafts_are_private_to_the_parties(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    assert client_for(world.users["guichet"]).get(url("fr", "web:dossier", pk=pk)).status_code == 404
    assert client_for(world.users["supervisor"]).get(url("fr", "web:dossier", pk=pk)).status_code == 404
    # The owner can read the draft but not edit it: the edit page sends them to the file page.
    owner = client_for(world.users["owner"])
    assert owner.get(url("fr", "web:dossier", pk=pk)).status_code == 200
    response = owner.get(url("fr", "web:draft", pk=pk))
    assert response.status_code == 302 and response["Location"] == url("fr", "web:dossier", pk=pk)
    assert owner.post(url("fr", "web:draft", pk=pk), {"title": "Hijack"}).status_code == 403
    assert Dossier.objects.get(pk=pk).title == "Villa Bennani"


def test_supervisor_reads_but_has_no_action(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    supervisor = client_for(world.users["supervisor"])
    home = body(supervisor.get(url("fr", "web:home")))
    assert 'data-testid="section-supervised"' in home and f'data-testid="row-{pk}"' in home
    html = body(supervisor.get(url("fr", "web:dossier", pk=pk)))
    for panel in ("panel-check", "panel-opinion", "panel-decide"):
        assert f'data-testid="{panel}"' not in html
    assert supervisor.post(url("fr", "web:accept", pk=pk)).status_code == 403


def test_submitted_file_cannot_be_edited_anymore(world):
    architect = client_for(world.users["architect"])
    pk = filed_via_web(architect, world)
    response = architect.get(url("fr", "web:draft", pk=pk))
    assert response.status_code == 302
    response = architect.post(url("fr", "web:draft", pk=pk), {"title": "Changed"})
    assert response.status_code == 403
