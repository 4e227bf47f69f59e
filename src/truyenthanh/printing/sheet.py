"""A print page's geometry, and what the planner asks of it (a banner's scale, its file name).

No reportlab here: the main process declares the print jobs with these; the workers draw
(printing/page.py and the layouts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from truyenthanh import layout
from truyenthanh.config import BannerSize, PrintSettings

MM = 72.0 / 25.4
MAX_PAGE_PT = 14400.0  # many RIPs (and Acrobat) refuse larger user space pages
REDUCED_SCALE = 10
DEFAULT_SLUG_MM = 12.0


def setting(settings: Any, name: str, default: Any) -> Any:
    """Read an optional PrintSettings field that the schema may not have (yet)."""
    value = getattr(settings, name, None)
    return default if value is None else value


@dataclass(frozen=True)
class Sheet:
    """Geometry of one print page in drawing units (points ÷ scale)."""

    trim_w_mm: float
    trim_h_mm: float
    bleed_mm: float
    slug_mm: float
    scale: int = 1

    @property
    def unit(self) -> float:
        """Drawing units per physical millimetre."""
        return MM / self.scale

    def mm(self, value: float) -> float:
        return value * self.unit

    @property
    def trim_w(self) -> float:
        return self.mm(self.trim_w_mm)

    @property
    def trim_h(self) -> float:
        return self.mm(self.trim_h_mm)

    @property
    def bleed(self) -> float:
        return self.mm(self.bleed_mm)

    @property
    def offset(self) -> float:
        """Trim origin inside the media."""
        return self.mm(self.bleed_mm + self.slug_mm)

    @property
    def media(self) -> tuple[float, float]:
        return (self.trim_w + 2 * self.offset, self.trim_h + 2 * self.offset)

    @property
    def physical_media_pt(self) -> tuple[float, float]:
        w, h = self.media
        return (w * self.scale, h * self.scale)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        o = self.offset
        return (o, o, o + self.trim_w, o + self.trim_h)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.trim_box
        b = self.bleed
        return (x0 - b, y0 - b, x1 + b, y1 + b)


def needs_reduced_scale(
    trim_w_mm: float, trim_h_mm: float, bleed_mm: float, slug_mm: float
) -> bool:
    sheet = Sheet(trim_w_mm, trim_h_mm, bleed_mm, slug_mm, 1)
    return max(sheet.media) > MAX_PAGE_PT


def banner_scale(size: BannerSize, settings: PrintSettings) -> int:
    """1 when the true-size MediaBox fits 14,400 pt, otherwise 10."""
    slug = setting(settings, "slug_mm", DEFAULT_SLUG_MM)
    return (
        REDUCED_SCALE
        if needs_reduced_scale(size.width_mm, size.height_mm, size.bleed_mm, slug)
        else 1
    )


def banner_file_name(
    announcement_id: str,
    size: BannerSize,
    bleed_mm: float,
    suffix: str = "",
    slug_mm: float = DEFAULT_SLUG_MM,
) -> str:
    """The download name without its week (layout.print_name): `<id>_bang-ron-0.8x5m.pdf`, `…-1.2x6m-1to10.pdf`.

    `suffix` is an area id for a per-area variant. Pass `slug_mm=settings.slug_mm`
    when the project changes the slug, so the name agrees with `banner_scale`.
    """
    reduced = needs_reduced_scale(size.width_mm, size.height_mm, bleed_mm, slug_mm)
    size_label = f"{size.label}-1to{REDUCED_SCALE}" if reduced else size.label
    return layout.print_name(announcement_id, "banner", size_label, suffix or None)
