"""The catalogue of procedures, as versioned data.

A Procedure (e.g. the construction permit) has ProcedureVersions with effective dates. A file
stays on the version in force when it was filed, so changing the law is a data change that
never alters open files. Everything a rule needs (documents, classes, deadlines, commission,
silence rule, legal source) hangs off the version.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.core.bilingual import localized


class DayKind(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class SilenceRule(models.TextChoices):
    TACIT_APPROVAL = "tacit_approval", _("silence means approval")
    TACIT_REFUSAL = "tacit_refusal", _("silence means refusal")
    NONE = "none", _("no effect of silence (escalation only)")


class Procedure(models.Model):
    class Domain(models.TextChoices):
        URBANISM = "urbanism", _("urbanism")
        ECONOMIC = "economic", _("economic activities")

    code = models.SlugField(max_length=60, unique=True)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    reference_prefix = models.CharField(max_length=8, help_text="Prefix of file numbers, e.g. PC")

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    legal_source = models.TextField(help_text="Texts this version applies, cited in full")
    # Guichet dispatch deadline (brief § 4.4: 3 working days).
    dispatch_days = models.PositiveSmallIntegerField(default=3)
    dispatch_day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.WORKING)
    # Whether a complement request suspends the legal clock until resubmission.
    complement_suspends_clock = models.BooleanField(default=True)
    appeal_fr = models.TextField(blank=True)
    appeal_ar = models.TextField(blank=True)
    # What the applicant declares, as a list of field specs; see declared_data.py.
    form_schema = models.JSONField(default=list, blank=True)
    # Fee rules of this version (construction tax per m², flat fees, occupation fees…),
    # interpreted by rokhas/payments/fees.py; commune rates are dated data in payments.
    fee_rules = models.JSONField(default=list, blank=True)
    # Values of this version the sources do not settle ("[check]" in the data): where and what.
    checks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["procedure", "-effective_from"]
        unique_together = [("procedure", "version")]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")

    @property
    def appeal(self) -> str:
        return localized(self, "appeal")

    def __str__(self) -> str:
        return f"{self.procedure} v{self.version} ({self.effective_from})"


class ProjectClass(models.Model):
    """A class of files with its own deadline and commission (petits / grands projets).

    `criteria` is a list of conditions on the applicant's declared data; a file falls in
    the first class (by `order`) whose criteria match — any condition matching is enough —
    and the class with no criteria is the default. See rokhas/catalogue/classification.py.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="classes")
    code = models.SlugField(max_length=40)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    criteria = models.JSONField(default=list, blank=True)
    total_days = models.PositiveSmallIntegerField()
    day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    silence_rule = models.CharField(max_length=20, choices=SilenceRule.choices)
    deadline_source_fr = models.CharField(max_length=300)
    deadline_source_ar = models.CharField(max_length=300)
    # Simple declaration: filing closes the file at once with its receipt; nobody examines it.
    declaration_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "order"]
        unique_together = [("version", "code")]
        verbose_name = _("project class")
        verbose_name_plural = _("project classes")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def deadline_source(self) -> str:
        return localized(self, "deadline_source")

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    formats = models.CharField(max_length=60, default="pdf", help_text="Comma-separated: pdf,jpeg,png")

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def allowed_formats(self) -> frozenset[str]:
        return frozenset(f.strip() for f in self.formats.split(",") if f.strip())

    def __str__(self) -> str:
        return self.name


class RequiredDocument(models.Model):
    """Law 55-19: only the listed documents may be required."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="required_documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    project_class = models.ForeignKey(ProjectClass, null=True, blank=True, on_delete=models.CASCADE,
                                      help_text="Empty: required for every class")
    mandatory = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Required only when the declared data match: {"field", "op", "value"} (same operators as the
    # class criteria, see classification.py); empty: always. E.g. surélévation → stability study.
    condition = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")


class CommissionSeat(models.Model):
    """A body consulted on files of a class, with its own sub-deadline."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="seats")
    project_class = models.ForeignKey(ProjectClass, on_delete=models.CASCADE, related_name="seats")
    organisation_kind = models.CharField(max_length=30)  # accounts.Organisation.Kind
    days = models.PositiveSmallIntegerField()
    day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.WORKING)
    binding = models.BooleanField(default=False, help_text="Avis conforme: a negative opinion binds")

    class Meta:
        ordering = ["version", "project_class", "organisation_kind"]
        unique_together = [("project_class", "organisation_kind")]
        verbose_name = _("commission seat")
        verbose_name_plural = _("commission seats")


class ReturnReason(models.Model):
    """Coded reasons for returning a file (users' top complaint: unclear rejections)."""

    code = models.SlugField(max_length=40, unique=True)
    label_fr = models.CharField(max_length=300)
    label_ar = models.CharField(max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")

    @property
    def label(self) -> str:
        return localized(self, "label")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"
