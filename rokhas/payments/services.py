"""Writes on fees and payments: issuing invoices, starting payments, reading gateway callbacks.

Invoices are issued by the file's own flow (submit, decision) through `issue_invoice`, inside
the caller's transaction. A callback is authenticated (signature in constant time), matched
to its payment under a row lock, checked (amount as Decimal, currency), and counted once:
replays find the payment already settled; a second successful payment of a paid invoice is
acknowledged without capture. Every outcome, refusals included, is in the audit chain.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.audit.services import record
from rokhas.dossiers.models import Dossier

from . import fees
from .access import Action, require
from .models import Due, Invoice, InvoiceCounter, InvoiceLine, Payment
from .providers import Answer, RedirectForm, StartRequest, get_provider, known_provider
from .providers.cmi import CURRENCY_CODES

S = Dossier.Status
DELIVERED = (S.GRANTED, S.TACITLY_APPROVED)


def _audit(actor, action: str, obj, dossier_id: int | None, **data):
    return record(actor=actor, action=action, obj=obj, dossier_id=dossier_id, data=data)


# --- invoices ----------------------------------------------------------------------------------


def _next_number(commune, year: int) -> int:
    counter = InvoiceCounter.objects.select_for_update().filter(commune=commune, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                InvoiceCounter.objects.create(commune=commune, year=year, last=0)
        except IntegrityError:
            pass  # created concurrently; lock it below
        counter = InvoiceCounter.objects.select_for_update().get(commune=commune, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _is_due_now(dossier: Dossier, due: str) -> bool:
    if due == Due.ON_FILING:
        return dossier.filed_at is not None
    return dossier.status in DELIVERED


@transaction.atomic
def issue_invoice(*, dossier: Dossier, due: str, actor=None) -> Invoice | None:
    """Issue the invoice of the fees due at this moment of the file ("on_filing" at submission,
    "before_delivery" when the permit is granted). Idempotent: one invoice per file and moment.
    Rates are those in force on the filing date. A line that cannot be computed (no rate in
    force, rate outside the legal band) is left out and audited, so the commune sees it; it
    never blocks the file's legal course."""
    existing = Invoice.objects.filter(dossier=dossier, due=due).first()
    if existing is not None or not _is_due_now(dossier, due):
        return existing
    rates_on = timezone.localdate(dossier.filed_at)
    result = fees.compute(dossier.procedure_version, dossier.declared, dossier.commune, rates_on, due=due)
    if result.problems:
        _audit(actor, "fees.not_computed", dossier, dossier.pk, due=due, rates_on=rates_on,
               problems=[{"rule": p.rule_code, "code": p.code, "message": p.message} for p in result.problems])
    if not result.lines:
        return None
    now = timezone.now()
    year = timezone.localdate(now).year
    number = f"FAC-{dossier.commune.code}-{year}-{_next_number(dossier.commune, year):06d}"
    total = result.total
    invoice = Invoice.objects.create(
        dossier=dossier, number=number, due=due, total=total, rates_on=rates_on, issued_at=now,
        status=Invoice.Status.PAID if total == 0 else Invoice.Status.ISSUED, paid_at=now if total == 0 else None)
    for order, line in enumerate(result.lines, start=1):
        InvoiceLine.objects.create(
            invoice=invoice, order=order, rule_code=line.rule_code, label_fr=line.label_fr, label_ar=line.label_ar,
            quantity=line.quantity, unit=line.unit, rate=line.rate, amount=line.amount,
            commune_rate_id=line.commune_rate_id, legal_source=line.legal_source, to_check=line.to_check,
            details=line.details)
    _audit(actor, "invoice.issued", invoice, dossier.pk, number=number, due=due, total=total, rates_on=rates_on,
           lines=[{"rule": line.rule_code, "quantity": line.quantity, "rate": line.rate, "amount": line.amount}
                  for line in result.lines])
    return invoice


def issue_invoice_on_filing(dossier: Dossier, actor=None) -> Invoice | None:
    """Called by rokhas.dossiers.services.submit, inside its transaction. Most procedures have
    no fee due on filing: then no query at all on this hot path."""
    if not any(rule.get("due") == Due.ON_FILING for rule in dossier.procedure_version.fee_rules or []):
        return None
    return issue_invoice(dossier=dossier, due=Due.ON_FILING, actor=actor)


def issue_invoice_on_decision(dossier: Dossier, actor=None) -> Invoice | None:
    """Called by rokhas.decisions.services when the decision is signed, inside its transaction:
    a granted (or tacitly approved) permit gets the invoice of the fees due before delivery."""
    if dossier.status not in DELIVERED:
        return None
    return issue_invoice(dossier=dossier, due=Due.BEFORE_DELIVERY, actor=actor)


# --- starting a payment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    form: RedirectForm


