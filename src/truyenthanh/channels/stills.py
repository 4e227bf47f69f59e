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

import numpy as np
from PIL import Image

from truyenthanh.audio.codec import BITEXACT, pyav, run_ffmpeg
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
X264 = [
    "-c:v",
    ENCODER,
    "-preset",
    "ultrafast",
    "-tune",
    "stillimage",
    # Constant QP with I- and P-frames at the same quantiser: the slide is drawn once at full
    # quality and every repeat is a skipped frame of ~50 bytes. With "-crf 20" x264 kept
    # refining the held picture frame after frame: a 10-s GOP was 558 kB instead of 245 kB for
    # the same ~48 dB PSNR, and every video, bundle write and hash paid for it.
    "-qp",
    "18",
    "-pix_fmt",
    "yuv420p",
    "-level",
    "4.1",
    "-g",
    str(GOP),
    "-x264-params",
    "aud=1:ipratio=1.0",
]
VERSION = 2  # bump when the cached GOP's format or encode changes
REFINED = 3  # frames x264 encodes: the picture, its refinement, then the first that skips all

log = logging.getLogger(__name__)

MAGIC = b"TTSTILL1\n"


def still_key(view: SlideView) -> str:
    """The cache key of a slide view's GOP: what it draws + how it is encoded."""
    return content_key("still", view, FPS, GOP, X264, VERSION)


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
    # Raw RGB through the pipe: a PNG written, read back and decoded cost ~70 ms of the slide's
    # ~300 ms, for the same pixels (so the same GOP bytes).
    annexb = run_ffmpeg(
        ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{img.width}x{img.height}"]
        + ["-framerate", str(FPS), "-i", "pipe:0"]
        # the picture converted once, then held: converting every frame doubled the time
        + ["-vf", f"format=yuv420p,tpad=stop={frames - 1}:stop_mode=clone"]
        + ["-frames:v", str(frames), *X264, "-an", *BITEXACT, "-f", "h264", "pipe:1"],
        what="Không mã hóa được trang chiếu",
        error=ChannelError,
        input=img.tobytes(),
        timeout=600,
    )
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
