"""Fonts for print: the family's files (printing/font_files.py) registered with reportlab, and
their real ink measured.

Heights are measured from the glyph bounding
boxes in the `glyf` table, because stacked Vietnamese accents ("Ễ", "Ẫ") reach
about 1.15 em, well above the ascent a layout would otherwise assume.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from truyenthanh.errors import PrintError, os_reason
from truyenthanh.printing.font_files import family_files

log = logging.getLogger(__name__)

_SPACE_LIKE = re.compile(r"[^\S\n]+")


@functools.lru_cache(maxsize=8192)  # an operator script cleans every notice's lines (~80 each)
def clean_text(text: str) -> str:
    """NFC, drop invisible format/control characters, fold odd spaces into one space.

    Newlines survive (they are paragraph or author break marks); everything that
    would be printed must then be covered by the font.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\n" or ch == "\t":
            kept.append(" " if ch == "\t" else ch)
        elif cat in ("Cc", "Cf"):
            continue
        else:
            kept.append(ch)
    lines = [_SPACE_LIKE.sub(" ", line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Face:
    """One registered TTF: its reportlab name and real glyph metrics (in em)."""

    name: str
    path: str
    cap_height: float  # em
    ascent: float  # em (typographic)
    descent: float  # em, negative

    @property
    def _ttf(self) -> TTFont:
        return pdfmetrics.getFont(self.name)

    def width(self, text: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, self.name, size)

    def missing(self, text: str) -> list[str]:
        cmap = self._ttf.face.charToGlyph
        return sorted(ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap)

    def ink(self, text: str) -> tuple[float, float]:
        """(lowest, highest) ink of `text` in em, from the glyph bounding boxes."""
        boxes = _glyph_boxes(self.name)
        lo, hi = 0.0, 0.0
        for ch in text:
            box = boxes.get(ord(ch))
            if box is not None:
                lo = min(lo, box[0])
                hi = max(hi, box[1])
        return lo, hi


@dataclass(frozen=True)
class FontSet:
    family: str
    regular: Face
    bold: Face
    heavy: Face

    @property
    def faces(self) -> tuple[Face, ...]:
        return (self.regular, self.bold, self.heavy)

    def require(self, texts: list[str] | tuple[str, ...], what: str) -> None:
        """PrintError naming every character of `texts` that some face lacks."""
        joined = "".join(texts)
        missing: set[str] = set()
        for face in {f.name: f for f in self.faces}.values():
            missing.update(face.missing(joined))
        if missing:
            listed = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in sorted(missing))
            raise PrintError(
                f"Phông chữ “{self.family}” không có {len(missing)} ký tự cần in trong {what}: {listed}. "
                "Hãy sửa văn bản hoặc chọn phông chữ khác có đủ ký tự (mục print.font)."
            )


def load_fonts(spec: str) -> FontSet:
    """Resolve and register the family named by `PrintSettings.font` (cached per process)."""
    return _load_fonts(spec.strip())


@functools.lru_cache(maxsize=8)
def _load_fonts(spec: str) -> FontSet:
    family, paths = family_files(spec)
    faces = {role: _register(path) for role, path in paths.items()}
    return FontSet(
        family=family, regular=faces["regular"], bold=faces["bold"], heavy=faces["heavy"]
    )


def _register(path: Path) -> Face:
    try:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]  # same name on every machine
    except OSError as exc:
        raise PrintError(f"Không đọc được tệp phông chữ {path}: {os_reason(exc)}.") from None
    name = f"TT-{path.stem}-{digest}"
    # Asked of the registry, not of getFont: for a name it does not know, getFont first parses
    # every Type 1 metrics file reportlab ships (~40 ms a font, three fonts per worker a build).
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        try:
            font = TTFont(name, str(path))
        except (TTFError, OSError) as exc:
            raise PrintError(f"Không đọc được tệp phông chữ {path}: {exc}.") from None
        if not getattr(font.face, "charToGlyph", None) or "glyf" not in font.face.table:
            raise PrintError(
                f"Tệp phông chữ {path} không phải phông TrueType (glyf) dùng được để nhúng."
            ) from None
        pdfmetrics.registerFont(font)
    face = font.face
    return Face(
        name=name,
        path=str(path),
        cap_height=face.capHeight / 1000.0,
        ascent=face.ascent / 1000.0,
        descent=face.descent / 1000.0,
    )


@functools.lru_cache(maxsize=16)
def _glyph_boxes(font_name: str) -> dict[int, tuple[float, float]]:
    """codepoint -> (yMin, yMax) in em, read from the glyf table's per-glyph headers."""
    face = pdfmetrics.getFont(font_name).face
    data = face._ttf_data
    base = face.table["glyf"]["offset"]
    upm = float(face.unitsPerEm)
    pos = face.glyphPos
    boxes: dict[int, tuple[float, float]] = {}
    for code, gid in face.charToGlyph.items():
        if gid + 1 >= len(pos) or pos[gid + 1] == pos[gid]:
            continue  # empty glyph (space)
        start = base + pos[gid]
        _, _, y_min, _, y_max = struct.unpack(">hhhhh", data[start : start + 10])
        boxes[code] = (y_min / upm, y_max / upm)
    return boxes
