"""The last passes: symbols left over become words or pauses, punctuation is tidied."""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import UPPER
from truyenthanh.normalize.context import Context

_SYMBOL_WORDS = {
    "&": " và ",
    "+": " cộng ",
    "=": " bằng ",
    "%": " phần trăm ",
    "‰": " phần nghìn ",
    "@": " a còng ",
    "°": " độ ",
    "~": " khoảng ",
    "≈": " khoảng ",
    "≥": " lớn hơn hoặc bằng ",
    "≤": " nhỏ hơn hoặc bằng ",
    ">": " lớn hơn ",
    "<": " nhỏ hơn ",
    "×": " nhân ",
    "-": " ",
    "½": " một phần hai ",
    "¼": " một phần tư ",
    "¾": " ba phần tư ",
}
_AND_OR = re.compile(r"và/hoặc")
# "đồng/người/tháng": after a measure, or before a unit of count or time, "/" means "per" ("một").
_MEASURES = frozenset(
    "đồng triệu tỷ nghìn ngàn trăm kg tấn tạ yến lít mét gam giờ phút ngày tháng năm trăm".split()
)
_PER_WORDS = frozenset(
    "ngày tháng năm tuần quý giờ phút giây lần người hộ khẩu suất lượt con cái chiếc học sinh ha kg tấn lít "
    "mét km sào thửa ca buổi lớp bình liều gói hộp bao suất phòng".split()
)
_NUMBER_WORDS = frozenset("một hai ba bốn năm sáu bảy tám chín mười không".split())
# " - " between two capitalised words joins names in a list ("Quảng Ngãi - Gia Lai"): a pause.
_NAME_DASH = re.compile(f" - (?=[{UPPER}])")
_SLASH = re.compile("/")
# Anything not a letter, a space, a line break or pausing punctuation; and numeric characters that
# are "word" characters without being digits (², ½, ①).
_OTHER = re.compile(
    r"[^\w\s.,;:!?]|[_\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793]"
)


def _slash(m: re.Match[str]) -> str:
    """ "/" between two words reads "hoặc" ("xã/phường"), or "một" where it means "per"
    ("đồng/người/tháng" -> "đồng một người một tháng"); with spaces around it separates
    ("PHÒNG A / PHÒNG B") and is a pause; elsewhere it is dropped."""
    s, i, j = m.string, m.start() - 1, m.end()
    if i >= 0 and s[i] == " " and j < len(s) and s[j] == " ":
        return ", "
    while i >= 0 and s[i] == " ":
        i -= 1
    while j < len(s) and s[j] == " ":
        j += 1
    between = i >= 0 and s[i].isalnum() and j < len(s) and s[j].isalnum()
    if not between:
        return " "
    left = s[max(0, i - 20) : i + 1].split()[-1].lower()
    right = s[j : j + 20].split()[0].lower().rstrip(".,;:!?")
    if right in _NUMBER_WORDS:  # "112 bé trai/100 bé gái": a ratio, never "hoặc"
        return " trên "
    return " một " if left in _MEASURES or right in _PER_WORDS else " hoặc "


def _name_dash(m: re.Match[str]) -> str:
    s, i = m.string, m.start() - 1
    if i < 0 or not s[i].isalpha():
        return m.group(0)
    while i > 0 and s[i - 1].isalpha():
        i -= 1
    return ", " if s[i].isupper() else m.group(0)


def symbols(text: str, ctx: Context | None = None) -> str:
    """What is left after the readers: "&" -> "và", "/" between words -> "hoặc" ("xã/phường"),
    "trên" before a number ("bé trai/100 bé gái"); a dash inside a compound ("kinh tế - xã hội")
    -> a space, between two capitalised names ("Quảng Ngãi - Gia Lai") -> a pause; any other
    symbol is dropped."""
    if "/" in text:
        text = _AND_OR.sub("và hoặc", text)
        text = _SLASH.sub(_slash, text)
    if " - " in text:
        text = _NAME_DASH.sub(_name_dash, text)
    return _OTHER.sub(lambda m: _SYMBOL_WORDS.get(m.group(0), " "), text)


_SPACES = re.compile(r"  +")
_SPACE_BEFORE = re.compile(r" +(?=[.,;:!?])")
_RUN = re.compile(r"[.,;:!?](?:\s*[.,;:!?])+")
_STRENGTH = {".": 5, "!": 5, "?": 5, ";": 3, ":": 2, ",": 1}
_SPACE_AFTER = re.compile(r"([.,;:!?])(?=[^\W\d_])")
_LEADING = re.compile(r"^ *[.,;:!?]+ *", re.MULTILINE)


def _strongest(m: re.Match[str]) -> str:
    marks = [c for c in m.group(0) if c in _STRENGTH]
    best = max(marks, key=lambda c: _STRENGTH[c])
    # Keep the line breaks the run spanned.
    return best + "\n" * m.group(0).count("\n")


def punctuation(text: str, ctx: Context | None = None) -> str:
    """One space between words, none before a mark, one after; ",." and "( ... )," runs collapse
    to their strongest mark; no line starts with a mark."""
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub("", text)
    text = _RUN.sub(_strongest, text)
    text = _SPACE_AFTER.sub(r"\1 ", text)
    text = _LEADING.sub("", text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))
