"""The catalogue of economic activities and the regime each one falls under.

An activity says which regime applies (simple declaration, authorisation, classified
establishment of 2nd or 3rd category) and which procedure of the catalogue carries it. The
list is data (rokhas/activities/data/activities.json), searchable in Arabic and French.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.core.bilingual import localized


class Regime(models.TextChoices):
    DECLARATION = "declaration", _("simple declaration")
    AUTHORISATION = "authorisation", _("authorisation")
    CLASSIFIED = "classified", _("classified establishment")


class Activity(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name_fr = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200)
    regime = models.CharField(max_length=20, choices=Regime.choices)
    # Classified establishments only: 2nd or 3rd category (dahir of 25 August 1914).
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.PROTECT, related_name="activities")
    # Folded names and synonyms in both languages (rokhas.territory.text.fold), for searching.
    search_key = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("economic activity")
        verbose_name_plural = _("economic activities")

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name
