"""Every payment has a bilingual receipt (Arabic and French), downloadable by the parties and
the commune's staff, on the web and through the API."""

import subprocess

import pytest

from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment
from rokhas.payments.receipts import receipt_pdf
from tests.api.conftest import client_for as api_client
from tests.api.conftest import url as api_url
from tests.conftest import require_binary
from tests.web.conftest import client_for, url

from .conftest import gateway_fields, post_callback


@pytest.fixture
def paid(world, occupation):
    d = occupation(surface="12.5", months=3)
    started = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d))
    post_callback(gateway_fields(started.form.fields, transaction_id="T-RECEIPT-1"))
    return Payment.objects.get(pk=started.payment.pk)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run([require_binary("pdftotext"), "-layout", str(path), "-"], capture_output=True,
                          check=True, timeout=60).stdout.decode()


def test_receipt_is_bilingual(paid, tmp_path):
    pdf = receipt_pdf(paid)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf, tmp_path)
    for french in ("QUITTANCE DE PAIEMENT", "N° de quittance", paid.receipt_number, paid.invoice.number,
                   "Redevance", "Frais de dossier", "425.00 MAD",
                   "T-RECEIPT-1", "Kénitra"):
        assert french in text, french
    for arabic in ("وصل الأداء", "رقم الوصل", "مصاريف الملف", "القنيطرة"):
        assert arabic in text, arabic


def test_receipt_downloads(world, paid):
    d = paid.invoice.dossier
    for who in ("owner", "guichet"):
        r = client_for(world.users[who]).get(url("fr", "web:payment-receipt", pk=d.pk, id=paid.pk))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", who
    r = api_client(world.users["owner"]).get(api_url("payment-receipt", pk=d.pk, id=paid.pk))
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    fees = api_client(world.users["owner"]).get(api_url("dossier-fees", pk=d.pk)).json()
    payment = fees["invoices"][0]["payments"][0]
    assert payment["status"] == "succeeded" and payment["receipt_url"].endswith("/receipt.pdf")
    assert fees["invoices"][0]["total"] == "425.00" and fees["outstanding"] is None
