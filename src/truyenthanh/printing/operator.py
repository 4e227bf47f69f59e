"""The operator's script (kịch bản đọc trực tiếp): what to read live if the audio fails.

A4 portrait, large type, no bleed (it is printed on an office printer), but
still CMYK with embedded fonts like every PDF we make. First the rundown: for
each day and slot, what to play (file) and, if the audio fails, which text to
read live (its number below); then the texts in the one running order
(emergency, priority, normal), each with its validity, how many times to read it
and the full text.
"""

from __future__ import annotations

import dataclasses
import io

from reportlab.lib.pagesizes import A4

from truyenthanh.config import Area, Issuer, PrintSettings
from truyenthanh.domain import PRIORITY_VI, is_urgent
from truyenthanh.printing.common import clean, fonts_for, nfc_model, one_line, setting
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
from truyenthanh.printing.page import BLACK, cmyk, fmt_date, new_canvas
from truyenthanh.printing.rundown import OperatorItem, RundownSlot, broadcast_order
from truyenthanh.printing.sheet import MM
from truyenthanh.weeks import IsoWeek

BODY_SIZE = 14.0
MARGIN = 18 * MM
GREY = (0, 0, 0, 60)


def _readings(repeat: int) -> str:
    total = 1 + max(repeat, 0)
    return f"đọc {total} lần" + (f" (1 lần và nhắc lại {repeat} lần)" if repeat > 0 else "")


def operator_script_pdf(
    area: Area,
    issuer: Issuer,
    settings: PrintSettings,
    week: IsoWeek,
    items: list[OperatorItem],
    rundown: tuple[RundownSlot, ...] = (),
) -> bytes:
    fonts = fonts_for(settings)
    area, issuer = nfc_model(area), nfc_model(issuer)
    accent = cmyk(setting(settings, "accent", (0, 100, 100, 10)))
    grey = cmyk(GREY)
    items = [
        dataclasses.replace(
            it,
            title=one_line(it.title),
            body=clean(it.body),
            audio_file=one_line(it.audio_file) or None,
        )
        for it in broadcast_order(items)
    ]
    slots = ", ".join(area.slots)
    intro = [
        ("Đài: ", area.station),
        ("Địa bàn: ", area.full_name),
        ("Tuần: ", week.title_vi),
        ("Giờ phát: ", f"{slots} (mỗi buổi không quá {area.max_slot_minutes} phút)"),
    ]
    if area.operator:
        intro.append(("Người phụ trách: ", area.operator))
    intro.append(("Đơn vị phát hành: ", f"{issuer.name} — {issuer.station}"))
    texts = [
        issuer.name,
        issuer.station,
        area.station,
        area.full_name,
        area.operator or "",
        week.title_vi,
    ]
    for it in items:
        texts += [it.title, it.body, it.audio_file or ""]
    fonts.require(texts, f"kịch bản đọc của {area.full_name}")

    size = BODY_SIZE
    page_w, page_h = A4
    info = Style(12, 12 * 1.4, BLACK, align="left")
    note = Style(12, 12 * 1.4, grey, space_before=8, space_after=6, align="left")
    paras: list[Para] = [
        Para(((label, fonts.bold), (value, fonts.regular)), info) for label, value in intro
    ]
    paras.append(
        Para(
            (
                (
                    "Dùng khi không phát được tệp âm thanh: đọc chậm, rõ ràng, đúng thứ tự dưới đây trong mỗi buổi phát; "
                    "tin khẩn cấp đọc ngay, ngoài giờ phát nếu cần.",
                    fonts.regular,
                ),
            ),
            note,
        )
    )
    paras.extend(_rundown_paras(rundown, items, fonts, accent))
    if not items:
        paras.append(
            Para(
                (("Tuần này không có thông báo nào cần đọc.", fonts.bold),),
                Style(size, size * 1.45),
            )
        )
    for n, it in enumerate(items, start=1):
        level = PRIORITY_VI.get(it.priority, it.priority)
        color = accent if is_urgent(it.priority) else BLACK
        head = Style(
            18, 18 * 1.25, color, space_before=20, space_after=4, align="left", keep_with_next=True
        )
        meta = Style(12, 12 * 1.4, BLACK, align="left", keep_with_next=True)
        if n == 1 and rundown:
            paras.append(
                Para(
                    (("NỘI DUNG ĐỌC TRỰC TIẾP", fonts.heavy),),
                    Style(16, 16 * 1.3, accent, space_before=18, align="left", keep_with_next=True),
                )
            )
        paras.extend(
            heading_paras(f"{n}. {one_line(it.title)}", fonts.heavy, head, page_w - 2 * MARGIN)
        )
        paras.append(
            Para(
                (
                    ("Mức độ: ", fonts.bold),
                    (level.upper(), fonts.heavy if color is accent else fonts.bold),
                    ("· Hiệu lực: ", fonts.bold),
                    (f"{fmt_date(it.valid_from)} – {fmt_date(it.valid_until)}", fonts.regular),
                ),
                meta,
            )
        )
        runs = [("Số lần: ", fonts.bold), (_readings(it.repeat), fonts.regular)]
        if it.audio_file:
            runs += [("· Tệp âm thanh: ", fonts.bold), (it.audio_file, fonts.regular)]
        paras.append(
            Para(
                tuple(runs),
                Style(12, 12 * 1.4, BLACK, space_after=8, align="left", keep_with_next=True),
            )
        )
        paras.extend(body_paras(clean(it.body), fonts, size, left=True))

    head_h = 22 * MM
    width = page_w - 2 * MARGIN

    def frames(i: int) -> Frame:
        top = page_h - MARGIN - (head_h + 14 * MM if i == 0 else 10 * MM)
        return Frame(MARGIN, top, width, top - (MARGIN + 8 * MM))

    laid = layout(paras, frames)
    pages = max(laid.frames_used, 1)

    buf = io.BytesIO()
    title = f"Kịch bản đọc trực tiếp — {area.full_name} — {week.label}"
    c = new_canvas(buf, (page_w, page_h), fonts, title, issuer.name, "Kịch bản đọc trực tiếp")
    for p in range(pages):
        if p == 0:
            y = draw_block(
                c,
                ["KỊCH BẢN ĐỌC TRỰC TIẾP"],
                fonts.heavy,
                22,
                MARGIN,
                page_h - MARGIN,
                width,
                accent,
            )
            draw_block(
                c, [f"{area.station} · {week.title_vi}"], fonts.bold, 13, MARGIN, y - 2 * MM, width
            )
            c.setStrokeColor(accent)
            c.setLineWidth(1.5)
            c.line(
                MARGIN,
                page_h - MARGIN - head_h - 4 * MM,
                page_w - MARGIN,
                page_h - MARGIN - head_h - 4 * MM,
            )
        else:
            draw_block(
                c,
                [f"{area.station} · Kịch bản đọc trực tiếp · {week.label}"],
                fonts.regular,
                9,
                MARGIN,
                page_h - MARGIN,
                width,
                grey,
            )
        frame = frames(p)
        draw(c, [it for it in laid.placed if it.frame == p], frame)
        draw_block(
            c, [f"Trang {p + 1}/{pages}"], fonts.regular, 9, MARGIN, MARGIN, width, grey, "right"
        )
        c.showPage()
    c.save()
    return buf.getvalue()


