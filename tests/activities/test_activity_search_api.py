"""The activity search through the API (public, like the procedure list): French and Arabic,
with the regime, the procedure to file under and what follows; bad input is a clear 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(catalogue):
    return APIClient()


@pytest.mark.parametrize("query,code,regime,procedure", [
    ("épicerie", "epicerie", "declaration", "activite-declaration"),
    ("مقهى", "cafe", "authorisation", "activite-autorisation"),
    ("محطة الوقود", "station-service", "classified", "etablissement-classe"),
])
def test_search(api, query, code, regime, procedure):
    response = api.get("/api/v1/activities/", {"q": query})
    assert response.status_code == 200
    found = {a["code"]: a for a in response.json()}
    assert found[code]["regime"] == regime and found[code]["procedure"] == procedure
    follows = found[code]["what_follows"]
    assert follows["declaration_only"] is (regime == "declaration")
    assert bool(follows["organisation_kinds"]) is (regime != "declaration")


def test_too_long_a_query_is_a_400(api):
    response = api.get("/api/v1/activities/", {"q": "x" * 101})
    assert response.status_code == 400 and "q" in response.json()


def test_the_procedure_list_gives_activity_choices_and_conditions(api):
    procedures = {p["code"]: p for p in api.get("/api/v1/procedures/").json()}
    form = {f["name"]: f for f in procedures["activite-declaration"]["version"]["form_schema"]}
    assert ["epicerie", "Épicerie", "بقالة"] in form["activity"]["choices"]
    assert procedures["activite-declaration"]["version"]["classes"][0]["declaration_only"] is True
    docs = procedures["permis-construire"]["version"]["required_documents"]
    stability = next(d for d in docs if d["document_type"]["code"] == "etude-stabilite")
    assert stability["condition"] == {"field": "nature", "op": "eq", "value": "surelevation"}
    trenches = {f["name"]: f for f in procedures["ouverture-tranchees"]["version"]["form_schema"]}
    assert trenches["road_restoration"]["must_be"] is True
