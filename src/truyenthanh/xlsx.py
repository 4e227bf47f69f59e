"""One-sheet Excel workbooks (the bundle's schedule, the print shop's order), written directly.

What the build's two workbooks need is small: text, numbers, dates, times and durations as
real cells with their number formats, bold headers, column widths, a frozen header row and
the document's title and dates. Writing that SpreadsheetML here takes ~1 ms where openpyxl
took ~20 ms a workbook (it builds a full object model and imports in ~0.1 s), and every
bundle of every commune carries one. The bytes depend only on the inputs: fixed ZIP times
(`stamp`), fixed member order, no time of saving anywhere (so an unchanged schedule is an
unchanged file, and a rebuild rewrites nothing).

Strings are written inline (`t="inlineStr"`, ECMA-376 §18.3.1.4), which Excel, LibreOffice
and openpyxl read; dates and times are serial numbers in the 1900 date system, as Excel's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from truyenthanh.ziparchive import ZipPieces

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 system (Excel's leap-year quirk)
# Number formats Excel knows by id: a custom format gets an id from 164 on.
BUILTIN_FORMATS = {"General": 0, "0": 1, "@": 49}
DATE_FORMAT, TIME_FORMAT, DURATION_FORMAT = "DD/MM/YYYY", "HH:MM", "[h]:mm:ss"
# XML 1.0 cannot carry these, even escaped; Excel refuses a file that has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Cell:
    """A value with its look; a bare value in a row is a `Cell` with the defaults."""

    value: object
    bold: bool = False
    size: float | None = None  # points; None: the workbook's 11
    number_format: str | None = None  # None: by the value's type (dates, times, durations)


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Sequence[Sequence[object]]  # values or Cells; None leaves a cell empty
    widths: Sequence[float] = ()  # of columns A, B, … in Excel's character units
    frozen_rows: int = 0  # rows kept in view when scrolling (a header)


def _escaped(text: str, quote: bool = False) -> str:
    """XML character data (and, with `quote`, a double-quoted attribute), as
    xml.sax.saxutils.escape does it; that module imports urllib.request (~10 ms of every
    build's start, for three replacements)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


def workbook_bytes(
    sheet: Sheet, stamp: dt.datetime, title: str | None = None, creator: str = "truyenthanh"
) -> bytes:
    """The workbook as .xlsx bytes, dated `stamp` (document properties and ZIP entries)."""
    styles = _Styles()
    body = _sheet_xml(sheet, styles)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/app.xml": _APP,
        "docProps/core.xml": _core_xml(stamp, title, creator),
        "xl/workbook.xml": _workbook_xml(sheet.name),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": styles.xml(),
        "xl/worksheets/sheet1.xml": body,
    }
    archive = ZipPieces(stamp.timetuple()[:6])
    for name, text in parts.items():
        archive.add(name, text.encode("utf-8"), deflate=True)
    return bytes(archive.finish())


