"""Decisions on files and the signed documents that carry them.

A decision document is verifiable by anyone through its short code (/verify/<code>) or by
uploading the PDF: the stored SHA-256 of the signed bytes is the reference.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        TACIT_APPROVAL = "tacit_approval", _("approved by silence")

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    conditions = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField()
    verification_code = models.CharField(max_length=20, unique=True)
    signer_name = models.CharField(max_length=200)
    signer_title_fr = models.CharField(max_length=200, blank=True)
    signer_title_ar = models.CharField(max_length=200, blank=True)
    storage_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_outcome_display()}"
