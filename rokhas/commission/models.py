"""Commission sessions: the meeting of the members consulted on a set of files.

A session is organised by a single window (a commune's, or the provincial committee for the
small communes); its agenda lists files under review; the members of each file's commission
(the organisations consulted on it) are invited, their attendance is recorded, they annotate
the plans together and give their opinions; the session ends with minutes signed by every
member present.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        REMOTE = "remote", _("remote")
        HYBRID = "hybrid", _("in person and remote")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SIGNING = "signing", _("minutes awaiting signatures")
        CLOSED = "closed", _("closed, minutes signed")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="commission_sessions")
    starts_at = models.DateTimeField(_("date and time"))
    mode = models.CharField(_("how members meet"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video room link"), max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    # The minutes (procès-verbal): rendered once when the session closes, then signed in turn
    # by every member present; each signature is an incremental update of these bytes.
    minutes_storage_name = models.CharField(max_length=300, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    minutes_drafted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-starts_at"])]
        verbose_name = _("commission session")
        verbose_name_plural = _("commission sessions")

    def __str__(self) -> str:
        return f"session #{self.pk} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SCHEDULED


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField()
    # The earliest pending opinion's due date when the file was put on the agenda.
    due_date = models.DateField(null=True, blank=True)
    added_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["session", "position", "pk"]
        unique_together = [("session", "dossier")]
        indexes = [models.Index(fields=["dossier"])]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")


class Participant(models.Model):
    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("not recorded")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "organisation__kind", "user__last_name", "pk"]
        unique_together = [("session", "user")]
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")


class Annotation(models.Model):
    """A note on a page of one document version, at a point (x, y from 0 to 1, from the page's
    top-left corner) or over a rectangle. It stays on that version even once replaced."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="annotations")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="annotations")
    document_version = models.ForeignKey("documents.DocumentVersion", on_delete=models.PROTECT,
                                         related_name="annotations")
    page = models.PositiveIntegerField()
    x = models.FloatField()
    y = models.FloatField()
    width = models.FloatField(null=True, blank=True)
    height = models.FloatField(null=True, blank=True)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["session", "dossier", "id"]),  # live polling: WHERE id > cursor
            models.Index(fields=["dossier", "document_version"]),
        ]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")


class MinutesSignature(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    signed_at = models.DateTimeField()
    certificate_serial = models.CharField(max_length=80)
    sha256 = models.CharField(max_length=64)  # the minutes' bytes after this signature

    class Meta:
        ordering = ["session", "position"]
        unique_together = [("session", "signer"), ("session", "position")]
        verbose_name = _("signature of the minutes")
        verbose_name_plural = _("signatures of the minutes")
