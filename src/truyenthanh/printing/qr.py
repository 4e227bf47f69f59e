"""QR codes as vector CMYK squares (segno computes the matrix; we draw it).

Dark modules are merged into horizontal runs, one rectangle each, so a
version-4 code is a few hundred path operations and prints razor sharp at any
size. Black is pure K so the code never misregisters across plates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from truyenthanh import layout
from truyenthanh.config import Issuer, PrintSettings
from truyenthanh.errors import PrintError
from truyenthanh.render import RenderedText

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 4


def qr_matrix(data: str) -> list[list[bool]]:
    import segno  # here, not at the top: it imports urllib.request and ssl (~50 ms a start)

    try:
        code = segno.make(data, error="m", micro=False)
    except (segno.DataOverflowError, ValueError) as exc:
        raise PrintError(f"Không tạo được mã QR cho địa chỉ “{data}”: {exc}.") from None
    return [[bool(v) for v in row] for row in code.matrix_iter(border=0)]


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float, quiet: bool = True) -> None:
    """Draw the code for `data` with its lower-left corner at (x, y), `size` wide including the quiet zone."""
    from truyenthanh.printing.page import BLACK, WHITE  # reportlab: the workers', not the planner's

    rows = qr_matrix(data)
    n = len(rows)
    total = n + (2 * QUIET_MODULES if quiet else 0)
    module = size / total
    off = QUIET_MODULES * module if quiet else 0.0
    c.saveState()
    if quiet:
        c.setFillColor(WHITE)
        c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(BLACK)
    path = c.beginPath()
    for r, row in enumerate(rows):
        top = y + size - off - r * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(x + off + start * module, top - module, (col - start) * module, module)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


@dataclass(frozen=True)
class QrTarget:
    """Where a leaflet's or poster's QR code leads, and whether the full approved text is there."""

    url: str
    full_text: bool
    slug_vi: str  # for the slug line: which target was chosen
    caption_vi: str  # printed next to the code


def qr_target(text: RenderedText, issuer: Issuer, settings: PrintSettings) -> QrTarget:
    """The announcement's own page when the project has a public base URL, else its `url`, else the portal."""
    base = getattr(settings, "public_base_url", None)
    if base:
        url = layout.announcement_page_url(base, text.announcement_id)
        return QrTarget(
            url, True, "mã QR: trang riêng của thông báo (toàn văn)", "Quét mã để xem toàn văn"
        )
    own = " ".join((text.url or "").split())
    if own:
        return QrTarget(own, True, "mã QR: địa chỉ url của thông báo", "Quét mã để xem toàn văn")
    portal = " ".join((issuer.portal_url or "").split())
    return QrTarget(
        portal,
        False,
        "mã QR: cổng dịch vụ công (chưa có trang toàn văn)",
        "Quét mã để vào cổng dịch vụ công",
    )
