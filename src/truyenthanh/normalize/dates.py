"""Dates, times, weekdays, ordinals and ranges.

Reading conventions (an announcer's, for official notices):

* a date is "ngày D tháng M năm Y": 06/12/2021 -> "ngày sáu tháng mười hai năm hai nghìn không
  trăm hai mươi mốt". Days 1–10 are read plainly ("ngày sáu"), not "mùng sáu": "mùng/mồng"
  belongs to the lunar calendar and to conversation, and the notices date by the solar calendar.
  "ngày" (or "mùng", as in "sáng mùng 2/9") already written before the date is not repeated;
* April is "tháng tư" (and "thứ tư"); the rest are plain numbers ("tháng mười một");
* "tháng 11/2023" and a bare "11/2023" are "tháng mười một năm …";
* times: 17h30 / 17g30 / 17:30 -> "mười bảy giờ ba mươi phút"; 7h00 -> "bảy giờ"; seconds read "giây";
* a weekday before a date is followed by a pause: "Thứ sáu - 17/02/2023 09:43" ->
  "Thứ sáu, ngày mười bảy tháng hai năm …, chín giờ bốn mươi ba phút";
* ranges of numbers, dates or times joined by a dash read "đến": "2021 - 2025",
  "01/12 – 15/12/2023", "7h00 - 11h30".
"""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import H
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.numbers import read_month, read_number, read_ordinal, roman_to_int
from truyenthanh.normalize.util import preceded


def first_digit(excluded: str) -> str:
    """A digit not preceded by any of `excluded` (a character-class body), written so that the
    pattern starts with the digit (see util: patterns must start with a character class)."""
    return rf"\d(?<![{excluded}]\d)"


# Token shapes, written after their first digit (which the caller matches).
_DATE_TAIL = r"\d?/\d{1,2}/\d{4}|\d?\.\d{1,2}\.\d{4}|\d?-\d{1,2}-\d{4}"
_TIME_TAIL = r"\d?(?::\d{2}(?::\d{2})?|[hHg]\d{2}|[hH](?![a-zA-Z]))"
_NUM_TAIL = r"\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:,\d+)?"
_TOKEN_TAIL = rf"(?:{_DATE_TAIL}|\d?/\d{{4}}|\d?/\d{{1,2}}|{_TIME_TAIL}|{_NUM_TAIL})"
_TIME = rf"\d{_TIME_TAIL}"
_FIRST_RANGE = first_digit(r"\w/.,:-")
_FIRST_DATE = first_digit(r"\w/.,-")
_FIRST_TIME = first_digit(r"\w.,:/")

# -- ordinals and weekdays -----------------------------------------------------------------
_ORDINAL = re.compile(rf"([Tt])(?<!\w[Tt])hứ{H}+(\d{{1,3}})(?![\d/.,:]\d|\w)")
_WEEKDAY_DATE = re.compile(
    rf"([TtCc])(?<!\w[TtCc])(hứ{H}+(?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|hủ{H}+[Nn]hật|N)(?!\w)"
    rf"{H}*[-,]?{H}*(?=(?:[Nn]gày{H}+)?\d{{1,2}}[/.-]\d{{1,2}})"
)


def ordinals(text: str, ctx: Context | None = None) -> str:
    """ "thứ 2" -> "thứ hai", "thứ 1" -> "thứ nhất", "thứ 4" -> "thứ tư" (weekdays and ordinals);
    a weekday before a date is followed by a comma: "Thứ sáu - 17/02" -> "Thứ sáu, 17/02"."""
    ctx = ctx or default_context()
    text = _ORDINAL.sub(
        lambda m: f"{m.group(1)}hứ {read_ordinal(int(m.group(2)), ctx.dialect)}", text
    )

    def weekday(m: re.Match[str]) -> str:
        if m.group(1) in "Cc" and m.group(2) == "N":
            return "Chủ nhật, " if m.group(1) == "C" else m.group(0)
        return f"{m.group(1)}{m.group(2)}, "

    return _WEEKDAY_DATE.sub(weekday, text)


# -- ranges ----------------------------------------------------------------------------------
_RANGE = re.compile(rf"({_FIRST_RANGE}{_TOKEN_TAIL}){H}*-{H}*(\d{_TOKEN_TAIL})(?!\d|/|[.,:-]\d)")


