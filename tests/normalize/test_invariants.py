"""What must never reach a speech engine: digits, runs of capitals, "/"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from truyenthanh.normalize import Dialect, spoken_lines, spoken_script

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "tay-son-cchc-2023.txt"
NOTICES = sorted(
    p
    for p in (DATA.parent / "golden" / "notices").glob("*.txt")
    if not p.name.endswith(".spoken.txt")
)

# Vietnamese-aware: "ĐƯỜNG", "ỦY" are capital runs too.
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
CAPS_RUN = re.compile(f"[{_UPPER}]{{2,}}")
DIGIT = re.compile(r"\d")

TRICKY = [
    "Thứ sáu - 17/02/2023 09:43",
    "Kế hoạch số 20/KH-UBND; Nghị quyết số 05-NQ/TU; Quyết định 1234/QĐ-UBND; Nghị định 49/2024/NĐ-CP.",
    "Chỉ thị 23/CT-TTg, Nghị quyết số 76/NQ-CP, Thông tư 01/2023/TT-BNV, Luật số 67/2020/QH14.",
    "giai đoạn 2021 - 2025, từ 7h00 đến 11h30, 01/12 – 15/12/2023, tháng 11/2023, 1/1/2024.",
    "Đường dây nóng: 0256 3 880 277, 0913.123.456, 1022, hotline 1900 1234, +84 913 123 456.",
    "Phí 50.000đ/người; 1.250.000 VNĐ; 2 tỷ đồng; 95,5%; 8,25%; 4,131,067; 10-15%.",
    "100 m2, 30m², 3,5 ha, 12 km, 30°C, -5°C, 60km/h, 500kg, 0,8 x 5 m, 5 GB.",
    "Khóa XX, Quý IV/2023, Đại hội XIII, Thế kỷ XXI, lần thứ XIII, mục IV, Chương II.",
    "UBND, HĐND, MTTQVN, TTHC, CCHC, CNTT, BHYT, BHXH, THPT, CSGT, TTg, QĐ, NĐ-CP, KH, ABCXYZ, eKYC, VNeID.",
    "LỜI CHÀO MỪNG ĐẾN VỚI CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN TÂY SƠN",
    "ỦY BAN NHÂN DÂN HUYỆN TÂY SƠN / PHÒNG NỘI VỤ",
    "Zalo, Facebook, COVID-19, SARS-CoV-2, H5N1, B2, 5G, QL1A, F0.",
    "Email: ubnd@tayson.gov.vn; web https://dichvucong.gov.vn/p/home?id=12&x=3; www.tayson.binhdinh.gov.vn/tin-tuc/2023",
    "• Đang truy cập20\n• Hôm nay4,096\n• Tổng lượt truy cập4,131,067",
    "1. Mục đích\na) Nội dung\nII. NHIỆM VỤ\n(3) Ba\n- 2021 - 2025",
    "xã/phường/thị trấn và/hoặc 2/3 số hộ, 12/5, 1/4, 24/7, 3/2023/abc, 25:70, 1:500.",
    "Tỷ lệ 99,99 %, 0,5‰, 1.000.000.000.000 đồng, 123456789012345678, 0000, 007.",
    "Số 12A/34B đường Trần Hưng Đạo, tổ 5, KP3, P.2, Q.1, TP.HCM.",
    "Tuye\u0302n truye\u0302\u0300n ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh",
    "Uû ban nh©n d©n huyÖn T©y S¬n n¨m 2023",
    "UÛy ban nhaân daân huyeän Taây Sôn naêm 2023",
    "Ghi chú*: 😀 ©2023 ™ ® § ¶ † ‡ ^ \\ | ` ~ = + < > ≥ ≤ ≈ × ÷ ± € $ £ ¥ # @ [1] {2} <b>3</b>",
    "H.Tây Sơn, T.Bình Định, X.Bình Tân, TT.Phú Phong, Tp.Quy Nhơn",
    "MỤC I. THỐNG KÊ NĂM 2023 (ĐVT: TRIỆU ĐỒNG)",
    "COVID19, Covid-19, covid, 4.0, v1.2.3, 2G/3G/4G, A4, iPhone 15, Windows 11, x2, X2",
]


def _check(text: str) -> None:
    assert not DIGIT.search(text), text
    assert not any(c.isnumeric() for c in text), text  # ², ½, ① are not \d but are numbers
    assert not CAPS_RUN.search(text), text
    assert "/" not in text, text


def test_corpus_is_clean():
    for line in spoken_lines(CORPUS.read_text(encoding="utf-8")):
        _check(line)


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("dialect", ["north", "south"])
def test_tricky_inputs_are_clean(text, dialect):
    script = spoken_script(text, dialect=Dialect.named(dialect))
    _check(script.text)
    for phrase in script.phrases(100):
        _check(phrase)
    for line in spoken_lines(text, dialect=Dialect.named(dialect)):
        _check(line)


def test_output_is_nfc_and_plain():
    import unicodedata

    text = spoken_script("\n".join(TRICKY)).text
    assert unicodedata.is_normalized("NFC", text)
    allowed = re.compile(r"[\w .,;:!?\n]")
    odd = {c for c in text if not allowed.match(c) or c == "_"}
    assert not odd, odd


def test_random_mixtures_stay_clean():
    """Seeded fuzz: shuffled pieces of hard input, with line breaks, never leak and never crash."""
    import random

    pieces = " ".join(TRICKY).replace("\n", " ").split(" ") + [
        "\n",
        "\n",
        "-",
        "/",
        ":",
        "(",
        ")",
        "%",
        "đ",
        "ngày",
        "tháng",
        "số",
        "thứ",
        "Quý",
        "lúc",
        "gọi",
        "km",
        "0",
        "00",
        "1.",
        "a)",
        "•",
        "...",
        "–",
        "—",
        "12h",
        "1/2",
        "31/12",
        "2021-",
        "-2025",
        "XX",
        "IV",
        "Đ/c",
    ]
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        for join in ("", "\n"):
            sample = text.replace(" \n ", "\n") if join else text
            lines = spoken_lines(sample)
            assert len(lines) == len(sample.splitlines())
            for line in lines:
                _check(line)
            script = spoken_script(sample)
            _check(script.text)
            assert all(len(p) <= 100 for p in script.phrases(100))


def test_random_tokens_stay_clean():
    """Seeded fuzz over raw characters: digits, capitals and separators in any order."""
    import random

    alphabet = "0123456789" * 3 + "ABCĐXVIỦƯHKTQ" + "/.,-:%°²³½①&+@" + "aăđơưêhkt" + "  "
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        for line in spoken_lines(text):
            _check(line)
        _check(spoken_script(text).text)


_WORD = re.compile(r"[^\W\d_]+")


def _unreadable_runs(spoken: str, source: str) -> set[str]:
    """Words of the spoken text that are neither a Vietnamese syllable nor a word the author wrote
    as a word ("Dengue", "aspirin"): "tiepcongdan", "docx", "kWh" made by the reader itself."""
    from truyenthanh.normalize.chars import is_syllable

    # Words inside addresses and file types (".docx", "x.vn", "a@b") were not written as words.
    written = {w.lower() for w in _WORD.findall(re.sub(r"\S*[./@]\w\S*", " ", source))}
    return {
        w
        for w in _WORD.findall(spoken)
        if not is_syllable(w) and (w.lower() not in written or any(c.isupper() for c in w[1:]))
    }


def test_evidence_set_is_there():
    assert len(NOTICES) >= 12
    for path in NOTICES:
        assert 1000 <= len(path.read_text(encoding="utf-8")) <= 2000, path.name


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.stem)
@pytest.mark.parametrize("dialect", ["north", "south"])
def test_notices_are_clean(path, dialect):
    source = path.read_text(encoding="utf-8")
    script = spoken_script(source, dialect=Dialect.named(dialect))
    _check(script.text)
    for phrase in script.phrases(100):
        _check(phrase)
    lines = spoken_lines(source, dialect=Dialect.named(dialect))
    for line in lines:
        _check(line)
    assert not _unreadable_runs("\n".join(lines), source)


def test_unreadable_run_check_can_fail():
    assert _unreadable_runs("gửi tiepcongdan chấm docx", "gửi tiepcongdan.vn tệp .docx") == {
        "tiepcongdan",
        "docx",
    }
    assert _unreadable_runs("hai triệu kWh", "2 triệu kWh") == {"kWh"}
    assert not _unreadable_runs("sốt xuất huyết Dengue", "sốt xuất huyết Dengue")
