"""Encode once, for pictures: each distinct slide is encoded once, as one GOP of H.264.

A slide video is still pictures held for whole numbers of frames. So the encode
of "this slide for GOP frames" (an IDR frame, then P-frames) is made once per
distinct slide view (`slides.SlideView`) and cached by content; a video is then
cut and joined from those GOPs without encoding again:

* a slide held for n frames = n // GOP whole GOPs + the first n % GOP frames of one
  (with no B-frames and no lookahead, x264's first k frames do not depend on what
  follows, so a prefix of the GOP is exactly the encode of k frames);
* every piece starts with an IDR frame (closed GOPs, one SPS/PPS for all: the same
  encoder settings give the same parameter sets), so pieces join by concatenation;
  a keyframe lands on every slide change and at least every GOP frames (10 s);
* access units are found by the access-unit delimiters x264 is asked to write.

The raw stream is then put in MP4 with a stream copy at the constant frame rate.
What one slide costs is now paid once per district and week, not once per commune:
a per-area notice differs on its title slide and the page naming the commune; its
other pages, the hotline slide and the other notices' slides are shared.
"""

from __future__ import annotations

import hashlib
import logging
from fractions import Fraction

from PIL import Image

from truyenthanh.audio.encoders import pyav, pyav_version
from truyenthanh.channels import h264, mux
from truyenthanh.channels.draw import ChannelError
from truyenthanh.channels.h264 import access_units
from truyenthanh.channels.slides import SlideView, render_view
from truyenthanh.keys import content_key

# Constant frame rate, low: slide changes land within 0.25 s of the sentence start, and LED-board
# players that choke on variable frame rates play it. Measured on the 2-core machine under load
# (3-minute programme, whole-video encodes): 4 fps veryfast 38 s, 2 fps veryfast 22 s, 2 fps
# ultrafast 12 s; ultrafast also drops CABAC and B-frames, which the cheapest hardware decoders
# like (and which the GOP prefixes above rely on). Still slides cost almost nothing per frame,
# so the files stay small (~200 kb/s at 1080p).
FPS = 2
GOP = FPS * 10  # frames per cached GOP: a keyframe at least every 10 s
ENCODER = "libx264"
# libx264's options, as ffmpeg names them. Constant QP with I- and P-frames at the same quantiser:
# the slide is drawn once at full quality and every repeat is a skipped frame of ~50 bytes. With
# "crf 20" x264 kept refining the held picture frame after frame: a 10-s GOP was 558 kB instead of
# 245 kB for the same ~48 dB PSNR, and every video, bundle write and hash paid for it.
X264_OPTIONS = {
    "preset": "ultrafast",
    "tune": "stillimage",
    "qp": "18",
    "level": "4.1",
    "x264-params": "aud=1:ipratio=1.0",
}
PIX_FMT = "yuv420p"
# What makes a GOP's bytes besides the picture (part of every still and video key). One encoder
# thread: the workers already use every core, and x264 writes its thread count into the stream.
X264 = (ENCODER, PIX_FMT, GOP, tuple(sorted(X264_OPTIONS.items())), "threads=1")
VERSION = 3  # bump when the cached GOP's format or encode changes (3: x264 in this process)
REFINED = 3  # frames x264 encodes: the picture, its refinement, then the first that skips all

log = logging.getLogger(__name__)

MAGIC = b"TTSTILL1\n"


def encoder_identity() -> tuple:
    """How a GOP is encoded: the settings, this module's format, and the x264 PyAV bundles."""
    return (*X264, VERSION, pyav_version())


def still_key(view: SlideView) -> str:
    """The cache key of a slide view's GOP: what it draws + how it is encoded."""
    return content_key("still", view, FPS, encoder_identity())


def encode_still(view: SlideView) -> bytes:
    """The cache entry of one slide: render it and encode GOP frames of it (a worker job)."""
    return pack(still_key(view), _encode_gop(render_view(view)))


def _encode_gop(img: Image.Image) -> bytes:
    img = img.convert("RGB")
    try:
        return _refined_then_repeated(img)
    except h264.BitstreamError as exc:
        log.debug("slide GOP encoded whole: %s", exc)
        return _encode_frames(img, GOP)


