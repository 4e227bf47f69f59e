"""Web addresses, e-mail addresses and file types, read so that a listener can type them.

Policy:
* "." is "chấm", "@" is "a còng", "/" is "gạch chéo"; "www", "gov", "vn", "com" … have their
  usual spoken forms ("vê kép vê kép vê kép", "gốp", "vê en", "com");
* a label made of Vietnamese words written without diacritics is read as those words, with
  the diacritics the notice itself uses near the address: "dangkytiem.vn" in a notice that
  says "đăng ký" and "tiêm" is "đăng ký tiêm chấm vê en"; "binhtan" after "xã Bình Tân" is
  "Bình Tân" (see `_segment` for when the notice's words are trusted). A label
  the lexicon knows ("dichvucong", a district's "gialai") is read from the lexicon. Otherwise
  a label that splits into Vietnamese syllables is read as those syllables ("tuyen sinh");
  one that does not ("evncpc", "vhxh") is spelled with Vietnamese letter names;
* a file type after a space (".pdf", ".docx") is "chấm" and its usual name ("pê đê ép",
  "đốc ích"), never a sentence break.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from truyenthanh.normalize.chars import is_syllable
from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.numbers import read_digits

_EMAIL = re.compile(r"@([\w-]+(?:\.[\w-]+)+)")
_EMAIL_LOCAL = re.compile(r"[\w.+-]+$")
_TLD = re.compile(r"\.(?:gov\.vn|com\.vn|org\.vn|edu\.vn|net\.vn|vn|com|org|net)(?!\w|\.\w)")
_ADDRESS_HEAD = re.compile(r"(?:(?:https?|ftp)://)?[\w.-]+$")
_ADDRESS_TAIL = re.compile(r"(?:/[^\s,;()]*[^\s,;().:!?])?")
_DOMAIN_WORDS = {
    "www": "vê kép vê kép vê kép",
    "gov": "gốp",
    "vn": "vê en",
    "com": "com",
    "org": "o rờ gờ",
    "net": "nét",
    "edu": "e đu",
    "http": "",
    "https": "",
    "html": "hát tê em e lờ",
    "php": "pê hát pê",
}
_URL_SPLIT = re.compile(r"[./:?=&_-]+")
_WORD = re.compile(r"[^\W\d_]+")


def _fold(s: str) -> str:
    """ "Bình Tân" -> "binhtan": how the words are typed in an address."""
    s = s.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


_WINDOW = 1500


@lru_cache(maxsize=64)
def _vocabulary(window: str) -> dict[str, str]:
    """Folded spelling -> the words as written, for phrases of one to three words near the
    address that carry diacritics ("dangky" -> "đăng ký"); plain ASCII words teach nothing."""
    words = _WORD.findall(window)
    folded = [_fold(w) for w in words]
    vocab: dict[str, str] = {}
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            key = "".join(folded[i : i + n])
            phrase = " ".join(words[i : i + n])
            if key not in vocab and key != phrase.lower().replace(" ", ""):
                # A name keeps its capitals ("Bình Tân"); a sentence's first word does not.
                named = n > 1 and all(w[0].isupper() for w in words[i : i + n])
                vocab[key] = phrase if named else phrase.lower()
    return vocab


def _segment(label: str, vocab: dict[str, str]) -> str | None:
    """The label as Vietnamese syllables. With the notice's own words when they cover the whole
    label and one of them is a phrase of two or more words ("dangkytiem" -> "đăng ký" + "tiêm"),
    or one phrase is the whole label; otherwise the bare syllables ("gialai" -> "gia lai"): a
    single word matched alone is too weak a clue ("lai" is not "lại"). None if not syllables."""
    n = len(label)
    # best[j]: (pieces, words from the notice, longest phrase in words) for label[:j]
    best: list[tuple[list[str], int, int] | None] = [None] * (n + 1)
    plain: list[list[str] | None] = [None] * (n + 1)
    best[0], plain[0] = ([], 0, 0), []
    for i in range(n):
        if plain[i] is not None:
            for j in range(i + 1, min(n, i + 7) + 1):
                piece = label[i:j]
                if is_syllable(piece) and (plain[j] is None or len(plain[i]) + 1 < len(plain[j])):
                    plain[j] = [*plain[i], piece]
        if best[i] is not None:
            pieces, count, longest = best[i]
            for j in range(i + 1, min(n, i + 21) + 1):
                phrase = vocab.get(label[i:j])
                if phrase is None:
                    continue
                size = phrase.count(" ") + 1
                candidate = ([*pieces, phrase], count + size, max(longest, size))
                if best[j] is None or len(candidate[0]) < len(best[j][0]):
                    best[j] = candidate
    if best[n] is not None and (best[n][2] >= 2 or len(best[n][0]) == 1):
        return " ".join(best[n][0])
    return " ".join(plain[n]) if plain[n] is not None else None


def _speak_label(label: str, ctx: Context, vocab: dict[str, str]) -> str:
    from truyenthanh.normalize.words import spell  # words imports measures; avoid a cycle

    low = label.lower()
    if low in _DOMAIN_WORDS:
        return _DOMAIN_WORDS[low]
    known = ctx.lexicon.pronunciation_lookup.get(low)
    if known:
        return known
    if low.isdecimal() and low.isascii():
        return read_digits(low)
    if low.isascii() and low.isalpha():
        words = _segment(low, vocab)
        if words and words.count(" ") + 1 <= max(1, len(low) // 2):
            return words
        return spell(low)
    return low


def _speak_address(address: str, ctx: Context, vocab: dict[str, str]) -> str:
    address = re.sub(r"^(?:https?|ftp)://", "", address)
    words: list[str] = []
    for part in re.split(r"(/)", address):
        if part == "/":
            words.append("gạch chéo")
            continue
        pieces = [p for p in _URL_SPLIT.split(part) if p]
        words.append(" chấm ".join(w for w in (_speak_label(p, ctx, vocab) for p in pieces) if w))
    return " ".join(w for w in words if w)


def _rewrite_left(text: str, anchor: re.Pattern[str], head: re.Pattern[str], speak) -> str:
    """Replace each address found by its `anchor` (a fast literal: "@", ".vn"), extended left by
    `head`, with `speak(text, start, anchor_match)` -> (end, words)."""
    out: list[str] = []
    last = 0
    for m in anchor.finditer(text):
        if m.start() < last:
            continue
        left = head.search(text, max(last, m.start() - 80), m.start())
        if not left or not any(c.isalpha() for c in left.group(0)):
            continue
        end, words = speak(text, left.start(), m)
        out.append(text[last : left.start()])
        out.append(words)
        last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


_SCHEMED = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s,;()]+[^\s,;().:!?]")


def web_addresses(text: str, ctx: Context | None = None) -> str:
    """Web and e-mail addresses: "." is "chấm", "@" is "a còng", "/" is "gạch chéo"; labels are
    read as the notice's own words where they can be ("dangkytiem.vn" -> "đăng ký tiêm chấm vê
    en"), else as syllables, else spelled (see the module policy)."""
    ctx = ctx or default_context()

    def near(text: str, start: int) -> dict[str, str]:
        return _vocabulary(text[max(0, start - _WINDOW) : start + _WINDOW])

    def email(text: str, start: int, m: re.Match[str]) -> tuple[int, str]:
        vocab = near(text, start)
        return (
            m.end(),
            f"{_speak_address(text[start : m.start()], ctx, vocab)} a còng {_speak_address(m.group(1), ctx, vocab)}",
        )

    def url(text: str, start: int, m: re.Match[str]) -> tuple[int, str]:
        end = _ADDRESS_TAIL.match(text, m.end()).end()
        return end, _speak_address(text[start:end], ctx, near(text, start))

    if "@" in text:
        text = _rewrite_left(text, _EMAIL, _EMAIL_LOCAL, email)
    text = _rewrite_left(text, _TLD, _ADDRESS_HEAD, url)
    if "://" in text or "www." in text:
        text = _SCHEMED.sub(
            lambda m: _speak_address(m.group(0), ctx, near(m.string, m.start())), text
        )
    return text


FILE_TYPES = {
    "pdf": "pê đê ép",
    "doc": "đốc",
    "docx": "đốc ích",
    "xls": "ích e lờ ét",
    "xlsx": "ích e lờ ét ích",
    "ppt": "pê pê tê",
    "pptx": "pê pê tê ích",
    "jpg": "giây pê gờ",
    "jpeg": "giây pê gờ",
    "png": "pê en gờ",
    "zip": "díp",
    "rar": "ra",
    "txt": "tê ích tê",
    "mp3": "em pê ba",
    "mp4": "em pê bốn",
    "odt": "ô đê tê",
}
_FILE_TYPE = re.compile(
    r"\.(" + "|".join(sorted(FILE_TYPES, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)


def file_types(text: str, ctx: Context | None = None) -> str:
    """A file type standing alone (".pdf", ".docx" after a space, a comma or "tệp") is read
    "chấm pê đê ép", "chấm đốc ích" — the dot is not a sentence end; "bao-cao.pdf" is "bao-cao
    chấm pê đê ép" (the name before is left to the other readers)."""
    if "." not in text:
        return text
    return _FILE_TYPE.sub(lambda m: f" chấm {FILE_TYPES[m.group(1).lower()]}", text)
