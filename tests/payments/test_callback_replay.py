"""A callback replayed (or retried by the gateway) is counted once: one paid invoice, one
successful payment, the same answer each time."""

from decimal import Decimal

from rokhas.audit.models import AuditEntry
from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment

from .conftest import gateway_fields, post_callback


def test_replayed_callback_counts_once(world, occupation):
    d = occupation()
    started = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d))
    fields = gateway_fields(started.form.fields, transaction_id="T-REPLAY-1")
    assert post_callback(fields) == (200, "ACTION=POSTAUTH")
    assert post_callback(fields) == (200, "ACTION=POSTAUTH")
    assert post_callback(fields) == (200, "ACTION=POSTAUTH")
    payment = Payment.objects.get(pk=started.payment.pk)
    assert payment.status == "succeeded" and payment.provider_transaction == "T-REPLAY-1"
    assert payment.receipt_number.startswith("REC-")
    assert Payment.objects.filter(invoice__dossier=d, status="succeeded").count() == 1
    invoice = Invoice.objects.get(dossier=d)
    assert invoice.status == "paid" and invoice.total == Decimal("425.00")
    assert AuditEntry.objects.filter(action="payment.succeeded", dossier_id=d.pk).count() == 1
    assert AuditEntry.objects.filter(action="payment.callback_replayed", dossier_id=d.pk).count() == 2


def test_a_transaction_id_reused_for_another_order_is_refused(world, occupation):
    first, second = occupation(), occupation()
    a = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=first))
    b = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=second))
    assert post_callback(gateway_fields(a.form.fields, transaction_id="T-SAME")) == (200, "ACTION=POSTAUTH")
    assert post_callback(gateway_fields(b.form.fields, transaction_id="T-SAME")) == (200, "FAILURE")
    assert Invoice.objects.get(dossier=second).status == "issued"


def test_declined_then_approved(world, occupation):
    d = occupation()
    started = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d))
    assert post_callback(gateway_fields(started.form.fields, approved=False)) == (200, "APPROVED")
    assert Invoice.objects.get(dossier=d).status == "issued"
    assert post_callback(gateway_fields(started.form.fields, approved=True)) == (200, "ACTION=POSTAUTH")
    assert Invoice.objects.get(dossier=d).status == "paid"
