"""Fixtures for the print layouts: objects built directly, no project on disk.

The body text is section 1–4 of the real 2023 Tây Sơn plan (DESIGN.md corpus).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from truyenthanh.config import Area, BannerSize, Issuer, PrintSettings, PrintShop
from truyenthanh.printing import OperatorItem
from truyenthanh.render import RenderedText

DATA = Path(__file__).parent / "data"
BODY = (DATA / "cchc-2023-body.txt").read_text(encoding="utf-8")
MM = 72 / 25.4

SLOGANS = (
    "Đẩy mạnh cải cách hành chính, vì sự hài lòng của người dân và doanh nghiệp",
    "Sử dụng dịch vụ công trực tuyến | Tiết kiệm thời gian, chi phí",
    "Ủy ban nhân dân huyện Tây Sơn đồng hành cùng người dân",
)
BANNERS = {
    "0.8x5m": BannerSize(width_mm=5000, height_mm=800),
    "0.7x4m": BannerSize(width_mm=4000, height_mm=700),
    "1.2x6m": BannerSize(width_mm=6000, height_mm=1200),
}


@pytest.fixture(scope="session")
def issuer() -> Issuer:
    return Issuer(
        name="Ủy ban nhân dân huyện Tây Sơn",
        short_name="UBND huyện Tây Sơn",
        level="huyện",
        province="Bình Định",
        station="Trung tâm Văn hóa - Thông tin - Thể thao huyện Tây Sơn",
        hotlines=("0256 3880 277", "1800 1096"),
        one_stop_address="Bộ phận Tiếp nhận và Trả kết quả, UBND huyện Tây Sơn, thị trấn Phú Phong",
    )


@pytest.fixture(scope="session")
def settings() -> PrintSettings:
    return PrintSettings()


@pytest.fixture(scope="session")
def area() -> Area:
    return Area(
        id="binh-hoa",
        name="Bình Hòa",
        kind="xã",
        station="Đài truyền thanh xã Bình Hòa",
        slots=("05:30", "17:00"),
        operator="Trần Thị Bích",
    )


def make_text(**changes) -> RenderedText:
    base = dict(
        announcement_id="ke-hoach-cchc-2023",
        area_id=None,
        title="Tuyên truyền cải cách hành chính huyện Tây Sơn năm 2023",
        body=BODY,
        category="Cải cách hành chính",
        priority="normal",
        repeat=1,
        valid_from=dt.date(2023, 2, 20),
        valid_until=dt.date(2023, 12, 31),
        approval_sha256="0" * 64,
        approved_by="Nguyễn Văn An",
        slogans=SLOGANS,
        summary="Kế hoạch số 20/KH-UBND của UBND huyện về tuyên truyền cải cách hành chính năm 2023.",
        url="https://dichvucong.gov.vn",
    )
    base.update(changes)
    return RenderedText(**base)


@pytest.fixture(scope="session")
def text() -> RenderedText:
    return make_text()


@pytest.fixture(scope="session")
def shop() -> PrintShop:
    return PrintShop(
        id="in-phu-phong",
        name="Cơ sở in Phú Phong",
        address="thị trấn Phú Phong",
        phone="0256 3880 999",
        quantities={"leaflet": 3000, "poster": 30, "banner": 15},
    )


@pytest.fixture(scope="session")
def items(text) -> list[OperatorItem]:
    return [
        OperatorItem(
            text.title,
            "normal",
            text.valid_from,
            text.valid_until,
            1,
            text.body,
            "ke-hoach-cchc-2023.mp3",
        ),
        OperatorItem(
            "Tạm ngừng tiếp nhận hồ sơ trực tiếp ngày 24/02",
            "priority",
            dt.date(2023, 2, 20),
            dt.date(2023, 2, 24),
            2,
            "Bộ phận một cửa tạm ngừng tiếp nhận hồ sơ trực tiếp trong ngày 24/02/2023 "
            "để nâng cấp hệ thống. Người dân nộp hồ sơ trực tuyến tại Cổng Dịch vụ công quốc gia.",
            None,
        ),
        OperatorItem(
            "Cảnh báo mưa lớn, lũ quét vùng trũng thấp",
            "emergency",
            dt.date(2023, 2, 21),
            dt.date(2023, 2, 22),
            2,
            "Đề nghị bà con vùng trũng thấp khẩn trương di chuyển đến nơi an toàn "
            "theo hướng dẫn của Ban Chỉ huy phòng chống thiên tai xã.",
            "canh-bao-mua-lu.mp3",
        ),
    ]


# -- helpers that open the PDFs ---------------------------------------------------------------------
def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def box(page: pikepdf.Page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.obj[name])


WORD = re.compile(r"[^\W_]+(?:[-/.,][^\W_]+)*", re.UNICODE)


def words(text: str) -> set[str]:
    """NFC, lower-cased words; punctuation at the edges does not count."""
    text = unicodedata.normalize("NFC", text).lower()
    return {w for w in WORD.findall(text)}


def extract(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages)


@pytest.fixture(scope="session")
def built(text, issuer, settings, area, shop, items) -> dict[str, bytes]:
    """Every kind of PDF once per session (they are pure functions of their input)."""
    from truyenthanh.printing import (
        banner_file_name,
        banner_pdf,
        leaflet_pdf,
        operator_script_pdf,
        order_sheet_pdf,
        poster_pdf,
    )
    from truyenthanh.weeks import IsoWeek

    out = {"leaflet": leaflet_pdf(text, issuer, settings, area, "leaflet-binh-hoa.pdf")}
    for label, size in BANNERS.items():
        out[f"banner-{label}"] = banner_pdf(
            text,
            issuer,
            settings,
            size,
            banner_file_name(text.announcement_id, size, size.bleed_mm),
        )
    for paper in ("A3", "A1"):
        out[f"poster-{paper}"] = poster_pdf(text, issuer, settings, paper, f"poster-{paper}.pdf")
    out["order"] = order_sheet_pdf(shop, printed_files(), issuer, settings, "2023-W08")
    out["operator"] = operator_script_pdf(area, issuer, settings, IsoWeek(2023, 8), items)
    return out


def printed_files():
    from truyenthanh.printing import PrintedFile, material_for

    def pf(path, kind, w, h, scale, bleed, pages, area=None):
        return PrintedFile(
            path,
            kind,
            "ke-hoach-cchc-2023",
            area,
            "Tuyên truyền cải cách hành chính năm 2023",
            w,
            h,
            scale,
            bleed,
            pages,
            0,
            material_for(kind),
        )

    base = "2023-W08/print/ke-hoach-cchc-2023/"
    return [
        pf(base + "ke-hoach-cchc-2023_to-gap.pdf", "leaflet", 297, 210, 1, 3, 2),
        pf(
            base + "ke-hoach-cchc-2023_to-gap_binh-hoa.pdf",
            "leaflet",
            297,
            210,
            1,
            3,
            2,
            area="binh-hoa",
        ),
        pf(base + "ke-hoach-cchc-2023_bang-ron-0.8x5m.pdf", "banner", 5000, 800, 1, 20, 3),
        pf(base + "ke-hoach-cchc-2023_bang-ron-1.2x6m-1to10.pdf", "banner", 6000, 1200, 10, 20, 3),
        pf(base + "ke-hoach-cchc-2023_ap-phich-A3.pdf", "poster", 297, 420, 1, 3, 1),
        pf(base + "ke-hoach-cchc-2023_ap-phich-A1.pdf", "poster", 594, 841, 1, 3, 1),
    ]
