"""The print order sheet (phiếu đặt in) per print shop: A4 PDF and CSV.

Every file the shop is to print, with finished size, scale, bleed, pages,
material and quantity, so the shop can send the PDFs to its RIP without a
phone call. The quantity is the file's own (the build takes it from the shop's
`quantities`, or `area_quantities` for a file made for one area); when a file
has none, the shop's `quantities[kind]`. A shop that
names quantities for some kinds is sent only those kinds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape

from truyenthanh.config import Issuer, PrintSettings, PrintShop
from truyenthanh.domain import PRINT_KINDS
from truyenthanh.printing.common import fonts_for, nfc_model, one_line, setting
from truyenthanh.printing.fit import wrap
from truyenthanh.printing.flow import draw_block
from truyenthanh.printing.fonts import Face, FontSet
from truyenthanh.printing.page import BLACK, MM, cmyk, fmt_mm, new_canvas

GREY = (0, 0, 0, 12)


@dataclass(frozen=True)
class PrintedFile:
    path: str  # relative to OUT
    kind: str  # "leaflet" | "banner" | "poster"
    announcement: str
    area: str | None
    title: str
    finished_w_mm: float
    finished_h_mm: float
    scale: int
    bleed_mm: float
    pages: int
    quantity: int
    material: str


def material_for(kind: str) -> str:
    return PRINT_KINDS[kind].material_vi if kind in PRINT_KINDS else "theo thỏa thuận với cơ sở in"


def _label(kind: str) -> str:
    return PRINT_KINDS[kind].label_vi if kind in PRINT_KINDS else kind


def _unit(kind: str) -> str:
    return PRINT_KINDS[kind].unit_vi if kind in PRINT_KINDS else "bản"


def files_for_shop(shop: PrintShop, files: list[PrintedFile]) -> list[PrintedFile]:
    """The shop's share: the kinds it prints, for everywhere and for the areas it serves.

    A shop whose `quantities` name some kinds prints only those (a banner
    workshop gets no leaflets); a shop with no quantities at all gets every kind.
    """
    kinds = set(shop.quantities)
    chosen = [f for f in files if not kinds or f.kind in kinds]
    if shop.areas == "all":
        return chosen
    wanted = set(shop.areas)
    return [f for f in chosen if f.area is None or f.area in wanted]


def quantity_for(shop: PrintShop, f: PrintedFile) -> int:
    """The file's own quantity (the build sets it, per-area variants included), else the shop's."""
    return int(f.quantity) if f.quantity else int(shop.quantities.get(f.kind, 0))  # type: ignore[arg-type]


def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _scale_text(f: PrintedFile) -> str:
    return "1:1" if f.scale == 1 else f"1:{f.scale} (UserUnit {f.scale})"


def _qty_text(shop: PrintShop, f: PrintedFile) -> str:
    q = quantity_for(shop, f)
    unit = _unit(f.kind)
    if q <= 0:
        return "chưa xác định"
    if f.kind == "banner" and f.pages > 1:
        return f"{_num(q)} {unit}/mẫu × {f.pages} mẫu = {_num(q * f.pages)}"
    return f"{_num(q)} {unit}"


def _week_title(week: str) -> str:
    try:
        from truyenthanh.weeks import IsoWeek

        return IsoWeek.parse(week).title_vi
    except (ValueError, ImportError):
        return f"Tuần {week}"


COLUMNS = (  # header, width mm
    ("STT", 10),
    ("Tệp", 64),
    ("Nội dung", 64),
    ("Khổ thành phẩm", 27),
    ("Tỉ lệ", 19),
    ("Tràn lề", 15),
    ("Số trang", 13),
    ("Chất liệu", 35),
    ("Số lượng", 22),
)
ROW_SIZE = 8.3
ROW_LEADING = 1.25
PAD = 1.6 * MM


def _cells(i: int, f: PrintedFile, shop: PrintShop) -> list[list[tuple[str, str]]]:
    """Each cell: a list of (text, weight) lines before wrapping."""
    what = [(_label(f.kind), "bold"), (one_line(f.title), "regular")]
    if f.area:
        what.append((f"Địa bàn: {f.area}", "regular"))
    size = f"{fmt_mm(f.finished_w_mm)} × {fmt_mm(f.finished_h_mm)} mm"
    return [
        [(str(i), "regular")],
        [(one_line(f.path), "regular")],
        what,
        [(size, "regular")],
        [(_scale_text(f), "bold" if f.scale != 1 else "regular")],
        [(f"{fmt_mm(f.bleed_mm)} mm", "regular")],
        [(str(f.pages), "regular")],
        [(one_line(f.material) or material_for(f.kind), "regular")],
        [(_qty_text(shop, f), "bold")],
    ]


def _wrap_cell(cell: list[tuple[str, str]], fonts: FontSet, width: float) -> list[tuple[str, Face]]:
    out: list[tuple[str, Face]] = []
    for text, weight in cell:
        face = fonts.bold if weight == "bold" else fonts.regular
        out.extend((line, face) for line in wrap(text, face, ROW_SIZE, width))
    return out


def order_sheet_pdf(
    shop: PrintShop, files: list[PrintedFile], issuer: Issuer, settings: PrintSettings, week: str
) -> bytes:
    fonts = fonts_for(settings)
    shop, issuer = nfc_model(shop), nfc_model(issuer)
    files = files_for_shop(shop, files)
    accent = cmyk(setting(settings, "accent", (0, 100, 100, 10)))
    page_w, page_h = landscape(A4)
    margin = 14 * MM
    inner = page_w - 2 * margin
    texts = [shop.name, shop.address or "", shop.phone or "", issuer.name, issuer.station, issuer.one_stop_address,
             " ".join(issuer.hotlines), _week_title(week)]  # fmt: skip
    for f in files:
        texts += [one_line(f.path), one_line(f.title), f.area or "", one_line(f.material)]
    fonts.require(texts, f"phiếu đặt in cho “{shop.name}”")

    widths = [w * MM for _, w in COLUMNS]
    scale = inner / sum(widths)
    widths = [w * scale for w in widths]
    rows = []
    for i, f in enumerate(files, start=1):
        wrapped = [_wrap_cell(cell, fonts, w - 2 * PAD) for cell, w in zip(_cells(i, f, shop), widths)]
        height = max(len(c) for c in wrapped) * ROW_SIZE * ROW_LEADING + 2 * PAD
        rows.append((wrapped, height))
    header = [_wrap_cell([(h, "bold")], fonts, w - 2 * PAD) for (h, _), w in zip(COLUMNS, widths)]
    header_h = max(len(c) for c in header) * ROW_SIZE * ROW_LEADING + 2 * PAD

    # paginate: the first page carries the letterhead, the last the notes and signatures
    first_top = page_h - margin - _letterhead_height(fonts, shop, issuer, inner)
    top = page_h - margin - 12 * MM
    bottom = margin + 10 * MM
    pages: list[list[int]] = [[]]
    y = first_top - header_h
    for idx, (_, h) in enumerate(rows):
        if y - h < bottom and pages[-1]:
            pages.append([])
            y = top - header_h
        pages[-1].append(idx)
        y -= h
    notes = _notes(files, shop)
    notes_h = sum(len(wrap(n, fonts.regular, 8.5, inner - 4 * MM)) for n in notes) * 8.5 * 1.3 + 50 * MM
    if y - notes_h < bottom:
        pages.append([])

    buf = io.BytesIO()
    c = new_canvas(buf, (page_w, page_h), fonts, f"Phiếu đặt in — {shop.name} — {week}", issuer.name, "Phiếu đặt in")
    for pno, row_ids in enumerate(pages, start=1):
        if pno == 1:
            y = _letterhead(c, fonts, shop, issuer, week, accent, margin, inner, page_h)
        else:
            y = top
            draw_block(c, [f"Phiếu đặt in — {shop.name} — {_week_title(week)} (tiếp theo)"], fonts.bold, 9, margin,
                       page_h - margin, inner)  # fmt: skip
        if row_ids or pno == 1:
            y = _row(c, header, widths, margin, y, header_h, fonts, shade=True)
            for idx in row_ids:
                cells, h = rows[idx]
                y = _row(c, cells, widths, margin, y, h, fonts)
            if not files:
                y = draw_block(c, ["Tuần này không có tệp nào cần in cho cơ sở này."], fonts.regular, 10, margin,
                               y - 3 * MM, inner)  # fmt: skip
        if pno == len(pages):
            _closing(c, fonts, notes, files, shop, margin, inner, y - 5 * MM, accent)
        draw_block(c, [f"Trang {pno}/{len(pages)}"], fonts.regular, 8, margin, margin, inner, BLACK, "right")
        c.showPage()
    c.save()
    return buf.getvalue()


def _parties(fonts: FontSet, shop: PrintShop, issuer: Issuer):
    left = [("Kính gửi: " + shop.name, fonts.bold)]
    if shop.address:
        left.append(("Địa chỉ: " + shop.address, fonts.regular))
    if shop.phone:
        left.append(("Điện thoại: " + shop.phone, fonts.regular))
    right = [
        ("Đơn vị đặt in: " + issuer.name, fonts.bold),
        ("Đơn vị thực hiện: " + issuer.station, fonts.regular),
        ("Điện thoại liên hệ: " + ", ".join(issuer.hotlines), fonts.regular),
        ("Địa chỉ: " + issuer.one_stop_address, fonts.regular),
    ]
    return left, right


TITLE_BLOCK = 20 * 1.2 + 1 * MM + 11 * 1.2 + 5 * MM


def _letterhead_height(fonts: FontSet, shop: PrintShop, issuer: Issuer, inner: float) -> float:
    half = inner / 2 - 5 * MM
    heights = [
        sum(len(wrap(t, f, 9.5, half)) for t, f in side) * 9.5 * 1.3 for side in _parties(fonts, shop, issuer)
    ]
    return TITLE_BLOCK + max(heights) + 3 * MM


def _letterhead(c, fonts: FontSet, shop: PrintShop, issuer: Issuer, week: str, accent, margin, inner, page_h) -> float:
    y = page_h - margin
    y = draw_block(c, ["PHIẾU ĐẶT IN"], fonts.heavy, 20, margin, y, inner, accent, "center")
    y = draw_block(c, [_week_title(week)], fonts.bold, 11, margin, y - 1 * MM, inner, BLACK, "center")
    half = inner / 2 - 5 * MM
    left, right = _parties(fonts, shop, issuer)
    top = y - 5 * MM
    ly = ry = top
    for text, face in left:
        ly = draw_block(c, wrap(text, face, 9.5, half), face, 9.5, margin, ly, half, BLACK, "left", 1.3)
    for text, face in right:
        ry = draw_block(c, wrap(text, face, 9.5, half), face, 9.5, margin + inner / 2 + 5 * MM, ry, half, BLACK,
                        "left", 1.3)  # fmt: skip
    return min(ly, ry) - 3 * MM


def _row(c, cells, widths, x0, top, height, fonts: FontSet, shade: bool = False) -> float:
    if shade:
        c.setFillColor(cmyk(GREY))
        c.rect(x0, top - height, sum(widths), height, stroke=0, fill=1)
    c.setStrokeColor(BLACK)
    c.setLineWidth(0.5)
    x = x0
    for cell, w in zip(cells, widths):
        c.rect(x, top - height, w, height, stroke=1, fill=0)
        y = top - PAD - ROW_SIZE * 0.94
        c.setFillColor(BLACK)
        for line, face in cell:
            c.setFont(face.name, ROW_SIZE)
            c.drawString(x + PAD, y, line)
            y -= ROW_SIZE * ROW_LEADING
        x += w
    return top - height


def _notes(files: list[PrintedFile], shop: PrintShop) -> list[str]:
    totals: dict[str, int] = {}
    for f in files:
        q = max(quantity_for(shop, f), 0) * (f.pages if f.kind == "banner" else 1)
        totals[f.kind] = totals.get(f.kind, 0) + q
    total = "; ".join(
        f"{_label(k).lower()} {_num(totals[k])} {_unit(k)}" for k in PRINT_KINDS if k in totals
    )
    notes = [f"Tổng cộng {len(files)} tệp" + (f": {total}." if total else ".")]
    notes.append(
        "Tất cả tệp PDF: hệ màu CMYK, phông chữ đã nhúng; TrimBox là khổ thành phẩm, BleedBox là khổ thành phẩm "
        "cộng phần tràn lề; dấu cắt nằm ngoài vùng tràn lề; dòng thông tin ở lề dưới ghi tên tệp, khổ, tỉ lệ và ngày."
    )
    if any(f.kind == "leaflet" for f in files):
        notes.append("Tờ gấp: khổ A4 ngang, in 2 mặt lật theo cạnh ngắn, gấp 3 kiểu cuốn; tấm gập vào rộng 97 mm; "
                     "dấu gấp là nét đứt ở lề trên và lề dưới.")  # fmt: skip
    if any(f.scale != 1 for f in files):
        notes.append("Tệp tỉ lệ 1:10 (tên tệp có “-1to10”): trang được vẽ bằng 1/10 kích thước thật và đặt UserUnit = 10, "
                     "nên phần mềm đọc UserUnit sẽ hiểu đúng kích thước thật; nếu RIP không đọc UserUnit, "
                     "hãy phóng 1000% khi in.")  # fmt: skip
    if any(f.kind == "banner" for f in files):
        notes.append("Băng rôn: mỗi trang PDF là một mẫu khẩu hiệu; số lượng ghi cho từng mẫu. "
                     "Nền đỏ, chữ vàng, in tràn hết khổ.")  # fmt: skip
    return notes


def _closing(c, fonts: FontSet, notes, files, shop, margin, inner, y, accent) -> None:
    y = draw_block(c, ["Ghi chú"], fonts.bold, 10, margin, y, inner, accent)
    for note in notes:
        y = draw_block(c, wrap("• " + note, fonts.regular, 8.5, inner - 4 * MM), fonts.regular, 8.5, margin + 2 * MM,
                       y - 1 * MM, inner, BLACK, "left", 1.3)  # fmt: skip
    y -= 8 * MM
    half = inner / 2
    for i, (head, sub) in enumerate((("NGƯỜI ĐẶT IN", "(ký, ghi rõ họ tên)"), ("CƠ SỞ IN XÁC NHẬN", "(ký, ghi rõ họ tên)"))):
        yy = draw_block(c, [head], fonts.bold, 10, margin + i * half, y, half, BLACK, "center")
        draw_block(c, [sub], fonts.regular, 8.5, margin + i * half, yy, half, BLACK, "center")


CSV_HEADER = ("STT", "Tuần", "Cơ sở in", "Tệp", "Loại", "Thông báo", "Địa bàn", "Tiêu đề", "Rộng thành phẩm (mm)",
              "Cao thành phẩm (mm)", "Tỉ lệ", "Tràn lề (mm)", "Số trang", "Số lượng", "Đơn vị", "Chất liệu")  # fmt: skip


def order_sheet_csv(shop: PrintShop, files: list[PrintedFile], week: str) -> bytes:
    """UTF-8 with a BOM (spreadsheet programs then read the Vietnamese correctly), one row per file."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for i, f in enumerate(files_for_shop(shop, files), start=1):
        w.writerow(
            (i, week, shop.id, f.path, _label(f.kind), f.announcement, f.area or "", one_line(f.title),
             f"{f.finished_w_mm:g}", f"{f.finished_h_mm:g}", f"1:{f.scale}", f"{f.bleed_mm:g}", f.pages,
             quantity_for(shop, f), _unit(f.kind) + ("/mẫu" if f.kind == "banner" else ""),
             f.material or material_for(f.kind))
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")
