"""Consultation of the commission members and their opinions.

A Consultation is the dispatch of a file (in one round) to one organisation, with that
organisation's own sub-deadline. Opinions are appended (an 'ajourné' can be followed by a
final opinion); the latest one is the organisation's current opinion.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.catalogue.cache import CatalogueQuerySet


class Consultation(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="consultations")
    round = models.ForeignKey("dossiers.Round", on_delete=models.CASCADE, related_name="consultations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="consultations")
    seat = models.ForeignKey("catalogue.CommissionSeat", on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField()
    due_date = models.DateField()
    # True while the file is under review; the decision closes it (decisions.services._finish).
    # The status lives on the file, so without this flag no index can find an organisation's
    # open consultations among years of closed ones (bench/README.md, reviewer worklist).
    open = models.BooleanField(default=True, db_default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        unique_together = [("round", "organisation")]
        indexes = [
            models.Index(fields=["organisation", "due_date"]),
            models.Index(fields=["organisation", "due_date", "dossier"], condition=models.Q(open=True),
                         name="review_consult_open_due"),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    @property
    def current_opinion(self):
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("opinions")
        if prefetched is not None:  # pages prefetch the opinions: no query per consultation
            return max(prefetched, key=lambda o: (o.given_at, o.id), default=None)
        return self.opinions.order_by("-given_at", "-id").first()


class Opinion(models.Model):
    class Verdict(models.TextChoices):
        FAVORABLE = "favorable", _("favourable")
        FAVORABLE_RESERVES = "favorable_reserves", _("favourable with reservations")
        DEFAVORABLE = "defavorable", _("unfavourable")
        AJOURNE = "ajourne", _("postponed")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    text = models.TextField(blank=True, help_text="Reservations or reasons")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")


class DeadlineNotice(models.Model):
    """A reminder or an escalation sent about a deadline, once per (subject, kind).

    Kinds: an opinion due soon (to the body consulted), an opinion overdue (to that body and
    the single window), an opinion still missing long after (escalated to the governor's
    services), a decision due soon (to the president and delegates). Computed from the
    clock's facts by rokhas/review/deadlines.py; this row only says it was sent."""

    class Kind(models.TextChoices):
        OPINION_DUE_SOON = "opinion_due_soon", _("opinion due soon")
        OPINION_OVERDUE = "opinion_overdue", _("opinion overdue")
        OPINION_ESCALATED = "opinion_escalated", _("opinion overdue, escalated to the governor's services")
        DECISION_DUE_SOON = "decision_due_soon", _("decision due soon")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="deadline_notices")
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deadline_notices")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)  # user ids

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "kind"], condition=models.Q(consultation__isnull=False),
                                    name="review_notice_once_per_consultation"),
            models.UniqueConstraint(fields=["dossier", "kind", "due_date"], condition=models.Q(consultation__isnull=True),
                                    name="review_notice_once_per_file_deadline"),
        ]
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
