"""Money, percentages, units of measure, and finally every other number."""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import H
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.numbers import NUMERAL, read_number, read_numeral
from truyenthanh.normalize.util import preceded

# NUMERAL, written to start with its first digit (see util) and not inside a longer token.
_NUM = (
    r"(?P<num>\d(?<![\w.,/]\d)(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d{0,2}(?:,\d{3})+(?:\.\d+)?"
    r"|\d*(?:\.\d+){2,}|\d*(?:[.,]\d+)?))"
)


def _negative(m: re.Match[str]) -> bool:
    """A minus sign glued before the number and standing alone on its left ("-5°C")."""
    s, i = m.string, m.start()
    return i > 0 and s[i - 1] == "-" and (i == 1 or not s[i - 2].isalnum())


def _read(m: re.Match[str], ctx: Context) -> str:
    words = read_numeral(m.group("num"), ctx.dialect, ctx.comma_groups, measure=True)
    # The sign itself stays in the text and is dropped later by the `symbols` pass.
    return f"âm {words}" if _negative(m) else words


# -- money -----------------------------------------------------------------------------------
_CURRENCIES = {
    "đồng": "đồng",
    "đ": "đồng",
    "Đ": "đồng",
    "₫": "đồng",
    "VNĐ": "đồng",
    "VND": "đồng",
    "vnđ": "đồng",
    "vnd": "đồng",
    "USD": "đô la Mỹ",
    "usd": "đô la Mỹ",
    "$": "đô la Mỹ",
    "EUR": "ơ rô",
    "€": "ơ rô",
}
_CUR = "|".join(sorted(map(re.escape, _CURRENCIES), key=len, reverse=True))
_PER = r"(?:/(?P<per>[^\W\d_]+\d?))?"
_MONEY = re.compile(rf"{_NUM}{H}*(?P<cur>{_CUR})(?![\w]){_PER}")
_MONEY_BEFORE = re.compile(rf"(?P<cur>\$|€){H}?(?P<num>{NUMERAL})(?![\w])")
_SCALE_MONEY = re.compile(rf"(nghìn|ngàn|triệu|tỷ|tỉ){H}*(?:đ|VNĐ|VND)(?![\w])")


def money(text: str, ctx: Context | None = None) -> str:
    """ "50.000đ" -> "năm mươi nghìn đồng"; VNĐ/VND/đ -> "đồng"; "$5" -> "năm đô la Mỹ";
    "50.000đ/người" -> "… đồng một người"."""
    ctx = ctx or default_context()

    def sub(m: re.Match[str]) -> str:
        return f"{_read(m, ctx)} {_CURRENCIES[m.group('cur')]}" + _per(m.group("per"))

    text = _MONEY.sub(sub, text)
    text = _MONEY_BEFORE.sub(
        lambda m: (
            f"{read_numeral(m.group('num'), ctx.dialect, ctx.comma_groups)} {_CURRENCIES[m.group('cur')]}"
        ),
        text,
    )
    return _SCALE_MONEY.sub(r"\1 đồng", text)


def _per(word: str | None, per_unit: str = "một") -> str:
    """ "…/người" -> " một người"; a unit after the slash is read ("đồng/kg" -> " một ki lô gam",
    "km/h" -> " trên giờ")."""
    if not word:
        return ""
    if word in UNITS:
        return f" {per_unit} {UNITS[word]}"
    return f" một {word}"


# -- percent ---------------------------------------------------------------------------------
_PERCENT = re.compile(rf"{_NUM}{H}*(?P<sign>%|‰){_PER}")


def percent(text: str, ctx: Context | None = None) -> str:
    """ "95,5%" -> "chín mươi lăm phẩy năm phần trăm"; ‰ -> "phần nghìn"."""
    ctx = ctx or default_context()

    def sub(m: re.Match[str]) -> str:
        out = f"{_read(m, ctx)} {'phần trăm' if m.group('sign') == '%' else 'phần nghìn'}"
        return out + _per(m.group("per"))

    return _PERCENT.sub(sub, text)


