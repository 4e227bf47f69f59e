"""Banners (băng rôn): one slogan per page, filling the cloth, true size or 1:10.

A page whose MediaBox would pass 14,400 pt is drawn at 1:10 and marked with
`/UserUnit 10`; the scale is stated in the file name, the slug and the order
sheet so nobody prints a 60 cm banner by mistake.
"""

from __future__ import annotations

import io
import logging

from truyenthanh.config import BannerSize, Issuer, PrintSettings
from truyenthanh.errors import PrintError
from truyenthanh.printing.common import clean, fonts_for, nfc_model, set_user_unit, setting
from truyenthanh.printing.fit import fit_slogan
from truyenthanh.printing.page import (
    REGISTRATION,
    cmyk,
    draw_marks,
    fill_bleed,
    print_canvas,
    slug_text,
)
from truyenthanh.printing.sheet import (
    DEFAULT_SLUG_MM,
    Sheet,
    banner_scale,
)
from truyenthanh.render import RenderedText

log = logging.getLogger(__name__)

MIN_LETTER_SHARE = 0.12  # default minimum cap height: 12 % of the banner height


def min_letter_mm(size: BannerSize) -> float:
    return size.min_letter_mm if size.min_letter_mm else MIN_LETTER_SHARE * size.height_mm


def banner_pdf(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, size: BannerSize, file_name: str
) -> bytes:
    return banner_print(text, issuer, settings, size, file_name)[0]


def banner_print(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, size: BannerSize, file_name: str
) -> tuple[bytes, dict]:
    """The banner PDF and its metadata; a banner carries the approved slogans, never the body (its `note`)."""
    issuer = nfc_model(issuer)
    slogans = [clean(s) for s in text.slogans if clean(s)]
    if not slogans:
        raise PrintError(
            f"Thông báo “{text.announcement_id}” chưa có khẩu hiệu (slogans) nên không in được băng rôn."
        )
    uppercase = bool(setting(settings, "banner_uppercase", True))
    shown = [s.upper() if uppercase else s for s in slogans]
    fonts = fonts_for(settings)
    fonts.require(shown, f"khẩu hiệu của thông báo “{text.announcement_id}”")
    face = fonts.heavy

    scale = banner_scale(size, settings)
    sheet = Sheet(
        size.width_mm,
        size.height_mm,
        size.bleed_mm,
        setting(settings, "slug_mm", DEFAULT_SLUG_MM),
        scale,
    )
    margin_y = 0.08 * size.height_mm
    margin_x = margin_y + 0.02 * size.width_mm
    box_w = sheet.mm(size.width_mm - 2 * margin_x)
    box_h = sheet.mm(size.height_mm - 2 * margin_y)
    min_cap = sheet.mm(min_letter_mm(size))
    fits = [
        fit_slogan(
            s,
            face,
            box_w,
            box_h,
            min_cap,
            uppercase,
            what=f"khẩu hiệu băng rôn {size.label}",
            units_per_mm=sheet.unit,
        )
        for s in slogans
    ]

    buf = io.BytesIO()
    c = print_canvas(
        buf,
        sheet,
        fonts,
        title=f"Băng rôn {size.label}: {clean(text.title)}",
        author=issuer.name,
        subject=" / ".join(" ".join(s.replace("|", " ").split()) for s in slogans),
    )
    ground = cmyk(setting(settings, "banner_ground", (0, 100, 100, 0)))
    ink = cmyk(setting(settings, "banner_text", (0, 0, 100, 0)))
    x0, y0, _, y1 = sheet.trim_box
    for page, fit in enumerate(fits, start=1):
        fill_bleed(c, sheet, ground, 0, 0, sheet.trim_w, sheet.trim_h)
        c.setFillColor(ink)
        fit.draw(c, face.name, x0 + sheet.trim_w / 2, y1 - sheet.mm(margin_y))
        hem, eyelets = _hem_and_eyelets(c, sheet, settings)
        extra = (
            f"chữ cao {fit.cap_height / sheet.unit:.0f} mm  ·  {text.announcement_id}  ·  "
            f"viền may {hem:g} mm, {eyelets} khoen mỗi cạnh dài"
        )
        slug = slug_text(
            file_name,
            size.width_mm,
            size.height_mm,
            scale,
            size.bleed_mm,
            text.valid_from,
            page,
            len(fits),
            extra,
        )
        draw_marks(c, sheet, fonts, slug)
        c.showPage()
    c.save()
    data = buf.getvalue()
    if scale != 1:
        data = set_user_unit(data, scale)
    note = (
        f"Băng rôn {size.label} chỉ in {len(slogans)} khẩu hiệu đã duyệt, không in nội dung thông báo "
        "(toàn văn có ở tờ gấp, áp phích hoặc trang của thông báo)."
    )
    return data, {"note": note, "slogans": len(slogans)}


def _hem_and_eyelets(c, sheet: Sheet, settings: PrintSettings) -> tuple[float, int]:
    """Marks in the slug (never on the cloth): the hem fold line at both ends, eyelet centres along both long edges.

    The hem is `banner_hem_mm` deep; eyelets sit in the middle of the hem, one at
    each end and the rest at most `banner_eyelet_spacing_mm` apart, evenly spread.
    """
    hem = float(setting(settings, "banner_hem_mm", 30.0))
    spacing = float(setting(settings, "banner_eyelet_spacing_mm", 500.0))
    x0, y0, x1, y1 = sheet.trim_box
    out = sheet.bleed + sheet.mm(1.0)  # start outside the bleed like the crop marks
    tick = sheet.mm(4.0)
    c.saveState()
    c.setStrokeColor(REGISTRATION)
    c.setLineWidth(0.25 / sheet.scale)
    if hem > 0:
        c.setDash(sheet.mm(1.0), sheet.mm(0.8))
        for y in (
            y0 + sheet.mm(hem),
            y1 - sheet.mm(hem),
        ):  # the fold line of the top and bottom hems
            c.line(x0 - out - tick, y, x0 - out, y)
            c.line(x1 + out, y, x1 + out + tick, y)
        c.setDash()
    span = sheet.trim_w_mm - hem
    count = max(2, int(-(-span // spacing)) + 1)
    r = sheet.mm(1.5)
    for i in range(count):
        x = x0 + sheet.mm(hem / 2 + span * i / (count - 1))
        for y, sy in ((y1 + out, 1), (y0 - out, -1)):
            c.circle(x, y + sy * (tick / 2), r, stroke=1, fill=0)
            c.line(x, y, x, y + sy * tick)
    c.restoreState()
    return hem, count
