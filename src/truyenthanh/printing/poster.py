"""Posters (panô, áp phích): one layout, A3 to A0, scaled by paper size.

The layout is computed once at A3 width (297 mm) and drawn under a uniform
scale k = paper width / 297, so the line breaks, proportions and reading
distance grow with the paper; only bleed, crop marks and slug stay at true
size. Grounds that touch the trim run out into the bleed.

Fidelity: a poster carries the whole approved body (summary as its lead) at a
legible size, or — when the body cannot fit at MIN_BODY and the announcement
has a summary and a QR target with its full text — a digest (title, summary,
slogan, contacts) that says so in its metadata (`omits`, copied into the run
report's notes) and points its QR to the full text. Otherwise it is a
Vietnamese error for this poster alone.
"""

from __future__ import annotations

import io
import logging

from reportlab.pdfgen.canvas import Canvas

from truyenthanh.config import Issuer, PrintSettings
from truyenthanh.domain import PAPER_MM, POSTER_PAPERS
from truyenthanh.errors import PrintError
from truyenthanh.printing.common import clean, fonts_for, nfc_model, one_line, setting
from truyenthanh.printing.fit import fit_slogan, largest, wrap
from truyenthanh.printing.flow import Frame, Para, Style, body_paras, draw, draw_block, layout
from truyenthanh.printing.fonts import FontSet
from truyenthanh.printing.page import BLACK, WHITE, cmyk, draw_marks, print_canvas, slug_text
from truyenthanh.printing.qr import QrTarget, draw_qr, qr_target
from truyenthanh.printing.sheet import MM, Sheet
from truyenthanh.render import RenderedText

log = logging.getLogger(__name__)

BASE_W_MM = 297.0
MARGIN_MM = 18.0
MIN_BODY = 14.0  # at A3; ~28 pt on A1, readable from a few metres
MAX_BODY = 40.0
YELLOW = (0, 0, 100, 0)


def poster_pdf(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, paper: str, file_name: str
) -> bytes:
    return poster_print(text, issuer, settings, paper, file_name)[0]


def poster_print(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, paper: str, file_name: str
) -> tuple[bytes, dict]:
    """The poster PDF and its metadata: `qr` (target), `body_pt`, and `note` when it omits the body."""
    issuer = nfc_model(issuer)
    if paper not in POSTER_PAPERS:
        raise PrintError(
            f"Khổ áp phích “{paper}” không hỗ trợ; hãy dùng một trong {', '.join(POSTER_PAPERS)}."
        )
    trim_w, trim_h = PAPER_MM[paper]
    bleed = float(setting(settings, "bleed_mm", 3.0))
    sheet = Sheet(trim_w, trim_h, bleed, float(setting(settings, "slug_mm", 12.0)))
    k = trim_w / BASE_W_MM
    W, H = BASE_W_MM * MM, trim_h / k * MM  # layout space (A3 width)
    fonts = fonts_for(settings)
    title = one_line(text.title)
    category = one_line(text.category)
    summary = one_line(text.summary)
    slogan = clean(text.slogans[0]) if text.slogans else ""
    target = qr_target(text, issuer, settings)
    url = target.url
    body = clean(text.body)
    fonts.require(
        [
            title,
            category,
            summary,
            slogan.upper(),
            url,
            body,
            issuer.name.upper(),
            issuer.station,
            issuer.one_stop_address,
            " ".join(issuer.hotlines),
            "ĐƯỜNG DÂY NÓNG: Quét mã để xem toàn văn",
        ],
        f"áp phích của thông báo “{text.announcement_id}”",
    )
    accent = cmyk(setting(settings, "accent", (0, 100, 100, 10)))
    ground = accent  # one red on the sheet
    letters = cmyk(setting(settings, "banner_text", YELLOW))

    buf = io.BytesIO()
    c = print_canvas(
        buf, sheet, fonts, title=f"Áp phích {paper}: {title}", author=issuer.name, subject=category
    )
    ox, oy, _, _ = sheet.trim_box
    c.saveState()
    c.translate(ox, oy)
    c.scale(k, k)
    ext = sheet.bleed / k  # the bleed, in layout units
    m = MARGIN_MM * MM
    inner = W - 2 * m

    # header band: issuer, category, title
    issuer_lines = wrap(issuer.name.upper(), fonts.bold, 13, inner)
    cat_lines = wrap(category.upper(), fonts.bold, 17, inner) if category else []
    t_fit = fit_slogan(
        title,
        fonts.heavy,
        inner,
        95 * MM,
        uppercase=False,
        what="tiêu đề",
        max_size=60,
        line_gap=0.3,
    )
    band_h = 14 * MM + len(issuer_lines) * 13 * 1.25 + 5 * MM + len(cat_lines) * 17 * 1.25 + 9 * MM
    band_h += t_fit.block_h + 13 * MM
    c.setFillColor(accent)
    c.rect(-ext, H - band_h, W + 2 * ext, band_h + ext, stroke=0, fill=1)
    y = draw_block(c, issuer_lines, fonts.bold, 13, m, H - 14 * MM, inner, WHITE, "center", 1.25)
    y -= 5 * MM
    if cat_lines:
        y = draw_block(c, cat_lines, fonts.bold, 17, m, y, inner, cmyk(YELLOW), "center", 1.25)
    c.setFillColor(WHITE)
    t_fit.draw(c, fonts.heavy.name, W / 2, y - 9 * MM, ink_top=True)

    # footer: hotline, address, QR
    foot_h = 62 * MM
    _footer(c, fonts, issuer, target, accent, m, inner, foot_h)

    # slogan band
    bottom = foot_h
    if slogan:
        band = 46 * MM
        c.setFillColor(ground)
        c.rect(-ext, foot_h, W + 2 * ext, band, stroke=0, fill=1)
        fit = fit_slogan(slogan, fonts.heavy, inner, band - 12 * MM, what="khẩu hiệu áp phích")
        c.setFillColor(letters)
        fit.draw(c, fonts.heavy.name, W / 2, foot_h + band - 6 * MM)
        bottom = foot_h + band

    # lead text between the header and the slogan band
    frame = Frame(m, H - band_h - 12 * MM, inner, (H - band_h - 12 * MM) - (bottom + 10 * MM))
    size, laid, omits = _fit_lead(summary, body, fonts, frame, text.announcement_id, target, paper)
    draw(c, laid.placed, frame, dy=-(laid.last_y - (frame.top - frame.height)) / 2)
    c.restoreState()

    slug = slug_text(
        file_name,
        trim_w,
        trim_h,
        1,
        bleed,
        text.valid_from,
        1,
        1,
        f"{text.announcement_id}  ·  áp phích {paper}, bố cục A3 × {k:.3g}  ·  chữ nội dung "
        f"{size * k:.0f} pt  ·  {'tóm tắt, không in toàn văn' if omits else 'toàn văn'}  ·  "
        f"{target.slug_vi}",
    )
    draw_marks(c, sheet, fonts, slug)
    c.showPage()
    c.save()
    meta = {"qr": url, "qr_full_text": target.full_text, "body_pt": round(size * k, 1)}
    if omits:
        meta["note"] = omits
    return buf.getvalue(), meta


