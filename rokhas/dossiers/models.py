"""A permit application (dossier), its rounds and its number.

Statuses are workflow states changed only by rokhas.dossiers.services (and audited there).
The legal clock is *computed* by rokhas.dossiers.clock from the rounds' dates and the
procedure version; `legal_due_date` is only a cached copy for sorting worklists, rewritten by
the clock whenever a clock event happens.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.catalogue.cache import CatalogueQuerySet


class Dossier(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("filed, awaiting completeness check")
        RETURNED = "returned", _("returned for complements")
        IN_REVIEW = "in_review", _("under review by the commission")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        TACITLY_APPROVED = "tacitly_approved", _("approved by silence of the administration")
        DECLARED = "declared", _("declared: receipt issued, no examination")

    OPEN_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.IN_REVIEW)
    CLOSED_STATUSES = (Status.GRANTED, Status.REFUSED, Status.TACITLY_APPROVED, Status.DECLARED)

    reference = models.CharField(max_length=60, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey("catalogue.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="dossiers")
    project_class = models.ForeignKey("catalogue.ProjectClass", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="dossiers")
    classification_reasons = models.JSONField(default=list, blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="dossiers_filed")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="dossiers_owned")
    title = models.CharField(_("project title"), max_length=200)
    declared = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    legal_due_date = models.DateField(null=True, blank=True)  # cache; see clock.py
    closed_at = models.DateTimeField(null=True, blank=True)
    # Idempotency key sent with the submit form: a double submit finds the same file.
    submit_token = models.CharField(max_length=64, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        unique_together = [("commune", "year", "sequence")]
        indexes = [
            models.Index(fields=["commune", "status", "legal_due_date"]),
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["owner", "-created_at"]),
        ]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.reference or f"draft #{self.pk}"

    @property
    def procedure(self):
        return self.procedure_version.procedure

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DossierCounter(models.Model):
    """Last number given per commune and year. Locked (SELECT … FOR UPDATE) while numbering,
    inside the submission transaction: numbers are unique and, since a rolled-back submission
    also rolls back its increment, without gaps."""

    commune = models.ForeignKey("territory.Commune", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("commune", "year")]


class Round(models.Model):
    """One submission of the file to the guichet. A return for complements closes the round;
    the resubmission opens the next. Suspension of the clock = the gaps between rounds."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_snapshot = models.JSONField(default=dict)
    documents_snapshot = models.JSONField(default=dict)  # {document type code: version id}
    accepted_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    return_reasons = models.ManyToManyField("catalogue.ReturnReason", blank=True)
    return_message = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "number"]
        unique_together = [("dossier", "number")]


class Message(models.Model):
    """A message between the applicant side and the administration, kept in the timeline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
