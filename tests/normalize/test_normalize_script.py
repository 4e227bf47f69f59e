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
        (
            "Vừa qua, Ủy ban nhân dân huyện ban hành Kế hoạch số hai mươi.",
            "Mục đích góp phần nâng cao nhận thức.",
        ),
        ("Một, Mục đích: truyền thông.",),
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
    script = SpokenScript(
        (("Tuyên truyền sâu rộng, phổ biến kịp thời; tổ chức thực hiện nghiêm túc.",),)
    )
    assert script.phrases(50) == [
        "Tuyên truyền sâu rộng, phổ biến kịp thời;",
        "tổ chức thực hiện nghiêm túc.",
    ]
    assert script.phrases(30) == [
        "Tuyên truyền sâu rộng,",
        "phổ biến kịp thời;",
        "tổ chức thực hiện nghiêm túc.",
    ]


def test_phrases_keep_names_and_numbers_whole():
    script = spoken_script(
        "Vừa qua, UBND huyện ban hành Kế hoạch số 20/KH-UBND về tuyên truyền cải cách hành chính "
        "huyện Tây Sơn năm 2023 trên địa bàn tỉnh Bình Định."
    )
    phrases = script.phrases(100)
    assert all(len(p) <= 100 for p in phrases)
    numbers = set(
        "không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm nghìn".split()
    )
    for left, right in zip(phrases, phrases[1:]):
        last, first = left.split()[-1], right.split()[0]
        assert not (last[0].isupper() and first[0].isupper()), (left, right)  # "Tây / Sơn"
        assert not (last in numbers and first.rstrip(".,") in numbers), (left, right)
    assert phrases[0] == "Vừa qua, Ủy ban nhân dân huyện ban hành Kế hoạch số hai mươi"


def test_phrases_cut_an_overlong_word():
    script = SpokenScript((("a" * 25 + ".",),))
    assert script.phrases(10) == ["a" * 10, "a" * 10, "a" * 5 + "."]
    assert script.phrases(1) == list("a" * 25 + ".")
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


def test_throughput_guard():
    """A guard against a pathological pattern, not the benchmark (scripts/bench-normalize):
    CPU time, so that a busy machine does not fail it; the target is > 1 MB per second."""
    import time
    from pathlib import Path

    corpus = (Path(__file__).resolve().parents[1] / "data" / "tay-son-cchc-2023.txt").read_text(
        encoding="utf-8"
    )
    text = (corpus + "\n") * 90  # about 1 MB
    spoken_script(corpus)
    start = time.process_time()
    spoken_script(text)
    rate = len(text) / max(time.process_time() - start, 1e-9)
    assert rate > 700_000, f"{rate:,.0f} characters per CPU second"
