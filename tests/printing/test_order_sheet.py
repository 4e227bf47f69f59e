"""The order a shop can act on without phoning: number, dates, delivery, contact, totals, signatures; CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.printing.conftest import printed_files
from truyenthanh.config import Contact, Delivery
from truyenthanh.printing import (
    delivery_for,
    order_info,
    order_sheet_csv,
    order_sheet_pdf,
    order_sheet_xlsx,
)

WEEK = "2023-W08"  # Monday 20/02/2023


def pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def many_files():
    """Enough rows for several pages, so the signature block has to travel with the table."""
    return printed_files() * 5


def test_order_number_and_dates_are_stable_per_shop_and_week(shop, issuer, settings):
    a, b = order_info(shop, issuer, settings, WEEK), order_info(shop, issuer, settings, WEEK)
    assert a == b and a.number == "DI-2023-W08-in-phu-phong" and a.issued == dt.date(2023, 2, 13)
    other = shop.model_copy(update={"id": "in-tay-son"})
    assert order_info(other, issuer, settings, WEEK).number != a.number
    assert order_info(shop, issuer, settings, "2023-W09").number != a.number


def test_delivery_defaults_and_overrides_per_shop_and_area(shop, issuer, settings, area):
    address, receiver, deadline = delivery_for(shop, issuer, settings, WEEK, None)
    assert address == issuer.one_stop_address and deadline == dt.date(
        2023, 2, 18
    )  # the Saturday before
    assert issuer.station in receiver and issuer.hotline in receiver
    address, receiver, _ = delivery_for(shop, issuer, settings, WEEK, area)
    assert address == "Đài truyền thanh xã Bình Hòa, xã Bình Hòa" and receiver == "Trần Thị Bích"
    custom = shop.model_copy(
        update={
            "delivery": Delivery(
                address="Kho UBND huyện",
                contact="Lê Văn Cường",
                phone="0905 111 222",
                days_before=5,
            ),
            "area_delivery": {
                "binh-hoa": Delivery(address="Nhà văn hóa thôn Hòa Trung", days_before=3)
            },
        }
    )
    assert delivery_for(custom, issuer, settings, WEEK, None) == (
        "Kho UBND huyện",
        "Lê Văn Cường, ĐT 0905 111 222",
        dt.date(2023, 2, 15),
    )
    assert delivery_for(custom, issuer, settings, WEEK, area) == (
        "Nhà văn hóa thôn Hòa Trung",
        "Trần Thị Bích",
        dt.date(2023, 2, 17),
    )
    named = settings.model_copy(
        update={"order_contact": Contact(name="Phạm Thị Dung", phone="0256 3880 123")}
    )
    assert order_info(shop, issuer, named, WEEK).contact == "Phạm Thị Dung, ĐT 0256 3880 123"


def test_order_sheet_pdf_fields_and_signatures_kept_with_the_table(
    shop, issuer, settings, many_files
):
    data = order_sheet_pdf(shop, many_files, issuer, settings, WEEK)
    texts = pages(data)
    first = texts[0]
    for field in (
        "PHIẾU ĐẶT IN",
        "Số: DI-2023-W08-in-phu-phong",
        "Ngày đặt: 13/02/2023",
        "Hạn: 18/02/2023",
        "Người liên hệ:",
        issuer.hotline,
        "Giao hàng (địa chỉ chung)",
        shop.name,
    ):
        assert field in first, field
    signed = [i for i, t in enumerate(texts) if "NGƯỜI ĐẶT IN" in t]
    assert len(signed) == 1
    page = texts[signed[0]]
    assert "CƠ SỞ IN XÁC NHẬN" in page and "Tổng cộng: 30 tệp" in page
    last_row = "".join(many_files[-1].name.split())
    assert last_row in "".join(
        page.split()
    )  # at least one row of the table shares the signatures' page
    assert "tờ gấp 30.000 tờ" in page  # totals per kind: 10 leaflet files × the shop's 3,000


def test_csv_semicolons_bom_iso_dates_and_scales_excel_cannot_turn_into_times(
    shop, issuer, settings
):
    raw = order_sheet_csv(shop, printed_files(), WEEK, issuer, settings)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") == 22 and "," not in text.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["Số phiếu"] for r in rows} == {"DI-2023-W08-in-phu-phong"}
    assert {r["Ngày đặt"] for r in rows} == {"2023-02-13"} and {r["Hạn giao"] for r in rows} == {
        "2023-02-18"
    }
    for r in rows:
        assert r["Tỉ lệ"] in ("1:1 (kích thước thật)", "1:10 (UserUnit 10)")
        assert r["Giao đến"] and r["Người nhận"]


def test_xlsx_reads_back_with_numbers_dates_and_text_scales(shop, issuer, settings):
    import time

    from openpyxl import load_workbook

    data = order_sheet_xlsx(shop, printed_files(), issuer, settings, WEEK)
    time.sleep(1.1)  # the time of writing (to the second) must not reach the bytes
    assert data == order_sheet_xlsx(shop, printed_files(), issuer, settings, WEEK)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    head = {r[0]: r[1] for r in rows[:8] if r and r[0]}
    assert head["Số phiếu"] == "DI-2023-W08-in-phu-phong"
    assert head["Ngày đặt"] == dt.datetime(2023, 2, 13) and shop.name == head["Cơ sở in"]
    assert issuer.hotline in head["Người liên hệ"]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    header = rows[header_at]
    table = [dict(zip(header, r)) for r in rows[header_at + 1 :] if r and isinstance(r[0], int)]
    assert len(table) == len(printed_files())
    big = next(r for r in table if r["Tệp"].endswith("-1to10.pdf"))
    assert (
        big["Rộng thành phẩm (mm)"] == 6000
        and isinstance(big["Số lượng"], int)
        and big["Hệ số tỉ lệ"] == 10
    )
    assert big["Hạn giao"] == dt.datetime(2023, 2, 18)
    col = header.index("Tỉ lệ") + 1
    for r in range(header_at + 2, header_at + 2 + len(table)):
        cell = ws.cell(r, col)
        assert cell.data_type == "s" and cell.number_format == "@" and cell.value.startswith("1:")
    totals = {r[1]: r[2] for r in rows if r and r[0] == "Tổng cộng"}
    assert totals["Tờ gấp"] == 6000 and totals["Băng rôn"] == 2 * 15 * 3


def test_area_variant_rows_carry_their_own_delivery(shop, issuer, settings, area):
    from dataclasses import replace

    address, receiver, deadline = delivery_for(shop, issuer, settings, WEEK, area)
    files = [
        replace(f, deliver_to=address, receiver=receiver, deadline=deadline) if f.area else f
        for f in printed_files()
    ]
    flat = " ".join(pages(order_sheet_pdf(shop, files, issuer, settings, WEEK)))
    assert "Đài truyền thanh xã Bình Hòa, xã Bình Hòa" in flat and "Nhận: Trần Thị Bích" in flat
    assert "Giao theo địa chỉ chung" in flat