_DASH_DATE_CUE = re.compile(rf"\b(?i:ngày|đêm|sáng|trưa|chiều|tối|mùng|mồng|hôm|lễ){H}+$")
_FROM_CUE = re.compile(rf"\b(?i:từ|các|những)(?:{H}+(?i:ngày|đêm|mùng|mồng))?{H}+$")
_SCORE_CUE = re.compile(
    rf"\b(?i:tỉ số|tỷ số|thắng|thua|hòa|hoà)(?:{H}+(?i:chung cuộc|đậm|sát nút))?{H}+$"
)
_ZERO_DECIMAL = re.compile(r",0+$")
# "5kg-10kg", "20$-30$", "5%-10%": the dash after an amount with its unit.
_UNIT_WORDS = r"kg|km|cm|mm|m2|m3|m|ha|g|l|ml|tấn|tạ|kW|kV|kVA|V|W|đ|₫|\$|%|USD|VNĐ|VND"
_UNIT_RANGE = re.compile(
    rf"(\d(?<![\w.,]\d)[\d.,]*{H}?(?P<unit>{_UNIT_WORDS}))(?![\w]){H}?-{H}?(?=\d[\d.,]*{H}?(?P=unit)(?!\w))"
)

# "250kVA - 22/0,4kV": amounts of different units joined by a dash are a list, a pause.
_SPEC_DASH = re.compile(rf"(\d(?<![\w.,]\d)[\d.,]*{H}?(?:{_UNIT_WORDS}))(?!\w){H}+-{H}+(?=\d)")


