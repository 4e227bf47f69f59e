"""Tri-fold leaflet (tờ gấp): A4 landscape, two pages, letter (roll) fold.

Page 1 is the outside [flap | back | cover], page 2 the inside [1 | 2 | 3]; the
flap folds in, so it is narrower (97 mm against 100 mm), and page 2 is page 1
turned over like a book page (duplex, flip on the short edge). The text runs
inside 1 → 2 → 3 and ends on the flap; its size is found by binary search so it
fills those four panels.
"""

from __future__ import annotations

import io
import logging

from truyenthanh.config import Area, Issuer, PrintSettings
from truyenthanh.domain import landscape
from truyenthanh.errors import PrintError
from truyenthanh.printing.common import clean, fonts_for, nfc_model, one_line, setting
from truyenthanh.printing.fit import fit_slogan, fit_wrapped, largest, wrap
from truyenthanh.printing.flow import (
    Frame,
    Para,
    Style,
    body_paras,
    draw,
    draw_block,
    heading_paras,
    layout,
)
from truyenthanh.printing.fonts import FontSet
from truyenthanh.printing.page import (
    BLACK,
    WHITE,
    cmyk,
    draw_marks,
    fill_bleed,
    print_canvas,
    slug_text,
)
from truyenthanh.printing.qr import QrTarget, draw_qr, qr_target
from truyenthanh.printing.sheet import MM, Sheet
from truyenthanh.render import RenderedText

log = logging.getLogger(__name__)

FLAP_MM = 97.0
OUTSIDE_MM = (FLAP_MM, 100.0, 100.0)  # flap | back | cover
INSIDE_MM = (100.0, 100.0, FLAP_MM)  # 1 | 2 | 3 (3 is the back of the flap)
EDGE_MM = 8.0  # from the trim edge
FOLD_MM = 7.0  # from a fold
TOP_MM = 11.0
BOTTOM_MM = 11.0
MIN_SIZE = 6.5
MAX_SIZE = 12.5
MAX_SIZE_SHORT = 20.0  # a short text on three panels: large type suits older readers
YELLOW = (0, 0, 100, 0)


def panel_spans(widths: tuple[float, ...]) -> list[tuple[float, float]]:
    spans, x = [], 0.0
    for w in widths:
        spans.append((x, x + w))
        x += w
    return spans


def _text_box(span: tuple[float, float], total_w: float) -> tuple[float, float]:
    """Inner x range (mm) of a panel: a wider margin at the trim, a narrower one at a fold."""
    x0, x1 = span
    left = EDGE_MM if x0 <= 0 else FOLD_MM
    right = EDGE_MM if x1 >= total_w else FOLD_MM
    return x0 + left, x1 - right


def leaflet_pdf(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, area: Area | None, file_name: str
) -> bytes:
    return leaflet_print(text, issuer, settings, area, file_name)[0]