def column_letter(index: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(value: dt.date | dt.datetime | dt.time | dt.timedelta) -> float:
    """A date, time or duration as Excel's serial number of days."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return (value - EXCEL_EPOCH).total_seconds() / 86400


# --- internals -------------------------------------------------------------------------


class _Styles:
    """The workbook's fonts, number formats and the cell styles (xf) combining them."""

    def __init__(self) -> None:
        self.fonts: list[tuple[bool, float]] = [(False, 11.0)]
        self.formats: dict[str, int] = {}
        self.xfs: list[tuple[int, int]] = [(0, 0)]

    def index(self, cell: Cell, number_format: str | None) -> int:
        font = (cell.bold, float(cell.size or 11))
        if font not in self.fonts:
            self.fonts.append(font)
        fmt = self._format_id(number_format or "General")
        xf = (self.fonts.index(font), fmt)
        if xf not in self.xfs:
            self.xfs.append(xf)
        return self.xfs.index(xf)

    def _format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        return self.formats.setdefault(code, 164 + len(self.formats))

    def xml(self) -> str:
        fmts = "".join(
            f'<numFmt numFmtId="{i}" formatCode="{_escaped(code, quote=True)}"/>'
            for code, i in self.formats.items()
        )
        fonts = "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{size:g}"/><name val="Calibri"/>'
            '<family val="2"/></font>'
            for bold, size in self.fonts
        )
        xfs = "".join(
            f'<xf numFmtId="{fmt}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
            + (' applyNumberFormat="1"' if fmt else "")
            + (' applyFont="1"' if font else "")
            + "/>"
            for font, fmt in self.xfs
        )
        return (
            _XML_HEAD
            + f'<styleSheet xmlns="{_MAIN_NS}">'
            + (f'<numFmts count="{len(self.formats)}">{fmts}</numFmts>' if fmts else "")
            + f'<fonts count="{len(self.fonts)}">{fonts}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _sheet_xml(sheet: Sheet, styles: _Styles) -> str:
    rows, widest = [], 0
    for r, values in enumerate(sheet.rows, start=1):
        cells = [
            _cell_xml(f"{column_letter(c)}{r}", value, styles)
            for c, value in enumerate(values, start=1)
            if (value.value if isinstance(value, Cell) else value) is not None
        ]
        widest = max(widest, len(values))
        rows.append(f'<row r="{r}">{"".join(cells)}</row>' if cells else f'<row r="{r}"/>')
    extent = f"A1:{column_letter(max(widest, 1))}{max(len(sheet.rows), 1)}"
    view = '<sheetView workbookViewId="0"'
    if sheet.frozen_rows:
        top = f"A{sheet.frozen_rows + 1}"
        view += (
            f'><pane ySplit="{sheet.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft"'
            ' state="frozen"/><selection pane="bottomLeft"/></sheetView>'
        )
    else:
        view += "/>"
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
    )
    return (
        _XML_HEAD + f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<dimension ref="{extent}"/><sheetViews>{view}</sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def _cell_xml(ref: str, value: object, styles: _Styles) -> str:
    cell = value if isinstance(value, Cell) else Cell(value)
    v = cell.value
    if isinstance(v, bool):
        kind, body, fmt = "b", f"<v>{int(v)}</v>", cell.number_format
    elif isinstance(v, int | float):
        kind, body, fmt = None, f"<v>{v!r}</v>", cell.number_format
    elif isinstance(v, dt.timedelta | dt.time | dt.date):
        default = (
            DURATION_FORMAT
            if isinstance(v, dt.timedelta)
            else TIME_FORMAT
            if isinstance(v, dt.time)
            else DATE_FORMAT
        )
        kind, body, fmt = None, f"<v>{serial(v)!r}</v>", cell.number_format or default
    else:
        text = _NOT_XML.sub("", str(v))
        kind, fmt = "inlineStr", cell.number_format
        body = f'<is><t xml:space="preserve">{_escaped(text)}</t></is>'
    style = styles.index(cell, fmt)
    attrs = f'r="{ref}"' + (f' s="{style}"' if style else "") + (f' t="{kind}"' if kind else "")
    return f"<c {attrs}>{body}</c>"


def _core_xml(stamp: dt.datetime, title: str | None, creator: str) -> str:
    when = f"{stamp:%Y-%m-%dT%H:%M:%SZ}"
    return (
        _XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
        'XMLSchema-instance">'
        + (f"<dc:title>{_escaped(title)}</dc:title>" if title else "")
        + f"<dc:creator>{_escaped(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook_xml(name: str) -> str:
    # Excel limits a sheet name to 31 characters and forbids : \ / ? * [ ]
    safe = re.sub(r"[:\\/?*\[\]]", " ", name)[:31]
    return (
        _XML_HEAD + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<sheets><sheet name="{_escaped(safe, quote=True)}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_APP = (
    _XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>truyenthanh</Application></Properties>'
)
