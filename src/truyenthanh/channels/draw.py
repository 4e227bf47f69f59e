"""Pillow drawing shared by slides and cards: fonts, word wrapping, QR codes.

Fonts are the print fonts (`print.font`, Be Vietnam Pro by default): one family
for the whole district's material. Text is NFC before it is measured; Be Vietnam
Pro has precomposed glyphs for every Vietnamese letter, so stacked diacritics
("Ễ", "Ậ") are drawn as designed without a shaping engine. Lines keep phone
numbers, year ranges and "số 20/KH-UBND" together (the print rule, `printing.fit`).
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from truyenthanh.errors import ChannelError
from truyenthanh.printing.fit import NBSP, split_words

RED = (196, 22, 28)
DARK_RED = (150, 12, 18)
YELLOW = (255, 221, 0)
INK = (28, 28, 28)
GREY = (90, 90, 90)
WHITE = (255, 255, 255)
PAPER = (255, 252, 245)
LEADING = 1.38  # line pitch in em: stacked accents reach ~1.15 em above the baseline


@functools.lru_cache(maxsize=4)
def font_paths(spec: str) -> dict[str, str]:
    """role -> TTF path for the print font family (regular, bold, heavy)."""
    from truyenthanh.printing.font_files import font_files

    return {role: str(path) for role, path in font_files(spec).items()}


@functools.lru_cache(maxsize=256)
def font(spec: str, role: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_paths(spec)[role], size)


@functools.lru_cache(maxsize=1 << 16)
def text_length(face: ImageFont.FreeTypeFont, text: str) -> float:
    """`face.getlength(text)`, remembered: wrapping and paginating measure the same trial lines
    again and again (the sample's e-screen decks: 10,473 measurements of 832 distinct strings,
    0.3 s of the main process before any slide could be encoded)."""
    return face.getlength(text)


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str] | None:
    """Lines of `text` no wider than `width` (None when one unbreakable word is wider)."""
    lines: list[str] = []
    current = ""
    for word in split_words(nfc(text)):
        trial = f"{current} {word}" if current else word
        if text_length(face, trial) <= width:
            current = trial
            continue
        if not current or text_length(face, word) > width:
            return None
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return [line.replace(NBSP, " ") for line in lines]


@dataclass(frozen=True)
class Block:
    """Wrapped text at one size: what is drawn, kept as metadata so it can be checked."""

    lines: tuple[str, ...]
    size: int
    role: str

    @property
    def pitch(self) -> float:
        return self.size * LEADING

    @property
    def height(self) -> float:
        return self.pitch * len(self.lines)


def fit_block(
    spec: str,
    role: str,
    text: str,
    width: float,
    height: float,
    high: int,
    low: int,
    max_lines: int | None = None,
) -> Block | None:
    """The largest size in [low, high] at which `text` fits the box (None when even `low` does not)."""
    for size in range(high, low - 1, -2):
        lines = wrap(text, font(spec, role, size), width)
        if (
            lines is not None
            and len(lines) * size * LEADING <= height
            and (max_lines is None or len(lines) <= max_lines)
        ):
            return Block(tuple(lines), size, role)
    return None


def draw_block(
    img: Image.Image,
    spec: str,
    block: Block,
    x: float,
    y: float,
    width: float,
    fill,
    align: str = "left",
) -> float:
    """Draw `block` with its first line's top at y; return the y below it."""
    d = ImageDraw.Draw(img)
    face = font(spec, block.role, block.size)
    for i, line in enumerate(block.lines):
        base = (
            y + i * block.pitch + block.size * 1.08
        )  # room above the baseline for stacked accents
        lx = x
        if align == "center":
            lx = x + (width - text_length(face, line)) / 2
        d.text((lx, base), line, font=face, fill=fill, anchor="ls")
    return y + block.height


def qr_image(data: str, size: int) -> Image.Image:
    """A QR code `size` pixels wide (quiet zone included), black on white, nearest-neighbour sharp."""
    import segno  # here, not at the top: it imports urllib.request and ssl (~50 ms a start)

    try:
        code = segno.make(data, error="m", micro=False)
    except (segno.DataOverflowError, ValueError) as exc:
        raise ChannelError(f"Không tạo được mã QR cho địa chỉ “{data}”: {exc}.") from None
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=1, border=4)
    small = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return small.resize((size, size), Image.NEAREST)


# zlib level 4, not 6: measured on a 1080x1350 card, 37 ms instead of 48 ms for 3 % more bytes
# (128 kB instead of 124 kB); a 150-commune week has 306 cards. Part of the card's key.
PNG_COMPRESS_LEVEL = 4


def png_bytes(img: Image.Image) -> bytes:
    """PNG bytes of a file people download (the social cards). Slides never go through PNG:
    channels/stills.py hands their pixels to x264 directly."""
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def phone_block(
    spec: str, phones: tuple[str, ...], width: float, height: float, high: int, low: int
) -> Block | None:
    """Hotlines on one line (" · ") when that keeps them large, else one number per line —
    never a number left dangling after a separator."""
    one = " · ".join(phones)
    for size in range(high, low - 1, -2):
        face = font(spec, "heavy", size)
        if text_length(face, one) <= width and size * LEADING <= height and size >= high * 0.7:
            return Block((one,), size, "heavy")
        if (
            all(text_length(face, p) <= width for p in phones)
            and len(phones) * size * LEADING <= height
        ):
            return Block(tuple(phones), size, "heavy")
    return None