def leaflet_print(
    text: RenderedText, issuer: Issuer, settings: PrintSettings, area: Area | None, file_name: str
) -> tuple[bytes, dict]:
    """The leaflet PDF and its metadata (`qr`, `body_pt`). A leaflet always carries the whole body."""
    issuer, area = nfc_model(issuer), nfc_model(area)
    paper = setting(settings, "leaflet_paper", "A4")
    if paper != "A4":
        raise PrintError(f"Khổ giấy tờ gấp “{paper}” chưa được hỗ trợ; hãy dùng A4.")
    trim_w, trim_h = landscape(paper)
    bleed = float(setting(settings, "bleed_mm", 3.0))
    sheet = Sheet(trim_w, trim_h, bleed, float(setting(settings, "slug_mm", 12.0)))
    fonts = fonts_for(settings)
    title, body = one_line(text.title), clean(text.body)
    summary = one_line(text.summary)
    category = one_line(text.category)
    target = qr_target(text, issuer, settings)
    url = target.url
    area_line = f"Dành cho nhân dân {area.kind} {area.name}" if area else ""
    fonts.require(
        [
            title,
            body,
            summary,
            category,
            url,
            area_line,
            issuer.name,
            issuer.station,
            issuer.one_stop_address,
            " ".join(issuer.hotlines),
            _footer(issuer),
            "ĐƯỜNG DÂY NÓNG BỘ PHẬN MỘT CỬA QUÉT MÃ QR",
        ],
        f"tờ gấp của thông báo “{text.announcement_id}”",
    )
    if not body:
        raise PrintError(f"Thông báo “{text.announcement_id}” không có nội dung để in tờ gấp.")

    accent = cmyk(setting(settings, "accent", (0, 100, 100, 10)))
    inside = panel_spans(INSIDE_MM)
    outside = panel_spans(OUTSIDE_MM)
    # reading order: inside 1, 2, 3, then the flap (page 1, left)
    text_panels = [(1, inside[0]), (1, inside[1]), (1, inside[2]), (0, outside[0])]
    frames = []
    for page, span in text_panels:
        x0, x1 = _text_box(span, trim_w)
        frames.append(
            (
                page,
                Frame(
                    sheet.offset + x0 * MM,
                    sheet.offset + (trim_h - TOP_MM) * MM,
                    (x1 - x0) * MM,
                    (trim_h - TOP_MM - BOTTOM_MM) * MM,
                ),
            )
        )

    size, laid, paras = _fit_body(
        title, body, fonts, accent, [f for _, f in frames], text.announcement_id, MAX_SIZE
    )
    flap_feature = laid.frames_used < len(frames)
    shift = 0.0
    if flap_feature:
        # a short text: set it larger on the three inside panels; the flap gets slogans and the summary
        frames = frames[:3]
        size, laid, paras = _fit_body(
            title, body, fonts, accent, [f for _, f in frames], text.announcement_id, MAX_SIZE_SHORT
        )
        frames, laid = _balance(paras, frames, laid)
        # level columns sit in the middle of the panels, not above an empty band at the foot
        shift = ((trim_h - TOP_MM - BOTTOM_MM) * MM - frames[0][1].height) / 2
    log.debug("leaflet %s: body %.2f pt", text.announcement_id, size)
    slogans = [clean(s) for s in text.slogans if clean(s)]
    # the summary is printed once: on the cover, or on the flap when the flap has no slogans to show
    flap_summary = flap_feature and not slogans and bool(summary)
    if flap_feature:
        fonts.require(
            [s.upper() for s in slogans], f"khẩu hiệu của thông báo “{text.announcement_id}”"
        )

    buf = io.BytesIO()
    c = print_canvas(
        buf, sheet, fonts, title=f"Tờ gấp: {title}", author=issuer.name, subject=category
    )
    pages = (("mặt ngoài (tấm gập | mặt sau | bìa)", outside), ("mặt trong (1 | 2 | 3)", inside))
    for page_no, (label, spans) in enumerate(pages):
        if page_no == 0:
            _cover(
                c,
                sheet,
                fonts,
                spans[2],
                title,
                category,
                "" if flap_summary else summary,
                issuer,
                area_line,
                text,
                accent,
            )
            _back(c, sheet, fonts, spans[1], issuer, target, accent)
            if flap_feature:
                _flap_feature(
                    c,
                    sheet,
                    fonts,
                    spans[0],
                    summary if flap_summary else "",
                    slogans,
                    title,
                    accent,
                )
        for fi, (page, frame) in enumerate(frames):
            if page == page_no:
                draw(c, [p for p in laid.placed if p.frame == fi], frame, dy=-shift)
        folds = tuple(s[1] for s in spans[:-1])
        slug = slug_text(
            file_name,
            trim_w,
            trim_h,
            1,
            bleed,
            text.valid_from,
            page_no + 1,
            2,
            f"{label}  ·  in 2 mặt, lật cạnh ngắn  ·  gấp 3: {'/'.join(f'{w:g}' for w in OUTSIDE_MM)} mm  ·  "
            f"chữ {size:.1f} pt  ·  {text.announcement_id}  ·  {target.slug_vi}",
        )
        draw_marks(c, sheet, fonts, slug, folds_x_mm=folds)
        c.showPage()
    c.save()
    return buf.getvalue(), {"qr": url, "qr_full_text": target.full_text, "body_pt": size}


def _paras(title: str, body: str, fonts: FontSet, accent, size: float, width: float) -> list[Para]:
    """The title (broken between phrases, one paragraph per line) and the body."""
    hs = size * 1.55
    heads = heading_paras(
        title, fonts.heavy, Style(hs, hs * 1.2, accent, space_after=size * 0.5), width
    )
    return [*heads, *body_paras(body, fonts, size, left=size >= 13)]  # narrow measure: ragged right


def _fit_body(title, body, fonts, accent, frames: list[Frame], ann_id: str, max_size: float):
    """Largest body size whose whole text fits the text panels; an error when not even MIN_SIZE does."""

    def attempt(size: float):
        paras = _paras(title, body, fonts, accent, size, frames[0].width)
        laid = layout(paras, lambda i: frames[i] if i < len(frames) else None)
        return None if laid.overflow else (laid, paras)

    fitted = largest(attempt, MIN_SIZE, max_size, step=0.05)
    if fitted.result is None:
        paras = _paras(title, body, fonts, accent, MIN_SIZE, frames[0].width)
        over = layout(paras, lambda i: frames[i] if i < len(frames) else None).overflow
        raise PrintError(
            f"Nội dung thông báo “{ann_id}” quá dài cho tờ gấp A4 gấp 3: ở cỡ chữ nhỏ nhất {MIN_SIZE:g} pt "
            f"vẫn thừa khoảng {over} dòng. Hãy rút gọn nội dung hoặc in thành tài liệu riêng."
        )
    laid, paras = fitted.result
    return round(fitted.size, 2), laid, paras