def _fit_lead(
    summary: str, body: str, fonts: FontSet, frame: Frame, ann_id: str, target: QrTarget, paper: str
):
    """(size, layout, omits): the whole body under the summary, else a digest that says what it omits."""
    whole = _largest(summary, body, fonts, frame)
    if whole is not None:
        return whole[0], whole[1], ""
    if summary and target.full_text:
        digest = _largest(
            summary, "Toàn văn thông báo: quét mã QR ở chân áp phích.", fonts, frame, MAX_BODY
        )
        if digest is not None:
            words = len(body.split())
            return (
                digest[0],
                digest[1],
                (
                    f"Áp phích {paper} không in toàn văn ({words} chữ, không vừa ở cỡ chữ tối thiểu {MIN_BODY:g} pt): "
                    f"in tiêu đề, tóm tắt, khẩu hiệu và liên hệ; mã QR dẫn tới toàn văn ({target.url})."
                ),
            )
    raise PrintError(
        f"Nội dung thông báo “{ann_id}” quá dài cho áp phích {paper}: ở cỡ chữ tối thiểu {MIN_BODY:g} pt (khổ A3) "
        "không đặt vừa toàn văn, và áp phích không được bỏ bớt chữ mà không báo. Hãy rút gọn nội dung, bỏ áp phích "
        "khỏi outputs, hoặc thêm mục summary cùng địa chỉ toàn văn (url của thông báo hoặc print.public_base_url) "
        "để áp phích in bản tóm tắt có mã QR dẫn tới toàn văn."
    )


def _lead_paras(lead: str, rest: str, fonts: FontSet, size: float) -> list[Para]:
    out = []
    if lead:
        ls = size * (1.3 if rest else 1.0)
        out.append(
            Para(
                ((lead, fonts.bold),),
                Style(ls, ls * 1.3, BLACK, space_after=size * 0.6, align="left"),
            )
        )
    if rest:
        out.extend(body_paras(rest, fonts, size, BLACK, left=True))
    return out


def _largest(lead: str, rest: str, fonts: FontSet, frame: Frame, top: float = MAX_BODY * 0.7):
    """(size, layout) of the largest setting in [MIN_BODY, top] that fits the frame, or None."""

    def attempt(size: float):
        laid = layout(_lead_paras(lead, rest, fonts, size), lambda i: frame if i == 0 else None)
        return None if laid.overflow else laid

    fitted = largest(attempt, MIN_BODY, MAX_BODY if not rest else top)
    return (fitted.size, fitted.result) if fitted.fits else None


def _footer(
    c: Canvas,
    fonts: FontSet,
    issuer: Issuer,
    target: QrTarget,
    accent,
    m: float,
    inner: float,
    foot_h: float,
):
    url = target.url
    qr = 42 * MM
    qx = m + inner - qr
    draw_qr(c, url, qx, (foot_h - qr) / 2 + 2 * MM, qr)
    text_w = inner - qr - 8 * MM
    y = foot_h - 10 * MM
    y = draw_block(c, ["ĐƯỜNG DÂY NÓNG"], fonts.heavy, 15, m, y, text_w, accent)
    y -= 1 * MM
    y = draw_block(
        c,
        wrap("   ·   ".join(issuer.hotlines), fonts.heavy, 22, text_w),
        fonts.heavy,
        22,
        m,
        y,
        text_w,
    )
    y -= 2 * MM
    y = draw_block(
        c,
        wrap(issuer.one_stop_address, fonts.regular, 11, text_w),
        fonts.regular,
        11,
        m,
        y,
        text_w,
        BLACK,
        "left",
        1.25,
    )
    y -= 1 * MM
    y = draw_block(
        c,
        wrap(f"{target.caption_vi}: {url}", fonts.regular, 11, text_w),
        fonts.regular,
        11,
        m,
        y,
        text_w,
        BLACK,
        "left",
        1.25,
    )
    draw_block(
        c,
        wrap(issuer.station, fonts.bold, 10, text_w),
        fonts.bold,
        10,
        m,
        max(y - 2 * MM, 10 * MM + 10),
        text_w,
        accent,
        "left",
        1.25,
    )
