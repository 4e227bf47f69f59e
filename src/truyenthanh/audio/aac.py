"""Encode once, for the e-screen soundtrack: each segment to AAC once, soundtracks joined from packets.

A programme is an MP3 assembled from segments encoded once (audio/segments.py).
The video with sound needs it as AAC; encoding every programme whole would cost
one full AAC encode per commune although the programmes share a few dozen
segments. So each segment (a phrase, a sound, a recording) is encoded to AAC
once, and a programme's soundtrack is its segments' packets one after another (a
sentence made of phrases is its phrases' packets in turn):

* a segment's AAC is made from its decoded MP3 frames (what the programme plays),
  at the segment's own sample rate (no resampling: lengths stay exact), with
  FFmpeg's native encoder in this process (PyAV); the output is ADTS, one raw
  data block per frame, so every packet decodes to PACKET samples;
* the encoder's first packet is its priming (PRIMING samples of silence before the
  segment's first sample), and it ends the stream with a packet of padding. Every
  segment starts and ends in digital silence (audio/segments.py pads and fades
  them), so the packets at both ends code silence and nothing leaks across a
  join: segments join by concatenation, without clicks;
* a silence part is not encoded: it is SILENT packets (one packet of a steady
  silence, encoded once per sample rate, repeated). Its count is chosen so that the
  segment after it starts playing (after its priming) on the packet boundary
  nearest to where it starts in the MP3, and the last silence so that the soundtrack
  ends on the packet boundary nearest the MP3's end. The AAC timeline is thus within
  half a packet (512 samples) of the MP3's after every silence, and slide timings
  taken from the MP3's joins stay right. Between two silences it drifts by what
  the segments in between add (each adds its priming and up to a packet of padding,
  1024..2047 samples); a programme always alternates speech and pauses, and opens
  and closes with a silence, so this never adds up. Inside a sentence of k phrases
  the pauses between phrases are longer than in the MP3 by 1024..2047 samples each
  (46..93 ms at 22.05 kHz): the soundtrack's rhythm differs by that, its timing is
  back on the MP3's at the next silence (`audio_drift_max` says how far it went).

Entry format (one file, content-addressed, written by the builder):

    TTAAC1\\n
    {"key":…, "segment":…, "rate":…, "samples":…, "packets":…, "sha256":…}\\n
    <ADTS frames>
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from truyenthanh.audio.encoders import pyav, pyav_version
from truyenthanh.audio.recipe import SegmentSpec
from truyenthanh.entries import VerifiedLoads
from truyenthanh.errors import AudioError
from truyenthanh.keys import content_key

if TYPE_CHECKING:
    import numpy as np

    from truyenthanh.audio.segments import Segment

log = logging.getLogger(__name__)

MAGIC = b"TTAAC1\n"
# Bump when the entry format or the way a segment is encoded changes: every AAC entry is made again.
AAC_VERSION = 3
# FFmpeg's native encoder (in this process, PyAV), its "fast" coder (the default "twoloop" is ~3x
# slower and not told apart for one voice at 96 kb/s), mono, at the segment's own rate.
AAC_BITRATE = 96_000
AAC_OPTIONS = {"aac_coder": "fast", "flags": "+bitexact"}
PACKET = 1024  # samples per AAC-LC packet
PRIMING = 1024  # samples of encoder delay before a stream's first sample

_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


@lru_cache(maxsize=1)
def aac_encoder_identity() -> tuple:
    """What makes the AAC bytes: the settings, this module's format, and PyAV's FFmpeg."""
    return ("aac", AAC_BITRATE, tuple(sorted(AAC_OPTIONS.items())), AAC_VERSION, pyav_version())


def aac_key(segment_key: str) -> str:
    """The cache key of a segment's AAC: the segment (its key says all it is made of) + the encode."""
    return content_key("aac-segment", segment_key, aac_encoder_identity())


# --- ADTS ---------------------------------------------------------------------------------------


