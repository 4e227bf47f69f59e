"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows and Windows-1258.

Old government documents typed with .VnTime (TCVN3) or VNI-Times fonts arrive as
text whose letters are Latin-1 look-alikes: "Uû ban nh©n d©n huyÖn" (TCVN3) or
"UÛy ban nhaân daân huyeän" (VNI). Detection counts characters that such text is
full of and that real Unicode Vietnamese never needs; conversion maps them back.

TCVN3 has no precomposed capitals with tone marks (documents used a separate
capitals font with the same codes), so those come back in lowercase.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 (TCVN 5712:1993, VN3) code point -> Unicode letter.
_TCVN3_PAIRS = (
    "\u00a1Ă \u00a2Â \u00a3Ê \u00a4Ô \u00a5Ơ \u00a6Ư \u00a7Đ \u00a8ă \u00a9â \u00aaê \u00abô \u00acơ \u00adư \u00aeđ "
    "\u00b5à \u00b6ả \u00b7ã \u00b8á \u00b9ạ "
    "\u00bbằ \u00bcẳ \u00bdẵ \u00beắ \u00c6ặ "
    "\u00c7ầ \u00c8ẩ \u00c9ẫ \u00caấ \u00cbậ "
    "\u00ccè \u00ceẻ \u00cfẽ \u00d0é \u00d1ẹ "
    "\u00d2ề \u00d3ể \u00d4ễ \u00d5ế \u00d6ệ "
    "\u00d7ì \u00d8ỉ \u00dcĩ \u00ddí \u00deị "
    "\u00dfò \u00e1ỏ \u00e2õ \u00e3ó \u00e4ọ "
    "\u00e5ồ \u00e6ổ \u00e7ỗ \u00e8ố \u00e9ộ "
    "\u00eaờ \u00ebở \u00ecỡ \u00edớ \u00eeợ "
    "\u00efù \u00f1ủ \u00f2ũ \u00f3ú \u00f4ụ "
    "\u00f5ừ \u00f6ử \u00f7ữ \u00f8ứ \u00f9ự "
    "\u00faỳ \u00fbỷ \u00fcỹ \u00fdý \u00feỵ"
).split()
_TCVN3 = {pair[0]: pair[1] for pair in _TCVN3_PAIRS}
_TCVN3_TABLE = str.maketrans(_TCVN3)

# VNI-Windows: a base letter followed by a mark character. Marks for lowercase / uppercase.
_VNI_TONES = {  # mark -> (combining tone or modifier)
    "ù": "sắc",
    "ø": "huyền",
    "û": "hỏi",
    "õ": "ngã",
    "ï": "nặng",
    "Ù": "sắc",
    "Ø": "huyền",
    "Û": "hỏi",
    "Õ": "ngã",
    "Ï": "nặng",
}
_VNI_HAT = {  # mark on a/e/o -> (circumflex, tone)
    "â": None,
    "á": "sắc",
    "à": "huyền",
    "å": "hỏi",
    "ã": "ngã",
    "ä": "nặng",
    "Â": None,
    "Á": "sắc",
    "À": "huyền",
    "Å": "hỏi",
    "Ã": "ngã",
    "Ä": "nặng",
}
_VNI_BREVE = {  # mark on a -> (breve, tone)
    "ê": None,
    "é": "sắc",
    "è": "huyền",
    "ú": "hỏi",
    "ü": "ngã",
    "ë": "nặng",
    "Ê": None,
    "É": "sắc",
    "È": "huyền",
    "Ú": "hỏi",
    "Ü": "ngã",
    "Ë": "nặng",
}
_TONE_ROWS = {  # base vowel -> its five toned forms in the order sắc huyền hỏi ngã nặng
    "a": "áàảãạ",
    "ă": "ắằẳẵặ",
    "â": "ấầẩẫậ",
    "e": "éèẻẽẹ",
    "ê": "ếềểễệ",
    "o": "óòỏõọ",
    "ô": "ốồổỗộ",
    "ơ": "ớờởỡợ",
    "u": "úùủũụ",
    "ư": "ứừửữự",
    "y": "ýỳỷỹỵ",
    "i": "íìỉĩị",
}
_TONE_INDEX = {"sắc": 0, "huyền": 1, "hỏi": 2, "ngã": 3, "nặng": 4}