def _balance(paras: list[Para], frames: list, laid):
    """Shorten all text panels alike until the text just still fits, so the columns end level."""
    full = frames[0][1].height

    def shrunk(h: float) -> list:
        return [(p, Frame(f.x, f.top, f.width, h)) for p, f in frames]

    def attempt(cut: float):
        fs = shrunk(full - cut)
        res = layout(paras, lambda i: fs[i][1] if i < len(fs) else None)
        return None if res.overflow else (fs, res)

    fitted = largest(attempt, 0.0, full * 0.7, step=1.0)
    return fitted.result if fitted.result is not None else (frames, laid)


def _footer(issuer: Issuer) -> str:
    return "Tài liệu tuyên truyền, phát miễn phí"


def _cover(
    c,
    sheet: Sheet,
    fonts: FontSet,
    span,
    title,
    category,
    summary,
    issuer: Issuer,
    area_line,
    text,
    accent,
):
    x0_mm, x1_mm = span
    # the ground runs past the fold by the bleed width, so a fold a little off never shows a white edge
    fill_bleed(c, sheet, accent, (x0_mm - sheet.bleed_mm) * MM, 0, x1_mm * MM, sheet.trim_h)
    left_mm, right_mm = _text_box(span, sheet.trim_w_mm)
    x = sheet.offset + left_mm * MM
    w = (right_mm - left_mm) * MM
    top = sheet.offset + (sheet.trim_h_mm - TOP_MM - 2) * MM
    yellow = cmyk(YELLOW)

    issuer_lines = wrap(issuer.name.upper(), fonts.bold, 9.5, w)
    y = draw_block(c, issuer_lines, fonts.bold, 9.5, x, top, w, WHITE, "center")
    c.setStrokeColor(yellow)
    c.setLineWidth(1.2)
    c.line(x + w / 2 - 14 * MM, y - 3 * MM, x + w / 2 + 14 * MM, y - 3 * MM)
    y -= 12 * MM
    if category:
        y = draw_block(
            c, wrap(category.upper(), fonts.bold, 11, w), fonts.bold, 11, x, y, w, yellow, "center"
        )
        y -= 5 * MM

    bottom_info = [ln for ln in (area_line, issuer.station) if ln]
    info_lines = [line for item in bottom_info for line in wrap(item, fonts.regular, 8.5, w)]
    info_h = len(info_lines) * 8.5 * 1.25 + 6 * MM
    bottom = sheet.offset + BOTTOM_MM * MM + info_h

    summary_lines: list[str] = []
    summary_size = 10.0
    if summary:
        summary_size, summary_lines = fit_wrapped(
            summary, fonts.regular, w, 60 * MM, 10.5, 7.5, 1.3
        )
    summary_h = len(summary_lines) * summary_size * 1.3
    title_box = y - bottom - summary_h - (8 * MM if summary_lines else 0)
    t_fit = fit_slogan(
        title, fonts.heavy, w, title_box, uppercase=False, what="tiêu đề", max_size=26, line_gap=0.3
    )
    ty = y - max(0.0, (title_box - t_fit.block_h) / 3)
    c.setFillColor(WHITE)
    t_fit.draw(c, fonts.heavy.name, x + w / 2, ty, ink_top=True)
    ty -= t_fit.block_h
    if summary_lines:
        draw_block(
            c, summary_lines, fonts.regular, summary_size, x, ty - 8 * MM, w, WHITE, "center", 1.3
        )
    draw_block(
        c,
        info_lines,
        fonts.regular,
        8.5,
        x,
        sheet.offset + BOTTOM_MM * MM + len(info_lines) * 8.5 * 1.25,
        w,
        WHITE,
        "center",
        1.25,
    )


