"""The file page shows the invoice (lines, base, rate, total) in the reader's language, with a
pay button for the applicant and the owner only."""

from rokhas.payments.models import Invoice
from tests.web.conftest import client_for, url

from .conftest import form_fields, gateway_fields, post_callback


def test_owner_sees_the_invoice_and_the_pay_button_in_arabic(world, occupation):
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)
    page = client_for(world.users["owner"], lang="ar").get(url("ar", "web:dossier", pk=d.pk)).content.decode()
    assert 'dir="rtl"' in page and 'data-testid="fees"' in page and 'data-testid="pay-form"' in page
    assert f"<bdi>{invoice.number}</bdi>" in page
    assert "إتاوة الاحتلال المؤقت للملك العمومي" in page and "مصاريف الملف" in page


def test_staff_see_the_invoice_without_paying(world, occupation):
    d = occupation()
    page = client_for(world.users["guichet"]).get(url("fr", "web:dossier", pk=d.pk)).content.decode()
    assert 'data-testid="fees"' in page and 'data-testid="pay-form"' not in page
    assert "Frais de dossier" in page
    r = client_for(world.users["guichet"]).post(url("fr", "web:pay", pk=d.pk))
    assert r.status_code == 403


def test_pay_twice_from_the_page_after_payment_says_nothing_left(world, occupation):
    d = occupation()
    owner = client_for(world.users["owner"])
    fields = form_fields(owner.post(url("fr", "web:pay", pk=d.pk)).content.decode())
    assert post_callback(gateway_fields(fields)) == (200, "ACTION=POSTAUTH")
    r = owner.post(url("fr", "web:pay", pk=d.pk))
    assert r.status_code == 302 and r["Location"].endswith("#fees")
