"""The local test gateway speaks CMI's protocol: it refuses an unsigned or altered merchant
form, and it is off (404) unless the setting is on."""

from rokhas.payments import services
from rokhas.payments.models import Invoice
from tests.web.conftest import client_for


def _fields(world, occupation):
    d = occupation()
    return services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d)).form.fields


def test_gateway_is_off_unless_enabled(world, settings):
    settings.ROKHAS_DEV_GATEWAY = False
    assert client_for().post("/dev-gateway/", {"oid": "x"}).status_code == 404
    assert client_for().post("/dev-gateway/pay/", {"oid": "x"}).status_code == 404


def test_altered_merchant_form_is_refused(world, occupation):
    fields = _fields(world, occupation)
    assert client_for().post("/dev-gateway/", fields).status_code == 200
    assert client_for().post("/dev-gateway/", {**fields, "amount": "1.00"}).status_code == 400
    assert client_for().post("/dev-gateway/pay/", {**fields, "amount": "1.00", "decision": "approve"}).status_code == 400
    assert client_for().post("/dev-gateway/", {}).status_code == 400


def test_gateway_page_in_arabic(world, occupation):
    fields = _fields(world, occupation)
    page = client_for(lang="ar").post("/dev-gateway/", {**fields}).content.decode()
    assert fields["oid"] in page and "425.00" in page


def test_payer_return_without_a_known_order_goes_home(db, client):
    r = client.post("/payments/return/ok/", {"oid": "nope"})
    assert r.status_code == 302
    assert client.get("/payments/return/maybe/").status_code == 404
