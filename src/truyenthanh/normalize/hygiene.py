"""Hygiene passes: make the text clean Unicode prose before anything is read.

None of these passes adds or removes a line break: `spoken_lines` relies on it.
"""

from __future__ import annotations

import re
import unicodedata

from truyenthanh.normalize.chars import LOWER, H
from truyenthanh.normalize.context import Context
from truyenthanh.normalize.legacy import convert_legacy, detect_legacy_encoding
from truyenthanh.normalize.numbers import read_integer_string, read_number, roman_to_int

_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def fix_encoding(text: str, ctx: Context | None = None) -> str:
    """Legacy TCVN3/VNI text to Unicode, any line-break convention to "\\n", NFC."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _LINE_BREAKS.search(text):
        text = "\n".join(text.splitlines())
    encoding = detect_legacy_encoding(text)
    if encoding:
        text = unicodedata.normalize("NFC", convert_legacy(text, encoding))
    return text


_MD_LINK = re.compile(r"(?:!\[|\[)([^\]\n]*)\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_HTML_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&quot;": "", "&lt;": "<", "&gt;": ">", "&#39;": ""}
_ENTITY = re.compile("|".join(map(re.escape, _HTML_ENTITIES)))
_MD_MARKS = re.compile(r"\*\*|__|~~")


def strip_markup(text: str, ctx: Context | None = None) -> str:
    """Markdown and HTML leftovers: links keep their text; tags, entities and emphasis marks go
    ("#" of headings and single "*" go with the other stray symbols)."""
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: _HTML_ENTITIES[m.group(0)], text)
    return _MD_MARKS.sub("", text)


LIST_MARKER = re.compile(
    rf"""^{H}*(?:
        [-–—+*•·▪▫►▶●○◦■□✓✔❖➢➤→⇒]+(?!\d){H}*          # bullets
      | \d{{1,2}}(?:\.\d{{1,2}})*[.)](?={H})         # 1.  1)  1.2.
      | \d{{1,2}}(?:\.\d{{1,2}})+(?={H})              # 1.2
      | \(\d{{1,2}}\)                                 # (1)
      | [a-zđ][.)](?={H})                             # a)  b.
      | \([a-zđ]\)                                    # (a)
      | [IVXLC]{{1,6}}[.)](?={H})                     # I.  IV)
    ){H}*""",
    re.MULTILINE | re.VERBOSE,
)


_MARKER_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}")


def _marker(m: re.Match[str]) -> str:
    found = _MARKER_NUMBER.search(m.group(0))
    if not found:  # a bullet or a letter: the item is its own sentence, nothing is said
        return ""
    token = found.group(0)
    if token[0].isdigit():
        words = " chấm ".join(read_integer_string(part) for part in token.split("."))
    else:
        value = roman_to_int(token)
        words = read_number(value) if value else ""
    return f"{words}, " if words else ""


def list_markers(text: str, ctx: Context | None = None) -> str:
    """List numbering at the start of a line is read as an announcer does, with a pause:
    "1. Lý do" -> "một, Lý do", "1.2 Chi tiết" -> "một chấm hai, Chi tiết", "II. NHIỆM VỤ" ->
    "hai, NHIỆM VỤ", "(3) Ba" -> "ba, Ba": the listener hears where each item starts and how many
    there are. Bullets and letter markers ("-", "•", "a)") are dropped: the item is its own
    sentence (a pause), a lone letter would be noise."""
    return LIST_MARKER.sub(_marker, text)


_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b-\u001f\u007f-\u009f"
_ODD_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_EM_DASHES = "—―"
_DASHES = "\u2010-\u2013\u2212\ufe58\ufe63\uff0d"
_QUOTES = '"“”„‟«»‹›‘’‚‛`´'
_BULLETS = "•·▪▫►▶●○◦■□✓✔❖➢➤⇒→|"
_DROP = "*#©®™§¶†‡^\\\\\U0001f000-\U0001faff\U0001f1e6-\U0001f1ff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u20e3"
# One scan for all of them (each class of character has its replacement below).
_SYMBOLS = re.compile(
    f"[{_INVISIBLE}{_ODD_SPACES}{_EM_DASHES}{_DASHES}{_QUOTES}{_BULLETS}{_DROP}…]|\\.\\.+|'(?:(?<!\\w')|(?!\\w))"
)
_CLASSES = [
    (re.compile(f"[{_INVISIBLE}{_QUOTES}']"), ""),
    (re.compile(f"[{_ODD_SPACES}]"), " "),
    (re.compile(f"[{_EM_DASHES}]"), ", "),
    (re.compile(f"[{_DASHES}]"), "-"),
    (re.compile(f"[{_BULLETS}]"), ", "),
    (re.compile(f"[{_DROP}]"), " "),
]


def _symbol(m: re.Match[str]) -> str:
    found = m.group(0)
    if found == "…" or found[0] == ".":
        return "."
    for pattern, replacement in _CLASSES:
        if pattern.match(found):
            return replacement
    return found


def clean_symbols(text: str, ctx: Context | None = None) -> str:
    """Invisible characters, odd spaces, quotes, emoji and decorations go; dashes and ellipses are
    made plain; a bullet inside a line becomes a comma."""
    return _SYMBOLS.sub(_symbol, text)


_ABBR = r"[A-ZĐ][A-ZĐ&-]*[A-ZĐ]"
_ABBR_DEFINITION = re.compile(rf"\({_ABBR}(?:,{H}*{_ABBR})*\)")
_AREA_CODE = re.compile(r"\((0\d{2,3})\)(?=[ .-]?\d)")
_OPEN = re.compile(r"[(\[{]")
_CLOSE = re.compile(r"[)\]}]")


def brackets(text: str, ctx: Context | None = None) -> str:
    """Brackets become pauses: "Tỉnh ủy (Khóa XX) về" -> "Tỉnh ủy, Khóa XX, về". An abbreviation
    defined in brackets right after its full form ("Ủy ban nhân dân (UBND)") is dropped, and so are
    the brackets of a telephone area code ("(0256) 3880277"); so is a defined list ("Học sinh, sinh
    viên (HS, SV)")."""
    text = _ABBR_DEFINITION.sub("", text)
    text = _AREA_CODE.sub(r"\1", text)
    text = _OPEN.sub(", ", text)
    return _CLOSE.sub(", ", text)


_GLUED = re.compile(rf"\d(?<=[{LOWER}][{LOWER}]\d)")
_WORD_END = re.compile(r"\w+$")
_UNIT_WORDS = ("km", "cm", "mm", "dm", "ha", "kg", "mg", "ml", "kw", "kwh", "mw", "gb", "mb", "kb")


def split_glued(text: str, ctx: Context | None = None) -> str:
    """A word glued to a number ("truy cập20", "Hôm nay4,096") gets its space back; units
    ("km2", "m2") stay glued."""

    def fix(m: re.Match[str]) -> str:
        word = _WORD_END.search(m.string, max(0, m.start() - 20), m.start())
        if word and word.group(0).lower().endswith(_UNIT_WORDS):
            return m.group(0)
        return " " + m.group(0)

    return _GLUED.sub(fix, text)


# Web and e-mail addresses live in their own module; re-exported for the pass list.
from truyenthanh.normalize.addresses import file_types, web_addresses  # noqa: E402,F401
