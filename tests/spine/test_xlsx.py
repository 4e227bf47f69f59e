"""xlsx.py: the workbooks read back in openpyxl (an independent reader) with the values,
types, formats and looks written, and the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

import pytest

from truyenthanh.xlsx import Cell, Sheet, column_letter, serial, workbook_bytes

openpyxl = pytest.importorskip("openpyxl")

STAMP = dt.datetime(2023, 2, 20)
ROWS = [
    [Cell("Ngày", bold=True), Cell("Giờ", bold=True), Cell("Tiêu đề", bold=True, size=14)],
    [dt.date(2023, 2, 21), dt.time(5, 30), 'Thông báo <khẩn> & "gấp" – xã Bình Hòa'],
    [dt.datetime(2023, 2, 22, 17, 0), dt.timedelta(seconds=152), 42],
    [None, 3.25, True],
    [],
    [Cell("1:10", number_format="@"), "bell\x07 removed", Cell(7, number_format="0")],
]


def workbook(rows=ROWS, **kw):
    sheet = Sheet("Lịch phát", rows, widths=(12, 9.5, 48), frozen_rows=1)
    return workbook_bytes(sheet, STAMP, **kw)


def test_values_come_back_with_their_types_and_formats():
    ws = openpyxl.load_workbook(io.BytesIO(workbook())).active
    assert ws.title == "Lịch phát"
    assert [c.value for c in ws[1]] == ["Ngày", "Giờ", "Tiêu đề"]
    assert ws["A2"].value == dt.datetime(2023, 2, 21) and ws["A2"].number_format == "DD/MM/YYYY"
    assert ws["B2"].value == dt.time(5, 30) and ws["B2"].number_format == "HH:MM"
    assert ws["C2"].value == 'Thông báo <khẩn> & "gấp" – xã Bình Hòa'
    assert ws["A3"].value == dt.datetime(2023, 2, 22, 17, 0)
    assert ws["B3"].value == dt.timedelta(seconds=152) and ws["B3"].number_format == "[h]:mm:ss"
    assert ws["C3"].value == 42 and isinstance(ws["C3"].value, int)
    assert ws["A4"].value is None and ws["B4"].value == 3.25 and ws["C4"].value is True
    assert all(c.value is None for c in ws[5])
    assert ws["A6"].value == "1:10" and ws["A6"].number_format == "@"
    assert ws["A6"].data_type == "s"  # text, never read as a time
    assert ws["B6"].value == "bell removed"  # XML cannot carry control characters
    assert ws["C6"].value == 7 and ws["C6"].number_format == "0"


def test_looks_widths_frozen_header_and_properties():
    wb = openpyxl.load_workbook(io.BytesIO(workbook(title="Lịch phát thanh xã Bình Hòa")))
    ws = wb.active
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws["C1"].font.sz == 14 and ws["A1"].font.sz == 11
    assert ws.column_dimensions["A"].width == 12 and ws.column_dimensions["B"].width == 9.5
    assert ws.freeze_panes == "A2"
    assert wb.properties.title == "Lịch phát thanh xã Bình Hòa"
    assert wb.properties.creator == "truyenthanh"
    assert wb.properties.created == STAMP and wb.properties.modified == STAMP


def test_same_inputs_same_bytes_and_every_part_is_well_formed_xml():
    data = workbook()
    assert data == workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 2, 20, 0, 0, 0)}
        assert zf.testzip() is None
        for name in zf.namelist():
            ElementTree.fromstring(zf.read(name))  # raises on malformed XML
        assert "[Content_Types].xml" in zf.namelist()


def test_serial_numbers_are_excels_1900_system():
    assert serial(dt.date(1900, 3, 1)) == 61  # after Excel's phantom 29 Feb 1900
    assert serial(dt.date(2023, 2, 20)) == 44977
    assert serial(dt.time(12, 0)) == 0.5
    assert serial(dt.timedelta(hours=36)) == 1.5


def test_column_letters():
    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_an_empty_sheet_and_a_hostile_sheet_name_still_open():
    sheet = Sheet("a/b:c?*[d]" + "x" * 40, [])
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(sheet, STAMP))).active
    assert ws.title == "a b c   d " + "x" * 21  # forbidden characters blanked, 31 at most
    assert ws.max_row == 1 and ws["A1"].value is None
