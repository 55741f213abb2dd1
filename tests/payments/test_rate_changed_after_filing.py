"""A commune changes its TOC rate after a file was filed: the file's invoice, issued when the
permit is granted, still applies the rate in force on the filing date. A rate used by an
invoice is frozen."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from rokhas.payments.loading import load_rates
from rokhas.payments.models import CommuneRate, Invoice

from .conftest import backdate_filing, grant


def test_invoice_uses_the_rate_in_force_on_the_filing_date(signer_world, rates, file_dossier):
    world = signer_world
    d = backdate_filing(file_dossier(), days=40)
    filed_on = timezone.localdate(d.filed_at)
    old = CommuneRate.objects.get(commune=world.commune, tax_code="toc-habitat-individuel")
    old.effective_to = filed_on + datetime.timedelta(days=10)
    old.save()
    CommuneRate.objects.create(commune=world.commune, tax_code="toc-habitat-individuel", rate=Decimal("30.00"),
                               effective_from=old.effective_to + datetime.timedelta(days=1),
                               legal_source="Nouvel arrêté fiscal (test)")
    grant(world, d)
    invoice = Invoice.objects.get(dossier=d)
    line = invoice.lines.get()
    assert invoice.rates_on == filed_on
    assert line.rate == Decimal("25.00") and line.commune_rate_id == old.pk
    assert invoice.total == Decimal("8000.00")  # not 320 × 30


def test_a_rate_used_by_an_invoice_is_frozen(signer_world, rates, file_dossier, tmp_path):
    import json

    world = signer_world
    grant(world, file_dossier())
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"rates": [
        {"commune": world.commune.code, "tax_code": "toc-habitat-individuel", "rate": "29.00",
         "effective_from": "2020-01-01", "effective_to": None, "legal_source": "changed"}]}))
    notes = load_rates(path)
    assert "left unchanged" in notes[0]
    assert CommuneRate.objects.get(commune=world.commune, tax_code="toc-habitat-individuel").rate == Decimal("25.00")


def test_loading_the_rates_is_idempotent(world):
    first = load_rates()
    count = CommuneRate.objects.count()
    assert load_rates() == first and CommuneRate.objects.count() == count > 0


def test_loading_bad_rates_changes_nothing(world, tmp_path):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"rates": [
        {"commune": world.commune.code, "tax_code": "toc-immeubles", "rate": "15.00", "effective_from": "2020-01-01",
         "effective_to": None, "legal_source": "ok"},
        {"commune": world.commune.code, "tax_code": "toc-habitat-individuel", "rate": "99.00",
         "effective_from": "2020-01-01", "effective_to": None, "legal_source": "outside the band"}]}))
    with pytest.raises(CommandError):
        call_command("rokhas_load_fee_rates", str(path), verbosity=0)
    assert not CommuneRate.objects.exists()
