"""Cut spoken text into phrases: the unit of synthesis and of the phrase cache.

The one phrase splitter of the project (the spoken script's `phrases()` uses it too).
Google's TTS endpoint takes at most 100 characters, and gTTS's own splitter cuts
at the last space even inside a name ("Tây / Sơn"). So phrases are cut here, at
natural boundaries: sentence ends, then after ; or :, then after a comma, then
before a connective word, then at the last space that fits — never between two
capitalised syllables (Vietnamese proper names capitalise every syllable: "Bình
Định", "Nguyễn Văn An") nor inside a number reading ("hai mươi / mốt") when
avoidable. A sentence is never merged with the next one, so a sentence shared
by many areas is one cache entry however its neighbours differ.
"""

from __future__ import annotations

import re

MAX_CHARS = 100

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# Words of a number reading: a phrase break between two of them splits the number.
_NUMBER_WORDS = frozenset(
    "không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ linh lẻ phẩy chấm".split()
)
# Words before which a pause is natural in Vietnamese administrative prose.
_CONNECTIVES = frozenset(
    "và hoặc của cho để trong về với nhằm theo tại từ đến khi nếu nhưng mà thì là đối trên dưới giữa "
    "qua bằng do vì nên được bị ngày lúc như".split()
)
_FORBIDDEN = -1
_OPENERS = "“\"'(‘«"


def split_phrases(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Phrases of at most `max_chars` characters, cut at natural boundaries."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = " ".join(text.split())
    phrases: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if sentence:
            phrases.extend(split_sentence(sentence, max_chars))
    return phrases


def _is_capitalised(word: str) -> bool:
    letters = word.lstrip(_OPENERS)
    return bool(letters) and letters[0].isupper()


def _break_strength(left: str, right: str) -> int:
    """How natural a pause between two words is: 3 after ; or :, 2 after a comma, 1 before a
    connective, 0 anywhere else, and forbidden inside a name ("Tây Sơn") or a number reading."""
    if left[-1] in ";:":
        return 3
    if left[-1] == ",":
        return 2
    if _is_capitalised(left) and _is_capitalised(right):
        return _FORBIDDEN
    if left.lower() in _NUMBER_WORDS and right.rstrip(".,;:!?").lower() in _NUMBER_WORDS:
        return _FORBIDDEN
    return 1 if right.lower() in _CONNECTIVES else 0


def split_sentence(sentence: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Greedy: from each start, the strongest break that fits (the latest among equals), ignoring
    breaks that would leave a fragment shorter than a fifth of the limit when a later one exists;
    a single word longer than the limit is cut."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    if len(sentence) <= max_chars:
        return [sentence]
    words = sentence.split()
    chunks: list[str] = []
    start = 0
    while start < len(words):
        rest = " ".join(words[start:])
        if len(rest) <= max_chars:
            chunks.append(rest)
            break
        if len(words[start]) > max_chars:  # one word longer than the limit: cut it
            word = words[start]
            chunks.append(word[:max_chars])
            words[start] = word[max_chars:]
            continue
        candidates: list[tuple[int, int]] = []  # (end index exclusive, strength)
        length = len(words[start])
        end = start + 1
        while end < len(words) and length <= max_chars:
            candidates.append((end, _break_strength(words[end - 1], words[end])))
            length += 1 + len(words[end])
            end += 1
        allowed = [c for c in candidates if c[1] != _FORBIDDEN] or candidates
        floor = max_chars // 5
        long_enough = [c for c in allowed if len(" ".join(words[start : c[0]])) >= floor] or allowed
        end, _ = max(long_enough, key=lambda c: (c[1], c[0]))
        chunks.append(" ".join(words[start:end]))
        start = end
    return chunks
