"""Documents of a file, versioned and checksummed. Content lives in the configured storage
(content-addressed, see storage.py); rows here say which version belongs to which file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey("catalogue.DocumentType", on_delete=models.PROTECT)

    class Meta:
        unique_together = [("dossier", "document_type")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    storage_name = models.CharField(max_length=300)
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=60)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(null=True, blank=True)
    sanitised = models.BooleanField(default=False)
    removed = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        unique_together = [("document", "number")]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
