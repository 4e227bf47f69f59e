"""Cardinals and the other number readers, as tables."""

from __future__ import annotations

import pytest

from truyenthanh.normalize import Dialect, read_number, read_numeral, read_ordinal
from truyenthanh.normalize.numbers import read_digits, read_integer_string, roman_to_int

NORTH = Dialect.named("north")
SOUTH = Dialect.named("south")

CARDINALS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (55, "năm mươi lăm"),
    (65, "sáu mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1021, "một nghìn không trăm hai mươi mốt"),
    (2023, "hai nghìn không trăm hai mươi ba"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (50_000, "năm mươi nghìn"),
    (100_005, "một trăm nghìn không trăm linh năm"),
    (1_000_000, "một triệu"),
    (1_000_001, "một triệu không trăm linh một"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_250_000, "một triệu hai trăm năm mươi nghìn"),
    (2_000_500, "hai triệu năm trăm"),
    (4_131_067, "bốn triệu một trăm ba mươi mốt nghìn không trăm sáu mươi bảy"),
    (1_000_000_000, "một tỷ"),
    (2_000_000_015, "hai tỷ không trăm mười lăm"),
    (1_000_005_000, "một tỷ không trăm linh năm nghìn"),
    (10**12, "một nghìn tỷ"),
    (
        1_234_567_890_123,
        "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu "
        "tám trăm chín mươi nghìn một trăm hai mươi ba",
    ),
    (-5, "âm năm"),
]


@pytest.mark.parametrize("n, words", CARDINALS)
def test_cardinals_north(n, words):
    assert read_number(n) == words
    assert read_number(n, NORTH) == words


@pytest.mark.parametrize(
    "n, words",
    [
        (24, "hai mươi bốn"),
        (105, "một trăm lẻ năm"),
        (2024, "hai ngàn không trăm hai mươi bốn"),
        (14, "mười bốn"),
        (1_005_000, "một triệu không trăm lẻ năm ngàn"),
    ],
)
def test_cardinals_south(n, words):
    assert read_number(n, SOUTH) == words


def test_central_mixes():
    central = Dialect.named("central")
    assert read_number(2024, central) == "hai ngàn không trăm hai mươi tư"
    assert read_number(105, central) == "một trăm lẻ năm"


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_read_number_wants_int(bad):
    with pytest.raises(TypeError):
        read_number(bad)


@pytest.mark.parametrize(
    "token, words",
    [
        ("50.000", "năm mươi nghìn"),
        ("1.250.000", "một triệu hai trăm năm mươi nghìn"),
        ("4,131,067", "bốn triệu một trăm ba mươi mốt nghìn không trăm sáu mươi bảy"),
        ("95,5", "chín mươi lăm phẩy năm"),
        ("8,25", "tám phẩy hai mươi lăm"),
        ("1,05", "một phẩy không năm"),
        ("3,125", "ba phẩy một hai năm"),
        ("4,096", "bốn phẩy không chín sáu"),
        ("4.0", "bốn chấm không"),
        ("1.250.000,5", "một triệu hai trăm năm mươi nghìn phẩy năm"),
        ("05", "năm"),
        ("0256", "không hai năm sáu"),
        ("2023", "hai nghìn không trăm hai mươi ba"),
    ],
)
def test_read_numeral(token, words):
    assert read_numeral(token) == words


def test_read_numeral_comma_grouped_document():
    assert read_numeral("4,096", comma_groups=True) == "bốn nghìn không trăm chín mươi sáu"
    assert read_numeral("13,854", comma_groups=True) == "mười ba nghìn tám trăm năm mươi tư"
    assert read_numeral("3.5", comma_groups=True) == "ba phẩy năm"


@pytest.mark.parametrize(
    "n, words", [(1, "nhất"), (2, "hai"), (4, "tư"), (14, "mười bốn"), (24, "hai mươi tư")]
)
def test_ordinals(n, words):
    assert read_ordinal(n) == words


@pytest.mark.parametrize(
    "roman, value",
    [
        ("I", 1),
        ("IV", 4),
        ("IX", 9),
        ("XIII", 13),
        ("XX", 20),
        ("XXI", 21),
        ("XL", 40),
        ("MCMXC", 1990),
        ("IIII", None),
        ("VX", None),
        ("", None),
        ("IC", None),
    ],
)
def test_roman_to_int(roman, value):
    assert roman_to_int(roman) == value


def test_digits_and_padding():
    assert read_digits("1022") == "một không hai hai"
    assert read_integer_string("007") == "bảy"
    assert read_integer_string("1234567890123456") == read_digits("1234567890123456")
