"""Who may do what with fees: a cashier of one commune never sees another's collection; only
the applicant and the owner pay; receipts are for the parties and the commune's staff."""

import pytest
from django.core.exceptions import PermissionDenied

from rokhas.payments import services
from rokhas.payments.access import Action, can, cashier_communes
from rokhas.payments.models import Invoice
from tests.api.conftest import client_for as api_client
from tests.api.conftest import url as api_url
from tests.web.conftest import client_for, url

from .conftest import gateway_fields, post_callback


def test_cross_commune_cashier_is_refused(world):
    other = world.users["other_guichet"]  # Témara's single window
    assert list(cashier_communes(other)) == [world.other_commune]
    assert not can(other, Action.CASHIER, commune=world.commune)
    r = client_for(other).get(url("fr", "web:cashier"), {"commune": world.commune.code})
    assert r.status_code == 403
    r = api_client(other).get(api_url("payments-collected"), {"commune": world.commune.code})
    assert r.status_code == 403
    assert client_for(other).get(url("fr", "web:cashier")).status_code == 200  # their own commune


def test_who_sees_the_cashier_view(world):
    allowed = {"guichet", "president", "delegate", "other_guichet", "other_president", "supervisor"}
    for key, user in world.users.items():
        expected = key in allowed or key == "committee"
        assert cashier_communes(user).exists() == expected, key
    assert cashier_communes(world.users["committee"]).filter(pk=world.small_commune.pk).exists()
    for key in ("architect", "owner", "commune_reviewer", "urban_agency"):
        assert client_for(world.users[key]).get(url("fr", "web:cashier")).status_code == 403, key
    assert client_for().get(url("fr", "web:cashier")).status_code == 302


def test_only_parties_pay(world, occupation):
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)
    for key in ("guichet", "president", "other_citizen"):
        with pytest.raises(PermissionDenied):
            services.start_payment(actor=world.users[key], invoice=invoice)
    assert api_client(world.users["guichet"]).post(api_url("dossier-pay", pk=d.pk)).status_code == 403
    assert api_client(world.users["other_citizen"]).post(api_url("dossier-pay", pk=d.pk)).status_code == 404
    r = api_client(world.users["owner"]).post(api_url("dossier-pay", pk=d.pk))
    assert r.status_code == 201 and r.json()["gateway"]["fields"]["oid"] == r.json()["payment"]["order_id"]


def test_receipts_are_not_for_everyone_who_sees_the_file(world, occupation):
    d = occupation()
    started = services.start_payment(actor=world.users["owner"], invoice=Invoice.objects.get(dossier=d))
    post_callback(gateway_fields(started.form.fields))
    path = url("fr", "web:payment-receipt", pk=d.pk, id=started.payment.pk)
    assert client_for(world.users["other_guichet"]).get(path).status_code == 404  # cannot see the file
    assert client_for(world.users["other_citizen"]).get(path).status_code == 404
    assert client_for(world.users["supervisor"]).get(path).status_code == 200