def _rundown_paras(rundown, items, fonts, accent) -> list[Para]:
    """Day by day, slot by slot: what to play and, if it fails, which text (number) to read."""
    if not rundown:
        return []
    from truyenthanh.schedule import duration_vi
    from truyenthanh.weeks import WEEKDAYS_VI

    number = {it.audio_file: n for n, it in enumerate(items, start=1) if it.audio_file}
    paras = [
        Para(
            (("LỊCH PHÁT TỪNG BUỔI", fonts.heavy),),
            Style(
                16,
                16 * 1.3,
                accent,
                space_before=14,
                space_after=2,
                align="left",
                keep_with_next=True,
            ),
        ),
        Para(
            (
                (
                    "Mỗi buổi phát đúng các tệp dưới đây theo thứ tự; nếu tệp hỏng, đọc bài có số tương ứng ở "
                    "phần sau. Tin chỉ được phát trong thời gian hiệu lực của nó.",
                    fonts.regular,
                ),
            ),
            Style(11, 11 * 1.4, BLACK, space_after=4, align="left"),
        ),
    ]
    day_style = Style(
        13, 13 * 1.3, BLACK, space_before=10, space_after=2, align="left", keep_with_next=True
    )
    file_line = Style(9.5, 9.5 * 1.3, cmyk(GREY), indent=12 * MM, align="left")
    last_day = None
    for slot in rundown:
        if slot.day != last_day:
            paras.append(
                Para(
                    ((f"{WEEKDAYS_VI[slot.day.weekday()]} {fmt_date(slot.day)}", fonts.heavy),),
                    day_style,
                )
            )
            last_day = slot.day
        total = sum(e.duration_s for e in slot.entries)
        paras.append(
            Para(
                ((f"{slot.slot}", fonts.heavy), (f"  ({duration_vi(total)})", fonts.regular)),
                Style(
                    12,
                    12 * 1.35,
                    BLACK,
                    indent=3 * MM,
                    space_before=2,
                    align="left",
                    keep_with_next=True,
                ),
            )
        )
        for k, e in enumerate(slot.entries, start=1):
            urgent = e.priority == "emergency"
            runs = [
                (f"{k}. ", fonts.bold),
                (one_line(e.title), fonts.heavy if urgent else fonts.regular),
            ]
            if urgent:
                runs.append((" – KHẨN CẤP", fonts.heavy))
            if e.audio_file in number:
                # NBSP keeps "bài số 3" on one line: the number is what the operator looks for.
                runs.append((f" · đọc\u00a0bài\u00a0số\u00a0{number[e.audio_file]}", fonts.bold))
            paras.append(
                Para(
                    tuple(runs),
                    Style(
                        11,
                        11 * 1.35,
                        BLACK,
                        indent=8 * MM,
                        space_before=1.5,
                        align="left",
                        keep_with_next=bool(e.audio_file),
                    ),
                )
            )
            if e.audio_file:
                paras.append(Para(((f"tệp {e.audio_file}", fonts.regular),), file_line))
    return paras