def ranges(text: str, ctx: Context | None = None) -> str:
    """A dash between two numbers, dates, times or amounts reads "đến": "2021 - 2025" -> "2021 đến
    2025", "100-200mm" -> "100 đến 200mm", "5kg-10kg" -> "5kg đến 10kg" — never "âm", never dropped.
    Policy for the ambiguous dash:
    * after a day cue, "ngày 30-4", "đêm 31-12" is a date (day-month), read "ngày ba mươi tháng tư";
      after "từ" ("từ ngày 10-12") it stays a range;
    * after a score cue ("tỉ số 3-1", "thắng 2-0") it is a score, read with a pause: "ba, một";
    * amounts with different units joined by a spaced dash are a list: "250kVA - 22/0,4kV" ->
      "250kVA, 22/0,4kV";
    * a range of measures typed with a decimal zero ("4,0-6,0 m") is read in whole numbers:
      "bốn đến sáu mét" (the zero is typographic precision, not something said)."""

    def sub(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if a.isdigit() and b.isdigit() and len(a) <= 2 and len(b) <= 2:
            if preceded(_SCORE_CUE, m, 30):
                return f"{a}, {b}"
            if (
                1 <= int(a) <= 31
                and 1 <= int(b) <= 12
                and preceded(_DASH_DATE_CUE, m, 12)
                and not preceded(_FROM_CUE, m, 20)
            ):
                return f"{a}/{b}"
        if _ZERO_DECIMAL.search(a) and _ZERO_DECIMAL.search(b):
            a, b = _ZERO_DECIMAL.sub("", a), _ZERO_DECIMAL.sub("", b)
        return f"{a} đến {b}"

    if "-" not in text:
        return text
    text = _UNIT_RANGE.sub(r"\1 đến ", text)
    text = _SPEC_DASH.sub(r"\1, ", text)
    return _RANGE.sub(sub, text)


# -- dates -----------------------------------------------------------------------------------
_TIME_PARTS = re.compile(r"(\d{1,2})(?::(\d{2})(?::(\d{2}))?|[hHg](\d{2})|[hH])")
_FULL_DATE = re.compile(
    rf"(?P<d>{_FIRST_DATE}\d?)(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}})(?![\w/]|[.,-]\d)"
    rf"(?:(?P<lead>{H}+(?:lúc{H}+)?)(?P<time>{_TIME})(?![\w:]|[.,]\d))?"
)
_MONTH_YEAR = re.compile(rf"(?P<m>{_FIRST_DATE}\d?)/(?P<y>\d{{4}})(?![\w/]|[.,-]\d)")
_DAY_MONTH = re.compile(rf"(?P<d>{_FIRST_DATE}\d?)/(?P<m>\d{{1,2}})(?![\w/]|[.,-]\d)")
_MONTH_WORD = re.compile(rf"([Tt])(?<!\w[Tt])háng{H}+(\d{{1,2}})(?!\d|[/.,:-]\d)")
_QUARTER = re.compile(r"(?P<q>[IVX]{1,3}|\d)/(?P<y>\d{4})(?![\w/]|[.,-]\d)")
_QUY_BEFORE = re.compile(r"\b[Qq]uý\s+$")
_NGAY_BEFORE = re.compile(r"\b(?i:ngày|mùng|mồng)\s+$")
_THANG_BEFORE = re.compile(r"\b(?i:tháng)\s+$")
_DATE_CUE = re.compile(
    r"\b(?i:ngày|từ|đến|tới|trước|sau|hôm|vào|đêm|sáng|trưa|chiều|tối|hạn|mùng|mồng)\s+$"
)
_RANGE_AFTER = re.compile(rf"{H}+đến{H}+")


def read_time(h: int, m: int = 0, s: int = 0, ctx: Context | None = None) -> str | None:
    """ "mười bảy giờ ba mươi phút"; None when it is not a time of day."""
    if h > 24 or m > 59 or s > 59:
        return None
    d = (ctx or default_context()).dialect
    words = f"{read_number(h, d)} giờ"
    if m:
        words += f" {read_number(m, d)} phút"
    if s:
        words += f" {read_number(s, d)} giây"
    return words


def _time_words(token: str, ctx: Context) -> str | None:
    m = _TIME_PARTS.fullmatch(token)
    if not m:
        return None
    minutes = m.group(2) or m.group(4) or "0"
    return read_time(int(m.group(1)), int(minutes), int(m.group(3) or 0), ctx)


def _date_words(
    m: re.Match[str], day: int, month: int, year: int | None, ctx: Context
) -> str | None:
    """ "ngày D tháng M (năm Y)", without "ngày" when the text says it just before."""
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    d = ctx.dialect
    words = f"{read_number(day, d)} tháng {read_month(month, d)}"
    if year is not None:
        words += f" năm {read_number(year, d)}"
    return words if preceded(_NGAY_BEFORE, m, 12) else f"ngày {words}"


def dates(text: str, ctx: Context | None = None) -> str:
    """dd/mm/yyyy (also with "." or "-"), with an optional time after it; mm/yyyy; dd/mm;
    "tháng 4" -> "tháng tư"; a quarter "quý IV/2023" -> "quý bốn năm hai nghìn không trăm hai mươi ba"."""
    ctx = ctx or default_context()

    def month_word(m: re.Match[str]) -> str:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return m.group(0)
        return f"{m.group(1)}háng {read_month(month, ctx.dialect)}"

    def quarter(m: re.Match[str]) -> str:
        q = m.group("q")
        value = int(q) if q.isdigit() else roman_to_int(q)
        if not value or value > 4 or not preceded(_QUY_BEFORE, m, 8):
            return m.group(0)
        return (
            f"{read_number(value, ctx.dialect)} năm {read_number(int(m.group('y')), ctx.dialect)}"
        )

    def full(m: re.Match[str]) -> str:
        words = _date_words(m, int(m.group("d")), int(m.group("m")), int(m.group("y")), ctx)
        if words is None:
            return m.group(0)
        if m.group("time"):
            time = _time_words(m.group("time"), ctx)
            if time is None:
                return words + m.group("lead") + m.group("time")
            lead = m.group("lead").strip()
            words += f", {lead + ' ' if lead else ''}{time}"
        return words

    def month_year(m: re.Match[str]) -> str:
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return m.group(0)
        words = (
            f"{read_month(month, ctx.dialect)} năm {read_number(int(m.group('y')), ctx.dialect)}"
        )
        return words if preceded(_THANG_BEFORE, m, 12) else f"tháng {words}"

    def day_month(m: re.Match[str]) -> str:
        day, month = m.group("d"), m.group("m")
        cued = (
            int(day) > 12
            or day.startswith("0")
            or month.startswith("0")
            or _RANGE_AFTER.match(m.string, m.end())
            or preceded(_DATE_CUE, m, 12)
        )
        words = _date_words(m, int(day), int(month), None, ctx) if cued else None
        return m.group(0) if words is None else words

    text = _FULL_DATE.sub(full, text)
    text = _MONTH_WORD.sub(month_word, text)
    if "uý" in text:
        text = _QUARTER.sub(quarter, text)
    text = _MONTH_YEAR.sub(month_year, text)
    return _DAY_MONTH.sub(day_month, text)


# -- times -----------------------------------------------------------------------------------
_TIME_H = re.compile(
    rf"({_FIRST_TIME}\d?){H}?[hH](?:{H}?(\d{{2}}))?(?:{H}?(?:phút|p)(?!\w))?(?!\w)"
)
_TIME_G = re.compile(rf"({_FIRST_TIME}\d?)g(\d{{2}})(?:p(?!\w))?(?!\w)")
_TIME_COLON = re.compile(rf"({_FIRST_TIME}\d?):(\d{{2}})(?::(\d{{2}}))?(?![\w:]|[.,]\d)")


def times(text: str, ctx: Context | None = None) -> str:
    """17h30, 7h00, 7h, 17g30, 09:43, 9:43:10 -> "… giờ … phút (… giây)"."""
    ctx = ctx or default_context()

    def sub(m: re.Match[str]) -> str:
        groups = m.groups()
        seconds = groups[2] if len(groups) > 2 else None
        words = read_time(int(groups[0]), int(groups[1] or 0), int(seconds or 0), ctx)
        return m.group(0) if words is None else words

    text = _TIME_H.sub(sub, text)
    text = _TIME_G.sub(sub, text)
    return _TIME_COLON.sub(sub, text)
