"""The few H.264 bitstream pieces used to repeat a skip frame."""

from __future__ import annotations

import pytest

from truyenthanh.channels import h264


def test_escape_and_unescape_are_inverse():
    rbsp = bytes([0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 7, 0, 0])
    payload = h264.escape(rbsp)
    assert b"\x00\x00\x00" not in payload and b"\x00\x00\x01" not in payload
    assert h264.unescape(payload) == rbsp


def test_exp_golomb():
    r = h264.Bits(bytes([0b10100110, 0b01000000]))  # 1 | 010 | 011 | 00100 -> 0, 1, 2, 3
    assert [r.ue(), r.ue(), r.ue(), r.ue()] == [0, 1, 2, 3]


def _stream(frames: int) -> list[bytes]:
    from PIL import Image

    from truyenthanh.channels import stills

    return h264.access_units(stills._encode_frames(Image.new("RGB", (64, 48), "white"), frames))


def test_repeated_skip_counts_frames_as_x264_does():
    units = _stream(20)
    sps = next(n for n in h264.nal_units(units[0]) if n[0] & 0x1F == h264.NAL_SPS)
    assert h264.repeated_skip(units[2], sps, range(3, 20)) == units[3:]


def test_repeated_skip_refuses_what_it_cannot_extend():
    units = _stream(3)
    sps = next(n for n in h264.nal_units(units[0]) if n[0] & 0x1F == h264.NAL_SPS)
    with pytest.raises(h264.BitstreamError):
        h264.repeated_skip(units[0], sps, range(3, 5))  # an IDR picture
    with pytest.raises(h264.BitstreamError):
        h264.repeated_skip(units[2], units[2], range(3, 5))  # not an SPS
    with pytest.raises(h264.BitstreamError):  # a high profile's SPS is not parsed
        h264.slice_layout(bytes([sps[0], 100]) + sps[2:])
    # baseline, id 0, 4 bits of frame_num, picture order type 0: it counts frames in its own field
    poc_type_0 = bytes([0x67, 66, 0xC0, 0x29, 0b11110000])
    assert h264.slice_layout(poc_type_0) == h264.SliceLayout(4, 0)
    with pytest.raises(h264.BitstreamError):
        h264.repeated_skip(units[2], poc_type_0, range(3, 5))