def adts_packets(data: bytes, rate: int | None = None) -> list[bytes]:
    """The ADTS frames of `data`, checked: AAC-LC, mono, one raw data block each (1024 samples),
    at `rate` when given. Raises AudioError on anything else."""
    packets: list[bytes] = []
    pos = 0
    while pos < len(data):
        head = data[pos : pos + 7]
        if len(head) < 7 or head[0] != 0xFF or (head[1] & 0xF6) != 0xF0:
            raise AudioError(f"Dữ liệu AAC hỏng ở byte {pos} (không thấy đầu khung ADTS).")
        profile, index = head[2] >> 6, (head[2] >> 2) & 0x0F
        channels = ((head[2] & 0x01) << 2) | (head[3] >> 6)
        length = ((head[3] & 0x03) << 11) | (head[4] << 3) | (head[5] >> 5)
        blocks = (head[6] & 0x03) + 1
        if profile != 1 or channels != 1 or blocks != 1 or index >= len(_RATES):
            raise AudioError(f"Khung AAC ở byte {pos} không phải AAC-LC đơn kênh một khối.")
        if rate is not None and _RATES[index] != rate:
            raise AudioError(f"Khung AAC ở byte {pos} có tần số {_RATES[index]} Hz, cần {rate} Hz.")
        header = 7 if head[1] & 0x01 else 9  # protection_absent, else a CRC follows
        if length < header or pos + length > len(data):
            raise AudioError(f"Khung AAC ở byte {pos} bị cắt cụt.")
        packets.append(data[pos : pos + length])
        pos += length
    return packets


