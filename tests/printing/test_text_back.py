"""The text printed is the text approved: it extracts back word for word (NFC)."""

from __future__ import annotations

import unicodedata

from tests.printing.conftest import BODY, SLOGANS, extract, words


def test_leaflet_carries_the_whole_body_title_and_contacts(built, text, issuer):
    got = words(extract(built["leaflet"]))
    missing = words(BODY) - got
    assert not missing, sorted(missing)[:20]
    assert words(text.title) <= got
    assert words(issuer.one_stop_address) <= got
    for number in issuer.hotlines:
        assert number in extract(built["leaflet"])


def test_extracted_text_is_nfc(built):
    for kind in ("leaflet", "banner-0.8x5m", "operator", "order"):
        out = extract(built[kind])
        assert out == unicodedata.normalize("NFC", out)


def test_banner_pages_carry_their_slogans_in_capitals(built):
    for kind in ("banner-0.8x5m", "banner-0.7x4m", "banner-1.2x6m"):
        got = words(extract(built[kind]))
        for slogan in SLOGANS:
            assert words(slogan.replace("|", " ")) <= got, (kind, slogan)


def test_poster_carries_title_summary_slogan_and_hotline(built, text, issuer):
    out = extract(built["poster-A1"])
    got = words(out)
    assert words(text.title) <= got
    assert words(text.summary) <= got
    assert words(SLOGANS[0]) <= got
    assert issuer.hotlines[0] in out


def test_slug_names_file_size_scale_and_date(built):
    small = extract(built["banner-0.8x5m"])
    assert "bang-ron-0.8x5m.pdf" in small and "5000 × 800 mm" in small and "tỉ lệ 1:1" in small
    assert "20/02/2023" in small
    big = extract(built["banner-1.2x6m"])
    assert "bang-ron-1.2x6m-1to10.pdf" in big and "tỉ lệ 1:10" in big and "6000 × 1200 mm" in big
