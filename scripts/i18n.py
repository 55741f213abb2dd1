"""Translation catalogues: compile them (no GNU gettext needed) and check they are complete.

    python scripts/i18n.py compile   # locale/*/LC_MESSAGES/django.po -> .mo (used by make migrate)
    python scripts/i18n.py check     # after makemessages: every msgid translated, none fuzzy
"""

from __future__ import annotations

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
    sys.exit({"compile": compile_all, "check": check}[sys.argv[1]]())
