"""The spoken script: sentences grouped in paragraphs, and its phrases for engines."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from truyenthanh.normalize.chars import LOWER, UPPER
from truyenthanh.normalize.context import make_context
from truyenthanh.normalize.dialect import Dialect
from truyenthanh.normalize.hygiene import LIST_MARKER, fix_encoding
from truyenthanh.normalize.lexicon import Lexicon
from truyenthanh.normalize.passes import PASSES, run_passes


@dataclass(frozen=True)
class SpokenScript:
    """Paragraphs of sentences; each sentence is plain spoken Vietnamese ending in punctuation."""

    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(p) for p in self.paragraphs)

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for p in self.paragraphs for s in p)

    def phrases(self, max_chars: int = 100) -> list[str]:
        """Phrases of at most `max_chars` characters for engines with a length limit: cut at the
        sentence end, then after ; or :, then after a comma, then before a connective word, then at
        the last space that fits — never inside a name ("Tây Sơn") or a number reading if avoidable."""
        from truyenthanh.speech.phrases import split_sentence  # the one splitter (the build's)

        if max_chars < 1:
            raise ValueError("max_chars must be positive")
        out: list[str] = []
        for sentence in self.sentences:
            out.extend(split_sentence(sentence, max_chars))
        return out


@cache
def normaliser_identity() -> str:
    """A digest of this package's code and data: a spoken script remembered across runs
    (stages/texts.py) is only reused by the very normaliser that made it, so a changed
    reading rule reads every text again without anyone bumping a version."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- line structure --------------------------------------------------------------------------
# A sentence ends at . ! ? before a capital (a lowercase word after a full stop continues it).
_SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[{UPPER}])")
_CLOSED = re.compile(r"[.!?:;…,]\s*$")
_OPENS_LOWER = re.compile(rf"^\s*[{LOWER}0-9]")


def _continues(prev: str, line: str) -> bool:
    """Is `line` a hard-wrapped continuation of `prev` (same sentence), judged on the source?"""
    if not prev.strip() or not line.strip():
        return False
    if LIST_MARKER.match(line) or _CLOSED.search(prev):
        return False
    return bool(_OPENS_LOWER.match(line))


def _capitalise(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            if ch.islower() and not (i + 1 < len(s) and s[i + 1].isupper()):
                return s[:i] + ch.upper() + s[i + 1 :]
            return s
    return s


def _close(s: str) -> str:
    """End a paragraph with a full stop (a trailing comma or semicolon becomes one)."""
    s = s.rstrip()
    if not s:
        return s
    if s[-1] in ",;":
        return s[:-1] + "."
    return s if s[-1] in ".!?:" else s + "."


def _sentences(paragraph: str) -> tuple[str, ...]:
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return tuple(_capitalise(p) for p in parts if p and any(c.isalpha() for c in p))


def _normalise_lines(
    text: str, lexicon: Lexicon | None, dialect: Dialect | None
) -> tuple[list[str], list[str]]:
    source = fix_encoding(text)
    ctx = make_context(source, lexicon, dialect)
    spoken = run_passes(source, ctx, PASSES[1:])
    src_lines = source.split("\n")
    out_lines = spoken.split("\n")
    assert len(src_lines) == len(out_lines), "a pass changed the number of lines"
    # Lines as str.splitlines() counts them: a final line break does not open another line.
    count = len(source.splitlines())
    return src_lines[:count], out_lines[:count]


def spoken_script(
    text: str, lexicon: Lexicon | None = None, dialect: Dialect | None = None
) -> SpokenScript:
    """The spoken script of a rendered announcement: paragraphs (blank-line blocks, list items and
    lines of web text) of sentences, with no digit, no run of capitals and no "/" left."""
    src_lines, out_lines = _normalise_lines(text, lexicon, dialect)
    paragraphs: list[list[str]] = []
    prev_src = ""
    for src, out in zip(src_lines, out_lines):
        if out.strip():
            if paragraphs and _continues(prev_src, src):
                paragraphs[-1].append(out.strip())
            else:
                paragraphs.append([out.strip()])
        prev_src = src if out.strip() else ""
    result = []
    for lines in paragraphs:
        sentences = _sentences(_close(" ".join(lines)))
        if sentences:
            result.append(sentences)
    return SpokenScript(tuple(result))


def spoken_lines(
    text: str, lexicon: Lexicon | None = None, dialect: Dialect | None = None
) -> list[str]:
    """One spoken line per input line (blank stays blank): for `truyenthanh script` and golden files.
    A line continued by the next (a hard wrap inside a sentence) is not closed with a full stop."""
    src_lines, out_lines = _normalise_lines(text, lexicon, dialect)
    result: list[str] = []
    for i, (src, out) in enumerate(zip(src_lines, out_lines)):
        out = out.strip()
        if not out or not any(c.isalpha() for c in out):
            result.append("")
            continue
        continued = i + 1 < len(src_lines) and _continues(src, src_lines[i + 1])
        is_continuation = i > 0 and _continues(src_lines[i - 1], src)
        if not continued:
            out = _close(out)
        sentences = [p.strip() for p in _SENTENCE_END.split(out) if p.strip()]
        if not is_continuation and sentences:
            sentences[0] = _capitalise(sentences[0])
        sentences[1:] = [_capitalise(s) for s in sentences[1:]]
        result.append(" ".join(sentences))
    return result
