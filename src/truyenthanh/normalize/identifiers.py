"""Identifiers: numbers that name something and are read to be written down, not counted.

Policy — an identifier is read character by character, leading zeros and letter suffixes
included, with a pause (",") where the written form has a dash:
* boat numbers "BĐ 92345-TS" -> "bê đê, chín hai ba bốn năm, tê ét";
* licence plates "77C-125.68" -> "bảy bảy xê, một hai năm, sáu tám";
* after a cue that announces a code ("mã bưu chính 591500", "số tài khoản", "mã số thuế",
  "mã định danh", "mã hồ sơ", "biển số", "số hiệu") the code that follows: "năm chín một,
  năm không không";
* a code of letters and digits with two or more separators ("G22.105-251201-0015"): groups at
  the dashes, "." read "chấm".
Road numbers are names read as numbers, as announcers say "Quốc lộ mười chín": "ĐT.637" ->
"đường tỉnh sáu trăm ba mươi bảy"; a chainage "Km 5+200" -> "ki lô mét năm cộng hai trăm".
"""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import H
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.numbers import read_digits, read_integer_string
from truyenthanh.normalize.phones import _chunks
from truyenthanh.normalize.util import preceded, word_before

_BOAT = re.compile(
    rf"(?P<pre>[A-ZĐ]{{2,3}}){H}?-?{H}?(?P<num>\d{{3,6}})-(?P<suf>[A-ZĐ]{{2,3}})(?![\w-])"
)
_PLATE = re.compile(
    r"(?P<num>\d(?<![\w.,/-]\d)\d[A-ZĐ]{1,2}\d?)-(?P<serial>\d{3}\.\d{2}|\d{4,5})(?![\w.]|,\d)"
)
# The cue first (a fast literal start), then the code: "mã bưu chính 591500", "biển số 77C-…".
_CUED = re.compile(
    rf"(?P<cue>[Mm]ã(?:{H}+(?:bưu chính|bưu điện|số thuế|số|định danh|hồ sơ))?"
    rf"|[Ss]ố{H}+(?:tài khoản|định danh|hiệu|căn cước|CCCD|CMND)|[Bb]iển{H}+(?:số|kiểm soát))"
    rf"(?P<sep>{H}*(?::|là)?{H}*)"
    r"(?P<code>[A-ZĐ0-9][A-ZĐ0-9.-]*\d[A-ZĐ0-9]*(?:[.-][A-ZĐ0-9]+)*)(?![\w-]|[.,]\d)"
)
_SHAPED = re.compile(
    r"[A-ZĐ](?<![\w.,/-][A-ZĐ])[A-ZĐ]{0,2}\d+(?:[.-][A-ZĐ0-9]+){2,}(?![\w-]|[.,]\d)"
)
_RUNS = re.compile(r"[A-ZĐ]+|\d+|\.")


def _group(group: str) -> str:
    from truyenthanh.normalize.words import spell  # words imports measures: avoid a cycle

    words = []
    for run in _RUNS.findall(group):
        if run == ".":
            words.append("chấm")
        elif run.isdigit():
            words.append(", ".join(read_digits(c) for c in _chunks(run)))
        else:
            words.append(spell(run))
    return " ".join(words)


def read_code(code: str) -> str:
    """Character by character, a pause at each dash: "G22.105-251201" -> "giê hai hai chấm một
    không năm, hai năm một, hai không một"."""
    return ", ".join(_group(g) for g in code.split("-") if g)


def identifiers(text: str, ctx: Context | None = None) -> str:
    """Boat numbers, licence plates, cued codes ("mã bưu chính 591500") and shaped codes
    ("G22.105-251201-0015") are read character by character (see the module policy)."""

    def boat(m: re.Match[str]) -> str:
        if word_before(m):
            return m.group(0)
        return f"{_group(m.group('pre'))}, {_group(m.group('num'))}, {_group(m.group('suf'))}"

    def plate(m: re.Match[str]) -> str:
        serial = m.group("serial").split(".")
        return ", ".join([_group(m.group("num")), *(_group(s) for s in serial)])

    def cued(m: re.Match[str]) -> str:
        if word_before(m):
            return m.group(0)
        return m.group("cue") + m.group("sep") + read_code(m.group("code"))

    if "-" in text:
        text = _BOAT.sub(boat, text)
        text = _PLATE.sub(plate, text)
    text = _CUED.sub(cued, text)
    return _SHAPED.sub(lambda m: read_code(m.group(0)), text)


_ROAD = re.compile(
    rf"(?P<kind>ĐT|QL|TL|ĐH|DT)(?<![\w][A-ZĐ]{{2}})(?:\.|{H})(?P<num>\d{{1,4}})(?P<suf>[A-Z]?)(?![\w/]|[.,]\d)"
)
_ROAD_WORDS = {
    "ĐT": "đường tỉnh",
    "DT": "đường tỉnh",
    "QL": "quốc lộ",
    "TL": "tỉnh lộ",
    "ĐH": "đường huyện",
}
_DUONG_BEFORE = re.compile(rf"\b(?i:đường){H}+$")
_CHAINAGE = re.compile(rf"([Kk])(?<!\w[Kk])m{H}?(\d{{1,4}})(?:{H}?\+{H}?(\d{{1,3}}))?(?!\w)")


def roads(text: str, ctx: Context | None = None) -> str:
    """ "ĐT.637" -> "đường tỉnh sáu trăm ba mươi bảy", "QL 19" -> "quốc lộ mười chín", "Km 5+200"
    -> "ki lô mét năm cộng hai trăm" (a chainage, where "Km" comes before the number)."""
    ctx = ctx or default_context()
    d = ctx.dialect

    def road(m: re.Match[str]) -> str:
        kind = _ROAD_WORDS[m.group("kind")]
        if kind.startswith("đường ") and preceded(
            _DUONG_BEFORE, m, 8
        ):  # "đường ĐT.637": say "đường" once
            kind = kind[len("đường ") :]
        words = f"{kind} {read_integer_string(m.group('num'), d)}"
        return f"{words} {_group(m.group('suf'))}" if m.group("suf") else words

    def chainage(m: re.Match[str]) -> str:
        words = f"ki lô mét {read_integer_string(m.group(2), d)}"
        return f"{words} cộng {read_integer_string(m.group(3), d)}" if m.group(3) else words

    text = _ROAD.sub(road, text)
    return _CHAINAGE.sub(chainage, text)
