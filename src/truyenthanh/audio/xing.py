"""The Xing/Info frame of an assembled CBR stream: frame count, byte count and seek table.

Segments are stored without one (a frame count of one segment would be wrong
for the whole); the assembled file gets a fresh one so players show the right
duration and seek sensibly. No LAME extension (encoder delay/padding) is
written: decoders then play every sample, which keeps the decoded programme
exactly the concatenation of its measured segments (see audio/segments.py);
the encoder delay is ~50 ms of silence inside the first segment's lead-in.
"""

from __future__ import annotations

import struct

from truyenthanh.audio.frames import FrameFormat

FLAG_FRAMES, FLAG_BYTES, FLAG_TOC = 0x1, 0x2, 0x4


def _side_info(fmt: FrameFormat) -> int:
    if fmt.version == 1:
        return 17 if fmt.mono else 32
    return 9 if fmt.mono else 17


def info_frame(
    first_header: bytes, fmt: FrameFormat, bitrate_kbps: int, audio_frames: int, audio_bytes: int
) -> bytes:
    """A silent frame of the stream's own format carrying an "Info" (CBR) tag."""
    header = bytearray(first_header[:4])
    header[1] |= 0x01  # protection bit set: no CRC follows
    header[2] &= ~0x02 & 0xFF  # no padding byte
    length = (144 if fmt.version == 1 else 72) * bitrate_kbps * 1000 // fmt.sample_rate
    frame = bytearray(length)
    frame[:4] = header
    pos = 4 + _side_info(fmt)
    total = length + audio_bytes
    toc = bytes(min(255, i * 256 // 100) for i in range(100))
    fits_toc = pos + 16 + len(toc) <= length
    flags = FLAG_FRAMES | FLAG_BYTES | (FLAG_TOC if fits_toc else 0)
    body = b"Info" + struct.pack(">III", flags, audio_frames, total) + (toc if fits_toc else b"")
    frame[pos : pos + len(body)] = body
    return bytes(frame)