def _refined_then_repeated(img: Image.Image) -> bytes:
    """x264 encodes the picture and refines it (REFINED frames); the GOP's other frames repeat
    the last of those, a frame that skips every macroblock (h264.repeated_skip): the same bytes
    x264 gives for them (tests/channels/test_stills.py), without analysing 17 frames of 1080p."""
    head = _encode_frames(img, REFINED)
    units = access_units(head)
    _check_settled(units)
    sps = next((n for n in h264.nal_units(units[0]) if n[0] & 0x1F == h264.NAL_SPS), b"")
    return head + b"".join(h264.repeated_skip(units[-1], sps, range(REFINED, GOP)))


def _check_settled(units: list[bytes]) -> None:
    """The last frame must decode to the picture of the one before it: then it changes nothing,
    and so does every copy of it (each applies the same slice to the same picture)."""
    import numpy as np  # like PyAV, loaded by the workers that encode, not by the planner

    av = pyav()
    codec = av.CodecContext.create("h264", "r")
    pictures = []
    for unit in units:  # one access unit is one packet
        pictures.extend(codec.decode(av.Packet(unit)))
    pictures.extend(codec.decode(None))
    if len(pictures) != len(units):
        raise h264.BitstreamError(f"{len(pictures)} pictures decoded from {len(units)} frames")
    if not np.array_equal(pictures[-1].to_ndarray(), pictures[-2].to_ndarray()):
        raise h264.BitstreamError("the picture is still being refined")


def _encode_frames(img: Image.Image, frames: int) -> bytes:
    """`frames` frames of the picture, as raw H.264 (Annex B): x264 in this process (PyAV).

    Measured per 1080p slide of 3 frames: ~40 ms, against ~75 ms through an ffmpeg process
    (started per slide, fed 6 MB of RGB through a pipe). The colour conversion is ffmpeg's
    default (bicubic): the slices are the bytes the ffmpeg program's x264 gives."""
    import numpy as np  # like PyAV, loaded by the workers that encode, not by the planner

    av = pyav()
    try:
        codec = av.CodecContext.create(ENCODER, "w")
        codec.width, codec.height, codec.pix_fmt = img.width, img.height, PIX_FMT
        codec.time_base, codec.framerate = Fraction(1, FPS), Fraction(FPS)
        codec.gop_size, codec.thread_count = GOP, 1
        codec.options = dict(X264_OPTIONS)
        picture = av.VideoFrame.from_ndarray(np.asarray(img), format="rgb24")
        picture = picture.reformat(format=PIX_FMT, interpolation="BICUBIC")  # once, then held
        packets = []
        for pts in range(frames):
            picture.pts = pts
            packets += codec.encode(picture)
        packets += codec.encode(None)
    except (av.FFmpegError, ValueError) as exc:
        raise ChannelError(f"Không mã hóa được trang chiếu: {exc}.") from None
    annexb = b"".join(bytes(packet) for packet in packets)
    made = len(access_units(annexb))
    if made != frames:
        raise ChannelError(
            f"Mã hóa trang chiếu cho {made} khung hình thay vì {frames}: không dùng được."
        )
    return annexb


def pack(key: str, annexb: bytes) -> bytes:
    digest = hashlib.sha256(annexb).hexdigest()
    return MAGIC + f"{key} {digest}\n".encode("ascii") + annexb


def unpack(data: bytes, key: str) -> list[bytes]:
    """The GOP's access units from a cache entry; ChannelError if damaged or of another key."""
    try:
        if not data.startswith(MAGIC):
            raise ValueError("magic")
        end = data.index(b"\n", len(MAGIC))
        found, digest = data[len(MAGIC) : end].decode("ascii").split()
        annexb = data[end + 1 :]
        if found != key or hashlib.sha256(annexb).hexdigest() != digest:
            raise ValueError("checksum")
        units = access_units(annexb)
        if len(units) != GOP:
            raise ValueError("length")
        return units
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChannelError(f"Mục đệm trang chiếu bị hỏng ({exc}).") from None


def held(units: list[bytes], frames: int) -> bytes:
    """The slide held for `frames` frames: whole GOPs, then a prefix of one."""
    whole, rest = divmod(frames, GOP)
    gop = b"".join(units)
    return gop * whole + b"".join(units[:rest])


def mp4(annexb: bytes, frames: int) -> bytes:
    """A raw H.264 stream in MP4, stream-copied, at FPS (constant), `frames` frames long."""
    return mux.mp4_from_h264(annexb, frames, FPS)
