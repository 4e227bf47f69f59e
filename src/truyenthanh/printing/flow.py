"""Running text: paragraphs of styled runs, wrapped and flowed through frames.

A small engine of our own rather than platypus, so that layout is a pure
function we can run many times per size in a binary search, every colour is
CMYK and every font is ours. Justified lines use the PDF word spacing operator
on real space characters, so the text extracts back with its spaces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from truyenthanh.printing.fit import SloganFit, fit_slogan, split_words
from truyenthanh.printing.fonts import Face, FontSet
from truyenthanh.printing.page import BLACK

SENTENCE_END = (".", "!", "?", ";", ":", ".”", "!”", "?”", ".)", ";)")

BULLET_RE = re.compile(r"^([-•+*–])\s+")
LEAD_RE = re.compile(r"^(\d{1,2}[.)]\s+[^:.]{1,40}:)\s")
HEADING_RE = re.compile(r"^(\d{1,2}[.)]|[IVX]{1,4}\.)\s+\S")


@dataclass(frozen=True)
class Style:
    size: float
    leading: float
    color: CMYKColor = BLACK
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0  # left indent of every line (bullets hang here)
    align: str = "justify"  # "justify" | "left" | "center"
    keep_with_next: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[tuple[str, Face], ...]  # (text, face)
    style: Style
    bullet: str | None = None


@dataclass(frozen=True)
class Frame:
    x: float
    top: float  # y of the frame's top edge
    width: float
    height: float


@dataclass(frozen=True)
class Line:
    words: tuple[tuple[str, Face], ...]
    width: float  # natural width, single spaces
    last: bool  # last line of its paragraph


@dataclass
class Placed:
    para: Para
    lines: list[Line]
    first: bool  # holds the paragraph's first line (draw the bullet)
    y: float  # baseline of the first line
    frame: int


@dataclass
class Layout:
    placed: list[Placed] = field(default_factory=list)
    overflow: int = 0  # lines that did not fit
    frames_used: int = 0
    last_y: float = 0.0  # bottom of the last placed line (in its frame)


def para_words(para: Para) -> list[tuple[str, Face]]:
    words: list[tuple[str, Face]] = []
    for text, face in para.runs:
        words.extend((w, face) for w in split_words(text))
    return words


def wrap_words(words: list[tuple[str, Face]], style: Style, width: float) -> list[Line]:
    return list(_wrapped(tuple(words), style, width))


@functools.lru_cache(maxsize=4096)
def _wrapped(words: tuple[tuple[str, Face], ...], style: Style, width: float) -> tuple[Line, ...]:
    """`words` broken into lines, once per process: every area's operator script and leaflet
    sets the same district-wide paragraphs at the same widths (Line is frozen: shared safely)."""
    size = style.size
    avail = width - style.indent
    lines: list[Line] = []
    current: list[tuple[str, Face]] = []
    cur_w = 0.0
    for word, face in words:
        ww = face.width(word, size)
        sp = face.width(" ", size) if current else 0.0
        if (
            current and cur_w + sp + ww > avail + 1e-6
        ):  # a fitted title line may end exactly at the edge
            lines.append(Line(tuple(current), cur_w, False))
            current, cur_w, sp = [], 0.0, 0.0
        while not current and ww > avail + 1e-6 and len(word) > 1:
            cut = _fit(word, face, size, avail)
            lines.append(Line(((word[:cut], face),), face.width(word[:cut], size), False))
            word = word[cut:]
            ww = face.width(word, size)
        current.append((word, face))
        cur_w += sp + ww
    if current:
        lines.append(Line(tuple(current), cur_w, True))
    return tuple(lines)


def wrap_para(para: Para, width: float) -> list[Line]:
    return wrap_words(para_words(para), para.style, width)


def _fit(word: str, face: Face, size: float, width: float) -> int:
    n = 1
    while n < len(word) and face.width(word[: n + 1], size) <= width:
        n += 1
    return n


def layout(paras: list[Para], frames: Callable[[int], Frame | None]) -> Layout:
    """Flow paragraphs through frames(0), frames(1), … until they or the frames run out.

    A paragraph that continues in the next frame is re-wrapped to that frame's
    width. No single first line of a paragraph is left at a frame's foot, no
    single last line opens a frame, and a heading stays with the next paragraph.
    """
    res = Layout()
    index = 0
    frame = frames(0)
    width = frame.width if frame else 1e9
    y = frame.top if frame else 0.0
    at_top = True
    eps = 1e-6
    for pi, para in enumerate(paras):
        st = para.style
        words = para_words(para)
        first = True
        while words:
            if frame is None:
                res.overflow += len(wrap_words(words, st, width))
                res.overflow += sum(len(wrap_para(p, width)) for p in paras[pi + 1 :])
                return res
            width = frame.width
            lines = wrap_words(words, st, width)
            gap = 0.0 if at_top or not first else st.space_before
            bottom = frame.top - frame.height
            fit = min(len(lines), int((y - gap - bottom + eps) // st.leading))
            need = 1
            if first and len(lines) >= 2:
                need = 2
            if first and st.keep_with_next and pi + 1 < len(paras):
                nxt = paras[pi + 1].style
                room = (
                    y - gap - len(lines) * st.leading - nxt.space_before - 2 * nxt.leading - bottom
                )
                need = len(lines) if room >= -eps else len(lines) + 1
            if fit < need and not at_top:
                index += 1
                frame = frames(index)
                if frame is not None:
                    y, at_top = frame.top, True
                continue
            if fit <= 0:
                res.overflow += len(lines) + sum(len(wrap_para(p, width)) for p in paras[pi + 1 :])
                return res  # a frame shorter than one line: nothing more will fit
            count = fit
            if count < len(lines) and len(lines) - count == 1 and count >= 3:
                count -= 1
            rest: list[tuple[str, Face]] | None = None
            if count < len(
                lines
            ):  # the paragraph would cross a frame (a fold): end it at a sentence
                cut = _sentence_cut(words, st, width, count, 2 if first else 1)
                if cut is not None:
                    lines, rest = wrap_words(words[:cut], st, width), words[cut:]
                    count = len(lines)
                elif first and not at_top and _fits_whole(lines, st, frames(index + 1)):
                    index += 1  # no sentence ends in time, but the whole paragraph can move
                    frame = frames(index)
                    y, at_top = frame.top, True
                    continue
            res.placed.append(Placed(para, lines[:count], first, y - gap - st.size * 0.94, index))
            y -= gap + count * st.leading
            res.last_y = y
            res.frames_used = index + 1
            words = rest if rest is not None else [w for line in lines[count:] for w in line.words]
            first = False
            at_top = False
            if words:
                index += 1
                frame = frames(index)
                if frame is not None:
                    y, at_top = frame.top, True
        y -= st.space_after
    return res


def _sentence_cut(
    words: list[tuple[str, Face]], st: Style, width: float, room: int, least: int
) -> int | None:
    """The most words, ending a sentence, that fill at most `room` lines (and at least `least`)."""
    for b in range(len(words) - 1, 0, -1):
        if words[b - 1][0].endswith(SENTENCE_END):
            n = len(wrap_words(words[:b], st, width))
            if n <= room:
                return b if n >= least else None
    return None


def _fits_whole(lines: list[Line], st: Style, frame: Frame | None) -> bool:
    return frame is not None and len(lines) * st.leading <= frame.height + 1e-6


def draw(c: Canvas, placed: list[Placed], frame: Frame, dy: float = 0.0) -> None:
    for item in placed:
        st = item.para.style
        y = item.y + dy
        x0 = frame.x + st.indent
        avail = frame.width - st.indent
        if item.first and item.para.bullet:
            face = item.lines[0].words[0][1]
            c.setFillColor(st.color)
            c.setFont(face.name, st.size)
            c.drawString(frame.x + st.indent * 0.12, y, item.para.bullet)
        for line in item.lines:
            _draw_line(c, line, x0, y, avail, st)
            y -= st.leading


def _draw_line(c: Canvas, line: Line, x: float, y: float, avail: float, st: Style) -> None:
    gaps = len(line.words) - 1
    word_space = 0.0
    if st.align == "justify" and not line.last and gaps > 0:
        word_space = (avail - line.width) / gaps
        if word_space > st.size * 1.6:  # a nearly empty line: do not spread it across the frame
            word_space = 0.0
    elif st.align == "center":
        x += (avail - line.width) / 2
    t = c.beginText(x, y)
    t.setFillColor(st.color)
    t.setWordSpace(word_space)
    # One text run per stretch of words in the same face (most lines have one): the same
    # glyphs and spaces as a run per word, at a fifth of reportlab's encoding work.
    runs = [(face, [w for w, _ in words]) for face, words in groupby(line.words, key=itemgetter(1))]
    for i, (face, words) in enumerate(runs):
        t.setFont(face.name, st.size, st.leading)
        t.textOut(" ".join(words) + ("" if i == len(runs) - 1 else " "))
    t.setWordSpace(0)
    c.drawText(t)


def heading_paras(text: str, face: Face, style: Style, width: float) -> list[Para]:
    """A heading broken between phrases (never inside "trực tuyến"), one paragraph per line.

    The lines keep together and with what follows; the size shrinks only when
    a single word would not fit the width.
    """
    fit = _heading_fit(text, face, width - style.indent, style.size)
    size = fit.size
    paras = []
    for i, line in enumerate(fit.lines):
        first, last = i == 0, i == len(fit.lines) - 1
        paras.append(
            Para(
                ((line, face),),
                replace(
                    style,
                    size=size,
                    leading=style.leading * size / style.size,
                    space_before=style.space_before if first else 0.0,
                    space_after=style.space_after if last else 0.0,
                    keep_with_next=True,
                    align="left",
                ),
            )
        )
    return paras


@functools.lru_cache(maxsize=256)
def _heading_fit(text: str, face: Face, width: float, size: float) -> SloganFit:
    """A heading's lines, fitted once per process: each area's operator script heads the same
    announcements with the same titles (the fitting search was ~a fifth of a script's time)."""
    return fit_slogan(text, face, width, 1e6, uppercase=False, what="tiêu đề", max_size=size)


def iter_lines(text: str) -> Iterator[str]:
    for line in text.split("\n"):
        if line.strip():
            yield line.strip()


def body_paras(
    text: str, fonts: FontSet, size: float, color: CMYKColor = BLACK, left: bool = False
) -> list[Para]:
    """Plain announcement body → paragraphs: "- " bullets, numbered headings, bold leads."""
    leading = size * 1.32
    body = Style(
        size, leading, color, space_before=size * 0.35, align="left" if left else "justify"
    )
    bullet = Style(
        size, leading, color, space_before=size * 0.25, indent=size * 1.1, align=body.align
    )
    heading = Style(
        size * 1.08,
        size * 1.08 * 1.25,
        color,
        space_before=size * 0.7,
        keep_with_next=True,
        align="left",
    )
    paras: list[Para] = []
    for line in iter_lines(text):
        m = BULLET_RE.match(line)
        if m:
            paras.append(Para(((line[m.end() :], fonts.regular),), bullet, bullet="–"))
            continue
        lead = LEAD_RE.match(line)
        if lead:
            head = lead.group(1)
            paras.append(Para(((head, fonts.bold), (line[lead.end() :], fonts.regular)), body))
        elif HEADING_RE.match(line) and len(line) <= 70 and not line.endswith((".", ";", ",")):
            paras.append(Para(((line, fonts.bold),), heading))
        else:
            paras.append(Para(((line, fonts.regular),), body))
    return paras


def draw_block(
    c: Canvas,
    lines: list[str],
    face: Face,
    size: float,
    x: float,
    top: float,
    width: float,
    color: CMYKColor = BLACK,
    align: str = "left",
    leading: float = 1.2,
) -> float:
    """Draw pre-wrapped lines from `top` down; returns the y below the last line."""
    c.setFillColor(color)
    c.setFont(face.name, size)
    y = top - size * 0.94
    for line in lines:
        if align == "center":
            c.drawCentredString(x + width / 2, y, line)
        elif align == "right":
            c.drawRightString(x + width, y, line)
        else:
            c.drawString(x, y, line)
        y -= size * leading
    return top - len(lines) * size * leading
