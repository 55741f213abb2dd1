"""A genuinely signed callback for another amount or currency than the payment's is refused
(amounts compared as Decimal: "425" and "425.00" are the same amount)."""

from rokhas.audit.models import AuditEntry
from rokhas.payments import services
from rokhas.payments.models import Invoice

from .conftest import gateway_fields, post_callback


def _form(world, occupation):
    d = occupation()
    return d, services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d)).form


def test_wrong_amount_is_refused(world, occupation):
    d, form = _form(world, occupation)
    for amount in ("424.99", "4250.00", "-425.00", "NaN", "abc", ""):
        fields = gateway_fields(form.fields, merchant={"amount": amount})
        assert post_callback(fields) == (200, "FAILURE"), amount
    assert Invoice.objects.get(dossier=d).status == "issued"
    reasons = set(AuditEntry.objects.filter(action="payment.callback_refused").values_list("data__reason", flat=True))
    assert reasons == {"wrong_amount"}


def test_wrong_currency_is_refused(world, occupation):
    d, form = _form(world, occupation)
    assert post_callback(gateway_fields(form.fields, merchant={"currency": "978"})) == (200, "FAILURE")
    assert Invoice.objects.get(dossier=d).status == "issued"


def test_same_amount_written_differently_is_accepted(world, occupation):
    d, form = _form(world, occupation)
    assert form.fields["amount"] == "425.00"
    assert post_callback(gateway_fields(form.fields, merchant={"amount": "425"})) == (200, "ACTION=POSTAUTH")
    assert Invoice.objects.get(dossier=d).status == "paid"


def test_unknown_order_is_refused(world, occupation):
    _d, form = _form(world, occupation)
    assert post_callback(gateway_fields(form.fields, merchant={"oid": "FAC-NOPE-1"})) == (200, "FAILURE")
