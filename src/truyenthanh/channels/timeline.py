"""When each sentence is heard in a programme, and which written text belongs to it.

A programme is a sequence of segments (`ProgrammeRecipe.parts`: speech, sound,
silence); the assembler records the decoded sample offsets where they meet
(`joins`). From the two, every spoken sentence gets its start and end time. The
screens show the *written* text, so the spoken sentences are matched back to the
written ones: the spoken script keeps the written paragraph structure (blank-line
blocks, list items, lines), and within a paragraph the sentences are matched one
to one when both sides have the same count, otherwise by share of characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from truyenthanh.normalize.script import _continues  # the spoken script's own paragraph rule

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")
_MARKER = re.compile(r"^\s*(?:[-–•*+]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    kind: str  # speech | sound | silence
    text: str = ""


@dataclass(frozen=True)
class Reading:
    """One reading of the announcement inside a programme (the first, then each repeat)."""

    title: Span
    sentences: tuple[Span, ...]  # the body's spoken sentences, in order

    @property
    def end(self) -> float:
        return self.sentences[-1].end if self.sentences else self.title.end


def spans(
    parts: Sequence[tuple[str, str]], joins: Sequence[int], rate: int, duration_s: float
) -> list[Span]:
    """(kind, text) of every part + the sample offsets where parts meet -> their time spans."""
    if len(joins) != len(parts) - 1:
        raise ValueError(f"{len(parts)} parts need {len(parts) - 1} joins, got {len(joins)}")
    starts = [0.0] + [j / rate for j in joins]
    ends = starts[1:] + [duration_s]
    return [Span(s, e, kind, text) for (kind, text), s, e in zip(parts, starts, ends)]


def readings(
    timeline: Sequence[Span], spoken_title: str, sentences: Sequence[str]
) -> list[Reading]:
    """Every place where the title is followed by the whole body, sentence by sentence."""
    speech = [s for s in timeline if s.kind == "speech"]
    n = len(sentences)
    found = []
    i = 0
    while i < len(speech):
        body = speech[i + 1 : i + 1 + n]
        if speech[i].text == spoken_title and [s.text for s in body] == list(sentences):
            found.append(Reading(speech[i], tuple(body)))
            i += 1 + n
        else:
            i += 1
    return found


def written_paragraphs(body: str) -> tuple[tuple[str, ...], ...]:
    """The written body in the spoken script's paragraphs, each a tuple of written sentences."""
    paragraphs: list[list[str]] = []
    prev = ""
    for line in body.split("\n"):
        if line.strip():
            if paragraphs and _continues(prev, line):
                paragraphs[-1].append(line.strip())
            else:
                paragraphs.append([line.strip()])
        prev = line if line.strip() else ""
    out = []
    for lines in paragraphs:
        text = " ".join(lines)
        marker = _MARKER.match(text)
        bullet = "• " if marker and marker.group(0).strip() in "-–•*+" else ""
        if bullet:
            text = text[marker.end() :]
        sentences = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
        if sentences:
            sentences[0] = bullet + sentences[0]
            out.append(tuple(sentences))
    return tuple(out)


def sentence_times(
    written: Sequence[Sequence[str]], spoken: Sequence[Sequence[str]], reading: Reading
) -> list[list[tuple[float, float]]]:
    """For each written sentence, the (start, end) when it is heard in `reading`.

    Same paragraph count and same sentence count in a paragraph: one to one. Otherwise
    the paragraph's (or, if the paragraphs differ, the whole body's) time is shared by
    characters — a slide may then change a moment early or late, never out of order.
    """
    flat = list(reading.sentences)
    if len(written) != len(spoken):
        whole = [s for p in written for s in p]
        times = _share(whole, flat)
        out, k = [], 0
        for p in written:
            out.append(times[k : k + len(p)])
            k += len(p)
        return out
    out, k = [], 0
    for w, s in zip(written, spoken):
        heard = flat[k : k + len(s)]
        k += len(s)
        if len(w) == len(s):
            out.append([(h.start, h.end) for h in heard])
        else:
            out.append(_share(list(w), heard))
    return out


def _share(texts: list[str], heard: list[Span]) -> list[tuple[float, float]]:
    if not heard:
        return [(0.0, 0.0)] * len(texts)
    start, end = heard[0].start, heard[-1].end
    total = sum(len(t) for t in texts) or 1
    out, t = [], start
    for text in texts:
        d = (end - start) * len(text) / total
        out.append((t, t + d))
        t += d
    return out
