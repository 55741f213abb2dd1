"""The cashier's view of a commune: what was collected, by procedure and period, with totals;
only payments confirmed by the gateway, only that commune's."""

import datetime
from decimal import Decimal

from django.utils import timezone

from rokhas.payments import services
from rokhas.payments.models import Invoice, Payment
from rokhas.payments.selectors import collected
from tests.api.conftest import client_for as api_client
from tests.api.conftest import url as api_url
from tests.web.conftest import client_for, url

from .conftest import gateway_fields, post_callback


def _pay(world, dossier, approved=True):
    started = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=dossier))
    post_callback(gateway_fields(started.form.fields, approved=approved))
    return started.payment


def test_totals_by_procedure_and_commune(world, occupation):
    today = timezone.localdate()
    _pay(world, occupation(surface="10", months=1))    # 100 + 50
    _pay(world, occupation(surface="20", months=2))    # 400 + 50
    _pay(world, occupation(surface="5", months=1), approved=False)  # declined: not collected
    occupation()  # invoiced, never paid
    # Another commune's collection (Témara has no occupation rate: only the flat fee).
    _pay(world, occupation(commune=world.other_commune))
    summary = collected(world.commune, today, today)
    assert summary.count == 2 and summary.total == Decimal("600.00")
    (row,) = summary.rows
    assert (row.procedure_fr, row.count, row.total) == ("Occupation du domaine public", 2, Decimal("600.00"))
    assert collected(world.other_commune, today, today).total == Decimal("50.00")
    # Outside the period: nothing.
    yesterday = today - datetime.timedelta(days=1)
    assert collected(world.commune, yesterday, yesterday).count == 0


def test_cashier_page_and_api(world, occupation):
    _pay(world, occupation(surface="10", months=1))
    home = client_for(world.users["guichet"]).get(url("fr", "web:home")).content.decode()
    assert 'data-testid="cashier-link"' in home
    assert 'data-testid="cashier-link"' not in client_for(world.users["owner"]).get(url("fr", "web:home")).content.decode()
    page = client_for(world.users["guichet"]).get(url("fr", "web:cashier"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="cashier-total"' in html and "150,00" in html
    r = api_client(world.users["president"]).get(api_url("payments-collected"), {"commune": world.commune.code})
    assert r.status_code == 200
    assert (r.json()["total"], r.json()["count"]) == ("150.00", 1)


def test_bad_periods_are_told_not_crashed(world):
    guichet = client_for(world.users["guichet"])
    r = guichet.get(url("fr", "web:cashier"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert r.status_code == 200 and 'data-testid="cashier-errors"' in r.content.decode()
    assert guichet.get(url("fr", "web:cashier"), {"start": "garbage", "commune": "x" * 500}).status_code == 200
    api = api_client(world.users["guichet"])
    assert api.get(api_url("payments-collected"), {"commune": world.commune.code, "start": "2026-05-01",
                                                   "end": "2026-04-01"}).status_code == 400
    assert api.get(api_url("payments-collected"), {"commune": world.commune.code, "start": "nope"}).status_code == 400
    assert api.get(api_url("payments-collected"), {"commune": "999"}).status_code == 404


def test_only_confirmed_payments_count(world, occupation):
    _pay(world, occupation(), approved=False)
    assert not Payment.objects.filter(status="succeeded").exists()
    today = timezone.localdate()
    assert collected(world.commune, today, today).total == Decimal("0.00")
