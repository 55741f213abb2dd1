"""Reads on fees and payments, always scoped by rokhas.payments.access."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from rokhas.dossiers.access import is_party
from rokhas.dossiers.models import Dossier

from .access import Action, can, cashier_communes
from .models import Invoice, Payment


def invoices_of(dossier: Dossier) -> list[Invoice]:
    return list(Invoice.objects.filter(dossier=dossier).order_by("issued_at", "pk")
                .prefetch_related("lines", Prefetch("payments", Payment.objects.order_by("-started_at"))))


def outstanding(dossier: Dossier) -> QuerySet[Invoice]:
    return Invoice.objects.filter(dossier=dossier, status=Invoice.Status.ISSUED).order_by("issued_at", "pk")


def unpaid_before_delivery(user, dossier: Dossier) -> Invoice | None:
    """The invoice that stops the applicant or owner from downloading the signed permit, if any.
    Officials are not stopped (they need the decision to do their work); /verify/ is public."""
    if not is_party(user, dossier):
        return None
    return outstanding(dossier).first()


def payment_for(user, dossier: Dossier, payment_id: int) -> Payment | None:
    """A completed payment of this file whose receipt the user may download."""
    if not can(user, Action.RECEIPT, dossier=dossier):
        return None
    return (Payment.objects.select_related("invoice", "started_by")
            .filter(pk=payment_id, invoice__dossier=dossier, status=Payment.Status.SUCCEEDED).first())


def payment_by_order(order_id: str) -> Payment | None:
    return Payment.objects.select_related("invoice").filter(order_id=order_id[:64]).first()


@dataclass(frozen=True)
class FeesPanel:
    invoices: list
    outstanding: Invoice | None
    may_pay: bool
    may_see_receipts: bool


def fees_panel(user, dossier: Dossier) -> FeesPanel | None:
    if not can(user, Action.VIEW_FEES, dossier=dossier):
        return None
    invoices = invoices_of(dossier)
    unpaid = next((i for i in invoices if not i.is_paid), None)
    return FeesPanel(invoices=invoices, outstanding=unpaid,
                     may_pay=unpaid is not None and can(user, Action.PAY, dossier=dossier),
                     may_see_receipts=can(user, Action.RECEIPT, dossier=dossier))


# --- the cashier's view --------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectedRow:
    procedure_fr: str
    procedure_ar: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class Collected:
    commune: object
    start: datetime.date
    end: datetime.date
    rows: list[CollectedRow] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    count: int = 0
    total: Decimal = Decimal("0.00")


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


def collected(commune, start: datetime.date, end: datetime.date, *, limit: int = 500) -> Collected:
    """What the commune collected between two dates (inclusive, local time), by procedure.
    The caller checks Action.CASHIER for this commune first."""
    low, high = _bounds(start, end)
    qs = Payment.objects.filter(status=Payment.Status.SUCCEEDED, invoice__dossier__commune=commune,
                                completed_at__gte=low, completed_at__lt=high)
    proc = "invoice__dossier__procedure_version__procedure__"
    rows = [CollectedRow(r[proc + "name_fr"], r[proc + "name_ar"], r["count"], r["total"] or Decimal("0.00"))
            for r in qs.values(proc + "name_fr", proc + "name_ar").annotate(count=Count("pk"), total=Sum("amount"))
            .order_by(proc + "name_fr")]
    totals = qs.aggregate(count=Count("pk"), total=Sum("amount"))
    payments = list(qs.select_related("invoice__dossier__procedure_version__procedure")
                    .order_by("-completed_at", "-pk")[:limit])
    return Collected(commune=commune, start=start, end=end, rows=rows, payments=payments,
                     count=totals["count"] or 0, total=totals["total"] or Decimal("0.00"))


def communes_for_cashier(user):
    return cashier_communes(user).select_related("province").order_by("name_fr")
