"""Words an engine would misread: loanwords, Roman numerals, abbreviations, capitals."""

from __future__ import annotations

import re

from truyenthanh.normalize.chars import LOWER, H, U, has_vietnamese_letter, is_syllable
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.measures import cardinals
from truyenthanh.normalize.numbers import (
    read_integer_string,
    read_number,
    read_ordinal,
    roman_to_int,
)
from truyenthanh.normalize.util import preceded, word_before


def _left_ok(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_&")


def pronunciations(text: str, ctx: Context | None = None) -> str:
    """Names and loanwords from the lexicon, ignoring case: "Zalo" -> "Da lô", "Facebook" -> "Phây búc"."""
    ctx = ctx or default_context()
    pattern = ctx.lexicon.pronunciation_pattern
    if pattern is None:
        return text
    lookup = ctx.lexicon.pronunciation_lookup

    def sub(m: re.Match[str]) -> str:
        return m.group(0) if word_before(m) else lookup.get(m.group(0).casefold(), m.group(0))

    return pattern.sub(sub, text)


_HAS_DIGIT = re.compile(r"\d")


def abbreviations(text: str, ctx: Context | None = None) -> str:
    """Administrative abbreviations from the lexicon, case-sensitive: "UBND" -> "Ủy ban nhân dân";
    two bodies joined by a dash act together: "HĐND - UBND" -> "Hội đồng nhân dân và Ủy ban nhân dân"."""
    ctx = ctx or default_context()
    pattern = ctx.lexicon.abbreviation_pattern
    if pattern is None:
        return text
    table = ctx.lexicon.abbreviations

    def sub(m: re.Match[str]) -> str:
        if word_before(m):
            return m.group(0)
        reading = table.get(m.group(0), m.group(0))
        # Numbers were read before this pass: a district's reading with digits is read here.
        return cardinals(reading, ctx) if _HAS_DIGIT.search(reading) else reading

    def joined(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if word_before(m) or left not in table or right not in table:
            return m.group(0)
        return f"{left} và "

    if " - " in text:
        text = _BODIES.sub(joined, text)
    return pattern.sub(sub, text)


# "HĐND - UBND", "Đảng ủy - HĐND - UBND": bodies joined by a dash act together, "và".
_BODIES = re.compile(r"([A-ZĐ][A-ZĐ&]+) - (?=([A-ZĐ][A-ZĐ&]+)(?![\w&]))")


# -- place prefixes --------------------------------------------------------------------------
PLACE_PREFIXES = {
    "H": "huyện",
    "T": "tỉnh",
    "X": "xã",
    "P": "phường",
    "Q": "quận",
    "TT": "thị trấn",
    "TX": "thị xã",
    "TP": "thành phố",
    "Tp": "thành phố",
    "KP": "khu phố",
    "KV": "khu vực",
    "Đ": "đường",
}
_PLACE = re.compile(rf"(?P<p>[HTXPQĐK][TXPVp]?)(?P<dot>\.)?(?={U}|\d)")


def place_prefixes(text: str, ctx: Context | None = None) -> str:
    """Administrative-unit prefixes glued to a name or number: "H.Tây Sơn" -> "huyện Tây Sơn",
    "TT.Phú Phong" -> "thị trấn Phú Phong", "P.2" -> "phường 2", "KP3" -> "khu phố 3"."""

    def sub(m: re.Match[str]) -> str:
        prefix = m.group("p")
        if word_before(m) or prefix not in PLACE_PREFIXES:
            return m.group(0)
        if not m.group("dot") and (prefix not in ("KP", "KV") or not m.string[m.end()].isdigit()):
            return m.group(0)
        return PLACE_PREFIXES[prefix] + " "

    return _PLACE.sub(sub, text)


# -- Roman numerals --------------------------------------------------------------------------
_ROMAN_CUES = (
    "khóa",
    "khoá",
    "quý",
    "đại hội",
    "thế kỷ",
    "thế kỉ",
    "chương",
    "phần",
    "mục",
    "lần thứ",
    "thứ",
    "hội nghị trung ương",
    "hội nghị lần thứ",
    "kỳ họp thứ",
    "kỳ",
    "kì",
    "tập",
    "phụ lục",
    "đợt",
    "giai đoạn",
    "khu vực",
    "vùng",
    "cấp",
    "quân khu",
    "quân đoàn",
    "báo động",
    "mức báo động",
    "BĐ",
    "sư đoàn",
    "trung đoàn",
    "tiểu đoàn",
    "điều",
    "khoản",
    "bài",
    "số",
)
_CUE = "|".join(sorted(map(re.escape, _ROMAN_CUES), key=len, reverse=True))
_ROMAN_CUE_BEFORE = re.compile(rf"\b(?i:{_CUE}){H}+$")
_ROMAN = re.compile(r"[IVX](?<![\w&-][IVX])[IVX]{0,6}(?![\w&-])")
_NUMBER_AFTER = re.compile(rf"{H}+\d")


def roman_numerals(text: str, ctx: Context | None = None) -> str:
    """After a cue word a Roman numeral is a number: "Khóa XX" -> "Khóa hai mươi", "Quý IV" ->
    "Quý bốn", "lần thứ XIII" -> "lần thứ mười ba", "báo động II 20 cm" -> "báo động hai, 20 cm"
    (a pause between two numbers); without a cue only runs of two or more
    ("XXI") are read, and never one the lexicon knows as an abbreviation."""
    ctx = ctx or default_context()
    d = ctx.dialect

    def sub(m: re.Match[str]) -> str:
        roman = m.group(0)
        value = roman_to_int(roman)
        if value is None:
            return roman
        cue = preceded(_ROMAN_CUE_BEFORE, m, 24)
        if cue:
            ordinal = cue.group(0).rstrip().lower().endswith("thứ")
            words = read_ordinal(value, d) if ordinal else read_number(value, d)
            # "báo động II 20 cm": the level and the height are two numbers; say them apart.
            return words + "," if _NUMBER_AFTER.match(m.string, m.end()) else words
        if len(roman) < 2 or roman in ctx.lexicon.abbreviations:
            return roman
        return read_number(value, d)

    return _ROMAN.sub(sub, text)


_LETTER_CODE = re.compile(r"[A-ZĐ](?<![\w/-][A-ZĐ])[A-ZĐ]{0,3}\d+(?:[A-ZĐ]{1,4}\d*)*(?![\w/-])")
_DIGIT_CODE = re.compile(r"\d(?<![\w.,/-]\d)\d{0,2}[A-ZĐ]{1,2}(?![\w/-])")
_SEGMENTS = re.compile(r"[A-ZĐ]+|\d+")
# Letter groups of a code are spelled, except these (the lexicon's "ĐT", say, would turn the rice
# variety "ĐT100" into a telephone).
_CODE_WORDS = {"QL": "quốc lộ", "TL": "tỉnh lộ", "DT": "đường tỉnh", "KP": "khu phố"}


def letter_codes(text: str, ctx: Context | None = None) -> str:
    """Codes of capitals and digits: "B2" -> "bê hai", "H5N1" -> "hát năm en một", "5G" -> "năm
    giê", "QL1A" -> "quốc lộ một a" (road prefixes are read as words, other letters spelled)."""
    ctx = ctx or default_context()

    table = ctx.lexicon.abbreviations

    def sub(m: re.Match[str]) -> str:
        if m.group(0) in table:  # a district's own reading of a whole code wins
            reading = table[m.group(0)]
            return cardinals(reading, ctx) if _HAS_DIGIT.search(reading) else reading
        words = []
        for seg in _SEGMENTS.findall(m.group(0)):
            if seg[0].isdigit():
                words.append(read_integer_string(seg, ctx.dialect))
            else:
                words.append(_CODE_WORDS.get(seg) or spell(seg))
        return " ".join(words)

    return _DIGIT_CODE.sub(sub, _LETTER_CODE.sub(sub, text))


# -- capitals --------------------------------------------------------------------------------
LETTER_NAMES = {
    "A": "a",
    "Ă": "á",
    "Â": "ớ",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "Ê": "ê",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em",
    "N": "en",
    "O": "o",
    "Ô": "ô",
    "Ơ": "ơ",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét",
    "T": "tê",
    "U": "u",
    "Ư": "ư",
    "V": "vê",
    "W": "vê kép",
    "X": "ích",
    "Y": "i",
    "Z": "dét",
}
_BASE = str.maketrans(
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ",
    "AAAAAĂĂĂĂĂÂÂÂÂÂEEEEEÊÊÊÊÊIIIIIOOOOOÔÔÔÔÔƠƠƠƠƠUUUUUƯƯƯƯƯYYYYY",
)


def spell(word: str) -> str:
    """Letter by letter with Vietnamese letter names: "UBKT" -> "u bê ca tê"."""
    names = []
    for ch in word.upper().translate(_BASE):
        name = LETTER_NAMES.get(ch)
        if name:
            names.append(name)
        elif ch.isalnum():
            names.append(ch.lower())
    return " ".join(names)


_CAPS_TOKEN = re.compile(rf"{U}{U}+\w*")
_CAPS_WORDS = re.compile(rf"{U}(?<!\w{U}){U}*(?:{H}+{U}+)+(?!\w)")
# A consonant alone ("hạng C", "Nguyễn Văn H."); the full stop of an initial inside a sentence goes.
_LONE_CONSONANT = re.compile(
    "([BCDĐFGHJKLMNPQRSTVWXZ])(?<![\\w][BCDĐFGHJKLMNPQRSTVWXZ])(?!\\w)(?:\\.(?= +[" + LOWER + "]))?"
)


# A foreign name in capitals that reads as a word ("NORU", "ASEAN", "OCOP"), not letter by letter:
# syllables of up to two consonants, vowels, and one closing consonant; Y is not a vowel here
# (BHYT), and short ones (ODA, VAT, CEO) are spelled as announcers do.
_PRONOUNCEABLE = re.compile(r"(?:[BCDFGHKLMNPQRSTVWXZ]{0,2}[AEIOU]+[BCDFGHKLMNPRSTVXZ]?)+")


def _pronounceable(word: str) -> bool:
    return (
        len(word) >= 4
        and sum(c in "AEIOU" for c in word) >= 2
        and bool(_PRONOUNCEABLE.fullmatch(word))
    )


def _reads_as_word(word: str, in_heading: bool) -> bool:
    """An all-capitals Vietnamese syllable is a word in a heading ("THỐNG KÊ"), not an
    abbreviation; a lone short one without Vietnamese letters ("CA", "TAM") is ambiguous."""
    if not word.isupper() or not is_syllable(word):
        return False
    return in_heading or has_vietnamese_letter(word) or len(word) >= 4


def capitals(text: str, ctx: Context | None = None) -> str:
    """No run of capitals survives: all-capital Vietnamese words are lowercased ("LỜI CHÀO MỪNG"
    -> "lời chào mừng"), and so are foreign names that read as words ("NORU"); anything else is
    spelled letter by letter as a last resort, and so is a consonant standing alone ("hạng C" ->
    "hạng xê")."""

    def heading(m: re.Match[str]) -> str:
        words = m.group(0).split()
        if sum(is_syllable(w) for w in words) * 2 >= len(words):
            return " ".join(w.lower() if _reads_as_word(w, True) else w for w in words)
        return m.group(0)

    def token(m: re.Match[str]) -> str:
        word = m.group(0)
        if (_reads_as_word(word, False) or _pronounceable(word)) and not word_before(m):
            return word.lower()
        return f" {spell(word)} "

    text = _CAPS_WORDS.sub(heading, text)
    text = _CAPS_TOKEN.sub(token, text)
    return _LONE_CONSONANT.sub(lambda m: LETTER_NAMES[m.group(1)], text)


# -- initials of a person ---------------------------------------------------------------------
_INITIALS = re.compile(rf"[A-ZĐ](?<![\w.][A-ZĐ])(?:\.{H}?[A-ZĐ])+(?!\w)\.?")
_INITIAL = re.compile(rf"[A-ZĐ](?<![\w.][A-ZĐ])\.{H}?(?={U}[{LOWER}])")
_SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Lâm Mai Trương "
    "Cao Hà Tạ Lưu Châu Tô Thái Văn Thị Hữu Đức Công Minh".split()
)
_TITLE_WORD = re.compile(rf"({U}[{LOWER}]+){H}$")
_PERSON_CUE = re.compile(
    rf"\b(?:ông|bà|anh|chị|cháu|em|đồng chí|Đ/c|đ/c|BN|bệnh nhân|kỹ sư|bác sĩ){H}+$"
)
_SENTENCE_GOES_ON = re.compile(rf"{H}+[{LOWER}\d]|[,;:)]")


def _letters(initials: str) -> str:
    return " ".join(LETTER_NAMES[c] for c in initials if c in LETTER_NAMES)


def initials(text: str, ctx: Context | None = None) -> str:
    """Initials of a person are letter names, with no sentence break: "BN Đ.T.L., nữ" -> "BN đê tê
    e lờ, nữ"; "Phạm V. Tâm" -> "Phạm vê Tâm"; "Đặng V.Quang" -> "Đặng vê Quang". Policy: two or more
    dotted capitals are always initials; one is an initial after a surname, a title ("ông", "BN")
    or a capitalised word when it is not a place prefix ("H.Tây Sơn" stays "huyện Tây Sơn")."""

    def many(m: re.Match[str]) -> str:
        found = m.group(0)
        keep_stop = found.endswith(".") and not _SENTENCE_GOES_ON.match(m.string, m.end())
        return _letters(found) + ("." if keep_stop else "")

    def one(m: re.Match[str]) -> str:
        letter = m.group(0)[0]
        prev = preceded(_TITLE_WORD, m, 12)
        if preceded(_PERSON_CUE, m, 16) or (prev and prev.group(1) in _SURNAMES):
            return LETTER_NAMES[letter] + " "
        if prev and letter not in PLACE_PREFIXES and letter != "K":
            return LETTER_NAMES[letter] + " "
        return m.group(0)

    if "." not in text:
        return text
    text = _INITIALS.sub(many, text)
    return _INITIAL.sub(one, text)
