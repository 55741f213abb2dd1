"""The same approval delivered many times at once, and two approved payments of one invoice
racing: one payment counted, one capture (PostgreSQL: real row locks)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment

from .conftest import gateway_fields


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_callbacks_count_once(world, occupation):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under real concurrency needs PostgreSQL (CI runs it)")
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)
    first = services.start_payment(actor=world.users["owner"], invoice=invoice)
    second = services.start_payment(actor=world.users["owner"], invoice=invoice)
    same = gateway_fields(first.form.fields, transaction_id="T-RACE-1")
    other = gateway_fields(second.form.fields, transaction_id="T-RACE-2")
    calls = [same] * 8 + [other] * 4
    barrier = Barrier(len(calls))

    def deliver(fields):
        try:
            barrier.wait(timeout=10)
            return services.handle_callback(provider_name="cmi", params=fields).body
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        answers = list(pool.map(deliver, calls))
    assert answers.count("ACTION=POSTAUTH") in (4, 8)  # whichever order won, only its replays capture
    assert Payment.objects.filter(invoice=invoice, status="succeeded").count() == 1
    assert Payment.objects.filter(invoice=invoice, status="duplicate").count() == 1
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
