"""Scopes hold through the API: an official of another commune does not see the file, a
body that was not consulted cannot give an opinion, only the president (or delegate) of
the file's commune decides, and officials cannot skip their second factor."""

import base64

from rokhas.demo.seed import DEMO_PASSWORD, DEMO_PIN
from rokhas.dossiers.models import Dossier
from rokhas.review.models import Consultation
from tests.api.conftest import client_for, url
from tests.conftest import GRAND_PROJET


def test_an_agent_of_another_commune_gets_404_and_cannot_accept(world, clients, api_file):
    pk = api_file()
    other = clients["other_guichet"]
    assert other.get(url("dossier-detail", pk=pk)).status_code == 404
    assert other.post(url("dossier-accept", pk=pk)).status_code == 404
    assert other.post(url("dossier-return", pk=pk), {"reasons": ["doc-wrong"]}, format="json").status_code == 404
    assert other.get(url("dossier-receipt", pk=pk)).status_code == 404
    assert other.get(url("dossier-list")).json()["count"] == 0
    assert other.get(url("dossier-list"), {"role": "guichet"}).json()["count"] == 0
    assert Dossier.objects.get(pk=pk).status == Dossier.Status.SUBMITTED
    # The commune's own agent sees it in the worklist.
    listed = clients["guichet"].get(url("dossier-list"), {"role": "guichet"}).json()
    assert [d["id"] for d in listed["results"]] == [pk]


def test_officials_never_see_drafts(world, clients, api_draft):
    pk = api_draft()
    for role in ("guichet", "president", "supervisor", "commune_reviewer"):
        assert clients[role].get(url("dossier-detail", pk=pk)).status_code == 404, role
    assert clients["owner"].get(url("dossier-detail", pk=pk)).status_code == 200


def test_a_body_not_consulted_cannot_give_an_opinion(world, clients, api_file):
    pk = api_file()  # a small project: civil protection is not on its commission
    assert clients["guichet"].post(url("dossier-accept", pk=pk)).status_code == 200
    r = clients["civil_protection"].post(url("dossier-opinion", pk=pk), {"verdict": "favorable"}, format="json")
    assert r.status_code == 404
    assert clients["civil_protection"].get(url("dossier-list"), {"role": "review"}).json()["count"] == 0
    # A consulted member cannot answer for another body's consultation.
    other = Consultation.objects.get(dossier_id=pk, organisation=world.orgs["urban_agency"])
    r = clients["commune_reviewer"].post(url("dossier-opinion", pk=pk),
                                         {"verdict": "favorable", "consultation": other.pk}, format="json")
    assert r.status_code == 403 and r.json()["detail"]
    # Seeing the file is not enough to give an opinion.
    for role in ("guichet", "president", "supervisor", "architect"):
        r = clients[role].post(url("dossier-opinion", pk=pk), {"verdict": "favorable"}, format="json")
        assert r.status_code == 403, role
    assert not other.opinions.exists()


def test_civil_protection_is_consulted_on_a_large_project(world, clients, api_draft):
    pk = api_draft(declared=GRAND_PROJET)
    assert clients["architect"].post(url("dossier-submit", pk=pk)).status_code == 200
    assert clients["guichet"].post(url("dossier-accept", pk=pk)).status_code == 200
    r = clients["civil_protection"].post(url("dossier-opinion", pk=pk),
                                         {"verdict": "favorable_reserves", "text": "Issues de secours"}, format="json")
    assert r.status_code == 201, r.content


def test_only_the_president_of_the_commune_decides(signer_world, clients, api_file):
    pk = api_file()
    assert clients["guichet"].post(url("dossier-accept", pk=pk)).status_code == 200
    body = {"outcome": "granted", "pin": DEMO_PIN}
    for role, status in (("guichet", 403), ("supervisor", 403), ("architect", 403), ("owner", 403),
                         ("commune_reviewer", 403), ("other_president", 404), ("other_citizen", 404)):
        r = clients[role].post(url("dossier-decide", pk=pk), body, format="json")
        assert r.status_code == status, (role, r.content)
    assert not hasattr(Dossier.objects.get(pk=pk), "decision")
    assert clients["delegate"].get(url("dossier-detail", pk=pk)).json()["permissions"]["decide"] is True


