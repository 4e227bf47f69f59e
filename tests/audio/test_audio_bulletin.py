"""The weekly bulletin, broadcast order, durations, and the limiter on its own."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import make_request, measure
from mutagen.id3 import ID3

from truyenthanh.audio import (
    PRIORITIES,
    broadcast_order,
    build_bulletin,
    build_programme,
    mp3_duration,
    priority_rank,
)
from truyenthanh.audio.loudness import integrated_lufs, limit, normalise, true_peak_dbtp
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError

ROOT = Path(".")
SETTINGS = AudioSettings(gap_seconds=1.0)


def test_priority_rank_and_stable_order():
    assert [priority_rank(p) for p in PRIORITIES] == [0, 1, 2]
    assert priority_rank("unknown") == 3
    items = [{"id": "a", "priority": "normal"}, {"id": "b", "priority": "emergency"},
             {"id": "c", "priority": "normal"}, {"id": "d", "priority": "priority"},
             {"id": "e", "priority": "emergency"}]
    assert [i["id"] for i in broadcast_order(items)] == ["b", "e", "d", "a", "c"]
    reqs = [make_request(announcement_id=i, priority=p) for i, p in (("x", "normal"), ("y", "priority"))]
    assert [r.announcement_id for r in broadcast_order(reqs)] == ["y", "x"]
    pairs = [("t1", "normal"), ("t2", "emergency")]
    assert broadcast_order(pairs, priority=lambda t: t[1]) == [("t2", "emergency"), ("t1", "normal")]


@pytest.fixture(scope="module")
def programmes(tmp_path_factory):
    out = tmp_path_factory.mktemp("programmes")
    cache = out / "cache"
    specs = [
        ("thong-bao-thuong", "Lịch tiếp công dân", "normal", (("Lịch tiếp công dân tuần này vào sáng thứ hai.",),)),
        ("khan", "Cảnh báo mưa lũ", "emergency", (("Bà con vùng trũng thấp chủ động di dời tài sản.",),)),
    ]
    paths = []
    for ident, title, priority, body in specs:
        req = make_request(announcement_id=ident, title=title, spoken_title=title, priority=priority,
                           spoken_paragraphs=body, repeats=0)
        result = build_programme(req, SETTINGS, "central", "espeak", ROOT, cache)
        path = out / f"{ident}.mp3"
        path.write_bytes(result.mp3)
        paths.append((title, path, priority, result.duration_s))
    return paths


def test_bulletin(programmes):
    ordered = broadcast_order(programmes, priority=lambda p: p[2])
    assert [p[0] for p in ordered] == ["Cảnh báo mưa lũ", "Lịch tiếp công dân"]
    result = build_bulletin([(t, p) for t, p, _, _ in ordered], SETTINGS, "xã Bình Hòa",
                            "Đài Truyền thanh xã Bình Hòa", "2023-W08", "2023-02-20", ROOT)
    total = sum(d for *_, d in programmes)
    assert total + 3 < result.duration_s < total + 12  # ident, gaps, closing tone
    lufs, peak = measure(result.mp3, SETTINGS.sample_rate)
    assert lufs == pytest.approx(-16, abs=1.0) and peak <= -1.0
    tags = ID3(io.BytesIO(result.mp3))
    assert str(tags["TIT2"]) == "Bản tin tuần 8 năm 2023 – xã Bình Hòa"
    assert str(tags["TPE1"]) == "Đài Truyền thanh xã Bình Hòa"
    comment = tags.getall("COMM")[0].text[0]
    assert comment.index("Cảnh báo mưa lũ") < comment.index("Lịch tiếp công dân")
    assert result.engine == "" and result.tts_requests == 0


def test_bulletin_faults(programmes, tmp_path):
    with pytest.raises(AudioError, match="Không có chương trình nào"):
        build_bulletin([], SETTINGS, "xã Bình Hòa", "Đài", "2023-W08", "2023-02-20", ROOT)
    with pytest.raises(AudioError, match="Không đọc được chương trình “Mất”"):
        build_bulletin([("Mất", tmp_path / "none.mp3")], SETTINGS, "xã Bình Hòa", "Đài", "2023-W08", "2023-02-20", ROOT)
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"not an mp3 at all" * 100)
    with pytest.raises(AudioError, match="Không giải mã được chương trình “Hỏng”"):
        build_bulletin([("Hỏng", bad)], SETTINGS, "xã Bình Hòa", "Đài", "2023-W08", "2023-02-20", ROOT)


def test_mp3_duration_from_path_and_bytes(programmes, tmp_path):
    _, path, _, duration = programmes[0]
    assert mp3_duration(path) == pytest.approx(duration)
    assert mp3_duration(path.read_bytes()) == pytest.approx(duration)
    with pytest.raises(AudioError):
        mp3_duration(b"nope")


# --- loudness on its own ----------------------------------------------------------------------

RATE = 22050


def peaky_speechlike(seconds: float = 4.0) -> np.ndarray:
    """A buzzy 120 Hz voice in syllables, with sharp clicks: peaks far above its loudness."""
    rng = np.random.default_rng(1)
    t = np.arange(int(seconds * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 120 * k * t) / k for k in range(1, 30)) * 0.1
    syllables = np.sin(2 * np.pi * 2.5 * t) ** 2
    clicks = np.zeros(len(t))
    clicks[rng.integers(0, len(t), 12)] = 0.95
    return voice * syllables + clicks + 0.005 * rng.standard_normal(len(t))


def test_limiter_holds_the_ceiling():
    x = peaky_speechlike() * 4  # far over full scale
    y = limit(x, RATE, -3.0)
    assert true_peak_dbtp(y) <= -3.0 + 0.05


def test_normalise_reaches_target_without_clipping():
    y = normalise(peaky_speechlike(), RATE, -16.0, -1.5)
    assert integrated_lufs(y, RATE) == pytest.approx(-16.0, abs=0.15)
    assert true_peak_dbtp(y) <= -1.5 + 0.05


def test_silence_is_an_error():
    with pytest.raises(AudioError, match="im lặng"):
        normalise(np.zeros(RATE * 2), RATE, -16.0, -1.0)
    with pytest.raises(AudioError, match="quá ngắn"):
        integrated_lufs(np.zeros(100), RATE)
