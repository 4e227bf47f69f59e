"""Headings and titles typed in capitals, read as the words they are.

Policy: in a line typed all in capitals ("VỀ CA BỆNH SỐT XUẤT HUYẾT", "THÔNG BÁO … THÁNG
12/2025"), and in a run of two or more capital words inside a line where at least half are
Vietnamese syllables, every word that has the shape of a Vietnamese syllable is an ordinary
word and is lowercased *before* anything else reads the text. So "CA" in a health title is
"ca" (a case), not the abbreviation "Công an"; "BAN", "ĐI", "TO", "CÔ" stay words; and
"THÁNG 12/2025" reaches the date reader as "tháng 12/2025" (read once: "tháng mười hai năm …").
Tokens that are not syllables (UBND, HĐND, CHQS) are left for the abbreviation table, and a
Roman numeral after its cue ("MỤC IV", "KHÓA XX") stays a numeral. The price, accepted: a
syllable-shaped abbreviation inside a capitals title ("CA HUYỆN") is read as a word; titles
write bodies out in full.
"""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import LOWER, H, U, is_syllable
from truyenthanh.normalize.context import Context
from truyenthanh.normalize.util import preceded

_HAS_LOWER = re.compile(f"[{LOWER}]")
_CAPS_WORD = re.compile(rf"{U}(?<!\w{U}){U}+(?!\w)")
_CAPS_RUN = re.compile(rf"{U}(?<!\w{U}){U}*(?:{H}+(?:-{H}+)?{U}+)+(?!\w)")
_ROMAN_SHAPE = re.compile(r"[IVXLC]+")
_ROMAN_CUE = re.compile(
    r"(?i:khóa|khoá|quý|đại hội|thế kỷ|chương|phần|mục|lần thứ|kỳ họp thứ|phụ lục|đợt|giai đoạn|"
    r"báo động|cấp|quân khu|điều|khoản|số|thứ)" + rf"{H}+$"
)


def _word(word: str, m: re.Match[str] | None = None) -> str:
    if not is_syllable(word):
        return word
    if _ROMAN_SHAPE.fullmatch(word) and m is not None and preceded(_ROMAN_CUE, m, 24):
        return word
    return word.lower()


def _lower_words(segment: str, offset_text: str, offset: int) -> str:
    def sub(m: re.Match[str]) -> str:
        # Re-anchor the match in the whole text so that the Roman cue before it is visible.
        whole = _CAPS_WORD.match(offset_text, offset + m.start())
        return _word(m.group(0), whole)

    return _CAPS_WORD.sub(sub, segment)


def headings(text: str, ctx: Context | None = None) -> str:
    """ "VỀ CA BỆNH SỐT XUẤT HUYẾT" -> "về ca bệnh sốt xuất huyết"; "THÁNG 12/2025" in a title ->
    "tháng 12/2025"; "UBND", "MỤC IV" untouched (see the module policy)."""
    out: list[str] = []
    pos = 0
    for line in text.split("\n"):
        if _CAPS_WORD.search(line):
            if not _HAS_LOWER.search(line):
                line = _lower_words(line, text, pos)
            else:

                def run(m: re.Match[str], base: int = pos) -> str:
                    words = re.findall(rf"{U}+", m.group(0))
                    if sum(is_syllable(w) for w in words) * 2 < len(words):
                        return m.group(0)
                    return _lower_words(m.group(0), text, base + m.start())

                line = _CAPS_RUN.sub(run, line)
        out.append(line)
        pos += len(line) + 1
    return "\n".join(out)
