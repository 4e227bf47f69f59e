"""Bad input gives a PrintError with a Vietnamese message naming the problem."""

from __future__ import annotations

import pytest

from tests.printing.conftest import make_text
from truyenthanh.errors import PrintError
from truyenthanh.printing import leaflet_pdf, poster_pdf


def test_character_missing_from_the_font_is_named(issuer, settings, area):
    bad = make_text(body="Thông báo có ký tự lạ ☃ và 中 ở đây.")
    with pytest.raises(PrintError) as err:
        leaflet_pdf(bad, issuer, settings, area, "x.pdf")
    msg = str(err.value)
    assert "☃" in msg and "U+2603" in msg and "中" in msg and "Phông chữ" in msg


def test_missing_font_is_named(text, issuer, settings, area, tmp_path):
    missing = settings.model_copy(update={"font": str(tmp_path / "KhongCo")})
    with pytest.raises(PrintError, match="Không tìm thấy phông chữ"):
        leaflet_pdf(text, issuer, missing, area, "x.pdf")
    unknown = settings.model_copy(update={"font": "KhongCoPhongNay"})
    with pytest.raises(PrintError, match="KhongCoPhongNay"):
        poster_pdf(text, issuer, unknown, "A3", "x.pdf")


def test_font_given_as_a_file_path_works(text, issuer, settings, area):
    import fontpkg_be_vietnam_pro as pkg

    path = settings.model_copy(
        update={"font": str(pkg.ROOT / "files" / "BeVietnamPro-Regular.ttf")}
    )
    assert leaflet_pdf(text, issuer, path, area, "x.pdf").startswith(b"%PDF")


def test_text_too_long_for_the_leaflet(issuer, settings, area):
    huge = make_text(body="\n".join([make_text().body] * 3))
    with pytest.raises(PrintError, match="quá dài cho tờ gấp"):
        leaflet_pdf(huge, issuer, settings, area, "x.pdf")


def test_unknown_poster_paper(text, issuer, settings):
    with pytest.raises(PrintError, match="A5"):
        poster_pdf(text, issuer, settings, "A5", "x.pdf")


def test_decomposed_input_is_printed_composed(issuer, settings, area):
    import unicodedata

    from tests.printing.conftest import extract

    nfd = unicodedata.normalize("NFD", "Người dân nộp hồ sơ trực tuyến.")
    out = extract(
        leaflet_pdf(
            make_text(body=nfd, title=unicodedata.normalize("NFD", "Thủ tục")),
            issuer,
            settings,
            area,
            "x.pdf",
        )
    )
    assert "Người dân nộp hồ sơ trực tuyến." in " ".join(out.split())


def test_decomposed_config_text_is_printed_composed(text, settings, area, items):
    import unicodedata

    from tests.printing.conftest import extract
    from truyenthanh.config import Issuer
    from truyenthanh.printing import operator_script_pdf
    from truyenthanh.weeks import IsoWeek

    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Tây Sơn")
    issuer = Issuer(
        name=nfd,
        level="huyện",
        province="Bình Định",
        station=nfd,
        hotlines=("0256 3880 277",),
        one_stop_address=unicodedata.normalize("NFD", "Bộ phận một cửa"),
    )
    leaflet = extract(leaflet_pdf(text, issuer, settings, area, "x.pdf"))
    assert "Ủy ban nhân dân huyện Tây Sơn" in leaflet and "Bộ phận một cửa" in leaflet
    script = extract(operator_script_pdf(area, issuer, settings, IsoWeek(2023, 8), items))
    assert "Ủy ban nhân dân huyện Tây Sơn" in " ".join(script.split())
