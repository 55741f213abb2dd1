"""The bilingual payment receipt (quittance / وصل الأداء), rendered on demand from the payment:
the same payment always gives the same document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from rokhas.pdfs.contexts import Party
from rokhas.pdfs.render import render_template_pdf, w3c_datetime

from .models import Payment

UNITS = {"m2": "m²", "m2_month": "m²×mois", "m2_day": "m²×jour", "m2_year": "m²×an", "flat": "forfait"}
PROVIDERS = {"cmi": "CMI"}


@dataclass(frozen=True, kw_only=True)
class PaymentReceiptContext:
    receipt_number: str
    invoice_number: str
    reference: str
    commune_fr: str
    commune_ar: str
    procedure_fr: str
    procedure_ar: str
    project_class_fr: str
    project_class_ar: str
    paid_at: datetime
    provider_label: str
    transaction: str
    order_id: str
    total: str


def _money(value) -> str:
    return f"{value:,.2f}".replace(",", " ")


def receipt_pdf(payment: Payment) -> bytes:
    invoice = payment.invoice
    dossier = invoice.dossier
    cls = dossier.project_class
    paid_at = timezone.localtime(payment.completed_at)
    ctx = PaymentReceiptContext(
        receipt_number=payment.receipt_number, invoice_number=invoice.number, reference=dossier.reference,
        commune_fr=dossier.commune.name_fr, commune_ar=dossier.commune.name_ar,
        procedure_fr=dossier.procedure.name_fr, procedure_ar=dossier.procedure.name_ar,
        project_class_fr=cls.name_fr if cls else "—", project_class_ar=cls.name_ar if cls else "—",
        paid_at=paid_at, provider_label=PROVIDERS.get(payment.provider, payment.provider),
        transaction=payment.provider_transaction or "—", order_id=payment.order_id, total=_money(payment.amount))
    lines = [{"label_fr": line.label_fr, "label_ar": line.label_ar, "rate": _money(line.rate),
              "amount": _money(line.amount),
              "base": f"{line.quantity.normalize():f} {UNITS.get(line.unit, line.unit)}" if line.unit != "flat" else "—"}
             for line in invoice.lines.all()]
    payer = payment.started_by
    parties = [(Party(payer.get_full_name() or payer.username, "", ""), "Payé par", "أدى المبلغ"),
               (Party(dossier.owner.get_full_name() or dossier.owner.username, "", ""), "Propriétaire", "المالك")]
    return render_template_pdf("payments/receipt_pdf.html", {
        "ctx": ctx, "lines": lines, "parties": parties, "created_w3c": w3c_datetime(paid_at)})
