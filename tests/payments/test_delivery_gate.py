"""The signed permit is downloadable by the applicant and the owner only once its fees are
paid (TOC, due before delivery); officials are not stopped; /verify/ is unaffected. The whole
payment goes through the web pages and the local test gateway (test client, no network)."""

import pytest

from rokhas.payments.models import Invoice
from tests.web.conftest import client_for, url

from .conftest import form_fields, grant, path_of


@pytest.fixture
def granted(signer_world, rates, file_dossier, settings):
    settings.ROKHAS_DEV_GATEWAY_DELIVERY = "test_client"
    return grant(signer_world, file_dossier())


def test_granted_permit_waits_for_the_toc(signer_world, granted):
    world = signer_world
    invoice = Invoice.objects.get(dossier=granted)
    assert invoice.due == "before_delivery" and invoice.status == "issued"
    assert str(invoice.total) == "8000.00"  # 320 m² × 25 MAD (Kénitra, individual housing)
    owner = client_for(world.users["owner"])
    response = owner.get(url("fr", "web:decision", pk=granted.pk))
    assert response.status_code == 402
    page = response.content.decode()
    assert invoice.number in page and "8000,00" in page and url("fr", "web:pay", pk=granted.pk) in page
    page = owner.get(url("fr", "web:dossier", pk=granted.pk)).content.decode()
    assert 'data-testid="decision-pay-first"' in page and 'data-testid="pay-form"' in page
    # The API says the same, with 402.
    from tests.api.conftest import client_for as api_client
    from tests.api.conftest import url as api_url

    r = api_client(world.users["architect"]).get(api_url("decision-pdf", pk=granted.pk))
    assert r.status_code == 402 and invoice.number in r.json()["detail"]
    # Officials still get the decision; the public verification page is untouched.
    assert client_for(world.users["guichet"]).get(url("fr", "web:decision", pk=granted.pk)).status_code == 200
    code = granted.decision.verification_code
    assert client_for().get(url("fr", "verify-code", code=code)).status_code == 200


def test_paying_through_the_test_gateway_delivers_the_permit(signer_world, granted):
    owner = client_for(signer_world.users["owner"])
    response = owner.post(url("fr", "web:pay", pk=granted.pk))
    assert response.status_code == 200
    assert "form-action" in response["Content-Security-Policy"]
    fields = form_fields(response.content.decode())
    assert fields["storetype"] == "3D_PAY_HOSTING" and fields["currency"] == "504" and fields["amount"] == "8000.00"
    gateway = client_for()  # another site: no session
    page = gateway.post("/dev-gateway/", fields)
    assert page.status_code == 200 and 'data-testid="gateway-approve"' in page.content.decode()
    back = gateway.post("/dev-gateway/pay/", {**form_fields(page.content.decode()), "decision": "approve"})
    assert back.status_code == 303 and "/payments/return/ok/" in back["Location"]
    landing = owner.post(path_of(back["Location"]))  # the gateway posts the browser back to okUrl
    assert landing.status_code == 303 and landing["Location"].startswith(url("fr", "web:dossier", pk=granted.pk))
    assert Invoice.objects.get(dossier=granted).status == "paid"
    download = owner.get(url("fr", "web:decision", pk=granted.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    page = owner.get(url("fr", "web:dossier", pk=granted.pk)).content.decode()
    assert 'data-testid="decision-download"' in page and 'data-testid="payment-receipt"' in page


def test_declined_payment_keeps_the_permit_waiting(signer_world, granted):
    owner = client_for(signer_world.users["owner"])
    fields = form_fields(owner.post(url("fr", "web:pay", pk=granted.pk)).content.decode())
    back = client_for().post("/dev-gateway/pay/", {**fields, "decision": "decline"})
    assert "/payments/return/fail/" in back["Location"]
    assert Invoice.objects.get(dossier=granted).status == "issued"
    assert owner.get(url("fr", "web:decision", pk=granted.pk)).status_code == 402
