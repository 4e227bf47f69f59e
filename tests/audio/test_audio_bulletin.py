"""A daily bulletin from programme recipes, durations, and the limiter on its own."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import make_request, measure
from mutagen.id3 import ID3

from truyenthanh.audio import (
    SegmentSource,
    assemble_bulletin,
    bulletin_recipe,
    mp3_duration,
    programme_recipe,
    result_of,
    sound_refs,
)
from truyenthanh.audio.assemble import assemble
from truyenthanh.audio.bulletin import bulletin_tags
from truyenthanh.audio.loudness import integrated_lufs, limit, normalise, true_peak_dbtp
from truyenthanh.audio.programme import programme_tags
from truyenthanh.config import AudioSettings
from truyenthanh.domain import running_order
from truyenthanh.errors import AudioError
from truyenthanh.speech import load_voice_profile

ROOT = Path(".")
MONDAY = dt.date(2023, 2, 20)
SETTINGS = AudioSettings(gap_seconds=1.0)


@pytest.fixture(scope="module")
def programmes(tmp_path_factory):
    out = tmp_path_factory.mktemp("programmes")
    cache = out / "cache"
    specs = [
        (
            "thong-bao-thuong",
            "Lịch tiếp công dân",
            "normal",
            (("Lịch tiếp công dân tuần này vào sáng thứ hai.",),),
        ),
        (
            "khan",
            "Cảnh báo mưa lũ",
            "emergency",
            (("Bà con vùng trũng thấp chủ động di dời tài sản.",),),
        ),
    ]
    voice, sounds = load_voice_profile("central"), sound_refs(SETTINGS, ROOT)
    source = SegmentSource(None, cache)  # segments made once, shared by programmes and the bulletin
    paths = []
    for ident, title, priority, body in specs:
        req = make_request(
            announcement_id=ident,
            title=title,
            spoken_title=title,
            priority=priority,
            spoken_paragraphs=body,
            repeats=0,
        )
        recipe = programme_recipe(req, SETTINGS, voice, "espeak", sounds)
        result = result_of(assemble(recipe.parts, source, SETTINGS, programme_tags(req), title))
        path = out / f"{ident}.mp3"
        path.write_bytes(result.mp3)
        paths.append((title, path, priority, result.duration_s, recipe))
    return paths, source


def test_bulletin(programmes):
    programmes, source = programmes
    ordered = running_order(programmes, lambda p: (p[2], p[0], p[1].stem))
    assert [p[0] for p in ordered] == ["Cảnh báo mưa lũ", "Lịch tiếp công dân"]
    recipe = bulletin_recipe(
        [p[4] for p in ordered],
        "xã Bình Hòa",
        "Đài Truyền thanh xã Bình Hòa",
        "2023-W08",
        MONDAY,
        "Đài truyền thanh xã Bình Hòa xin phát bản tin thứ hai.",
    )
    made = source.rebuilt
    result = result_of(assemble(recipe.parts, source, SETTINGS, bulletin_tags(recipe), "bản tin"))
    assert source.rebuilt - made <= 3  # the opening line and gaps are new; no item is re-encoded
    total = sum(p[3] for p in programmes)
    assert result.duration_s < total  # one ident and one closing for both items, not two of each
    lufs, peak = measure(result.mp3, SETTINGS.sample_rate)
    assert lufs == pytest.approx(-16, abs=1.0) and peak <= -1.0
    tags = ID3(io.BytesIO(result.mp3))
    assert str(tags["TIT2"]) == "Bản tin Thứ hai, 20/02/2023 – xã Bình Hòa"
    assert str(tags["TPE1"]) == "Đài Truyền thanh xã Bình Hòa"
    comment = tags.getall("COMM")[0].text[0]
    assert comment.index("Cảnh báo mưa lũ") < comment.index("Lịch tiếp công dân")
    assert result.engine == "espeak"


def test_bulletin_faults(programmes, tmp_path):
    programmes, _ = programmes
    with pytest.raises(AudioError, match="Không có thông báo nào"):
        bulletin_recipe([], "xã Bình Hòa", "Đài", "2023-W08", MONDAY, "Mở đầu.")
    # A segment cache with a damaged entry: the assembler makes the segment again.
    recipe = bulletin_recipe(
        [programmes[0][4]], "xã Bình Hòa", "Đài", "2023-W08", MONDAY, "Mở đầu."
    )
    from truyenthanh.layout import segment_path

    entries = {piece.key for spec in recipe.parts for piece in spec.pieces}  # what is cached
    for key in entries:
        path = tmp_path / segment_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not a segment at all" * 100)
    done = assemble_bulletin(recipe, tmp_path, tmp_path / "speech")
    assert done.rebuilt == len(entries)
    # One short emergency item is mostly ident and chimes (3 LU under the speech): its computed
    # loudness may miss the target, and then the whole is mastered; either way it is on target.
    assert done.loudness in ("computed", "mastered_whole") and abs(done.lufs + 16) <= 0.3


def test_mp3_duration_from_path_and_bytes(programmes, tmp_path):
    programmes, _ = programmes
    _, path, _, duration, _ = programmes[0]
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