# -- units -----------------------------------------------------------------------------------
UNITS = {
    "km2": "ki lô mét vuông",
    "km²": "ki lô mét vuông",
    "m2": "mét vuông",
    "m²": "mét vuông",
    "cm2": "xăng ti mét vuông",
    "cm²": "xăng ti mét vuông",
    "m3": "mét khối",
    "m³": "mét khối",
    "km": "ki lô mét",
    "cm": "xăng ti mét",
    "mm": "mi li mét",
    "m": "mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "g": "gam",
    "mg": "mi li gam",
    "ml": "mi li lít",
    "l": "lít",
    "°C": "độ xê",
    "ºC": "độ xê",
    "oC": "độ xê",
    "độ C": "độ xê",
    "°": "độ",
    "kWh": "ki lô oát giờ",
    "kW": "ki lô oát",
    "MW": "mê ga oát",
    "W": "oát",
    "kV": "ki lô vôn",
    "V": "vôn",
    "GB": "ghi ga bai",
    "MB": "mê ga bai",
    "KB": "ki lô bai",
    "TB": "tê ra bai",
    "Mbps": "mê ga bít trên giây",
    "Hz": "héc",
    "MHz": "mê ga héc",
    "h": "giờ",
    "s": "giây",
    # Electricity and data are typed in any case on notices: "KV", "kva", "Gb", "mb".
    "kVA": "ki lô vôn am pe",
    "KVA": "ki lô vôn am pe",
    "kva": "ki lô vôn am pe",
    "MVA": "mê ga vôn am pe",
    "VA": "vôn am pe",
    "KV": "ki lô vôn",
    "kv": "ki lô vôn",
    "KW": "ki lô oát",
    "kw": "ki lô oát",
    "KWh": "ki lô oát giờ",
    "kwh": "ki lô oát giờ",
    "HZ": "héc",
    "hz": "héc",
    "gb": "ghi ga bai",
    "Gb": "ghi ga bai",
    "mb": "mê ga bai",
    "Mb": "mê ga bai",
    "kb": "ki lô bai",
}
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_UNIT_RE = re.compile(rf"{_NUM}{H}*(?P<unit>{_UNIT})(?![\w²³]){_PER}")
_TIMES = re.compile(rf"{_NUM}{H}*[x×]{H}*(?=\d)")


def units(text: str, ctx: Context | None = None) -> str:
    """ "5 km" -> "năm ki lô mét", "30°C" -> "ba mươi độ xê", "60km/h" -> "… ki lô mét trên giờ",
    "0,8 x 5 m" -> "không phẩy tám nhân năm mét"; "22/0,4kV" -> "hai mươi hai trên không phẩy bốn
    ki lô vôn"; a unit after a slash glued to a word is "per", read "trên" ("tạ/ha" -> "tạ trên
    héc ta", as "kg/ha" is); a unit after a scale word is read ("24,6 triệu kWh"); "kVA", "KV", "Gb"
    in any usual case."""
    ctx = ctx or default_context()

    def sub(m: re.Match[str]) -> str:
        unit = UNITS[m.group("unit")]
        if m.group("unit") == "g" and _is_hour(m):
            unit = "giờ"
        return f"{_read(m, ctx)} {unit}" + _per(m.group("per"), per_unit="trên")

    def ratio(m: re.Match[str]) -> str:
        a = read_numeral(m.group("a"), ctx.dialect, ctx.comma_groups, measure=True)
        b = read_numeral(m.group("b"), ctx.dialect, ctx.comma_groups, measure=True)
        return f"{a} trên {b} {UNITS[m.group('unit')]}"

    def per_unit(m: re.Match[str]) -> str:
        i = m.start()
        if i == 0 or not m.string[i - 1].isalpha():
            return m.group(0)
        return f" trên {UNITS[m.group('unit')]}"

    text = _TIMES.sub(lambda m: f"{_read(m, ctx)} nhân ", text)
    if "/" in text:
        text = _RATIO_UNIT.sub(ratio, text)
    text = _UNIT_RE.sub(sub, text)
    if "/" in text:
        text = _PER_UNIT.sub(per_unit, text)
    # A one-letter unit after a scale word is more likely a word or an initial ("triệu g…").
    return _SCALE_UNIT.sub(
        lambda m: (
            m.group(0) if len(m.group("unit")) < 2 else f"{m.group(1)} {UNITS[m.group('unit')]}"
        ),
        text,
    )