def _absolute(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def start_payment(*, actor, invoice: Invoice, lang: str = "fr") -> PaymentStart:
    """Open a payment of the whole invoice and return the signed form that sends the payer to
    the gateway. Nothing is counted until the gateway's signed callback says so."""
    provider = get_provider()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("dossier").get(pk=invoice.pk)
        require(actor, Action.PAY, dossier=invoice.dossier)
        if invoice.is_paid:
            raise ValidationError(_("This invoice is already paid."), code="already_paid")
        order_id = f"{invoice.number}-{secrets.token_hex(4).upper()}"
        payment = Payment.objects.create(invoice=invoice, provider=provider.name, order_id=order_id,
                                         amount=invoice.total, currency=invoice.currency, started_by=actor,
                                         started_at=timezone.now())
        _audit(actor, "payment.started", payment, invoice.dossier_id, invoice=invoice.number, order_id=order_id,
               amount=payment.amount, provider=provider.name)
    form = provider.start(StartRequest(
        order_id=order_id, amount=f"{payment.amount:.2f}", currency=payment.currency,
        ok_url=_absolute("payment-return", outcome="ok"), fail_url=_absolute("payment-return", outcome="fail"),
        callback_url=_absolute("payment-callback", provider=provider.name),
        shop_url=settings.SITE_URL.rstrip("/") + "/", lang=lang,
        payer_name=actor.get_full_name() or actor.get_username(), payer_email=actor.email or ""))
    return PaymentStart(payment, form)


# --- the gateway's callback ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackOutcome:
    answer: Answer
    body: str
    payment: Payment | None = None
    reason: str = ""


def _parse_amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return None
    return value if value.is_finite() else None


def _refuse(provider, reason: str, params: Mapping[str, str], payment: Payment | None = None) -> CallbackOutcome:
    # Audited outside the caller's work: a refused callback changes nothing else.
    safe = {k: str(params.get(k, ""))[:80] for k in ("oid", "amount", "currency", "ProcReturnCode", "TransId")}
    _audit(None, "payment.callback_refused", payment, payment.invoice.dossier_id if payment else None,
           provider=provider.name, reason=reason, received=safe)
    return CallbackOutcome(Answer.REFUSE, provider.answer(Answer.REFUSE), payment, reason)


def handle_callback(*, provider_name: str, params: Mapping[str, str]) -> CallbackOutcome:
    """The gateway's server-to-server callback. Never raises on bad input: answers REFUSE."""
    if not known_provider(provider_name):
        raise ValidationError(_("Unknown payment provider."), code="unknown_provider")
    provider = get_provider(provider_name)
    result = provider.verify_callback(params)
    with transaction.atomic():
        if not result.authentic:
            return _refuse(provider, "bad_signature", params)
        payment = (Payment.objects.select_for_update().select_related("invoice")
                   .filter(provider=provider.name, order_id=result.order_id).first())
        if payment is None:
            return _refuse(provider, "unknown_order", params)
        amount = _parse_amount(result.amount)
        if amount is None or amount != payment.amount:
            return _refuse(provider, "wrong_amount", params, payment)
        if result.currency != CURRENCY_CODES.get(payment.currency):
            return _refuse(provider, "wrong_currency", params, payment)
        if payment.status in (Payment.Status.SUCCEEDED, Payment.Status.DUPLICATE):
            # A replay (or the gateway retrying): already counted; answer as the first time.
            same = payment.provider_transaction == result.transaction_id
            answer = Answer.CAPTURE if payment.status == Payment.Status.SUCCEEDED and same else Answer.ACKNOWLEDGE
            _audit(None, "payment.callback_replayed", payment, payment.invoice.dossier_id,
                   order_id=payment.order_id, transaction=result.transaction_id)
            return CallbackOutcome(answer, provider.answer(answer), payment, "replayed")
        if not result.approved:
            return _declined(provider, payment, result)
        return _settle(provider, payment, result)


def _declined(provider, payment: Payment, result) -> CallbackOutcome:
    # CMI may send failures before a success for the same order: the payment stays open.
    payment.status = Payment.Status.FAILED
    payment.provider_response = result.response
    payment.save(update_fields=["status", "provider_response"])
    _audit(None, "payment.declined", payment, payment.invoice.dossier_id, order_id=payment.order_id,
           code=result.response_code)
    return CallbackOutcome(Answer.ACKNOWLEDGE, provider.answer(Answer.ACKNOWLEDGE), payment, "declined")


def _settle(provider, payment: Payment, result) -> CallbackOutcome:
    invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
    now = timezone.now()
    payment.provider_transaction = result.transaction_id or None
    payment.provider_response = result.response
    payment.completed_at = now
    if invoice.is_paid:
        # Paid meanwhile by another attempt: acknowledge without capturing, so the card is not debited twice.
        payment.status = Payment.Status.DUPLICATE
        payment.save(update_fields=["status", "provider_transaction", "provider_response", "completed_at"])
        _audit(None, "payment.duplicate", payment, invoice.dossier_id, order_id=payment.order_id,
               invoice=invoice.number)
        return CallbackOutcome(Answer.ACKNOWLEDGE, provider.answer(Answer.ACKNOWLEDGE), payment, "duplicate")
    payment.status = Payment.Status.SUCCEEDED
    payment.receipt_number = invoice.number.replace("FAC-", "REC-", 1)
    try:
        with transaction.atomic():
            payment.save(update_fields=["status", "provider_transaction", "provider_response", "completed_at",
                                        "receipt_number"])
    except IntegrityError:
        # The same gateway transaction already settled another order: counted once, refused here.
        return _refuse(provider, "transaction_reused", {"oid": payment.order_id, "TransId": result.transaction_id})
    invoice.status = Invoice.Status.PAID
    invoice.paid_at = now
    invoice.save(update_fields=["status", "paid_at"])
    _audit(None, "payment.succeeded", payment, invoice.dossier_id, order_id=payment.order_id,
           invoice=invoice.number, amount=payment.amount, transaction=result.transaction_id,
           receipt=payment.receipt_number)
    return CallbackOutcome(Answer.CAPTURE, provider.answer(Answer.CAPTURE), payment, "paid")
