"""Public verification reads only what it shows: the decision's public facts, the file's
number, procedure and commune — never the applicant, the owner or the declared data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rokhas.decisions.services import decide, verify_code
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.review.services import give_opinion
from tests.web.conftest import client_for


def test_verification_selects_no_personal_column(signer_world, file_dossier):
    world = signer_world
    d = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=d, verdict="favorable", text="")
    code = decide(actor=world.users["president"], dossier=d, outcome="granted", pin=DEMO_PIN).verification_code
    verify_code(code)  # warm the catalogue cache
    with CaptureQueriesContext(connection) as ctx:
        response = client_for().get(f"/api/v1/verify/{code}/")
    assert response.status_code == 200 and response.json()["decision"]["reference"] == d.reference
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert len([q for q in ctx.captured_queries if "decisions_decision" in q["sql"]]) == 1
    for private in ('"declared"', '"applicant_id"', '"owner_id"', '"title"', "accounts_user"):
        assert private not in sql, private
