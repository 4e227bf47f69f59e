"""Reading numbers aloud: cardinals, digits, decimals, ordinals, Roman numerals.

Conventions (DESIGN.md, "Vietnamese text normalisation"):

* units after "mươi": 1 "mốt" (21), 4 "tư" or "bốn" by dialect (24), 5 "lăm" (25);
  5 after "mười" is "lăm" too (15); alone or after "linh" it stays "năm" (5, 105);
* 10–19 are "mười …"; "một mươi" is never said;
* a hundreds group with tens 0 reads "linh"/"lẻ" (105 "một trăm linh năm");
* a group after a higher one is read in full: 2023 "hai nghìn không trăm hai mươi ba",
  1 005 000 "một triệu không trăm linh năm nghìn"; a group that is all zeros is skipped
  (2 000 500 "hai triệu năm trăm");
* scales: nghìn/ngàn, triệu, tỷ; beyond 10^12 the scales stack: "một nghìn tỷ".
"""

from __future__ import annotations

import re

from truyenthanh.normalize.dialect import NORTH, Dialect

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _tens(r: int, d: Dialect) -> str:
    """0 < r < 100."""
    if r < 10:
        return DIGITS[r]
    t, u = divmod(r, 10)
    if t == 1:
        if u == 0:
            return "mười"
        return "mười lăm" if u == 5 else f"mười {DIGITS[u]}"
    head = f"{DIGITS[t]} mươi"
    if u == 0:
        return head
    if u == 1:
        return f"{head} mốt"
    if u == 4:
        return f"{head} {d.four}"
    if u == 5:
        return f"{head} lăm"
    return f"{head} {DIGITS[u]}"


def _group(g: int, d: Dialect, padded: bool) -> str:
    """0 < g < 1000; `padded` when a higher group precedes it."""
    h, r = divmod(g, 100)
    if h == 0 and not padded:
        return _tens(r, d)
    head = f"{DIGITS[h]} trăm"
    if r == 0:
        return head
    if r < 10:
        return f"{head} {d.zero_ten} {DIGITS[r]}"
    return f"{head} {_tens(r, d)}"


def _read(n: int, d: Dialect, padded: bool) -> str:
    """n > 0."""
    if n >= _BILLION:
        hi, lo = divmod(n, _BILLION)
        head = f"{_read(hi, d, padded)} tỷ"
        return f"{head} {_read(lo, d, True)}" if lo else head
    parts: list[str] = []
    for scale_value, scale in ((10**6, "triệu"), (1000, d.thousand), (1, "")):
        g = (n // scale_value) % 1000
        if g == 0:
            continue
        words = _group(g, d, padded)
        parts.append(f"{words} {scale}" if scale else words)
        padded = True
    return " ".join(parts)


def read_number(n: int, dialect: Dialect | None = None) -> str:
    """The cardinal `n` in words: read_number(2023) == "hai nghìn không trăm hai mươi ba"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"read_number expects an int, not {type(n).__name__}")
    d = dialect or NORTH
    if n < 0:
        return f"âm {read_number(-n, d)}"
    if n == 0:
        return DIGITS[0]
    return _read(n, d, False)


_DIGIT_WORDS = {str(i): w for i, w in enumerate(DIGITS)}


def read_digits(digits: str) -> str:
    """Digit by digit: "0256" -> "không hai năm sáu"."""
    return " ".join(_DIGIT_WORDS[c] for c in digits if c in _DIGIT_WORDS)


def read_integer_string(s: str, dialect: Dialect | None = None) -> str:
    """An integer as written. Zero padding of short counts is dropped ("05 xã" -> "năm xã");
    a longer zero-led string is a code and read digit by digit ("0256"); very long ones too."""
    if len(s) > 1 and s[0] == "0":
        return read_integer_string(s.lstrip("0") or "0", dialect) if len(s) <= 3 else read_digits(s)
    if len(s) > 15:
        return read_digits(s)
    return read_number(int(s), dialect)


def read_fraction_digits(frac: str, dialect: Dialect | None = None) -> str:
    """The part after the decimal mark: one or two digits as a number ("8,25" -> "hai mươi lăm"),
    anything zero-led or longer digit by digit ("1,05" -> "không năm")."""
    if frac.startswith("0") or len(frac) > 2:
        return read_digits(frac)
    return read_number(int(frac), dialect)


def read_decimal(whole: str, frac: str, dialect: Dialect | None = None, mark: str = "phẩy") -> str:
    return f"{read_integer_string(whole, dialect)} {mark} {read_fraction_digits(frac, dialect)}"


def read_ordinal(n: int, dialect: Dialect | None = None) -> str:
    """After "thứ": 1 "nhất", 4 "tư", else the cardinal (thứ hai, thứ mười bốn)."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return read_number(n, dialect)


def read_month(m: int, dialect: Dialect | None = None) -> str:
    """Month names are numbers, except that April is "tháng tư"."""
    return "tư" if m == 4 else read_number(m, dialect)


_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(s: str) -> int | None:
    """The value of a well-formed Roman numeral, else None."""
    if not s or not _ROMAN.fullmatch(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total or None


#: A number as written: "1.250.000", "4,131,067", "95,5", "4.0", "2023".
NUMERAL = (
    r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+){2,}|\d+(?:[.,]\d+)?"
)
_DOT_GROUPS = re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?")
_COMMA_GROUPS = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")


def read_numeral(
    token: str, dialect: Dialect | None = None, comma_groups: bool = False, measure: bool = False
) -> str:
    """A written number in words.

    "." groups thousands ("50.000"); "," is the decimal mark ("95,5" -> "chín mươi lăm phẩy năm").
    In a document that groups with "," (`comma_groups`), "4,096" is a thousands group and "." the
    decimal mark; "4,131,067" (two groups) is grouping whatever the document. A "." that cannot
    group ("4.0") is read "chấm", as in version numbers, except in a `measure` (before a unit,
    "%", a currency): "3.5 ha" is a decimal typed the English way, "ba phẩy năm".
    """
    m = _DOT_GROUPS.fullmatch(token)
    if m and (not comma_groups or token.count(".") >= 2):
        words = read_number(int(m.group(1).replace(".", "")), dialect)
        return f"{words} phẩy {read_fraction_digits(m.group(2), dialect)}" if m.group(2) else words
    m = _COMMA_GROUPS.fullmatch(token)
    if m and (comma_groups or token.count(",") >= 2):
        words = read_number(int(m.group(1).replace(",", "")), dialect)
        return f"{words} phẩy {read_fraction_digits(m.group(2), dialect)}" if m.group(2) else words
    if token.count(".") >= 2:  # a version or an address: "1.2.3"
        return " chấm ".join(read_integer_string(part, dialect) for part in token.split("."))
    if "," in token:
        whole, frac = token.split(",", 1)
        return read_decimal(whole, frac.replace(",", ""), dialect)
    if "." in token:
        whole, frac = token.split(".", 1)
        return read_decimal(
            whole, frac.replace(".", ""), dialect, "phẩy" if comma_groups or measure else "chấm"
        )
    return read_integer_string(token, dialect)
