"""Translation catalogues: compile them (no GNU gettext needed) and check they are complete.

    python scripts/i18n.py compile   # locale/*/LC_MESSAGES/django.po -> .mo (used by make migrate)
    python scripts/i18n.py check     # after makemessages: every msgid translated, none fuzzy
    python scripts/i18n.py fill F.json…  # fill untranslated entries from {msgid: {"ar": …, "fr": …}}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGS = ("ar", "fr")


def catalogues():
    for lang in LANGS:
        for domain in ("django", "djangojs"):
            path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield lang, path


def compile_all() -> int:
    for _lang, path in catalogues():
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    return 0


def fill(sources: list[str]) -> int:
    """Fill untranslated (or fuzzy) entries from translation files written beside the code:
    {msgid: {"ar": str, "fr": str}} or, for plurals, {msgid: {"plural": msgid_plural,
    "ar": [6 forms], "fr": [2 forms]}}. Existing translations are kept."""
    table: dict = {}
    for source in sources:
        table.update(json.loads(Path(source).read_text(encoding="utf-8")))
    for lang, path in catalogues():
        po = polib.pofile(str(path))
        filled = 0
        for entry in po:
            given = table.get(entry.msgid, {}).get(lang)
            if given is None or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            if entry.msgid_plural:
                forms = given if isinstance(given, list) else [given]
                entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(len(entry.msgstr_plural) or len(forms))}
            else:
                entry.msgstr = given if isinstance(given, str) else given[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        po.save()
        print(f"{path.relative_to(LOCALE.parent)}: {filled} filled, {len(po.untranslated_entries())} untranslated left")
    return 0


def check() -> int:
    problems = []
    seen = 0
    for lang in LANGS:
        if not (LOCALE / lang / "LC_MESSAGES" / "django.po").exists():
            problems.append(f"{lang}: locale/{lang}/LC_MESSAGES/django.po is missing")
    for _lang, path in catalogues():
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete:
                continue
            seen += 1
            where = f"{path.relative_to(LOCALE.parent)}: {entry.msgid[:70]!r}"
            if "fuzzy" in entry.flags:
                problems.append(f"fuzzy: {where}")
            elif entry.msgid_plural:
                if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                    problems.append(f"untranslated plural: {where}")
            elif not entry.msgstr:
                problems.append(f"untranslated: {where}")
    for p in problems[:200]:
        print(p)
    if problems:
        print(f"{len(problems)} translation problem(s) in {seen} entries")
        return 1
    print(f"translations complete: {seen} entries in {', '.join(LANGS)}")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "fill":
        sys.exit(fill(sys.argv[2:]))
    sys.exit({"compile": compile_all, "check": check}[sys.argv[1]]())
