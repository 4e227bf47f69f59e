"""MP4 files written in this process (PyAV): streams copied, never encoded.

A video job only puts streams that already exist into MP4: the slides' H.264 (cut
from cached GOPs) and, for the videos with sound, the soundtrack's AAC (joined from
cached packets). Through an ffmpeg process that took ~32 ms for a 47-s 1080p video,
most of it starting the program and writing its inputs to temporary files; here it
takes ~13 ms. Timestamps are given, not guessed: frame n of the picture is at
n / FPS, packet k of the sound at k * 1024 / rate, so the files are the same on
every run. `+faststart` puts the index first (players on a slow link start at once);
the muxer rewrites the file for that, which needs a real file, hence the temporary
directory.
"""

from __future__ import annotations

import io
import tempfile
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path

from truyenthanh.audio.aac import PACKET
from truyenthanh.audio.encoders import pyav
from truyenthanh.channels.draw import ChannelError

_OPTIONS = {"movflags": "+faststart", "fflags": "+bitexact"}


def mp4_from_h264(annexb: bytes, frames: int, fps: int) -> bytes:
    """Raw H.264, `frames` access units at `fps` (constant), in MP4."""
    return _write([_Raw(annexb, "h264", Fraction(1, fps), 1, frames)])


def mp4_with_sound(video: Path, adts: bytes, rate: int) -> bytes:
    """The picture of an MP4 (its packets and timestamps as they are) + ADTS AAC at `rate`."""
    return _write([_Mp4Picture(video), _Raw(adts, "aac", Fraction(1, rate), PACKET, None)])


class _Mp4Picture:
    """The video stream of an MP4 file, copied with its own timestamps."""

    def __init__(self, path: Path):
        self.path = path

    def open(self, av, out, stack: ExitStack):
        self.src = stack.enter_context(av.open(str(self.path), format="mp4"))
        self.stream = self.src.streams.video[0]
        self.target = out.add_stream_from_template(self.stream)

    def copy(self, out) -> None:
        for packet in self.src.demux(self.stream):
            if packet.size:  # not the demuxer's end-of-stream marker
                packet.stream = self.target
                out.mux(packet)


class _Raw:
    """The one stream of raw `data` (Annex B H.264, ADTS AAC), the k-th packet at k * step * unit,
    at most `limit` packets (exactly, when given)."""

    def __init__(self, data: bytes, fmt: str, unit: Fraction, step: int, limit: int | None):
        self.data, self.fmt, self.unit, self.step, self.limit = data, fmt, unit, step, limit

    def open(self, av, out, stack: ExitStack):
        self.src = stack.enter_context(av.open(io.BytesIO(self.data), format=self.fmt))
        self.stream = self.src.streams[0]
        self.target = out.add_stream_from_template(self.stream)

    def copy(self, out) -> None:
        count = 0
        for packet in self.src.demux(self.stream):
            if packet.size == 0:
                continue
            if self.limit is not None and count >= self.limit:
                break
            packet.stream = self.target
            packet.time_base = self.unit
            packet.pts = packet.dts = count * self.step
            packet.duration = self.step
            out.mux(packet)
            count += 1
        if self.limit is not None and count != self.limit:
            raise ChannelError(
                f"Luồng hình có {count} khung thay vì {self.limit}: không đóng gói được."
            )


def _write(sources: list) -> bytes:
    """An MP4 of `sources`' streams. Every stream is added before the first packet is written:
    the muxer writes its header then, and a stream added later crashes it."""
    av = pyav()
    with tempfile.TemporaryDirectory(prefix="tt-mp4-") as tmp:
        path = Path(tmp) / "v.mp4"
        try:
            with ExitStack() as stack:
                out = stack.enter_context(
                    av.open(str(path), "w", format="mp4", options=dict(_OPTIONS))
                )
                for source in sources:
                    source.open(av, out, stack)
                for source in sources:
                    source.copy(out)
        except (av.FFmpegError, ValueError, OSError) as exc:
            raise ChannelError(f"Không đóng gói được video MP4: {exc}.") from None
        return path.read_bytes()
