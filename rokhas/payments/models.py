"""Fees and payments: commune rates (dated data), invoices with their lines, and payments.

An invoice copies everything it was computed from (rate, quantity, legal source) into its
lines: a rate changed later never changes an invoice already issued. A payment is one
attempt through a provider; the provider's transaction id is unique, so a callback replayed
or a payment confirmed twice is counted once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rokhas.core.bilingual import localized

MONEY = {"max_digits": 14, "decimal_places": 2}


class Due(models.TextChoices):
    ON_FILING = "on_filing", _("due on filing")
    BEFORE_DELIVERY = "before_delivery", _("due before the permit is delivered")


class CommuneRate(models.Model):
    """The rate a commune applies for one tax code over a period (e.g. the TOC per m² for
    individual housing). Periods of one (commune, tax code) never overlap."""

    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, related_name="fee_rates")
    tax_code = models.SlugField(_("tax code"), max_length=60)
    rate = models.DecimalField(_("rate (MAD)"), **MONEY)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_source = models.TextField(_("legal source"), help_text=_("The commune's fiscal decision (arrêté fiscal) "
                                                                   "and the law it applies"))

    class Meta:
        ordering = ["commune", "tax_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "tax_code", "effective_from"], name="payments_rate_unique_start"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="payments_rate_not_negative"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="payments_rate_period_ordered"),
        ]
        verbose_name = _("commune rate")
        verbose_name_plural = _("commune rates")

    def __str__(self) -> str:
        return f"{self.commune} — {self.tax_code}: {self.rate} MAD ({self.effective_from})"

    def overlapping(self):
        qs = CommuneRate.objects.filter(commune_id=self.commune_id, tax_code=self.tax_code).exclude(pk=self.pk)
        if self.effective_to is not None:
            qs = qs.filter(effective_from__lte=self.effective_to)
        return qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))

    def clean(self):
        from .fees import band_problem

        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The end of the period is before its start.")})
        if self.commune_id and self.overlapping().exists():
            raise ValidationError(_("Another rate of this commune for this tax code is in force over part of "
                                    "this period."))
        problem = band_problem(self.tax_code, self.rate, self.effective_from, self.effective_to)
        if problem:
            raise ValidationError({"rate": problem})


class InvoiceCounter(models.Model):
    """Last invoice number per commune and year (locked while numbering, like file numbers)."""

    commune = models.ForeignKey("territory.Commune", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="payments_counter_unique")]


class Invoice(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("to be paid")
        PAID = "paid", _("paid")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=60, unique=True)
    due = models.CharField(max_length=20, choices=Due.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED, db_index=True)
    total = models.DecimalField(_("total (MAD)"), **MONEY)
    currency = models.CharField(max_length=3, default="MAD")
    rates_on = models.DateField(help_text="The filing date: the rates in force on it were applied")
    issued_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "issued_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "due"], name="payments_one_invoice_per_moment"),
                       models.CheckConstraint(condition=Q(total__gte=0), name="payments_invoice_total_not_negative")]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    rule_code = models.SlugField(max_length=60)
    label_fr = models.CharField(max_length=300)
    label_ar = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=20)  # m2, m2_month, m2_day, m2_year, flat
    rate = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    commune_rate = models.ForeignKey(CommuneRate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_source = models.TextField(blank=True)
    to_check = models.BooleanField(default=False, help_text="The rule carries [check] values")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["invoice", "order"]

    @property
    def label(self) -> str:
        return localized(self, "label")


class Payment(models.Model):
    """One attempt to pay an invoice through a provider (CMI, the local test gateway…)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the gateway")
        SUCCEEDED = "succeeded", _("paid")
        FAILED = "failed", _("declined")
        DUPLICATE = "duplicate", _("not captured: the invoice was already paid")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=30)
    order_id = models.CharField(max_length=64, unique=True)  # CMI "oid"
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="MAD")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The gateway's transaction id (CMI "TransId"): one transaction is counted once.
    provider_transaction = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL: none yet (unique)
    provider_response = models.JSONField(default=dict, blank=True)  # return codes only, never card data
    receipt_number = models.CharField(max_length=60, null=True, blank=True, unique=True)  # noqa: DJ001 - unique when set

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_transaction"], name="payments_transaction_once",
                                    condition=Q(provider_transaction__isnull=False)),
            # At most one successful payment per invoice, whatever the race.
            models.UniqueConstraint(fields=["invoice"], condition=Q(status="succeeded"),
                                    name="payments_invoice_paid_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.order_id} ({self.get_status_display()})"
