"""Corrections to the computed holiday calendar.

The Hijri holidays (Eid al-Fitr, Eid al-Adha, Islamic New Year, Mawlid) depend on the
sighting of the moon: the `holidays` package only estimates them and the Ministry announces
the actual dates a few days before. An override adds a holiday the estimate missed (or an
exceptional day off) or removes an estimated day that turned out to be a working day.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverrideQuerySet(models.QuerySet):
    """Bulk writes (the admin's "delete selected" among them) also refresh the calendar."""

    def delete(self):
        result = super().delete()
        _calendar_changed()
        return result

    def update(self, **kwargs):
        result = super().update(**kwargs)
        _calendar_changed()
        return result

    def bulk_create(self, *args, **kwargs):
        result = super().bulk_create(*args, **kwargs)
        _calendar_changed()
        return result

    def bulk_update(self, *args, **kwargs):
        result = super().bulk_update(*args, **kwargs)
        _calendar_changed()
        return result


class HolidayOverride(models.Model):
    class Kind(models.TextChoices):
        ADD = "add", _("extra holiday")
        REMOVE = "remove", _("not a holiday after all")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ADD)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("e.g. the Ministry's announcement"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HolidayOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name_fr or self.name_ar}".strip()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _calendar_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _calendar_changed()
        return result

    def clean(self):
        if self.kind == self.Kind.ADD and not (self.name_fr or self.name_ar):
            raise ValidationError({"name_fr": _("Name the holiday being added.")})


def _calendar_changed() -> None:
    from .calendar import clear_holiday_cache

    clear_holiday_cache()