def test_a_document_of_one_file_is_not_reached_through_another(world, clients, api_file):
    first, second = api_file(), api_file()
    version = clients["architect"].get(url("dossier-detail", pk=second)).json()["documents"][0]["versions"][0]["id"]
    assert clients["architect"].get(url("document-content", pk=first, version_id=version)).status_code == 404
    assert clients["architect"].get(url("document-content", pk=second, version_id=version)).status_code == 200
    assert clients["other_citizen"].get(url("document-content", pk=second, version_id=version)).status_code == 404


def test_lists_are_scoped(world, clients, api_file, api_draft):
    filed, draft = api_file(), api_draft()
    assert {d["id"] for d in clients["architect"].get(url("dossier-list")).json()["results"]} == {filed, draft}
    assert {d["id"] for d in clients["owner"].get(url("dossier-list"), {"role": "mine"}).json()["results"]} == {
        filed, draft}
    assert {d["id"] for d in clients["supervisor"].get(url("dossier-list")).json()["results"]} == {filed}
    assert clients["other_citizen"].get(url("dossier-list")).json()["results"] == []
    assert [d["id"] for d in clients["architect"].get(url("dossier-list"), {"status": "draft"}).json()["results"]] \
        == [draft]


def _basic(user) -> dict:
    raw = base64.b64encode(f"{user.username}:{DEMO_PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def test_basic_and_token_authentication(world):
    anonymous = client_for()
    r = anonymous.get(url("dossier-list"))
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Basic")
    architect = world.users["architect"]
    assert anonymous.get(url("dossier-list"), **_basic(architect)).status_code == 200
    r = anonymous.post(url("auth-token"), {"username": architect.username, "password": DEMO_PASSWORD}, format="json")
    assert r.status_code == 200
    token = r.json()["token"]
    assert anonymous.get(url("dossier-list"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert anonymous.get(url("dossier-list"), HTTP_AUTHORIZATION="Token nope").status_code == 401
    r = anonymous.post(url("auth-token"), {"username": architect.username, "password": "wrong"}, format="json")
    assert r.status_code == 400


def test_officials_act_only_with_their_second_factor_when_required(world, settings, api_file):
    """ROKHAS_REQUIRE_OTP: an official may read with a password or a token, but acting needs a
    web session verified with TOTP (rokhas.accounts.second_factor via rokhas.dossiers.access)."""
    pk = api_file()
    settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = True
    anonymous = client_for()
    guichet = world.users["guichet"]
    assert anonymous.get(url("dossier-detail", pk=pk), **_basic(guichet)).status_code == 200
    r = anonymous.post(url("dossier-accept", pk=pk), **_basic(guichet))
    assert r.status_code == 403 and r.json()["detail"]
    token = anonymous.post(url("auth-token"), {"username": guichet.username, "password": DEMO_PASSWORD},
                           format="json").json()["token"]
    assert anonymous.post(url("dossier-accept", pk=pk), HTTP_AUTHORIZATION=f"Token {token}").status_code == 403
    # A session without a verified device cannot act either.
    session = client_for(guichet)
    assert session.get(url("dossier-detail", pk=pk)).json()["permissions"]["check"] is False
    assert session.post(url("dossier-accept", pk=pk)).status_code == 403
    # Applicants are not concerned.
    r = anonymous.post(url("dossier-message", pk=pk), {"body": "Bonjour"}, format="json",
                       **_basic(world.users["architect"]))
    assert r.status_code == 201
    settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = False
    assert anonymous.post(url("dossier-accept", pk=pk), **_basic(guichet)).status_code == 200
