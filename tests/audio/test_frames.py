"""Frame-level MP3 joining used for bulletins."""

from __future__ import annotations

import numpy as np
import pytest

from truyenthanh.audio.bulletin import mp3_duration
from truyenthanh.audio.codec import decode_mp3, encode_mp3
from truyenthanh.audio.frames import audio_frames, frame_count, join_mp3, strip_tags
from truyenthanh.audio.tags import Tags, tag_mp3
from truyenthanh.errors import AudioError


def tone(seconds: float, rate: int = 22050, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return 0.3 * np.sin(2 * np.pi * hz * t)


def test_join_keeps_every_part_and_reads_as_one_file():
    a = tag_mp3(encode_mp3(tone(2.0), 22050, 64), Tags("A", "Đài", "xã", "2023-02-20", "x"))
    b = encode_mp3(tone(3.0, hz=660), 22050, 64)
    joined = join_mp3([("a", a), ("b", b)])
    assert joined[:3] != b"ID3"
    x, rate = decode_mp3(joined)
    assert rate == 22050
    assert len(x) / rate == pytest.approx(5.0, abs=0.2)  # plus the encoder delay at the joint
    assert mp3_duration(joined) == pytest.approx(len(x) / rate, abs=0.1)  # no stale Info frame


def test_info_frame_and_tags_are_removed():
    data = tag_mp3(encode_mp3(tone(1.0), 22050, 64), Tags("A", "B", "C", "2023-01-01", "D"))
    frames, fmt = audio_frames(data, "a")
    assert fmt.sample_rate == 22050 and fmt.mono
    assert b"Info" not in frames[:400] and b"Xing" not in frames[:400]
    assert strip_tags(data)[:2] == b"\xff\xf3" or strip_tags(data)[0] == 0xFF


def test_different_formats_are_refused():
    a = encode_mp3(tone(1.0), 22050, 64)
    b = encode_mp3(tone(1.0, 44100), 44100, 64)
    with pytest.raises(AudioError, match="không ghép được"):
        join_mp3([("a", a), ("b", b)])


def test_garbage_is_refused():
    with pytest.raises(AudioError, match="dữ liệu MP3 hỏng"):
        audio_frames(b"\x00" * 500, "rác")


def test_in_process_decoding_matches_the_ffmpeg_program():
    """decode_mp3 (PyAV, in this process) reads a tagged file with an Info frame as the ffmpeg
    program does: the same number of samples, equal to 16-bit rounding."""
    from tests.audio.audio_helpers import decode_independently
    from truyenthanh.audio.xing import info_frame

    frames, fmt = audio_frames(encode_mp3(tone(2.0), 22050, 64), "a")
    body = info_frame(frames[:4], fmt, 64, frame_count(frames), len(frames)) + frames
    data = tag_mp3(body, Tags("A", "B", "C", "2023-01-01", "D"))
    x, rate = decode_mp3(data)
    reference = decode_independently(data, 22050)
    assert rate == 22050 and len(x) == len(reference)
    assert np.max(np.abs(x - reference)) <= 1 / 32768
    with pytest.raises(AudioError, match="Không giải mã được"):
        decode_mp3(b"\xff\xf3" + b"\x00" * 500, "tệp hỏng")


def test_tags_are_what_mutagen_writes_into_the_file_and_a_second_tagging_replaces():
    import io

    from mutagen.id3 import ID3

    body = encode_mp3(tone(1.0), 22050, 64)
    tags = Tags("Bản tin Thứ Hai – xã Bình Hòa", "Đài", "Bình Hòa – 2023-W08", "2023-02-20", "ý")
    ours = tag_mp3(body, tags)
    # mutagen itself, saving the same frames into the MP3 file (what tag_mp3 did before)
    theirs = io.BytesIO(body)
    ID3(io.BytesIO(ours)).save(theirs, v2_version=3, padding=lambda info: 0)
    assert ours == theirs.getvalue() and ours.endswith(body)
    again = tag_mp3(ours, Tags("Mới", "Đài", "xã", "2023-02-21", "khác"))
    assert again.count(b"ID3") == 1 and again.endswith(body)
    assert ID3(io.BytesIO(again))["TIT2"].text == ["Mới"]
