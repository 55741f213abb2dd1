"""The API of a session: its agenda, and a file's annotations listed after a since-id cursor
and created with page-relative positions; bad input gets field messages, nothing is written."""

import pytest

from rokhas.commission.models import Annotation
from tests.api.conftest import client_for
from tests.commission.conftest import first_version

pytestmark = pytest.mark.django_db


def test_cursor_returns_only_newer_notes(world, session, petit):
    agency, commune = client_for(world.users["urban_agency"]), client_for(world.users["commune_reviewer"])
    base = f"/api/v1/commission/sessions/{session.pk}/"
    agenda = agency.get(base + "agenda/").json()
    assert [item["reference"] for item in agenda] == [i.dossier.reference for i in session.agenda_items.order_by(
        "position")]
    url = base + f"dossiers/{petit.pk}/annotations/"
    empty = commune.get(url).json()
    assert empty == {"cursor": 0, "annotations": []}
    version = first_version(petit)
    created = agency.post(url, {"version": version.pk, "page": 1, "x": 0.4, "y": 0.6, "width": 0.2,
                                "height": 0.1, "text": "Hauteur R+2 dépassée"}, format="json")
    assert created.status_code == 201, created.json()
    first = commune.get(url, {"since": 0}).json()
    assert [a["text"] for a in first["annotations"]] == ["Hauteur R+2 dépassée"]
    assert first["annotations"][0]["author"] == "Youssef Tazi"
    assert commune.get(url, {"since": first["cursor"]}).json()["annotations"] == []
    agency.post(url, {"version": version.pk, "page": 1, "x": 0.1, "y": 0.1, "text": "Deuxième"}, format="json")
    assert [a["text"] for a in commune.get(url, {"since": first["cursor"]}).json()["annotations"]] == ["Deuxième"]


def test_bad_annotation_input_gets_field_messages(world, session, petit):
    agency = client_for(world.users["urban_agency"], lang="ar")
    url = f"/api/v1/commission/sessions/{session.pk}/dossiers/{petit.pk}/annotations/"
    response = agency.post(url, {"version": first_version(petit).pk, "page": 0, "x": 3, "y": "?", "text": ""},
                           format="json")
    assert response.status_code == 400
    assert {"page", "x", "y", "text"} <= set(response.json())
    assert agency.get(url, {"since": "-1"}).status_code == 400
    assert agency.post(url, {"version": 10**15, "page": 1, "x": 0.1, "y": 0.1, "text": "x"},
                       format="json").status_code == 400
    assert not Annotation.objects.exists()