def encode_adts(samples: np.ndarray, rate: int) -> bytes:
    """Mono samples -> ADTS frames at `rate` (FFmpeg's native AAC encoder, in this process: an
    ffmpeg process per segment cost ~25 ms more than the encode)."""
    import numpy as np  # the encoding side: loaded by the workers, never by the planner

    av = pyav()
    buffer = io.BytesIO()
    try:
        with av.open(buffer, "w", format="adts") as out:
            stream = out.add_stream("aac", rate=rate, layout="mono")
            stream.bit_rate = AAC_BITRATE
            stream.codec_context.options = dict(AAC_OPTIONS)
            frame = av.AudioFrame.from_ndarray(
                np.asarray(samples, np.float32)[None, :], format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, 0
            for packet in [*stream.encode(frame), *stream.encode(None)]:
                out.mux(packet)
    except (av.FFmpegError, ValueError) as exc:
        raise AudioError(f"Không mã hóa được AAC ({rate} Hz): {exc}.") from None
    return buffer.getvalue()


@lru_cache(maxsize=8)
def silent_packet(rate: int) -> bytes:
    """One packet of steady digital silence at `rate` (encoded once per process and rate)."""
    import numpy as np

    packets = adts_packets(encode_adts(np.zeros(3 * rate), rate), rate)
    middle = packets[len(packets) // 2]
    if len(packets) < 5 or packets[len(packets) // 2 - 1] != middle:
        raise AudioError("Không tạo được khung AAC im lặng ổn định.")
    return middle


# --- entries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AacSegment:
    """A loaded AAC entry: a segment's packets, and the length of the MP3 segment they encode."""

    key: str
    segment: str  # the segment's key
    rate: int
    samples: int  # of the decoded MP3 segment (the AAC plays PRIMING + these + padding)
    adts: bytes
    packets: int


def pack_aac(key: str, seg: Segment, adts: bytes, packets: int) -> bytes:
    header = {
        "key": key,
        "segment": seg.key,
        "rate": seg.rate,
        "samples": seg.samples,
        "packets": packets,
        "sha256": hashlib.sha256(adts).hexdigest(),
    }
    line = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n"
    return MAGIC + line + adts


def load_aac(data: bytes, key: str | None = None) -> AacSegment:
    """An AAC entry from its bytes; AudioError when truncated, damaged or of another key."""
    try:
        if not data.startswith(MAGIC):
            raise ValueError("magic")
        end = data.index(b"\n", len(MAGIC))
        h = json.loads(data[len(MAGIC) : end].decode("utf-8"))
        adts = data[end + 1 :]
        if hashlib.sha256(adts).hexdigest() != h["sha256"] or (key is not None and h["key"] != key):
            raise ValueError("checksum")
        rate, samples, packets = int(h["rate"]), int(h["samples"]), int(h["packets"])
        if len(adts_packets(adts, rate)) != packets or packets * PACKET < samples + PRIMING:
            raise ValueError("length")
        return AacSegment(h["key"], h["segment"], rate, samples, adts, packets)
    except AudioError as exc:
        raise AudioError(f"Mục đệm AAC bị hỏng ({exc.message})") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise AudioError(f"Mục đệm AAC bị hỏng ({exc}).") from None


def encode_segment(seg: Segment) -> bytes:
    """The AAC entry of a loaded segment: its MP3 frames decoded and encoded to AAC at its rate.
    The segment job checked that the frames decode to exactly `seg.samples`; the packet count
    must then be that plus the priming, in whole packets."""
    from truyenthanh.audio.codec import decode_mp3

    adts = encode_adts(decode_mp3(seg.mp3, f"đoạn âm thanh {seg.key[:12]}")[0], seg.rate)
    packets = adts_packets(adts, seg.rate)
    low = seg.samples + PRIMING
    if not low <= len(packets) * PACKET < low + 2 * PACKET:
        raise AudioError(
            f"Bộ mã hóa AAC trả về {len(packets)} khung cho {seg.samples} mẫu: không khớp độ dài."
        )
    return pack_aac(aac_key(seg.key), seg, adts, len(packets))


@dataclass(frozen=True)
class AacSpec:
    """What an AAC entry job needs: the segment. `parts` lets a remote executor ship the
    segment's entry with the job (shipping.py), as it does for a programme's segments."""

    segment: SegmentSpec

    @property
    def parts(self) -> tuple[SegmentSpec, ...]:
        return (self.segment,)

    @property
    def key(self) -> str:
        return aac_key(self.segment.key)


class AacSource:
    """Where a soundtrack gets AAC entries: the cache under `root`. A missing or damaged entry
    is made again in-process (never a crash); only the builder writes the cache."""

    def __init__(self, root: Path | str | None, speech_cache: Path | str):
        self.root = Path(root) if root is not None else None
        self.speech_cache = speech_cache
        self.rebuilt = 0
        self._segments = None

    def get(self, spec: SegmentSpec) -> AacSegment:
        """A part's packets: a sentence made of phrases is its phrases' packets in turn."""
        pieces = spec.pieces
        if len(pieces) == 1:
            return self._entry(spec)
        parts = [self._entry(p) for p in pieces]
        return AacSegment(
            aac_key(spec.key),
            spec.key,
            parts[0].rate,
            sum(p.samples for p in parts),
            b"".join(p.adts for p in parts),
            sum(p.packets for p in parts),
        )

    def _entry(self, spec: SegmentSpec) -> AacSegment:
        key = aac_key(spec.key)
        if self.root is not None:
            from truyenthanh.layout import aac_path

            try:
                return _LOADED.get(self.root / aac_path(key), key)
            except FileNotFoundError:
                pass
            except (OSError, AudioError) as exc:
                log.info("AAC entry %s unusable (%s); encoding it again", key[:12], exc)
        if self._segments is None:
            from truyenthanh.audio.assemble import SegmentSource

            self._segments = SegmentSource(self.root, self.speech_cache)
        self.rebuilt += 1
        return load_aac(encode_segment(self._segments.get(spec)), key)


# AAC entries this process has read and checked (entries.py): a worker muxes video after video
# from the same segments.
_LOADED: VerifiedLoads[AacSegment] = VerifiedLoads(load_aac, 2048)


# --- a programme's soundtrack -------------------------------------------------------------------


@dataclass(frozen=True)
class AacTrack:
    """A programme as its parts and where each ends in the decoded MP3 (cumulative samples).

    (Not named `parts`: a remote executor would ship every segment entry with the mux job.)
    """

    rate: int
    segments: tuple[SegmentSpec, ...]  # the recipe's parts, in playing order
    ends: tuple[int, ...]  # decoded MP3 sample offset where each part ends (the last: the length)


def _nearest_packet(samples: int) -> int:
    return (samples + PACKET // 2) // PACKET * PACKET


def soundtrack(track: AacTrack, source: AacSource) -> tuple[bytes, dict]:
    """The programme as one ADTS stream, and where its parts meet in it (see the module docstring)."""
    if len(track.ends) != len(track.segments) or not track.segments:
        raise AudioError("Mốc thời gian của chương trình không khớp với các đoạn âm thanh.")
    silent = silent_packet(track.rate)
    chunks: list[bytes] = []
    joins: list[int] = []
    cursor = start = silent_packets = drift = 0
    for i, (spec, end) in enumerate(zip(track.segments, track.ends)):
        if i:
            joins.append(cursor)
        if spec.kind == "silence":
            following = track.segments[i + 1] if i + 1 < len(track.segments) else None
            lead = PRIMING if following is not None and following.kind != "silence" else 0
            count = max(0, (_nearest_packet(end - lead) - cursor) // PACKET)
            chunks.append(silent * count)
            silent_packets += count
            cursor += count * PACKET
        else:
            seg = source.get(spec)
            if seg.rate != track.rate or seg.samples != end - start:
                raise AudioError(
                    f"Đoạn AAC của {spec.label} không khớp với chương trình "
                    f"({seg.samples} mẫu ở {seg.rate} Hz, cần {end - start} mẫu ở {track.rate} Hz)."
                )
            drift = max(drift, abs(cursor + PRIMING - start))
            chunks.append(seg.adts)
            cursor += seg.packets * PACKET
        start = end
    return b"".join(chunks), {
        "audio_samples": cursor,
        "audio_joins": joins,
        "audio_silent_packets": silent_packets,
        "audio_drift_max": drift,  # samples between a segment's start here and in the MP3
        "aac_rebuilt": source.rebuilt,
    }
