"""The print order sheet (phiếu đặt in) per print shop: A4 PDF, CSV and XLSX.

An order a shop can act on without phoning: an order number (stable per shop
and ISO week), the issue date and, per file, the delivery address, deadline and
receiving contact; the ordering contact; totals; a signature block that stays
with the table. The CSV is for spreadsheet programs with Vietnamese regional
settings (semicolons, UTF-8 BOM, ISO dates, scales that cannot turn into a time);
the XLSX has real numbers and dates and text cells for scales.

Every file the shop is to print, with finished size, scale, bleed, pages,
material and quantity, so the shop can send the PDFs to its RIP without a
phone call. The quantity is the file's own (the build takes it from the shop's
`quantities`, or `area_quantities` for a file made for one area); when a file
has none, the shop's `quantities[kind]`. A shop that
names quantities for some kinds is sent only those kinds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from reportlab.lib.pagesizes import A4, landscape

from truyenthanh.config import Issuer, PrintSettings, PrintShop
from truyenthanh.domain import PRINT_KINDS
from truyenthanh.printing.common import fonts_for, nfc_model, one_line, setting
from truyenthanh.printing.fit import wrap
from truyenthanh.printing.flow import draw_block
from truyenthanh.printing.fonts import Face, FontSet
from truyenthanh.printing.page import BLACK, cmyk, fmt_mm, new_canvas
from truyenthanh.printing.sheet import MM
from truyenthanh.printing.shop_order import (
    OrderInfo,
    PrintedFile,
    delivery_for,
    files_for_shop,
    kind_label,
    kind_unit,
    material_for,
    order_info,
    quantity_for,
)
from truyenthanh.textfmt import vi_number
from truyenthanh.xlsx import Cell, Sheet, workbook_bytes

GREY = (0, 0, 0, 12)


def _num(n: int) -> str:
    return vi_number(n)


def _scale_text(f: PrintedFile) -> str:
    return (
        "1:1" if f.scale == 1 else f"1:{f.scale} (UserUnit {f.scale})"
    )  # the PDF sheet: no spreadsheet here


def _qty_text(shop: PrintShop, f: PrintedFile) -> str:
    q = quantity_for(shop, f)
    unit = kind_unit(f.kind)
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
    ("STT", 9),
    ("Tệp", 52),
    ("Nội dung", 50),
    ("Khổ thành phẩm", 25),
    ("Tỉ lệ", 16),
    ("Tràn lề", 13),
    ("Số trang", 12),
    ("Chất liệu", 34),
    ("Số lượng", 22),
    ("Giao hàng", 60),
)
ROW_SIZE = 8.0
ROW_LEADING = 1.25
PAD = 1.6 * MM


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _delivery(
    f: PrintedFile, shop_default: tuple[str, str, dt.date | None]
) -> tuple[str, str, dt.date | None]:
    address, receiver, deadline = shop_default
    return f.deliver_to or address, f.receiver or receiver, f.deadline or deadline


def _cells(i: int, f: PrintedFile, shop: PrintShop, default) -> list[list[tuple[str, str]]]:
    """Each cell: a list of (text, weight) lines before wrapping."""
    what = [(kind_label(f.kind), "bold"), (one_line(f.title), "regular")]
    if f.area:
        what.append((f"Địa bàn: {f.area}", "regular"))
    size = f"{fmt_mm(f.finished_w_mm)} × {fmt_mm(f.finished_h_mm)} mm"
    address, receiver, deadline = _delivery(f, default)
    return [
        [(str(i), "regular")],
        [(f.name, "name")],
        what,
        [(size, "regular")],
        [(_scale_text(f), "bold" if f.scale != 1 else "regular")],
        [(f"{fmt_mm(f.bleed_mm)} mm", "regular")],
        [(str(f.pages), "regular")],
        [(one_line(f.material) or material_for(f.kind), "regular")],
        [(_qty_text(shop, f), "bold")],
        _delivery_cell(address, receiver, deadline, default),
    ]


def _delivery_cell(address: str, receiver: str, deadline, default) -> list[tuple[str, str]]:
    """The deadline always; the address and receiver only where they differ from the shop-wide delivery."""
    cell = [(f"Hạn: {_date(deadline)}", "bold")]
    if (address, receiver) == tuple(default[:2]):
        return cell + [("Giao theo địa chỉ chung", "regular")]
    return cell + [(address, "regular"), (f"Nhận: {receiver}" if receiver else "", "regular")]


def _wrap_cell(cell: list[tuple[str, str]], fonts: FontSet, width: float) -> list[tuple[str, Face]]:
    out: list[tuple[str, Face]] = []
    for text, weight in cell:
        if not text:
            continue
        face = fonts.bold if weight == "bold" else fonts.regular
        lines = (
            _wrap_name(text, face, width) if weight == "name" else wrap(text, face, ROW_SIZE, width)
        )
        out.extend((line, face) for line in lines)
    return out


def _wrap_name(name: str, face: Face, width: float) -> list[str]:
    """A file name broken after “_” (between announcement, kind and area), never inside a word."""
    lines: list[str] = []
    current = ""
    for piece in re.split(r"(?<=_)", name):
        if current and face.width(current + piece, ROW_SIZE) > width:
            lines.append(current)
            current = ""
        current += piece
    if current:
        lines.append(current)
    return [part for line in lines for part in wrap(line, face, ROW_SIZE, width)]


def _shop_default(shop: PrintShop, issuer: Issuer, settings: PrintSettings, week: str):
    return delivery_for(shop, issuer, settings, week, None)


def order_sheet_pdf(
    shop: PrintShop, files: list[PrintedFile], issuer: Issuer, settings: PrintSettings, week: str
) -> bytes:
    fonts = fonts_for(settings)
    shop, issuer = nfc_model(shop), nfc_model(issuer)
    files = files_for_shop(shop, files)
    info = order_info(shop, issuer, settings, week)
    default = _shop_default(shop, issuer, settings, week)
    accent = cmyk(setting(settings, "accent", (0, 100, 100, 10)))
    page_w, page_h = landscape(A4)
    margin = 12 * MM
    inner = page_w - 2 * margin
    texts = [
        shop.name,
        shop.address or "",
        shop.phone or "",
        issuer.name,
        issuer.station,
        issuer.one_stop_address,
        " ".join(issuer.hotlines),
        _week_title(week),
        info.contact,
        default[0],
        default[1],
    ]
    for f in files:
        texts += [
            f.name,
            one_line(f.title),
            f.area or "",
            one_line(f.material),
            f.deliver_to,
            f.receiver,
        ]
    fonts.require(texts, f"phiếu đặt in cho “{shop.name}”")

    widths = [w * MM for _, w in COLUMNS]
    scale = inner / sum(widths)
    widths = [w * scale for w in widths]
    rows = []
    for i, f in enumerate(files, start=1):
        wrapped = [
            _wrap_cell(cell, fonts, w - 2 * PAD)
            for cell, w in zip(_cells(i, f, shop, default), widths)
        ]
        height = max(len(c) for c in wrapped) * ROW_SIZE * ROW_LEADING + 2 * PAD
        rows.append((wrapped, height))
    header = [_wrap_cell([(h, "bold")], fonts, w - 2 * PAD) for (h, _), w in zip(COLUMNS, widths)]
    header_h = max(len(c) for c in header) * ROW_SIZE * ROW_LEADING + 2 * PAD
    total_lines = _totals(files, shop)
    closing_h = (len(total_lines) * 9 * 1.3) + 5 * MM + SIGNATURE_H

    # paginate: the first page carries the letterhead; the totals and signatures always follow
    # the table on the same page (the last row moves with them when they do not fit)
    first_top = page_h - margin - _letterhead_height(fonts, shop, issuer, info, default, inner)
    top = page_h - margin - 8 * MM
    bottom = margin + 8 * MM
    pages: list[list[int]] = [[]]
    y = first_top - header_h
    for idx, (_, h) in enumerate(rows):
        if y - h < bottom and pages[-1]:
            pages.append([])
            y = top - header_h
        pages[-1].append(idx)
        y -= h
    if y - closing_h < bottom:
        moved = pages[-1].pop() if len(pages[-1]) > 1 else None
        pages.append([moved] if moved is not None else [])
        y = top - header_h - (rows[moved][1] if moved is not None else 0)
    notes = _notes(files, shop)
    notes_apart = y - closing_h - 4 * MM - _notes_height(fonts, notes, inner) < bottom
    total = len(pages) + (1 if notes_apart else 0)

    buf = io.BytesIO()
    c = new_canvas(
        buf,
        (page_w, page_h),
        fonts,
        f"Phiếu đặt in {info.number} — {shop.name}",
        issuer.name,
        "Phiếu đặt in",
    )
    for pno, row_ids in enumerate(pages, start=1):
        if pno == 1:
            y = _letterhead(
                c, fonts, shop, issuer, settings, week, info, accent, margin, inner, page_h
            )
        else:
            y = top
            _continued(c, fonts, info, shop, margin, inner, page_h)
        if row_ids or pno == 1:
            y = _row(c, header, widths, margin, y, header_h, fonts, shade=True)
            for idx in row_ids:
                cells, h = rows[idx]
                y = _row(c, cells, widths, margin, y, h, fonts)
            if not files:
                y = draw_block(
                    c,
                    ["Tuần này không có tệp nào cần in cho cơ sở này."],
                    fonts.regular,
                    10,
                    margin,
                    y - 3 * MM,
                    inner,
                )
        if pno == len(pages):
            y = _closing(c, fonts, total_lines, margin, inner, y - 4 * MM, accent)
            if not notes_apart:
                _draw_notes(c, fonts, notes, margin, inner, y - 4 * MM, accent)
        _page_number(c, fonts, pno, total, margin, inner)
        c.showPage()
    if notes_apart:
        _continued(c, fonts, info, shop, margin, inner, page_h)
        _draw_notes(c, fonts, notes, margin, inner, top, accent)
        _page_number(c, fonts, total, total, margin, inner)
        c.showPage()
    c.save()
    return buf.getvalue()


def _page_number(c, fonts: FontSet, pno: int, total: int, margin: float, inner: float) -> None:
    draw_block(c, [f"Trang {pno}/{total}"], fonts.regular, 8, margin, margin, inner, BLACK, "right")


def _parties(fonts: FontSet, shop: PrintShop, issuer: Issuer, info: OrderInfo, default):
    left = [("Kính gửi: " + shop.name, fonts.bold)]
    if shop.address:
        left.append(("Địa chỉ: " + shop.address, fonts.regular))
    if shop.phone:
        left.append(("Điện thoại: " + shop.phone, fonts.regular))
    address, receiver, deadline = default
    left.append(
        (
            f"Giao hàng (địa chỉ chung): hạn {_date(deadline)}, {address}; nhận: {receiver}. "
            "Tệp có địa chỉ riêng ghi ở cột “Giao hàng”.",
            fonts.bold,
        )
    )
    right = [
        ("Đơn vị đặt in: " + issuer.name, fonts.bold),
        ("Người liên hệ: " + info.contact, fonts.regular),
        ("Địa chỉ: " + issuer.one_stop_address, fonts.regular),
    ]
    return left, right


TITLE_BLOCK = 18 * 1.2 + 1 * MM + 10.5 * 1.2 + 1 * MM + 4 * MM
SIGNATURE_H = 34 * MM


def _letterhead_height(
    fonts: FontSet, shop: PrintShop, issuer: Issuer, info: OrderInfo, default, inner: float
) -> float:
    half = inner / 2 - 5 * MM
    heights = [
        sum(len(wrap(t, f, 9, half)) for t, f in side) * 9 * 1.3
        for side in _parties(fonts, shop, issuer, info, default)
    ]
    return TITLE_BLOCK + max(heights) + 3 * MM


def _letterhead(
    c,
    fonts: FontSet,
    shop: PrintShop,
    issuer: Issuer,
    settings: PrintSettings,
    week: str,
    info: OrderInfo,
    accent,
    margin,
    inner,
    page_h,
) -> float:
    y = page_h - margin
    y = draw_block(c, ["PHIẾU ĐẶT IN"], fonts.heavy, 18, margin, y, inner, accent, "center")
    y = draw_block(
        c,
        [f"Số: {info.number}   ·   Ngày đặt: {_date(info.issued)}   ·   {_week_title(week)}"],
        fonts.bold,
        10.5,
        margin,
        y - 1 * MM,
        inner,
        BLACK,
        "center",
    )
    y -= 1 * MM
    half = inner / 2 - 5 * MM
    left, right = _parties(fonts, shop, issuer, info, _shop_default(shop, issuer, settings, week))
    top = y - 4 * MM
    ly = ry = top
    for text, face in left:
        ly = draw_block(c, wrap(text, face, 9, half), face, 9, margin, ly, half, BLACK, "left", 1.3)
    for text, face in right:
        ry = draw_block(
            c,
            wrap(text, face, 9, half),
            face,
            9,
            margin + inner / 2 + 5 * MM,
            ry,
            half,
            BLACK,
            "left",
            1.3,
        )
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


def kind_totals(files: list[PrintedFile], shop: PrintShop) -> dict[str, int]:
    """Copies per kind (a banner file with several slogans counts one copy per slogan)."""
    totals: dict[str, int] = {}
    for f in files:
        q = max(quantity_for(shop, f), 0) * (f.pages if f.kind == "banner" else 1)
        totals[f.kind] = totals.get(f.kind, 0) + q
    return totals


def _totals(files: list[PrintedFile], shop: PrintShop) -> list[str]:
    totals = kind_totals(files, shop)
    parts = "; ".join(
        f"{kind_label(k).lower()} {_num(totals[k])} {kind_unit(k)}"
        for k in PRINT_KINDS
        if k in totals
    )
    return [f"Tổng cộng: {len(files)} tệp" + (f" — {parts}." if parts else ".")]


def _notes(files: list[PrintedFile], shop: PrintShop) -> list[str]:
    notes = [
        "Tất cả tệp PDF: hệ màu CMYK, phông chữ đã nhúng; TrimBox là khổ thành phẩm, BleedBox là khổ thành phẩm "
        "cộng phần tràn lề; dấu cắt nằm ngoài vùng tràn lề; dòng thông tin ở lề dưới ghi tên tệp, thông báo, khổ, "
        "tỉ lệ và ngày. Tên tệp không trùng nhau: có thể tải tất cả về một thư mục."
    ]
    if any(f.kind == "leaflet" for f in files):
        notes.append(
            "Tờ gấp: khổ A4 ngang, in 2 mặt lật theo cạnh ngắn, gấp 3 kiểu cuốn; tấm gập vào rộng 97 mm; "
            "dấu gấp là nét đứt ở lề trên và lề dưới."
        )
    if any(f.scale != 1 for f in files):
        notes.append(
            "Tệp tỉ lệ 1:10 (tên tệp có “-1to10”): trang được vẽ bằng 1/10 kích thước thật và đặt UserUnit = 10, "
            "nên phần mềm đọc UserUnit sẽ hiểu đúng kích thước thật; nếu RIP không đọc UserUnit, "
            "hãy phóng 1000% khi in."
        )
    if any(f.kind == "banner" for f in files):
        notes.append(
            "Băng rôn: mỗi trang PDF là một mẫu khẩu hiệu; số lượng ghi cho từng mẫu. Nền đỏ, chữ vàng, in tràn "
            "hết khổ. Dấu ở lề ngoài: nét đứt ở hai đầu là đường gấp viền may; vòng tròn ở cạnh trên và "
            "cạnh dưới là tâm các khoen (ô-dê)."
        )
    return notes


def _notes_height(fonts: FontSet, notes: list[str], inner: float) -> float:
    lines = sum(len(wrap("• " + n, fonts.regular, 8.5, inner - 4 * MM)) for n in notes)
    return 10 * 1.2 + lines * 8.5 * 1.3 + len(notes) * 1 * MM


def _continued(c, fonts: FontSet, info: OrderInfo, shop: PrintShop, margin, inner, page_h) -> None:
    draw_block(
        c,
        [f"Phiếu đặt in số {info.number} — {shop.name} (tiếp theo)"],
        fonts.bold,
        9,
        margin,
        page_h - margin,
        inner,
    )


def _draw_notes(c, fonts: FontSet, notes: list[str], margin, inner, y, accent) -> float:
    y = draw_block(c, ["Ghi chú kỹ thuật"], fonts.bold, 10, margin, y, inner, accent)
    for note in notes:
        y = draw_block(
            c,
            wrap("• " + note, fonts.regular, 8.5, inner - 4 * MM),
            fonts.regular,
            8.5,
            margin + 2 * MM,
            y - 1 * MM,
            inner,
            BLACK,
            "left",
            1.3,
        )
    return y


def _closing(c, fonts: FontSet, total_lines: list[str], margin, inner, y, accent) -> float:
    """Totals and the two signatures, right under the table."""
    for line in total_lines:
        y = draw_block(
            c, wrap(line, fonts.bold, 9, inner), fonts.bold, 9, margin, y, inner, BLACK, "left", 1.3
        )
    y -= 5 * MM
    half = inner / 2
    for i, (head, sub) in enumerate(
        (("NGƯỜI ĐẶT IN", "(ký, ghi rõ họ tên)"), ("CƠ SỞ IN XÁC NHẬN", "(ký, ghi rõ họ tên)"))
    ):
        yy = draw_block(c, [head], fonts.bold, 10, margin + i * half, y, half, BLACK, "center")
        draw_block(c, [sub], fonts.regular, 8.5, margin + i * half, yy, half, BLACK, "center")
    return y - SIGNATURE_H


CSV_HEADER = (
    "STT",
    "Số phiếu",
    "Ngày đặt",
    "Tuần",
    "Cơ sở in",
    "Tệp",
    "Loại",
    "Thông báo",
    "Địa bàn",
    "Tiêu đề",
    "Rộng thành phẩm (mm)",
    "Cao thành phẩm (mm)",
    "Tỉ lệ",
    "Hệ số tỉ lệ",
    "Tràn lề (mm)",
    "Số trang",
    "Số lượng",
    "Đơn vị",
    "Chất liệu",
    "Hạn giao",
    "Giao đến",
    "Người nhận",
    "Đường dẫn",
)


def _rows(
    shop: PrintShop,
    files: list[PrintedFile],
    week: str,
    issuer: Issuer | None,
    settings: PrintSettings | None,
) -> list[tuple]:
    """One tuple per file, typed: ints/floats stay numbers, dates stay dates, the scale is text."""
    info = order_info(shop, issuer, settings, week)
    default = _shop_default(shop, issuer, settings, week) if issuer is not None else ("", "", None)
    out = []
    for i, f in enumerate(files_for_shop(shop, files), start=1):
        address, receiver, deadline = _delivery(f, default)
        out.append(
            (
                i,
                info.number,
                info.issued,
                week,
                shop.id,
                f.name,
                kind_label(f.kind),
                f.announcement,
                f.area or "",
                one_line(f.title),
                _number(f.finished_w_mm),
                _number(f.finished_h_mm),
                _scale_cell(f),
                f.scale,
                _number(f.bleed_mm),
                f.pages,
                quantity_for(shop, f),
                kind_unit(f.kind) + ("/mẫu" if f.kind == "banner" else ""),
                f.material or material_for(f.kind),
                deadline,
                address,
                receiver,
                f.path,
            )
        )
    return out


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else float(v)


def _scale_cell(f: PrintedFile) -> str:
    """“1:1 (kích thước thật)”: never a bare “1:1”, which spreadsheets read as the time 01:01."""
    return "1:1 (kích thước thật)" if f.scale == 1 else f"1:{f.scale} (UserUnit {f.scale})"


def _csv_value(v) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",")  # Vietnamese regional settings: decimal comma
    return "" if v is None else str(v)


def order_sheet_csv(
    shop: PrintShop,
    files: list[PrintedFile],
    week: str,
    issuer: Issuer | None = None,
    settings: PrintSettings | None = None,
) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, ISO dates: opens in Excel with Vietnamese settings, one cell per value."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for row in _rows(shop, files, week, issuer, settings):
        w.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def order_sheet_xlsx(
    shop: PrintShop, files: list[PrintedFile], issuer: Issuer, settings: PrintSettings, week: str
) -> bytes:
    """The order as a workbook: a header block, one row per file (numbers as numbers), totals.
    Deterministic: dated the order's day, nothing of the time of writing inside."""
    shop, issuer = nfc_model(shop), nfc_model(issuer)
    info = order_info(shop, issuer, settings, week)
    chosen = files_for_shop(shop, files)
    rows: list[list[object]] = [[Cell("PHIẾU ĐẶT IN", bold=True, size=14)]]
    for label, value in (
        ("Số phiếu", info.number),
        ("Ngày đặt", info.issued),
        ("Tuần", _week_title(week)),
        ("Cơ sở in", shop.name),
        ("Đơn vị đặt in", issuer.name),
        ("Người liên hệ", info.contact),
    ):
        rows.append([Cell(label, bold=True), value])
    rows.append([])
    rows.append([Cell(name, bold=True) for name in CSV_HEADER])
    scale_col = CSV_HEADER.index("Tỉ lệ")
    for row in _rows(shop, chosen, week, issuer, settings):
        cells: list[object] = list(row)
        cells[scale_col] = Cell(row[scale_col], number_format="@")  # text: never a time
        rows.append(cells)
    rows.append([])
    for kind, total in kind_totals(chosen, shop).items():
        rows.append([Cell("Tổng cộng", bold=True), kind_label(kind), total, kind_unit(kind)])
    sheet = Sheet(
        "Phiếu đặt in",
        rows,
        widths=(
            6,
            26,
            12,
            10,
            16,
            44,
            10,
            24,
            12,
            40,
            10,
            10,
            20,
            8,
            8,
            8,
            10,
            10,
            30,
            12,
            50,
            30,
            60,
        ),
    )
    stamp = dt.datetime.combine(info.issued or dt.date(2020, 1, 1), dt.time())
    return workbook_bytes(sheet, stamp)
