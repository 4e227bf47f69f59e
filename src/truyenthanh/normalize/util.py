"""Small helpers for building fast regular expressions.

Speed note (the normaliser must read more than 1 MB/s): Python's regex engine scans
quickly to candidate positions only when a pattern *starts* with a literal or a
character class. A leading lookbehind, `\\b`, optional prefix group or case-insensitive
alternation makes it try every position. So patterns here start at the distinctive
character (a digit, a capital) and check what precedes in the callback (`preceded`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def literal_union(words: Iterable[str]) -> str:
    """A regex alternation matching any of `words`, longest first, as a prefix tree.

    A plain alternation of hundreds of words tries each one at every position of the
    text; the tree rejects a position after one character test.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True
    return _emit(trie)


def _emit(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    if len(branches) == 1 and not end:
        return branches[0]
    body = "|".join(branches)
    return f"(?:{body})?" if end else f"(?:{body})"


def case_variants(word: str) -> set[str]:
    """The spellings a word is met in: as given, lower, UPPER and Capitalised."""
    return {word, word.lower(), word.upper(), word[:1].upper() + word[1:].lower()}


def preceded(pattern: re.Pattern[str], m: re.Match[str], window: int = 40) -> re.Match[str] | None:
    """Search `pattern` (which should end in `$`) in the text just before the match `m`."""
    start = m.start()
    return pattern.search(m.string, max(0, start - window), start)


def word_before(m: re.Match[str]) -> bool:
    """Is the match glued to a letter, digit or & on its left?"""
    start = m.start()
    return start > 0 and (m.string[start - 1].isalnum() or m.string[start - 1] in "_&")
