"""Banners: the 14,400 pt rule, UserUnit, and slogans that fill the cloth."""

from __future__ import annotations

import pytest

from tests.printing.conftest import BANNERS, box, make_text, open_pdf
from truyenthanh.config import BannerSize
from truyenthanh.errors import PrintError
from truyenthanh.printing import banner_file_name, banner_pdf, banner_scale


@pytest.mark.parametrize(
    ("label", "scale", "name"),
    [
        ("0.8x5m", 1, "ke-hoach-cchc-2023_bang-ron-0.8x5m.pdf"),
        ("0.7x4m", 1, "ke-hoach-cchc-2023_bang-ron-0.7x4m.pdf"),
        ("1.2x6m", 10, "ke-hoach-cchc-2023_bang-ron-1.2x6m-1to10.pdf"),
    ],
)
def test_scale_rule_and_file_name(built, settings, label, scale, name):
    size = BANNERS[label]
    assert banner_scale(size, settings) == scale
    assert banner_file_name("ke-hoach-cchc-2023", size, size.bleed_mm) == name
    variant = name.replace("ke-hoach-cchc-2023", "x").replace(".pdf", "_binh-hoa.pdf")
    assert banner_file_name("x", size, size.bleed_mm, "binh-hoa") == variant
    with open_pdf(built[f"banner-{label}"]) as pdf:
        assert len(pdf.pages) == 3  # one page per slogan
        for page in pdf.pages:
            assert float(page.obj.get("/UserUnit", 1)) == scale
            media = box(page, "/MediaBox")
            assert media[2] <= 14400 and media[3] <= 14400
        if scale != 1:
            assert pdf.pdf_version >= "1.6"


def test_a_wider_slug_tips_a_5m_banner_to_one_tenth(settings):
    size = BANNERS["0.8x5m"]
    wide = settings.model_copy(update={"slug_mm": 40.0})
    assert banner_scale(size, wide) == 10
    assert banner_file_name("x", size, size.bleed_mm, slug_mm=40.0).endswith("-1to10.pdf")


def test_slogan_too_long_for_legible_letters_is_a_vietnamese_error(issuer, settings):
    long = (
        "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư, thực hiện tốt chủ trương của Đảng, chính "
        "sách, pháp luật của Nhà nước, giữ gìn an ninh trật tự, bảo vệ môi trường, phòng chống thiên tai, "
        "dịch bệnh và chung tay xây dựng nông thôn mới, đô thị văn minh"
    )
    with pytest.raises(PrintError) as err:
        banner_pdf(
            make_text(slogans=(long,)),
            issuer,
            settings,
            BannerSize(width_mm=3000, height_mm=600),
            "b.pdf",
        )
    msg = str(err.value)
    assert "quá dài" in msg and "tối thiểu 72 mm" in msg


def test_explicit_minimum_letter_height_is_honoured(issuer, settings):
    size = BannerSize(width_mm=4000, height_mm=700, min_letter_mm=200)
    with pytest.raises(PrintError, match="tối thiểu 200 mm"):
        banner_pdf(
            make_text(
                slogans=(SLOGAN := "Đẩy mạnh cải cách hành chính, vì sự hài lòng của người dân",)
            ),
            issuer,
            settings,
            size,
            "b.pdf",
        )
    assert SLOGAN


def test_no_slogan_no_banner(issuer, settings):
    with pytest.raises(PrintError, match="khẩu hiệu"):
        banner_pdf(make_text(slogans=()), issuer, settings, BANNERS["0.8x5m"], "b.pdf")
