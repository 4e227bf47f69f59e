"""Sentence timings from a programme's parts and joins (pure functions, exact tables)."""

from __future__ import annotations

import pytest

from truyenthanh.channels.timeline import readings, sentence_times, spans, written_paragraphs
from truyenthanh.channels.video import frames_of

PARTS = [
    ("sound", ""),
    ("silence", ""),
    ("speech", "Tiêu đề."),
    ("silence", ""),
    ("speech", "Câu một."),
    ("silence", ""),
    ("speech", "Câu hai."),
    ("silence", ""),
    ("speech", "Xin nhắc lại."),
    ("speech", "Tiêu đề."),
    ("speech", "Câu một."),
    ("speech", "Câu hai."),
    ("speech", "Đài vừa phát xong."),
]


def test_spans_and_readings_from_joins():
    rate = 1000
    joins = [2000, 2500, 4000, 4500, 7000, 7400, 9000, 10000, 11000, 12000, 14000, 16000]
    tl = spans(PARTS, joins, rate, 18.0)
    assert [(s.start, s.end) for s in tl[:3]] == [(0.0, 2.0), (2.0, 2.5), (2.5, 4.0)]
    found = readings(tl, "Tiêu đề.", ["Câu một.", "Câu hai."])
    assert [(r.title.start, [(s.start, s.end) for s in r.sentences]) for r in found] == [
        (2.5, [(4.5, 7.0), (7.4, 9.0)]),
        (11.0, [(12.0, 14.0), (14.0, 16.0)]),
    ]


def test_spans_refuse_joins_that_do_not_match_the_parts():
    with pytest.raises(ValueError):
        spans(PARTS, [1, 2], 1000, 5.0)


def test_written_paragraphs_keep_the_spoken_script_structure():
    body = (
        "Câu một. Câu hai có số 20/KH-UBND.\n\n- Mục một.\n- Mục hai\n  tiếp tục dòng.\nDòng cuối."
    )
    assert written_paragraphs(body) == (
        ("Câu một.", "Câu hai có số 20/KH-UBND."),
        ("• Mục một.",),
        ("• Mục hai tiếp tục dòng.",),
        ("Dòng cuối.",),
    )


def test_sentence_counts_that_differ_share_the_paragraph_time_by_characters():
    tl = spans([("speech", "T."), ("speech", "A b."), ("speech", "C d.")], [1000, 3000], 1000, 5.0)
    r = readings(tl, "T.", ["A b.", "C d."])[0]
    # one written sentence for two spoken ones: it gets the whole span
    assert sentence_times([("AB.",)], [("A b.", "C d.")], r) == [[(1.0, 5.0)]]
    # two written of unequal length for the same two spoken: shared by characters
    times = sentence_times(
        [("Ngắn.", "Một câu dài hơn nhiều.")], [("A b.",)], readings(tl, "T.", ["A b."])[0]
    )
    assert times[0][0] == (1.0, pytest.approx(1.0 + 2.0 * 5 / 27))


def test_frames_snap_changes_to_whole_frames_and_fill_the_duration():
    runs = frames_of([(0.0, "title"), (1.26, 0), (3.0, 1), (3.1, 1), (4.0, "closing")], 5.0)
    assert runs == [("title", 3), (0, 3), (1, 2), ("closing", 2)]
    assert sum(c for _, c in runs) == 10