def _toned(base: str, tone: str | None) -> str:
    return base if tone is None else _TONE_ROWS[base][_TONE_INDEX[tone]]


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for upper in (False, True):

        def case(s: str, upper: bool = upper) -> str:
            return s.upper() if upper else s

        for mark, tone in _VNI_TONES.items():
            for base in "aeouy":
                table[case(base) + mark] = case(_toned(base, tone))
            # ơ and ư are single characters in VNI (ô, ö) that take tone marks too.
            table[case("ô") + mark] = case(_toned("ơ", tone))
            table[case("ö") + mark] = case(_toned("ư", tone))
        for mark, tone in _VNI_HAT.items():
            for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
                table[case(base) + mark] = case(_toned(hat, tone))
        for mark, tone in _VNI_BREVE.items():
            table[case("a") + mark] = case(_toned("ă", tone))
    return table


_VNI_PAIRS = _build_vni()
_VNI_SINGLE = {
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "Í": "Í",
    "Ì": "Ì",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "Î": "Ỵ",
}
# One scan, pairs before single characters, so that a letter just produced is never re-read.
_VNI_ALL = {**{k: v for k, v in _VNI_SINGLE.items() if k != v}, **_VNI_PAIRS}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_ALL, key=len, reverse=True)))

# Detection. Letters only Unicode Vietnamese has (no legacy text can contain them):
_UNICODE_VN = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")
# Characters TCVN3 text is full of and Unicode Vietnamese never needs (¡ … ¾), counted only
# inside a word ("nh©n"), so that "© 2023" or a row of symbols is not taken for TCVN3.
_TCVN3_MARKS = re.compile(
    "[A-Za-z][\u00a1-\u00ae\u00b5-\u00b9\u00bb-\u00be]|[\u00a1-\u00ae\u00b5-\u00b9\u00bb-\u00be][A-Za-z]"
)
# VNI: a vowel followed by a mark character, or the VNI đ/Đ.
_VNI_MARKS = re.compile("[aeouyAEOUYôöÔÖ][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[ñÑ]")
_LETTERS = re.compile(r"[^\W\d_]")


def detect_legacy_encoding(text: str) -> str | None:
    """ "TCVN3" or "VNI" when `text` looks like a legacy encoding read as Latin-1, else None.

    A long text is judged on its beginning and end: one document has one encoding."""
    if len(text) > 65536:
        text = text[:32768] + "\n" + text[-32768:]
    unicode_vn = len(_UNICODE_VN.findall(text))
    letters = len(_LETTERS.findall(text))
    if letters == 0 or unicode_vn > 0.02 * letters:
        return None
    tcvn = len(_TCVN3_MARKS.findall(text))
    vni = len(_VNI_MARKS.findall(text))
    # Words like "hoà", "thuý" (old tone placement) give a few VNI-looking pairs in plain text.
    threshold = max(2, 0.01 * letters)
    if tcvn >= threshold and tcvn >= vni:
        return "TCVN3"
    if vni >= max(threshold, 0.03 * letters) and vni > tcvn:
        return "VNI"
    return None


def convert_legacy(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI text (as decoded with Latin-1/cp1252) to Unicode."""
    enc = encoding.strip().upper().replace("-", "").replace("_", "")
    if enc in ("TCVN3", "TCVN", "ABC", "VN3"):
        return text.translate(_TCVN3_TABLE)
    if enc in ("VNI", "VNIWINDOWS", "VNIWIN"):
        return _VNI_RE.sub(lambda m: _VNI_ALL[m.group(0)], text)
    raise ValueError(f"Không hỗ trợ bảng mã “{encoding}”; chỉ nhận TCVN3 hoặc VNI.")


# Windows-1258: Vietnamese on old office PCs ("Vietnamese (Windows)" in Notepad and Word).
# Letters with a circumflex, breve or horn and đ are single bytes; the five tones are separate
# combining marks after the vowel — decomposed text that NFC composes.
_CP1258_TONE = re.compile("[A-Za-zÂâÊêÔôĂăƠơƯư][\u0300\u0301\u0303\u0309\u0323]")
_CP1258_LETTERS = re.compile("[ĂăÂâÊêÔôƠơƯưĐđ]")


def decode_cp1258(raw: bytes) -> str | None:
    """The text of a Windows-1258 file, in NFC, or None when the bytes do not look like one.

    Called only on bytes that are not UTF-8 and not TCVN3/VNI: a file is taken for cp1258 when
    it decodes and shows tone marks after vowels or Vietnamese letters on at least 2% of its
    letters (a Western cp1252 file has none of them)."""
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return None
    letters = len(_LETTERS.findall(text))
    clues = len(_CP1258_TONE.findall(text)) + len(_CP1258_LETTERS.findall(text))
    if letters == 0 or clues < max(3, 0.02 * letters):
        return None
    return unicodedata.normalize("NFC", text)
