"""A callback whose HASH does not match (forged, or signed with another key) is refused with
FAILURE, changes nothing, and leaves a trace in the audit chain."""

from rokhas.audit.models import AuditEntry
from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment
from rokhas.payments.providers.cmi import cmi_hash

from .conftest import gateway_fields, post_callback


def _started(world, occupation):
    d = occupation()
    return services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d))


def test_forged_callback_is_refused_and_audited(world, occupation):
    started = _started(world, occupation)
    fields = gateway_fields(started.form.fields)
    fields["HASH"] = cmi_hash(fields, "not-the-store-key")
    status, answer = post_callback(fields)
    assert (status, answer) == (403, "FAILURE")
    payment = Payment.objects.get(pk=started.payment.pk)
    assert payment.status == "pending" and payment.invoice.status == "issued"
    entry = AuditEntry.objects.filter(action="payment.callback_refused").latest("seq")
    assert entry.data["reason"] == "bad_signature" and entry.data["received"]["oid"] == payment.order_id


def test_a_field_changed_after_signing_breaks_the_signature(world, occupation):
    started = _started(world, occupation)
    fields = gateway_fields(started.form.fields)
    fields["ProcReturnCode"] = "00"
    fields["amount"] = "1.00"  # tampered in transit
    assert post_callback(fields) == (403, "FAILURE")
    assert Invoice.objects.get(pk=started.payment.invoice_id).status == "issued"


def test_missing_or_garbage_hash_is_refused(world, occupation):
    started = _started(world, occupation)
    fields = gateway_fields(started.form.fields)
    for bad in ("", "x" * 5000, "é"):
        assert post_callback({**fields, "HASH": bad}) == (403, "FAILURE")
    fields.pop("HASH")
    assert post_callback(fields) == (403, "FAILURE")


def test_unknown_provider_is_404(db, client):
    assert client.post("/payments/callback/paypal/", {"oid": "x"}).status_code == 404