# "22/0,4kV": a transformer's two voltages, "hai mươi hai trên không phẩy bốn ki lô vôn".
_RATIO_UNIT = re.compile(
    rf"(?P<a>\d(?<![\w.,/]\d)\d*(?:,\d+)?)/(?P<b>\d+(?:,\d+)?){H}*(?P<unit>{_UNIT})(?![\w²³/])"
)
# "tạ/ha", "con/m2", "lít/ha": a unit after a slash, glued to a word, reads "trên".
_PER_UNIT = re.compile(r"/(?P<unit>km2|km²|m2|m²|m3|m³|ha|kg|km|ml|l|m)(?![\w²³])")
# "24,6 triệu kWh": the number was read with its scale word.
_SCALE_UNIT = re.compile(rf"(triệu|nghìn|ngàn|tỷ|tỉ){H}+(?P<unit>{_UNIT})(?![\w²³/])")


_HOUR_BEFORE = re.compile(r"\b(?:lúc|từ|đến|tới|khoảng|trước|sau)\s+$", re.IGNORECASE)
_HOUR_AFTER = re.compile(r"\s+(?:sáng|trưa|chiều|tối|đêm|ngày|hôm)\b")


def _is_hour(m: re.Match[str]) -> bool:
    """ "7g sáng", "lúc 7g": g is giờ, not gam."""
    num = m.group("num")
    return (
        num.isdigit()
        and int(num) <= 24
        and bool(preceded(_HOUR_BEFORE, m, 12) or _HOUR_AFTER.match(m.string, m.end()))
    )


# -- every other number ----------------------------------------------------------------------
_FRACTION = re.compile(r"(\d(?<![\w.,/]\d)\d{0,2})/(\d{1,3})(?![\w/]|[.,]\d)")
# House numbers and the like: "12A/34B", "45/12".
_NUMBER_SLASH = re.compile(r"(\d(?<![\w.,/]\d)\d*[A-Z]?)/(\d+[A-Z]?)(?![\w/])")
_NUMBER = re.compile(rf"(?P<num>{NUMERAL})")
# What the time reader left of "a:b": a scale "1:500" or a proportion "1:0,5:0,7".
_PROPORTION = re.compile(r"\d(?<![\w.,:]\d)\d*(?:,\d+)?(?::\d+(?:,\d+)?)+(?![\w:]|[.,]\d)")


# After these a/b is a part of a whole ("1/3 số hộ", "2/3 diện tích"): a fraction.
_WHOLE_WORDS = frozenset(
    "số tổng diện dân thời khối lượng giá chiều quãng phần mức công kinh quỹ ngân vốn sản dung".split()
)
_NEXT_WORD = re.compile(rf"{H}+([^\W\d_]+)")


def _is_fraction(m: re.Match[str]) -> bool:
    """Fraction or ratio? A count out of a total is followed by what is counted ("12/14 đơn",
    "14/16 thôn", "18/120 hộ"): a ratio, "mười hai trên mười bốn đơn". Followed by a word for a
    whole ("1/3 số hộ") or by nothing that is counted ("đạt 2/3.") it is a fraction, "một phần ba"."""
    nxt = _NEXT_WORD.match(m.string, m.end())
    return nxt is None or nxt.group(1).lower() in _WHOLE_WORDS


def cardinals(text: str, ctx: Context | None = None) -> str:
    """Every number left: "2023" -> "hai nghìn không trăm hai mươi ba", "1.250.000", "95,5",
    "05" -> "năm", fractions "2/3", "1/3 số hộ" -> "hai phần ba", "một phần ba số hộ"; a count out
    of a total "12/14 đơn" -> "mười hai trên mười bốn đơn" (the same way every time, see
    `_is_fraction`); another a/b (a house number "12A/34B") -> "a trên b"; a scale "1:500" -> "một
    trên năm trăm", a proportion "1:0,5:0,7" -> "một, không phẩy năm, không phẩy bảy"."""
    ctx = ctx or default_context()
    d = ctx.dialect

    def fraction(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        if 0 < a < b <= 100 and _is_fraction(m):
            return f"{read_number(a, d)} phần {'tư' if b == 4 else read_number(b, d)}"
        return f"{read_number(a, d)} trên {read_number(b, d)}"

    def proportion(m: re.Match[str]) -> str:
        parts = [read_numeral(x, d, ctx.comma_groups, measure=True) for x in m.group(0).split(":")]
        return f"{parts[0]} trên {parts[1]}" if len(parts) == 2 else ", ".join(parts)

    if ":" in text:
        text = _PROPORTION.sub(proportion, text)
    text = _FRACTION.sub(fraction, text)
    text = _NUMBER_SLASH.sub(r"\1 trên \2", text)
    return _NUMBER.sub(lambda m: f" {read_numeral(m.group('num'), d, ctx.comma_groups)} ", text)
