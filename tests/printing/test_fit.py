"""Slogan fitting: real glyph bounds, breaks only between phrases, never inside a compound."""

from __future__ import annotations

import pytest

from truyenthanh.printing.fit import COMPOUNDS, fit_slogan, fold
from truyenthanh.printing.fonts import load_fonts

MM = 72 / 25.4

SLOGANS = [
    "Đẩy mạnh cải cách hành chính, vì sự hài lòng của người dân và doanh nghiệp",
    "Ủy ban nhân dân huyện Tây Sơn đồng hành cùng người dân trong cải cách hành chính",
    "Sử dụng dịch vụ công trực tuyến để tiết kiệm thời gian và chi phí",
    "Kỷ cương - Liêm chính - Hành động - Sáng tạo - Hiệu quả",
    "Xây dựng chính quyền điện tử, hướng tới chính quyền số phục vụ người dân",
    "Uỷ ban nhân dân xã chung tay thực hiện thủ tục hành chính trực tuyến",
]
BOXES = [(4700, 670), (3000, 600), (1500, 700), (800, 600), (600, 900)]  # mm: wide to narrow


@pytest.fixture(scope="module")
def heavy():
    return load_fonts("BeVietnamPro").heavy


def _split_compounds(slogan: str, lines: tuple[str, ...]) -> list[str]:
    """Compounds of the slogan that some line boundary cuts through."""
    keys = [fold(w) for w in slogan.split()]
    ends, n = set(), 0
    for line in lines[:-1]:
        n += len(line.split())
        ends.add(n)  # a break after word n-1
    bad = []
    for i in range(len(keys)):
        for comp in COMPOUNDS:
            if len(comp) > 1 and tuple(keys[i : i + len(comp)]) == comp:
                if any(i < e < i + len(comp) for e in ends):
                    bad.append(" ".join(comp))
    return bad


@pytest.mark.parametrize("slogan", SLOGANS)
@pytest.mark.parametrize("box", BOXES)
def test_never_broken_inside_a_compound(heavy, slogan, box):
    fit = fit_slogan(slogan, heavy, box[0] * MM, box[1] * MM)
    assert " ".join(fit.lines) == slogan.upper()
    assert not _split_compounds(slogan, fit.lines), fit.lines


def test_compound_list_has_the_classics():
    for c in ("cải cách", "ủy ban", "hành chính", "trực tuyến"):
        assert tuple(c.split()) in COMPOUNDS


def test_old_style_tone_marks_still_match():
    assert fold("Uỷ") == fold("ủy") == "ủy"
    assert fold("hoá") == "hóa"


def test_author_marks_always_break(heavy):
    fit = fit_slogan(
        "Sử dụng dịch vụ công trực tuyến | Tiết kiệm thời gian, chi phí", heavy, 4700 * MM, 670 * MM
    )
    assert fit.lines[0].endswith("TRỰC TUYẾN") and fit.lines[1].startswith("TIẾT KIỆM")
    nl = fit_slogan("Chung tay\ncải cách hành chính", heavy, 9000 * MM, 670 * MM)
    assert nl.lines == ("CHUNG TAY", "CẢI CÁCH HÀNH CHÍNH")


def test_prefers_the_comma_for_two_lines(heavy):
    fit = fit_slogan(SLOGANS[0], heavy, 4700 * MM, 670 * MM)
    assert fit.lines == (
        "ĐẨY MẠNH CẢI CÁCH HÀNH CHÍNH,",
        "VÌ SỰ HÀI LÒNG CỦA NGƯỜI DÂN VÀ DOANH NGHIỆP",
    )


def test_dash_never_starts_a_line(heavy):
    fit = fit_slogan(SLOGANS[3], heavy, 800 * MM, 900 * MM)
    assert len(fit.lines) > 1
    assert not any(line.startswith("-") for line in fit.lines)


def test_block_fits_box_using_real_glyph_bounds(heavy):
    w, h = 1000 * MM, 300 * MM
    fit = fit_slogan("ỦY BAN NHÂN DÂN | HIỆN ĐẠI", heavy, w, h)
    assert max(fit.widths) <= w + 1e-6
    # the ink of the first line starts at or below the box top, the last ends at or above its bottom
    lo, hi = heavy.ink(fit.lines[0])
    assert fit.baselines[0] - hi * fit.size >= -1e-6
    lo, _ = heavy.ink(fit.lines[-1])
    assert fit.baselines[-1] - lo * fit.size <= h + 1e-6
    assert fit.block_h == pytest.approx(h, rel=1e-6) or max(fit.widths) == pytest.approx(
        w, rel=1e-6
    )


def test_stacked_accents_are_taller_than_the_ascent(heavy):
    _, hi = heavy.ink("Ễ")
    assert hi > 1.1
    assert heavy.ink("H")[1] == pytest.approx(heavy.cap_height, abs=0.01)
