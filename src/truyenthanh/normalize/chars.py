"""Vietnamese character classes shared by the passes (regex fragments, NFC text)."""

from __future__ import annotations

import re

#: Every lowercase letter of Vietnamese (NFC), plus the Latin letters f j w z.
LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)
UPPER = LOWER.upper()
VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
#: Letters that only Vietnamese uses (not plain ASCII): their presence marks a word as Vietnamese.
VIETNAMESE_ONLY = "".join(sorted(set(LOWER) - set("abcdefghijklmnopqrstuvwxyz")))

U = f"[{UPPER}]"  #: one uppercase letter
L = f"[{LOWER}]"  #: one lowercase letter
H = r"[^\S\n]"  #: horizontal whitespace: passes must never join or split lines

#: A run of two or more capitals: what must never survive into the spoken script.
CAPS_RUN = re.compile(f"{U}{{2,}}")

_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[{VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?"
)


def is_syllable(word: str) -> bool:
    """True when `word` (any case) has the shape of one Vietnamese syllable."""
    return _SYLLABLE.fullmatch(word.lower()) is not None


def has_vietnamese_letter(word: str) -> bool:
    low = word.lower()
    return any(c in VIETNAMESE_ONLY for c in low)
