"""Legacy encodings: detection and conversion (TCVN3/ABC, VNI-Windows, Windows-1258)."""

from __future__ import annotations

import unicodedata as _ud
from pathlib import Path

import pytest

from truyenthanh.normalize import convert_legacy, detect_legacy_encoding, spoken_script
from truyenthanh.normalize.legacy import _TCVN3, _VNI_PAIRS, _VNI_SINGLE, decode_cp1258

CORPUS = Path(__file__).resolve().parents[1] / "data" / "tay-son-cchc-2023.txt"

# Typed by hand as a .VnTime document shows when opened as Latin-1.
TCVN3_SAMPLE = (
    "Uû ban nh©n d©n huyÖn T©y S¬n ban hµnh KÕ ho¹ch tuyªn truyÒn c¶i c¸ch hµnh chÝnh n¨m 2023"
)
TCVN3_UNICODE = (
    "Uỷ ban nhân dân huyện Tây Sơn ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2023"
)
VNI_SAMPLE = "UÛy ban nhaân daân huyeän Taây Sôn ban haønh Keá hoaïch tuyeân truyeàn caûi caùch haønh chính naêm 2023"
VNI_UNICODE = (
    "Ủy ban nhân dân huyện Tây Sơn ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2023"
)


def _to_tcvn3(text: str) -> str:
    inverse = {v: k for k, v in _TCVN3.items()}
    return "".join(inverse.get(c, c) for c in text)


def _to_vni(text: str) -> str:
    inverse = {
        v: k for k, v in _VNI_PAIRS.items() if k[-1].islower() == v.islower() or not v.isalpha()
    }
    inverse.update({v: k for k, v in _VNI_SINGLE.items() if v not in inverse and k != v})
    return "".join(inverse.get(c, c) for c in text)


def test_tcvn3_sample():
    assert detect_legacy_encoding(TCVN3_SAMPLE) == "TCVN3"
    assert convert_legacy(TCVN3_SAMPLE, "TCVN3") == TCVN3_UNICODE


def test_vni_sample():
    assert detect_legacy_encoding(VNI_SAMPLE) == "VNI"
    assert convert_legacy(VNI_SAMPLE, "VNI") == VNI_UNICODE


@pytest.mark.parametrize(
    "text",
    [
        TCVN3_UNICODE,
        VNI_UNICODE,
        "Hòa bình, thuý, hoá đơn, khoẻ mạnh",  # old tone placement looks a little like VNI
        "Bản quyền © 2023 Cổng thông tin điện tử huyện Tây Sơn",
        "Hello world, café, naïve",
        "Ghi chú: © 2023 ™ ® § ¶ ± £ ¥ « » ¬ µ",
        "",
        "2023 - 2025",
    ],
)
def test_unicode_is_left_alone(text):
    assert detect_legacy_encoding(text) is None


def test_corpus_round_trips_through_tcvn3():
    # TCVN3 has no capitals with tone marks (documents used a capitals font): work in lowercase.
    unicode_text = CORPUS.read_text(encoding="utf-8").lower()
    legacy = _to_tcvn3(unicode_text)
    assert detect_legacy_encoding(legacy) == "TCVN3"
    assert convert_legacy(legacy, "TCVN3") == unicode_text


def test_corpus_round_trips_through_vni():
    unicode_text = CORPUS.read_text(encoding="utf-8")
    legacy = _to_vni(unicode_text)
    assert detect_legacy_encoding(legacy) == "VNI"
    assert convert_legacy(legacy, "VNI") == unicode_text


def test_spoken_script_converts_at_the_door():
    assert spoken_script(TCVN3_SAMPLE).text == spoken_script(TCVN3_UNICODE).text


def test_unknown_encoding():
    with pytest.raises(ValueError, match="bảng mã"):
        convert_legacy("abc", "VISCII")


# -- Windows-1258 ---------------------------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _to_cp1258(text: str) -> bytes:
    """Encode as Word and Notepad do: base letters with ^, ˘, horn precomposed, tones combining."""
    out = []
    for ch in text:
        parts = _ud.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = _ud.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


NOTICE = (
    Path(__file__).resolve().parents[1] / "golden" / "notices" / "03-khan-y-te.txt"
).read_text(encoding="utf-8")


def test_cp1258_notice_is_decoded_to_nfc():
    raw = _to_cp1258(NOTICE)
    assert raw.decode("latin-1") != NOTICE  # really single-byte legacy text
    assert decode_cp1258(raw) == NOTICE


def test_cp1258_is_not_claimed_for_western_text():
    assert decode_cp1258("Café crème, naïve résumé — déjà vu.".encode("cp1252")) is None
    assert decode_cp1258(b"\x81\x8a undefined bytes") is None


def test_cp1258_file_is_converted_at_the_door(tmp_path):
    from truyenthanh.sources import read_text

    path = tmp_path / "thong-bao.md"
    path.write_bytes(_to_cp1258(NOTICE))
    text_file, problem = read_text(path, "thong-bao.md")
    assert problem is None
    assert text_file.text == NOTICE
    assert "Windows-1258" in text_file.encoding_note


def test_tcvn3_and_vni_files_are_still_told_apart_from_cp1258(tmp_path):
    from truyenthanh.sources import read_text

    path = tmp_path / "cu.md"
    path.write_bytes(TCVN3_SAMPLE.encode("latin-1"))
    text_file, problem = read_text(path, "cu.md")
    assert problem is None and "TCVN3" in text_file.encoding_note
