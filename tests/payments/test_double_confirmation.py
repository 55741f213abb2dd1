"""The payer opened two payments of the same invoice (two tabs) and both were approved: the
invoice is paid once; the second is acknowledged without capture (the card is not debited)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment

from .conftest import gateway_fields, post_callback


def test_second_successful_payment_is_not_captured(world, occupation):
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)
    first = services.start_payment(actor=world.users["owner"], invoice=invoice)
    second = services.start_payment(actor=world.users["owner"], invoice=invoice)
    assert first.payment.order_id != second.payment.order_id
    assert post_callback(gateway_fields(first.form.fields)) == (200, "ACTION=POSTAUTH")
    assert post_callback(gateway_fields(second.form.fields)) == (200, "APPROVED")
    statuses = dict(Payment.objects.filter(invoice=invoice).values_list("order_id", "status"))
    assert statuses == {first.payment.order_id: "succeeded", second.payment.order_id: "duplicate"}
    paid = Payment.objects.filter(invoice=invoice, status="succeeded")
    assert sum(p.amount for p in paid) == Decimal("425.00")


def test_a_paid_invoice_cannot_be_paid_again(world, occupation):
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)
    started = services.start_payment(actor=world.users["owner"], invoice=invoice)
    post_callback(gateway_fields(started.form.fields))
    with pytest.raises(ValidationError) as exc:
        services.start_payment(actor=world.users["owner"], invoice=invoice)
    assert exc.value.code == "already_paid"
