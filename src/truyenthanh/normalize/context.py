"""What every pass may read besides the text: the lexicon, the dialect, document conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from truyenthanh.normalize.dialect import Dialect
from truyenthanh.normalize.lexicon import Lexicon

# "4,131,067": two or more comma groups can only be thousands separators.
_COMMA_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?![\d,])")
# "1.250.000": two or more dot groups: the Vietnamese convention.
_DOT_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d.])")


@dataclass(frozen=True)
class Context:
    lexicon: Lexicon
    dialect: Dialect
    #: The document groups thousands with "," (text copied from English-style web pages),
    #: so a lone "4,096" is four thousand and ninety-six, not four point zero nine six.
    comma_groups: bool = False


def detect_comma_groups(text: str) -> bool:
    """True when the text shows unambiguous comma grouping and no dot grouping."""
    return bool(_COMMA_GROUPED.search(text)) and not _DOT_GROUPED.search(text)


@lru_cache(maxsize=1)
def default_context() -> Context:
    return Context(Lexicon.default(), Dialect())


def make_context(
    text: str, lexicon: Lexicon | None = None, dialect: Dialect | None = None
) -> Context:
    return Context(lexicon or Lexicon.default(), dialect or Dialect(), detect_comma_groups(text))
