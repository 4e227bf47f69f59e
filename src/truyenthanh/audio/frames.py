"""Joining MP3 files frame by frame, without decoding and re-encoding.

A weekly bulletin is the week's programmes (already mastered and verified) one
after another. Re-encoding them would cost a second generation of MP3 loss and
most of a bulletin's build time; instead their audio frames are concatenated.
Each file is stripped of its ID3 tags and of its Xing/Info frame (which would
otherwise tell players the length of the first part only); CBR files of one
format join into one valid CBR stream, and each part's first frame starts a new
bit reservoir, so every splice decodes cleanly (with the encoder's ~50 ms of
delay silence at the joint).
"""

from __future__ import annotations

from dataclasses import dataclass

from truyenthanh.errors import AudioError

# bitrate (kbps) by index for MPEG-1 and MPEG-2/2.5 Layer III
_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}
_VERSIONS = {0b11: 1, 0b10: 2, 0b00: 25}


def frame_samples(rate: int) -> int:
    """Samples per Layer III frame: 1152 in MPEG-1 (32 kHz and up), 576 below."""
    return 1152 if rate >= 32000 else 576


@dataclass(frozen=True)
class FrameFormat:
    version: int
    sample_rate: int
    mono: bool


def strip_tags(data: bytes) -> bytes:
    """Drop a leading ID3v2 tag and a trailing ID3v1 tag."""
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def _header(data: bytes, pos: int) -> tuple[int, FrameFormat] | None:
    """(frame length, format) of a Layer III frame header at `pos`, or None."""
    if pos + 4 > len(data) or data[pos] != 0xFF or (data[pos + 1] & 0xE0) != 0xE0:
        return None
    b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
    version = _VERSIONS.get((b1 >> 3) & 0b11)
    layer = (b1 >> 1) & 0b11
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 0b11
    if version is None or layer != 0b01 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _BITRATES[1 if version == 1 else 2][bitrate_index] * 1000
    rate = _RATES[version][rate_index]
    padding = (b2 >> 1) & 1
    length = (144 if version == 1 else 72) * bitrate // rate + padding
    return length, FrameFormat(version, rate, (b3 >> 6) == 0b11)


def stream_format(data: bytes) -> FrameFormat:
    """The format of the first audio frame (after any ID3 tag), without walking the file."""
    body = strip_tags(data)
    for pos in range(min(len(body), 4096)):
        parsed = _header(body, pos)
        if parsed is not None and (
            pos + parsed[0] >= len(body) or _header(body, pos + parsed[0]) is not None
        ):
            return parsed[1]
    raise AudioError("không tìm thấy khung MP3 hợp lệ")


def audio_frames(data: bytes, what: str) -> tuple[bytes, FrameFormat]:
    """The audio frames of one MP3 file (tags and the Xing/Info frame removed)."""
    data = strip_tags(data)
    pos, first, fmt = 0, True, None
    out = bytearray()
    while pos < len(data):
        parsed = _header(data, pos)
        if parsed is None:
            raise AudioError(f"{what}: dữ liệu MP3 hỏng ở byte {pos}, không ghép được.")
        length, frame_fmt = parsed
        if fmt is None:
            fmt = frame_fmt
        elif frame_fmt != fmt:
            raise AudioError(f"{what}: các khung MP3 không cùng định dạng, không ghép được.")
        frame = data[pos : pos + length]
        if not (first and (b"Xing" in frame[:64] or b"Info" in frame[:64])):
            out += frame
        first = False
        pos += length
    if fmt is None:
        raise AudioError(f"{what}: không có khung âm thanh MP3 nào.")
    return bytes(out), fmt


def join_mp3(parts: list[tuple[str, bytes]]) -> bytes:
    """Concatenate MP3 files of one format into one stream; AudioError if they differ."""
    joined = bytearray()
    fmt = None
    for what, data in parts:
        frames, part_fmt = audio_frames(data, what)
        if fmt is None:
            fmt = part_fmt
        elif part_fmt != fmt:
            raise AudioError(f"{what}: tần số hoặc số kênh khác các phần khác, không ghép được.")
        joined += frames
    return bytes(joined)


def frame_count(frames: bytes) -> int:
    """Number of frames in tagless MP3 frame data."""
    pos = count = 0
    while pos < len(frames):
        parsed = _header(frames, pos)
        if parsed is None:
            break
        count += 1
        pos += parsed[0]
    return count


def mp3_duration(path_or_bytes) -> float:
    """Seconds of audio in an MP3 file or MP3 bytes (mutagen; no ffprobe)."""
    import io
    from pathlib import Path

    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        if isinstance(path_or_bytes, (bytes, bytearray)):
            return float(MP3(io.BytesIO(bytes(path_or_bytes))).info.length)
        return float(MP3(str(Path(path_or_bytes))).info.length)
    except (MutagenError, OSError) as exc:
        raise AudioError(f"Không đọc được độ dài MP3 ({exc}).") from None
