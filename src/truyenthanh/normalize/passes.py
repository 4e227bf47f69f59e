"""The ordered list of passes that turns written Vietnamese into its spoken form.

Each pass is a small `str -> str` function (an optional second argument carries the
lexicon, the dialect and document conventions); each has a table test in
tests/normalize. The order matters: structures that contain numbers (document codes,
phone numbers, dates, money) are read before plain numbers, abbreviations after the
codes that contain them, and capitals are spelled only when nothing else knew them.
"""

from __future__ import annotations

from collections.abc import Callable

from truyenthanh.normalize.cleanup import punctuation, symbols
from truyenthanh.normalize.codes import document_codes
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.dates import dates, ordinals, ranges, times
from truyenthanh.normalize.headings import headings
from truyenthanh.normalize.hygiene import (
    brackets,
    clean_symbols,
    file_types,
    fix_encoding,
    list_markers,
    split_glued,
    strip_markup,
    web_addresses,
)
from truyenthanh.normalize.identifiers import identifiers, roads
from truyenthanh.normalize.measures import cardinals, money, percent, units
from truyenthanh.normalize.phones import phone_numbers
from truyenthanh.normalize.words import (
    abbreviations,
    capitals,
    initials,
    letter_codes,
    place_prefixes,
    pronunciations,
    roman_numerals,
)

Pass = Callable[..., str]

PASSES: tuple[Pass, ...] = (
    fix_encoding,  # TCVN3/VNI -> Unicode, NFC, one kind of line break
    strip_markup,  # Markdown/HTML leftovers
    list_markers,  # "1." at line start -> "một, "; "a)", "-", "•" -> nothing (the item is its own sentence)
    clean_symbols,  # invisible characters, quotes, emoji, dashes, ellipses
    headings,  # "VỀ CA BỆNH …" -> "về ca bệnh …" before any abbreviation can claim "CA"
    brackets,  # "( … )" -> pauses; "(UBND)" after its full form -> dropped
    split_glued,  # "truy cập20" -> "truy cập 20"
    web_addresses,  # www.…, e-mail, "dangkytiem.vn" -> "đăng ký tiêm chấm vê en"
    file_types,  # ".pdf", ".docx" -> "chấm pê đê ép", "chấm đốc ích"
    identifiers,  # "BĐ 92345-TS", "77C-125.68", "mã bưu chính 591500": character by character
    phone_numbers,  # "0256 3 880 277", "đường dây nóng 1022", "gọi 113, 114 hoặc 115"
    pronunciations,  # Zalo, Facebook, COVID-19 (lexicon)
    initials,  # "BN Đ.T.L.", "Phạm V. Tâm": letter names, no sentence break
    place_prefixes,  # "H.Tây Sơn", "TT.Phú Phong", "P.2"
    roads,  # "ĐT.637", "Km 5+200"
    document_codes,  # "số 20/KH-UBND", "49/2024/NĐ-CP"
    ordinals,  # "thứ 2", "Thứ sáu - 17/02/2023"
    ranges,  # "2021 - 2025", "5kg-10kg" -> "đến"; "ngày 30-4" a date; "tỉ số 3-1" a score
    dates,  # "06/12/2021", "tháng 11/2023", "01/12"
    times,  # "17h30", "09:43"
    money,  # "50.000đ", "VNĐ"
    percent,  # "95,5%"
    units,  # "5 km", "30°C", "100 m2"
    roman_numerals,  # "Khóa XX", "Quý IV", "Thế kỷ XXI"
    letter_codes,  # "B2", "H5N1", "5G", "QL1A"
    cardinals,  # every other number
    abbreviations,  # UBND, HĐND, CCHC … (lexicon)
    capitals,  # "THỐNG KÊ" -> "thống kê"; unknown "ABC" -> spelled
    symbols,  # "&", "/", "-" and other leftovers
    punctuation,  # spacing and runs of marks
)


def run_passes(text: str, ctx: Context | None = None, passes: tuple[Pass, ...] = PASSES) -> str:
    ctx = ctx or default_context()
    for p in passes:
        text = p(text, ctx)
    return text
