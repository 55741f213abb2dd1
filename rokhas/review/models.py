"""Consultation of the commission members and their opinions.

A Consultation is the dispatch of a file (in one round) to one organisation, with that
organisation's own sub-deadline. Opinions are appended (an 'ajourné' can be followed by a
final opinion); the latest one is the organisation's current opinion.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consultation(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="consultations")
    round = models.ForeignKey("dossiers.Round", on_delete=models.CASCADE, related_name="consultations")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="consultations")
    seat = models.ForeignKey("catalogue.CommissionSeat", on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField()
    due_date = models.DateField()

    class Meta:
        unique_together = [("round", "organisation")]
        indexes = [models.Index(fields=["organisation", "due_date"])]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    @property
    def current_opinion(self):
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
