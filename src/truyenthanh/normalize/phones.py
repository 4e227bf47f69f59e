"""Telephone numbers: read digit by digit, in the groups a listener can write down."""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import H
from truyenthanh.normalize.context import Context
from truyenthanh.normalize.numbers import read_digits
from truyenthanh.normalize.util import preceded

_CUE = re.compile(
    (
        r"\b(?:(?i:điện thoại|đường dây nóng|hotline|tổng đài|số máy|liên hệ|"
        rf"gọi(?:{H}+(?:đến|tới|vào|ngay|cấp cứu|cứu hỏa|cứu hộ|công an|khẩn cấp))*)"
        rf"(?:{H}+số)?|SĐT|(?:ĐT|Tel|TEL|tel|Fax|FAX|fax){H}*:)"
    )
    + rf"{H}*:?{H}*$"
)
# A digit string, possibly grouped by single spaces, dots or hyphens; "+84 …" too.
_CANDIDATE = re.compile(r"[+\d](?<![\w.,/+-][+\d])\d*(?:[ .-]\d+){0,5}(?![\w]|[.,]\d)")
_DASH_AFTER = re.compile(rf"{H}+-{H}")
_LIST_JOIN = re.compile(rf"{H}*(?:[,;]|{H}(?:hoặc|và|hay)){H}*")
_SHAPED = re.compile(
    r"(?:\+84[ .-]?|0)\d{2,3}(?:[ .-]?\d{1,4}){1,4}|1[89]00[ .-]?\d{2,4}(?:[ .-]?\d{2,4})?"
)


def _chunks(run: str) -> list[str]:
    """Split an ungrouped run of digits the way numbers are dictated."""
    n = len(run)
    if n <= 4:
        return [run]
    if n == 5 and run[0] == "0":  # area code and the first digit of the subscriber: 0256 3
        return [run[:4], run[4:]]
    if n <= 6:
        return [run[: n - 3], run[n - 3 :]]
    if n == 7:
        return [run[:3], run[3:]]
    if n == 8:
        return [run[:4], run[4:]]
    if n == 9:
        return [run[:3], run[3:6], run[6:]]
    return [run[:4], *_chunks(run[4:])]


def read_phone(number: str) -> str:
    """ "0913.123.456" -> "không chín một ba, một hai ba, bốn năm sáu"."""
    prefix = ""
    if number.startswith("+"):
        prefix = "cộng "
        number = number[1:]
    groups = [g for g in re.split(r"[ .-]", number) if g]
    if prefix and groups[0].startswith("84"):
        groups[0:1] = ["84", groups[0][2:]] if len(groups[0]) > 2 else ["84"]
    groups = [chunk for g in groups for chunk in _chunks(g)]
    return prefix + ", ".join(read_digits(g) for g in groups)


def _digit_count(s: str) -> int:
    return sum(c.isdigit() for c in s)


def phone_numbers(text: str, ctx: Context | None = None) -> str:
    """Phone numbers after a cue ("đường dây nóng 1022", "gọi cấp cứu 115") or shaped like one
    ("0256 3 880 277", "0913.123.456", "1900 1234") are read digit by digit with a pause between
    groups. Policy for hotlines: a service number is a number to dial, never a quantity — "115"
    is "một một năm", and every number of a list after the cue is read the same way: "gọi 113,
    114 hoặc 115" -> "một một ba, một một bốn hoặc một một năm"."""

    last_end = -1

    def sub(m: re.Match[str]) -> str:
        nonlocal last_end
        num = m.group(0)
        if num.startswith("+") and not num.startswith("+84"):
            return num
        digits = _digit_count(num)
        # "gọi 113, 114 hoặc 115": a number listed right after a number just read is one too.
        listed = (
            last_end >= 0
            and digits <= 5
            and _LIST_JOIN.fullmatch(m.string, last_end, m.start()) is not None
        )
        if listed or preceded(_CUE, m, 40):
            ok = 3 <= digits <= 12
        elif not _SHAPED.fullmatch(num):
            ok = False
        elif num.startswith("+84"):
            ok = 10 <= digits <= 12
        elif num.startswith("0"):
            ok = 10 <= digits <= 11
        else:
            ok = digits in (8, 10)
        if not ok:
            return num
        # "0256 3880277 - Email: …": the dash after a number is a pause, not a compound.
        pause = "," if _DASH_AFTER.match(m.string, m.end()) else ""
        # Only a short service number starts a list: "0913.123.456, 20 người" is not one.
        last_end = m.end() if digits <= 5 else -1
        return read_phone(num) + pause

    return _CANDIDATE.sub(sub, text)
