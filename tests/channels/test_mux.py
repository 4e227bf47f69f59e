"""MP4 written in this process: streams copied with the timestamps we give, index first."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from truyenthanh.audio.aac import PACKET, adts_packets, encode_adts
from truyenthanh.channels import mux, stills
from truyenthanh.channels.draw import ChannelError
from truyenthanh.channels.video import probe


def _boxes(data: bytes) -> list[str]:
    names, at = [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        names.append(data[at + 4 : at + 8].decode("ascii"))
        at += size if size else len(data)
    return names


@pytest.fixture(scope="module")
def gop() -> list[bytes]:
    img = Image.new("RGB", (320, 180), (30, 90, 160))
    return stills.access_units(stills._encode_gop(img))


def test_picture_only(gop, tmp_path):
    frames = stills.GOP + 5
    data = mux.mp4_from_h264(stills.held(gop, frames), frames, stills.FPS)
    boxes = _boxes(data)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart: the index first
    info = probe(data)
    assert info["video"] == "h264" and info["audio"] is None
    assert info["duration_s"] == pytest.approx(frames / stills.FPS)
    assert mux.mp4_from_h264(stills.held(gop, frames), frames, stills.FPS) == data  # same bytes


def test_picture_and_sound(gop, tmp_path):
    rate, frames = 22050, 2 * stills.GOP
    video = tmp_path / "v.mp4"
    video.write_bytes(mux.mp4_from_h264(stills.held(gop, frames), frames, stills.FPS))
    adts = encode_adts(0.2 * np.sin(np.arange(rate * 19) * 0.05), rate)
    data = mux.mp4_with_sound(video, adts, rate)
    info = probe(data)
    assert info["video"] == "h264" and info["audio"] == "aac"
    assert _boxes(data).index("moov") < _boxes(data).index("mdat")
    sound_s = len(adts_packets(adts, rate)) * PACKET / rate
    assert info["duration_s"] == pytest.approx(max(frames / stills.FPS, sound_s), abs=0.05)


def test_fewer_frames_than_promised_is_an_error(gop):
    with pytest.raises(ChannelError):
        mux.mp4_from_h264(stills.held(gop, 3), 4, stills.FPS)
