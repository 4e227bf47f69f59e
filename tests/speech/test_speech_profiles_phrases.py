"""Voice profiles (stock and project overrides) and the phrase splitter."""

from __future__ import annotations

import pytest

from truyenthanh.errors import AudioError
from truyenthanh.speech import (
    check_speakable,
    load_voice_profile,
    split_phrases,
    unspeakable_characters,
)
from truyenthanh.speech.profiles import ESPEAK_VOICES


@pytest.mark.parametrize(
    "name,dialect,voice",
    [
        ("northern", "north", "vi"),
        ("central", "central", "vi-VN-x-central"),
        ("southern", "south", "vi-VN-x-south"),
    ],
)
def test_stock_profiles(name, dialect, voice):
    p = load_voice_profile(name)
    assert (p.name, p.dialect, p.espeak.voice) == (name, dialect, voice)
    assert p.espeak.voice in ESPEAK_VOICES and p.gtts.tld
    assert len(p.content_sha256) == 64


def test_project_profile_overrides_stock(tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "central.yaml").write_text(
        "dialect: central\nespeak: {voice: vi-VN-x-central, rate_wpm: 120}\ngtts: {tld: com}\n",
        encoding="utf-8",
    )
    p = load_voice_profile("central", tmp_path)
    assert p.espeak.rate_wpm == 120 and p.gtts.tld == "com"
    assert p.source.startswith(str(tmp_path))
    assert load_voice_profile("northern", tmp_path).espeak.voice == "vi"  # others still stock


@pytest.mark.parametrize(
    "content,message",
    [
        ("dialect: central\nespeak: [1, 2\n", "sai cú pháp YAML"),
        ("- just a list\n", "bảng khóa"),
        ("dialect: west\n", "dialect phải là một trong"),
        ("dialect: north\nespeak: {voice: vi-VN-x-hanoi}\n", "espeak.voice phải là"),
        ("dialect: north\nespeak: {rate_wpm: fast}\n", "“espeak.rate_wpm” phải là số nguyên"),
        ("dialect: north\nespeak: {rate_wpm: 1000}\n", "rate_wpm phải từ 80 đến 450"),
        ("dialect: north\nespek: {}\n", "khóa lạ “espek”"),
        ("dialect: north\ngtts: {tld: 'google.com/x'}\n", "gtts.tld"),
    ],
)
def test_broken_profile_is_a_vietnamese_error_naming_the_file(tmp_path, content, message):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "mine.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(AudioError) as info:
        load_voice_profile("mine", tmp_path)
    assert message in info.value.message
    assert "mine.yaml" in info.value.message


def test_missing_and_invalid_profile_names(tmp_path):
    with pytest.raises(AudioError, match="Không tìm thấy giọng đọc “hue”"):
        load_voice_profile("hue", tmp_path)
    with pytest.raises(AudioError, match="không hợp lệ"):
        load_voice_profile("../central", tmp_path)


# --- phrases -------------------------------------------------------------------------------

SPLIT_TABLE = [
    ("Xin chào bà con.", ["Xin chào bà con."]),
    ("Câu một. Câu hai!", ["Câu một.", "Câu hai!"]),
    ("  nhiều   khoảng\ntrắng  ", ["nhiều khoảng trắng"]),
    ("", []),
]


@pytest.mark.parametrize("text,expected", SPLIT_TABLE)
def test_split_table(text, expected):
    assert split_phrases(text) == expected


LONG = (
    "Thực hiện Kế hoạch số một trăm tám mươi hai của Ủy ban nhân dân huyện Tây Sơn về truyền thông cải cách "
    "hành chính nhà nước giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm "
    "và định hướng đến năm hai nghìn không trăm ba mươi trên địa bàn huyện Tây Sơn tỉnh Bình Định"
)


def test_long_sentence_cut_under_limit_and_rejoins():
    phrases = split_phrases(LONG)
    assert len(phrases) >= 3
    assert all(len(p) <= 100 for p in phrases)
    assert " ".join(phrases) == LONG


def test_never_cut_inside_a_name():
    for limit in range(40, 101, 3):
        for p in split_phrases(LONG, limit):
            assert not p.endswith(("Tây", "Ủy ban", "Bình")), (limit, p)
            assert not p.startswith(("Sơn", "Định")), (limit, p)


def test_clause_punctuation_preferred():
    text = (
        "Bà con chú ý, "
        + "ngày mai xã tổ chức tiêm phòng cho đàn gia súc gia cầm tại nhà văn hóa thôn " * 1
        + "Hòa Hiệp, mang theo sổ."
    )
    phrases = split_phrases(text, 60)
    assert phrases[0] == "Bà con chú ý,"


def test_unspeakable_characters():
    assert unspeakable_characters("Xin chào bà con, ngày 5 (năm) – 100%!") == []
    assert unspeakable_characters("Chúc mừng 🎉 năm mới 新年") == ["🎉", "新", "年"]
    with pytest.raises(AudioError, match="U\\+1F389"):
        check_speakable("Chúc mừng 🎉")
