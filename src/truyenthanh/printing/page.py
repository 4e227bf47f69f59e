"""The print-shop page: media, bleed, trim, crop marks, fold marks and the slug line.

MediaBox = trim + 2 × (bleed + slug). TrimBox and BleedBox are written exactly.
Crop marks are drawn by hand in the slug, starting 1 mm outside the bleed, so
they never print on the finished piece (reportlab's built-in `cropMarks`
stretched the artwork and wrote no boxes). A page drawn at 1:`scale` keeps
every length divided by `scale`; pikepdf later sets `/UserUnit` to `scale`.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from truyenthanh.config import Cmyk
from truyenthanh.printing.fonts import FontSet
from truyenthanh.printing.sheet import Sheet

SLUG_TEXT_BAND_MM = 5.0  # the slug line's strip at the outer edge of the bottom slug

REGISTRATION = CMYKColor(1, 1, 1, 1)
BLACK = CMYKColor(0, 0, 0, 1)
WHITE = CMYKColor(0, 0, 0, 0)


def cmyk(value: Cmyk) -> CMYKColor:
    """Config colours are percentages 0–100."""
    c, m, y, k = value
    return CMYKColor(c / 100.0, m / 100.0, y / 100.0, k / 100.0)


def fmt_mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def fmt_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def new_canvas(
    buf: io.BytesIO,
    pagesize: tuple[float, float],
    fonts: FontSet,
    title: str,
    author: str,
    subject: str,
    trim_box: tuple[float, float, float, float] | None = None,
    bleed_box: tuple[float, float, float, float] | None = None,
) -> Canvas:
    """A CMYK-only, deterministic canvas whose initial font is embedded (never Helvetica)."""
    c = Canvas(
        buf,
        pagesize=pagesize,
        invariant=1,
        pageCompression=1,
        enforceColorSpace="cmyk",
        initialFontName=fonts.regular.name,
        initialFontSize=10,
        trimBox=trim_box,
        bleedBox=bleed_box,
        lang="vi",
    )
    c.setTitle(title)
    c.setAuthor(author)
    c.setSubject(subject)
    c.setCreator("truyenthanh")
    c.setProducer("truyenthanh (reportlab)")
    return c


def print_canvas(
    buf: io.BytesIO, sheet: Sheet, fonts: FontSet, title: str, author: str, subject: str
) -> Canvas:
    return new_canvas(
        buf, sheet.media, fonts, title, author, subject, sheet.trim_box, sheet.bleed_box
    )


def fill_bleed(
    c: Canvas, sheet: Sheet, color: CMYKColor, x0: float, y0: float, x1: float, y1: float
) -> None:
    """Fill a trim-relative rectangle, pushing edges that touch the trim out to the bleed."""
    tx0, ty0, tx1, ty1 = sheet.trim_box
    eps = 1e-6
    b = sheet.bleed
    ax0 = tx0 + x0 - (b if x0 <= eps else 0)
    ay0 = ty0 + y0 - (b if y0 <= eps else 0)
    ax1 = tx0 + x1 + (b if x1 >= sheet.trim_w - eps else 0)
    ay1 = ty0 + y1 + (b if y1 >= sheet.trim_h - eps else 0)
    c.setFillColor(color)
    c.rect(ax0, ay0, ax1 - ax0, ay1 - ay0, stroke=0, fill=1)


def draw_marks(
    c: Canvas, sheet: Sheet, fonts: FontSet, slug: str, folds_x_mm: tuple[float, ...] = ()
) -> None:
    """Crop marks at the four corners, optional fold marks, and the slug line."""
    x0, y0, x1, y1 = sheet.trim_box
    gap = sheet.bleed + sheet.mm(1.0)
    # marks stop short of the slug line's band so a fold mark never crosses the text
    length = sheet.mm(max(2.0, min(5.0, sheet.slug_mm - SLUG_TEXT_BAND_MM - 1.0)))
    c.saveState()
    c.setStrokeColor(REGISTRATION)
    c.setLineWidth(0.25 / sheet.scale)
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            c.line(x + sx * gap, y, x + sx * (gap + length), y)
            c.line(x, y + sy * gap, x, y + sy * (gap + length))
    if folds_x_mm:
        c.setDash(sheet.mm(1.0), sheet.mm(0.8))
        for fx in folds_x_mm:
            x = x0 + sheet.mm(fx)
            c.line(x, y1 + gap, x, y1 + gap + length)
            c.line(x, y0 - gap, x, y0 - gap - length)
    c.restoreState()
    draw_slug(c, sheet, fonts, slug)


def draw_slug(c: Canvas, sheet: Sheet, fonts: FontSet, slug: str) -> None:
    """The slug line sits in the bottom slug strip, between the crop marks."""
    x0, y0, x1, _ = sheet.trim_box
    inset = sheet.mm(min(8.0, sheet.trim_w_mm / 10))
    avail = (x1 - x0) - 2 * inset
    size = 6.5 / sheet.scale
    width = fonts.regular.width(slug, size)
    if width > avail:
        size *= avail / width
    baseline = y0 - sheet.bleed - sheet.mm(max(sheet.slug_mm - 2.5, sheet.slug_mm * 0.55))
    c.saveState()
    c.setFillColor(BLACK)
    c.setFont(fonts.regular.name, size)
    c.drawString(x0 + inset, baseline, slug)
    c.restoreState()


def slug_text(
    file_name: str,
    trim_w_mm: float,
    trim_h_mm: float,
    scale: int,
    bleed_mm: float,
    day: dt.date,
    page: int,
    pages: int,
    extra: str = "",
) -> str:
    scale_note = (
        "1:1"
        if scale == 1
        else f"1:{scale} (UserUnit {scale}; RIP không đọc UserUnit thì phóng {scale * 100}%)"
    )
    parts = [
        file_name,
        f"thành phẩm {fmt_mm(trim_w_mm)} × {fmt_mm(trim_h_mm)} mm",
        f"tỉ lệ {scale_note}",
        f"tràn lề {fmt_mm(bleed_mm)} mm",
        f"ngày {fmt_date(day)}",
        f"trang {page}/{pages}",
    ]
    if extra:
        parts.append(extra)
    return "  ·  ".join(parts)
