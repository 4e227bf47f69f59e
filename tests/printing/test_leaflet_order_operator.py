"""Leaflet fitting, the order sheet and the operator script."""

from __future__ import annotations

import csv
import io

from tests.printing.conftest import extract, make_text, open_pdf, printed_files
from truyenthanh.printing import leaflet_pdf, order_sheet_csv


def test_short_and_long_texts_both_make_two_pages(issuer, settings, area):
    for body in (
        "Người dân nộp hồ sơ trực tuyến tại Cổng Dịch vụ công quốc gia.",
        make_text().body,
    ):
        with open_pdf(leaflet_pdf(make_text(body=body), issuer, settings, area, "x.pdf")) as pdf:
            assert len(pdf.pages) == 2


def test_leaflet_size_fills_the_panels(issuer, settings, area):
    """Shorter text is set larger: the size is searched, not fixed."""
    import re

    def body_size(data):
        return float(re.search(r"chữ (\d+(?:\.\d+)?) pt", extract(data)).group(1))

    full = body_size(leaflet_pdf(make_text(), issuer, settings, area, "x.pdf"))
    half_body = "\n".join(make_text().body.split("\n")[:6])
    half = body_size(leaflet_pdf(make_text(body=half_body), issuer, settings, area, "x.pdf"))
    assert 7 <= full < half <= 12.5


def test_panel_order_outside_and_inside(built, text):
    from pypdf import PdfReader

    outside, inside = PdfReader(io.BytesIO(built["leaflet"])).pages
    out_text, in_text = outside.extract_text(), inside.extract_text()
    assert "ĐƯỜNG DÂY NÓNG" in out_text and "CẢI CÁCH HÀNH CHÍNH" in out_text  # back and cover
    assert (
        in_text.lstrip().startswith("Tuyên truyền cải cách")
        or "Thực hiện Kế hoạch số 182" in in_text
    )
    assert "mặt ngoài" in out_text and "mặt trong" in in_text


def csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_order_sheet_lists_every_file(built):
    flat = "".join(extract(built["order"]).split())
    for f in printed_files():
        assert f.name in flat, f.name
    assert "PHIẾUĐẶTIN" in flat and "1:10" in flat and "3.000tờ" in flat


def test_order_sheet_csv(shop):
    raw = order_sheet_csv(shop, printed_files(), "2023-W08")
    assert raw.startswith("\ufeff".encode())
    rows = csv_rows(raw)
    assert [r["Đường dẫn"] for r in rows] == [f.path for f in printed_files()]
    assert [r["Tệp"] for r in rows] == [f.name for f in printed_files()]
    big = next(r for r in rows if r["Tệp"].endswith("-1to10.pdf"))
    assert (
        big["Tỉ lệ"] == "1:10 (UserUnit 10)"
        and big["Hệ số tỉ lệ"] == "10"
        and big["Số lượng"] == "15"
        and big["Rộng thành phẩm (mm)"] == "6000"
    )
    leaflet = rows[0]
    assert (
        leaflet["Số lượng"] == "3000"
        and "couché" in leaflet["Chất liệu"]
        and leaflet["Số trang"] == "2"
    )


def test_order_sheet_respects_the_shops_areas(shop):
    only = shop.model_copy(update={"areas": ("tay-an",)})
    rows = csv_rows(order_sheet_csv(only, printed_files(), "2023-W08"))
    assert all(not r["Tệp"].endswith("_binh-hoa.pdf") for r in rows)
    assert len(rows) == len(printed_files()) - 1


def test_operator_script_in_broadcast_order_with_full_text(built, items, area):
    out = extract(built["operator"])
    flat = " ".join(out.split())
    pos = [flat.index(" ".join(it.title.split())) for it in sorted(items, key=lambda i: i.priority)]
    emergency, normal, priority = pos  # sorted() by name: emergency, normal, priority
    assert emergency < priority < normal
    assert "KHẨN CẤP" in out and "ƯU TIÊN" in out and "THÔNG THƯỜNG" in out
    assert area.station in flat and "05:30, 17:00" in flat and "Tuần 8/2023" in flat
    assert "đọc 3 lần" in flat and "canh-bao-mua-lu.mp3" in flat
    from tests.printing.conftest import words

    for it in items:
        assert words(it.body) <= words(out)


def test_short_leaflet_puts_slogans_on_the_flap(issuer, settings, area):
    from pypdf import PdfReader

    short = make_text(body="Người dân nộp hồ sơ trực tuyến tại Cổng Dịch vụ công quốc gia.")
    outside = (
        PdfReader(io.BytesIO(leaflet_pdf(short, issuer, settings, area, "x.pdf")))
        .pages[0]
        .extract_text()
    )
    flat = " ".join(outside.split())
    assert (
        "Đẩy mạnh cải cách hành chính" in flat and "Tiết kiệm thời gian" in flat
    )  # as the author wrote them
    assert (
        flat.count(short.summary) == 1
    )  # the summary is printed once (on the cover: the flap has slogans)


def test_posters_are_one_layout_scaled(text, issuer, settings):
    from truyenthanh.printing import poster_pdf

    def body_lines(paper):
        lines = extract(poster_pdf(text, issuer, settings, paper, "p.pdf")).splitlines()
        return [ln for ln in lines if "thành phẩm" not in ln]  # the slug differs by design

    a3 = body_lines("A3")
    assert a3 == body_lines("A1") == body_lines("A0")
    with open_pdf(poster_pdf(text, issuer, settings, "A0", "p.pdf")) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
        assert abs((trim[2] - trim[0]) - 841 * 72 / 25.4) < 0.05


def test_a_shop_gets_only_the_kinds_it_prints(shop):
    banners_only = shop.model_copy(update={"quantities": {"banner": 15}})
    rows = csv_rows(order_sheet_csv(banners_only, printed_files(), "2023-W08"))
    assert {r["Loại"] for r in rows} == {"Băng rôn"} and len(rows) == 2
    anything = shop.model_copy(update={"quantities": {}})
    rows = csv_rows(order_sheet_csv(anything, printed_files(), "2023-W08"))
    assert len(rows) == len(printed_files())