def _back(c, sheet: Sheet, fonts: FontSet, span, issuer: Issuer, target: QrTarget, accent) -> None:
    url = target.url
    left_mm, right_mm = _text_box(span, sheet.trim_w_mm)
    x = sheet.offset + left_mm * MM
    w = (right_mm - left_mm) * MM
    y = sheet.offset + (sheet.trim_h_mm - TOP_MM) * MM

    y = draw_block(c, ["ĐƯỜNG DÂY NÓNG"], fonts.heavy, 12, x, y, w, accent, "center")
    y -= 2 * MM
    for number in issuer.hotlines:
        y = draw_block(c, [number], fonts.heavy, 17, x, y, w, BLACK, "center")
    y -= 3 * MM
    y = draw_block(
        c,
        wrap("tiếp nhận phản ánh, kiến nghị về thủ tục hành chính", fonts.regular, 8.5, w),
        fonts.regular,
        8.5,
        x,
        y,
        w,
        BLACK,
        "center",
        1.25,
    )
    y -= 6 * MM
    y = draw_block(c, ["BỘ PHẬN MỘT CỬA"], fonts.heavy, 11, x, y, w, accent, "center")
    y -= 1.5 * MM
    y = draw_block(
        c,
        wrap(issuer.one_stop_address, fonts.regular, 9, w),
        fonts.regular,
        9,
        x,
        y,
        w,
        BLACK,
        "center",
        1.3,
    )
    y -= 6 * MM

    footer_lines = wrap(issuer.name, fonts.bold, 8.5, w) + wrap(
        _footer(issuer), fonts.regular, 7.5, w
    )
    footer_top = sheet.offset + BOTTOM_MM * MM + len(footer_lines) * 8.5 * 1.25
    caption = wrap(f"{target.caption_vi}:", fonts.regular, 8, w)
    url_lines = wrap(url, fonts.bold, 8, w)
    caption_h = (len(caption) + len(url_lines)) * 8 * 1.25
    qr_size = min(40 * MM, y - footer_top - caption_h - 8 * MM)
    if qr_size < 18 * MM:
        raise PrintError(
            "Mặt sau tờ gấp không đủ chỗ cho mã QR: địa chỉ một cửa hoặc danh sách đường dây nóng quá dài."
        )
    draw_qr(c, url, x + (w - qr_size) / 2, y - qr_size, qr_size)
    y -= qr_size + 2 * MM
    y = draw_block(c, caption, fonts.regular, 8, x, y, w, BLACK, "center", 1.25)
    draw_block(c, url_lines, fonts.bold, 8, x, y, w, accent, "center", 1.25)

    names = wrap(issuer.name, fonts.bold, 8.5, w)
    yy = draw_block(c, names, fonts.bold, 8.5, x, footer_top, w, BLACK, "center", 1.25)
    draw_block(
        c,
        wrap(_footer(issuer), fonts.regular, 7.5, w),
        fonts.regular,
        7.5,
        x,
        yy,
        w,
        BLACK,
        "center",
        1.25,
    )


def _flap_feature(
    c, sheet: Sheet, fonts: FontSet, span, summary: str, slogans: list[str], title: str, accent
) -> None:
    """The flap of a short leaflet, designed as a small poster: slogans, else the summary, else the title.

    It is filled in the one red of the sheet, out into the bleed at the trim and
    past the fold by the bleed width, with the words as large as the panel allows.
    """
    x0_mm, x1_mm = span
    fill_bleed(c, sheet, accent, x0_mm * MM, 0, (x1_mm + sheet.bleed_mm) * MM, sheet.trim_h)
    left_mm, right_mm = _text_box(span, sheet.trim_w_mm)
    x = sheet.offset + left_mm * MM
    w = (right_mm - left_mm) * MM
    top = sheet.offset + (sheet.trim_h_mm - TOP_MM) * MM
    bottom = sheet.offset + BOTTOM_MM * MM
    yellow = cmyk(YELLOW)
    if not slogans:
        if summary:
            size, lines = fit_wrapped(summary, fonts.heavy, w, (top - bottom) * 0.8, 24, 9, 1.3)
            block = len(lines) * size * 1.3
            draw_block(
                c,
                lines,
                fonts.heavy,
                size,
                x,
                top - ((top - bottom) - block) / 2,
                w,
                WHITE,
                "left",
                1.3,
            )
        else:
            fit = fit_slogan(
                title,
                fonts.heavy,
                w,
                (top - bottom) * 0.8,
                uppercase=False,
                what="tiêu đề",
                max_size=30,
                line_gap=0.3,
            )
            c.setFillColor(WHITE)
            fit.draw(c, fonts.heavy.name, x + w / 2, top - (top - bottom) * 0.1)
        return
    gap = 10 * MM
    each = (top - bottom - gap * (len(slogans) - 1)) / len(slogans)
    y = top
    for slogan in slogans:
        # mixed case: the longest unbreakable phrase ("cải cách hành chính") sets the size, and it is narrower
        fit = fit_slogan(
            slogan, fonts.heavy, w, each, uppercase=False, what="khẩu hiệu", max_size=34
        )
        c.setFillColor(yellow)
        fit.draw(c, fonts.heavy.name, x + w / 2, y)
        y -= each + gap
