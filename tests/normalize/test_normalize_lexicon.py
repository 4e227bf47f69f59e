"""The reading table: packaged defaults, district extensions, file errors, dialects."""

from __future__ import annotations

import pytest

from truyenthanh.normalize import (
    Dialect,
    DialectError,
    Lexicon,
    LexiconError,
    load_lexicon_file,
    spoken_script,
)
from truyenthanh.normalize.chars import CAPS_RUN


def test_default_table_has_the_administrative_core():
    lex = Lexicon.default()
    for key in (
        "UBND",
        "HĐND",
        "MTTQ",
        "TTHC",
        "CCHC",
        "CNTT",
        "BHYT",
        "BHXH",
        "THPT",
        "CSGT",
        "TTg",
        "QĐ",
        "NĐ-CP",
        "KH",
    ):
        assert key in lex.abbreviations, key
    assert lex.abbreviations["UBND"] == "Ủy ban nhân dân"
    assert lex.pronunciations["Zalo"] == "Da lô"
    assert lex.pronunciations["Facebook"] == "Phây búc"
    assert lex.pronunciations["COVID"] == "Cô vít"


def test_default_readings_are_speakable():
    lex = Lexicon.default()
    for key, value in [*lex.abbreviations.items(), *lex.pronunciations.items()]:
        assert not CAPS_RUN.search(value), (key, value)
        assert not any(c.isdigit() for c in value), (key, value)
        assert "/" not in value, (key, value)


def test_default_is_shared_and_immutable():
    lex = Lexicon.default()
    assert Lexicon.default() is lex
    with pytest.raises(TypeError):
        lex.abbreviations["UBND"] = "x"  # type: ignore[index]


def test_extended_adds_and_overrides():
    base = Lexicon.default()
    lex = base.extended({"BQLDA": "Ban quản lý dự án", "UBND": "Ủy ban"}, {"Tây Sơn": "Tây Sơn"})
    assert lex.abbreviations["BQLDA"] == "Ban quản lý dự án"
    assert lex.abbreviations["UBND"] == "Ủy ban"
    assert base.abbreviations["UBND"] == "Ủy ban nhân dân"
    assert spoken_script("BQLDA và UBND huyện", lex).text == "Ban quản lý dự án và Ủy ban huyện."
    assert lex.fingerprint != base.fingerprint
    assert lex == base.extended(
        {"UBND": "Ủy ban", "BQLDA": "Ban quản lý dự án"}, {"Tây Sơn": "Tây Sơn"}
    )
    assert hash(lex) == hash(
        base.extended({"BQLDA": "Ban quản lý dự án", "UBND": "Ủy ban"}, {"Tây Sơn": "Tây Sơn"})
    )


def test_pronunciations_ignore_case_abbreviations_do_not():
    lex = Lexicon({"CA": "Công an"}, {"Tiktok": "Tích tốc"})
    assert (
        spoken_script("CA xã, ca trực, TIKTOK, tiktok", lex).text
        == "Công an xã, ca trực, Tích tốc, Tích tốc."
    )


def test_empty_lexicon_spells_capitals():
    assert spoken_script("UBND huyện", Lexicon({}, {})).text == "U bê en dê huyện."


def test_invalid_mapping():
    with pytest.raises(LexiconError):
        Lexicon({"UBND": ""}, {})
    with pytest.raises(LexiconError):
        Lexicon({"UBND": 5}, {})  # type: ignore[dict-item]


def test_load_lexicon_file(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        "abbreviations:\n  BQLDA: Ban quản lý dự án\npronunciations:\n  Grab: Gờ ráp\n",
        encoding="utf-8",
    )
    lex = load_lexicon_file(path)
    assert lex.abbreviations["BQLDA"] == "Ban quản lý dự án"
    assert lex.abbreviations["UBND"] == "Ủy ban nhân dân"
    assert spoken_script("đặt xe Grab", lex).text == "Đặt xe Gờ ráp."


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("abbreviations: [UBND]\n", "abbreviations"),
        ("abbreviations:\n  UBND:\n", "UBND"),
        ("words:\n  A: b\n", "words"),
        ("abbreviations: {UBND: [a, b]}\npronunciations: 3\n", "pronunciations"),
        ("- a\n- b\n", "bảng"),
        ("abbreviations:\n  UBND: Ủy ban\n   bad: indent\n", "dòng"),
    ],
)
def test_load_lexicon_file_errors_name_the_file(tmp_path, content, fragment):
    path = tmp_path / "lexicon.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon_file(path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_load_lexicon_file_lists_every_problem(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("abbreviations:\n  A: ''\n  B: ''\nextra: 1\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon_file(path)
    assert len(info.value.problems) == 1  # structure problems are reported before entry problems
    path.write_text("abbreviations:\n  A: ''\n  B: ''\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon_file(path)
    assert len(info.value.problems) == 2


def test_load_lexicon_file_missing_and_not_utf8(tmp_path):
    with pytest.raises(LexiconError, match="Không tìm thấy"):
        load_lexicon_file(tmp_path / "none.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("abbreviations:\n  A: Ủy\n".encode("utf-16"))
    with pytest.raises(LexiconError, match="UTF-8"):
        load_lexicon_file(path)


def test_dialects():
    assert Dialect() == Dialect.named("north") == Dialect("nghìn", "linh", "tư")
    assert Dialect.named("south") == Dialect("ngàn", "lẻ", "bốn")
    assert Dialect.named("central") == Dialect("ngàn", "lẻ", "tư")
    assert Dialect.named("Southern") == Dialect.named("nam")
    with pytest.raises(DialectError):
        Dialect.named("hà nội")
    with pytest.raises(ValueError):
        Dialect(thousand="ngàng")


def test_dialect_reaches_the_script():
    text = "Năm 2024 có 105 hộ."
    assert spoken_script(text, dialect=Dialect.named("south")).text == (
        "Năm hai ngàn không trăm hai mươi bốn có một trăm lẻ năm hộ."
    )
    assert (
        spoken_script(text).text == "Năm hai nghìn không trăm hai mươi tư có một trăm linh năm hộ."
    )


def test_lexicon_pickles():
    import pickle

    lex = Lexicon.default().extended({"BQLDA": "Ban quản lý dự án"}, {})
    copy = pickle.loads(pickle.dumps(lex))
    assert copy == lex and copy.abbreviations["BQLDA"] == "Ban quản lý dự án"


def test_district_reading_with_digits_is_read():
    lex = Lexicon.default().extended({"ĐT639": "đường tỉnh 639"}, {})
    assert (
        spoken_script("Tuyến ĐT639 bị sạt lở.", lex).text
        == "Tuyến đường tỉnh sáu trăm ba mươi chín bị sạt lở."
    )
