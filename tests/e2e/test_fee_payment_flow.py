"""Paying the construction tax in a real browser: the permit is granted, the owner (in Arabic)
sees the invoice and that the permit waits for it, pays through the local test gateway (the
same protocol as CMI: signed form, card page, signed server-to-server callback, return to
okUrl), then downloads the signed permit and the bilingual payment receipt."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rokhas.decisions.services import decide
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.payments.loading import load_rates
from rokhas.payments.models import Invoice
from rokhas.review.services import give_opinion

from .conftest import assert_language, off_the_loop

pytestmark = [pytest.mark.e2e]


def test_owner_pays_the_toc_then_downloads_the_permit(e2e, signer_world, file_dossier, settings):
    world = signer_world
    settings.SITE_URL = e2e.base_url  # okUrl, failUrl, callbackUrl and the test gateway's address
    settings.ROKHAS_DEV_GATEWAY_DELIVERY = "test_client"  # the callback in process, no network
    load_rates()
    dossier = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=dossier)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=dossier, verdict="favorable", text="")
    off_the_loop(decide, actor=world.users["president"], dossier=dossier, outcome="granted", pin=DEMO_PIN)
    invoice = Invoice.objects.get(dossier=dossier)

    owner = e2e.login("owner", world.users["owner"].username, "ar")
    owner.goto(e2e.url(f"/ar/files/{dossier.pk}/"))
    expect(owner.get_by_test_id("decision-pay-first")).to_be_visible()
    expect(owner.get_by_test_id("fees")).to_contain_text(invoice.number)
    owner.get_by_test_id("pay").click()  # the signed form is sent to the gateway at once (autosubmit.js)
    expect(owner.get_by_test_id("dev-gateway")).to_be_visible()
    expect(owner.get_by_test_id("gateway-amount")).to_contain_text("8000.00")
    owner.get_by_test_id("gateway-approve").click()
    expect(owner.get_by_test_id("decision-download")).to_be_visible()  # back on the file, paid
    assert_language(owner, "ar")
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
    with owner.expect_download() as download:
        owner.get_by_test_id("decision-download").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with owner.expect_download() as receipt:
        owner.get_by_test_id("payment-receipt").click()
    assert receipt.value.suggested_filename.startswith("REC-")
