"""Folding of French and Arabic place names so that searches forgive accents and spellings.

"Fès", "fes" and "FES" fold alike; so do "أكادير" and "اكادير" (hamza forms of alef),
"Aîn-Chock" and "ain chock", "Ben M'Sick" and "ben msick".
"""

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # + tatweel
_ARABIC_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه",
})
_APOSTROPHES = re.compile("['’`´ʼ]")
_SEPARATORS = re.compile(r"[\s\-_.,;:/()\"]+")


def fold(text: str) -> str:
    """Lower case, no Latin accents, no Arabic diacritics, one form per letter, single spaces."""
    text = _ARABIC_DIACRITICS.sub("", text or "").translate(_ARABIC_LETTERS)
    # NFKD splits "è" into "e" + accent; Arabic letters above are left as they are.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).casefold()
    return _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text)).strip()


def search_key(*names: str) -> str:
    return " | ".join(fold(name) for name in names if name)
