"""Messages on a file: the owner and the guichet talk on the file; everyone on it reads them."""

from __future__ import annotations

import pytest

from .conftest import body, client_for, create_draft_via_web, filed_via_web, url

pytestmark = pytest.mark.django_db


def test_owner_and_guichet_exchange_messages(world, django_capture_on_commit_callbacks):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    owner = client_for(world.users["owner"], "ar")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(url("ar", "web:message", pk=pk), {"body": "متى سيتم فحص الملف؟"})
    assert response.status_code == 302
    guichet = client_for(world.users["guichet"])
    html = body(guichet.get(url("fr", "web:dossier", pk=pk)))
    assert "متى سيتم فحص الملف؟" in html
    assert 'data-testid="event-message.posted"' in html
    guichet.post(url("fr", "web:message", pk=pk), {"body": "<script>alert(1)</script> Demain."})
    html = body(client_for(world.users["architect"]).get(url("fr", "web:dossier", pk=pk)))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_no_message_form_on_a_draft(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    html = body(architect.get(url("fr", "web:dossier", pk=pk)))
    assert 'data-testid="message-form"' not in html
    assert architect.post(url("fr", "web:message", pk=pk), {"body": "hello"}).status_code == 403
