"""Read-side helpers for regions, prefectures/provinces and communes."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language

from .models import Commune, Province, Region
from .text import fold


def _name_field(lang: str | None) -> str:
    return "name_ar" if (lang or get_language() or "fr").startswith("ar") else "name_fr"


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def provinces_for_region(region_code: str, lang: str | None = None) -> QuerySet[Province]:
    return Province.objects.filter(region__code=region_code).order_by(_name_field(lang))


def communes_for_province(province_code: str, lang: str | None = None) -> QuerySet[Commune]:
    return (Commune.objects.filter(province__code=province_code)
            .select_related("province__region").order_by(_name_field(lang)))


def communes_for_region(region_code: str, lang: str | None = None) -> QuerySet[Commune]:
    return (Commune.objects.filter(province__region__code=region_code)
            .select_related("province__region").order_by(_name_field(lang)))


def get_commune(code: str) -> Commune | None:
    return Commune.objects.select_related("province__region").filter(code=code).first()


def guichet_unique_communes() -> QuerySet[Commune]:
    """Communes whose population is above the threshold (they run their own guichet unique)."""
    threshold = getattr(settings, "ROKHAS_GUICHET_UNIQUE_POPULATION", 50_000)
    return Commune.objects.filter(population__gt=threshold).select_related("province__region")


def search_communes(query: str, lang: str | None = None, *, limit: int = 20) -> list[Commune]:
    """Communes whose French or Arabic name contains every word of `query`, forgiving case,
    accents, hyphens and Arabic spelling variants; an official code prefix also matches.

    Names that start with the query come first, then the rest, each in the order of the
    name in `lang` (the active language by default).
    """
    folded = fold(query)
    if not folded:
        return []
    words = folded.split(" ")
    match = Q()
    for word in words:
        match &= Q(search_text__contains=word)
    code_query = query.strip()
    if code_query[:1].isdigit():
        match |= Q(code__startswith=code_query)
    starts = Q(search_text__startswith=folded) | Q(search_text__contains=f"| {folded}")
    return list(
        Commune.objects.filter(match)
        .select_related("province__region")
        .annotate(rank=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("rank", _name_field(lang), "code")[:limit]
    )
