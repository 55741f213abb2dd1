"""Official documents are always bilingual: get a translatable text in both languages."""

from __future__ import annotations

from django.utils import translation


def both(text) -> tuple[str, str]:
    """(French, Arabic) renderings of a lazy translatable string."""
    with translation.override("fr"):
        fr = str(text)
    with translation.override("ar"):
        ar = str(text)
    return fr, ar
