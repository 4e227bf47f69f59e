"""SpokenScript: paragraphs, sentences, phrases; spoken_lines keeps the line structure."""

from __future__ import annotations

import pytest

from truyenthanh.normalize import SpokenScript, spoken_lines, spoken_script


def test_weekday_date_time_line():
    assert spoken_script("Thứ sáu - 17/02/2023 09:43").text == (
        "Thứ sáu, ngày mười bảy tháng hai năm hai nghìn không trăm hai mươi ba, chín giờ bốn mươi ba phút."
    )


def test_paragraphs_and_sentences():
    text = (
        "Tuyên truyền cải cách hành chính\n"
        "\n"
        "Vừa qua, UBND huyện ban hành Kế hoạch số 20/KH-UBND. Mục đích góp phần nâng cao nhận thức.\n"
        "1. Mục đích: truyền thông;\n"
        "- Nội dung một,\n"
        "- Nội dung hai\n"
    )
    script = spoken_script(text)
    assert script.paragraphs == (
        ("Tuyên truyền cải cách hành chính.",),
        ("Vừa qua, Ủy ban nhân dân huyện ban hành Kế hoạch số hai mươi.", "Mục đích góp phần nâng cao nhận thức."),
        ("Mục đích: truyền thông.",),
        ("Nội dung một.",),
        ("Nội dung hai.",),
    )
    assert script.text.split("\n")[1] == " ".join(script.paragraphs[1])


def test_hard_wrapped_paragraph_is_joined():
    text = "Thực hiện Kế hoạch số 182/KH-UBND ngày\n06/12/2021 của UBND huyện\nvề cải cách hành chính.\nHết."
    script = spoken_script(text)
    assert script.paragraphs[0] == (
        "Thực hiện Kế hoạch số một trăm tám mươi hai ngày sáu tháng mười hai năm hai nghìn không trăm "
        "hai mươi mốt của Ủy ban nhân dân huyện về cải cách hành chính.",
    )
    assert script.paragraphs[1] == ("Hết.",)
    lines = spoken_lines(text)
    assert lines == [
        "Thực hiện Kế hoạch số một trăm tám mươi hai ngày",
        "sáu tháng mười hai năm hai nghìn không trăm hai mươi mốt của Ủy ban nhân dân huyện",
        "về cải cách hành chính.",
        "Hết.",
    ]


def test_spoken_lines_one_per_input_line():
    text = "Dòng 1\n\n  • Đang truy cập20\r\nTHỐNG KÊ\n…\n"
    lines = spoken_lines(text)
    assert lines == ["Dòng một.", "", "Đang truy cập hai mươi.", "Thống kê.", ""]
    assert spoken_lines("") == []


def test_heading_in_capitals_is_capitalised_once():
    assert spoken_script("LỜI CHÀO MỪNG").text == "Lời chào mừng."


def test_phrases_respect_the_limit_and_keep_every_word():
    script = spoken_script(
        "Tuyên truyền, phổ biến, quán triệt các chủ trương của Đảng, chính sách, pháp luật của Nhà nước, "
        "quan điểm chỉ đạo của Trung ương, của tỉnh, của huyện về cải cách hành chính; tuyên truyền định "
        "hướng các chương trình, kế hoạch cải cách hành chính của Chính phủ giai đoạn 2021 - 2030. Hết."
    )
    for limit in (100, 60, 30, 12):
        phrases = script.phrases(limit)
        assert all(len(p) <= limit for p in phrases), limit
        assert " ".join(phrases).split() == script.text.split()
    phrases = script.phrases(100)
    assert phrases[-1] == "Hết."
    assert phrases[0].endswith(",") or phrases[0].endswith(";")


def test_phrases_prefer_clause_marks_then_commas():
    script = SpokenScript((("một hai ba bốn, năm sáu bảy; tám chín mười mười một.",),))
    assert script.phrases(30) == ["một hai ba bốn, năm sáu bảy;", "tám chín mười mười một."]
    assert script.phrases(20) == ["một hai ba bốn,", "năm sáu bảy;", "tám chín mười mười", "một."]


def test_phrases_cut_an_overlong_word():
    script = SpokenScript((("a" * 25 + ".",),))
    assert script.phrases(10) == ["a" * 10, "a" * 10, "a" * 5 + "."]
    with pytest.raises(ValueError):
        script.phrases(0)


def test_every_sentence_ends_in_punctuation():
    text = (
        "Kính gửi: các xã, thị trấn\nNội dung (nếu có);\n- Mục một,…\nLỜI CHÀO MỪNG\n"
        "Liên hệ: 0256 3 880 277\nXem thêm tại: www.tayson.binhdinh.gov.vn"
    )
    for sentence in spoken_script(text).sentences:
        assert sentence[-1] in ".!?:;", sentence
        assert sentence[0].isupper(), sentence
