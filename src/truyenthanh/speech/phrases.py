"""Cut spoken text into phrases: the unit of synthesis and of the phrase cache.

Google's TTS endpoint takes at most 100 characters, and gTTS's own splitter cuts
at the last space even inside a name ("Tây / Sơn"). So phrases are cut here, at
natural boundaries: sentence ends, then clause punctuation, then before a
connective word, and never between two capitalised syllables (Vietnamese proper
names capitalise every syllable: "Bình Định", "Nguyễn Văn An"). A sentence is
never merged with the next one, so a sentence shared by many areas is one
cache entry however its neighbours differ.
"""

from __future__ import annotations

import re

MAX_CHARS = 100

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
# Words before which a pause is natural in Vietnamese administrative prose.
_CONNECTIVES = frozenset(
    "và hoặc của cho để trong về với nhằm theo tại từ đến khi nếu nhưng mà thì là đối "
    "trên dưới giữa qua bằng do vì nên được bị".split()
)


def split_phrases(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Phrases of at most `max_chars` characters, cut at natural boundaries."""
    text = " ".join(text.split())
    phrases: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if sentence:
            phrases.extend(_split_sentence(sentence, max_chars))
    return phrases


def _split_sentence(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    out: list[str] = []
    current = ""
    for clause in _CLAUSE_END.split(sentence):
        if not clause:
            continue
        candidate = f"{current} {clause}" if current else clause
        if len(candidate) <= max_chars:
            current = candidate
            continue
        if current:
            out.append(current)
        if len(clause) <= max_chars:
            current = clause
        else:
            pieces = _split_words(clause, max_chars)
            out.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        out.append(current)
    return out


def _is_capitalised(word: str) -> bool:
    letters = word.lstrip("“\"'(‘«")
    return bool(letters) and letters[0].isupper()


def _split_words(clause: str, max_chars: int) -> list[str]:
    words = clause.split(" ")
    out: list[str] = []
    start = 0
    while start < len(words):
        length = len(words[start])
        best_any = best_connective = None
        end = start + 1
        while end < len(words) and length + 1 + len(words[end]) <= max_chars:
            length += 1 + len(words[end])
            end += 1
            if end == len(words):
                break
            # Break allowed between words[end-1] and words[end]?
            if _is_capitalised(words[end - 1]) and _is_capitalised(words[end]):
                continue
            best_any = end
            if words[end].lower() in _CONNECTIVES and length >= max_chars // 2:
                best_connective = end
        if end == len(words) and length <= max_chars:
            cut = end
        else:
            # A name longer than max_chars is cut anyway rather than exceeding the limit.
            cut = best_connective or best_any or end
        out.append(" ".join(words[start:cut]))
        start = cut
    return out
