"""Arabic and French side by side: which one the reader uses, and both for official documents."""

from __future__ import annotations

from django.utils import translation


def is_arabic(lang: str | None = None) -> bool:
    """True when `lang` (default: the active language) is Arabic."""
    return (lang or translation.get_language() or "fr").startswith("ar")


def localized(obj, field: str, lang: str | None = None) -> str:
    """`obj.<field>_ar` for an Arabic reader, else `obj.<field>_fr` (also the fallback)."""
    value = getattr(obj, f"{field}_ar") if is_arabic(lang) else ""
    return value or getattr(obj, f"{field}_fr")


def both(text) -> tuple[str, str]:
    """(French, Arabic) renderings of a lazy translatable string."""
    with translation.override("fr"):
        fr = str(text)
    with translation.override("ar"):
        ar = str(text)
    return fr, ar
