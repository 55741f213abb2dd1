"""A procedure whose fees are due on filing gets its invoice at submission, in the same
transaction; a resubmission does not issue a second one."""

from decimal import Decimal

from django.utils import timezone

from rokhas.audit.models import AuditEntry
from rokhas.payments.models import Invoice


def test_invoice_issued_at_submission(world, occupation):
    d = occupation(surface="12.5", months=3)
    invoice = Invoice.objects.get(dossier=d)
    assert invoice.due == "on_filing" and invoice.status == "issued"
    assert invoice.total == Decimal("425.00")
    assert invoice.number.startswith(f"FAC-{world.commune.code}-")
    assert [line.rule_code for line in invoice.lines.all()] == ["odp", "dossier"]
    assert invoice.rates_on == timezone.localdate(d.filed_at)
    assert AuditEntry.objects.filter(action="invoice.issued", dossier_id=d.pk).count() == 1


def test_numbers_follow_each_other_per_commune(world, occupation):
    first, second = occupation(), occupation()
    a, b = Invoice.objects.get(dossier=first).number, Invoice.objects.get(dossier=second).number
    assert int(b.rsplit("-", 1)[1]) == int(a.rsplit("-", 1)[1]) + 1


def test_no_rate_no_invoice_but_audited(world, occupation):
    from rokhas.payments.models import CommuneRate

    CommuneRate.objects.filter(tax_code="odp-occupation-temporaire").delete()
    d = occupation()
    invoice = Invoice.objects.get(dossier=d)  # the flat fee still applies
    assert invoice.total == Decimal("50.00")
    entry = AuditEntry.objects.get(action="fees.not_computed", dossier_id=d.pk)
    assert entry.data["problems"][0]["code"] == "no_rate"
