"""A permit approved by silence is delivered like a signed one: the TOC invoice is issued when
the sealed certificate is, and the certificate waits for the payment."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from rokhas.dossiers.clock import refresh_due_date
from rokhas.dossiers.models import Dossier, Round
from rokhas.payments.models import Invoice
from tests.web.conftest import client_for, url


def test_tacit_approval_issues_the_invoice_and_gates_the_certificate(signer_world, rates, file_dossier):
    d = file_dossier()
    filed = timezone.now() - dt.timedelta(days=40)
    Dossier.objects.filter(pk=d.pk).update(filed_at=filed)
    Round.objects.filter(dossier=d).update(submitted_at=filed)
    d.refresh_from_db()
    refresh_due_date(d)
    call_command("rokhas_sweep_deadlines", verbosity=0)
    d.refresh_from_db()
    assert d.status == "tacitly_approved"
    invoice = Invoice.objects.get(dossier=d)
    assert invoice.due == "before_delivery" and invoice.rates_on == timezone.localdate(filed)
    assert client_for(signer_world.users["owner"]).get(url("fr", "web:decision", pk=d.pk)).status_code == 402
