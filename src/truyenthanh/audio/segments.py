"""Segments: a phrase, a sound or a silence, mastered, MP3-encoded and measured ONCE.

A programme is a sequence of segments and a bulletin a sequence of programmes'
segments, so the same sentence heard in fifteen communes' programmes (and their
bulletins) is synthesised, filtered, levelled, encoded, decoded and measured
once; programmes are then assembled by concatenating MP3 frames. A sentence
longer than one phrase is made as its phrases (`SegmentSpec.pieces`, `joined`):
a commune's own sentence then costs only the phrase that names the commune.

What makes the concatenation exact:

* every segment is an independent MP3 stream (the encoder starts with an empty
  bit reservoir, so its first frame needs nothing before it) without Xing/Info
  frame or tags;
* every segment ends in at least TAIL_ZEROS samples of digital silence, so its
  last granules carry no spectral data: the decoder's overlap-add and
  filterbank state at a join are exactly zero, and the decoded programme is
  the concatenation of the decoded segments, sample for sample;
* each decoded segment is a whole number of frames long (576 samples at the
  MPEG-2 rates, 1152 at MPEG-1 rates), so segments start at frame multiples.

The entry keeps, besides the frames, the segment's decoded measurement: the
4x-oversampled true peak and the K-weighted energy summed over chunks of
gcd(100 ms block step, frame) samples (9 at 22.05 kHz). Every BS.1770 gating
block (400 ms, every 100 ms from the start of the programme) then starts and
ends on a chunk boundary of every segment, whatever frame the segment starts
at, so a programme's integrated loudness is a sum over stored chunks — exact,
not estimated (the K-filter's memory across a join has decayed in the silence
to ~1e-10 of the signal).

Entry format (one file, content-addressed, written by the builder):

    TTSEG1\\n
    {"key":…, "frames":…, "mp3_bytes":…, "chunk":…, "lufs":…, "true_peak_dbtp":…, "sha256":…}\\n
    <MP3 frames><zlib of little-endian float32 chunk energies>
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
import zlib
from dataclasses import dataclass
from functools import cached_property
from math import gcd
from pathlib import Path

import numpy as np

from truyenthanh.audio.codec import LAME_SCALE, clip_to_array, decode_mp3, encode_mp3, read_wav
from truyenthanh.audio.frames import audio_frames, frame_samples
from truyenthanh.audio.loudness import (
    broadcast_filter,
    gated_chunks,
    gated_loudness,
    k_weighted,
    normalise,
    true_peak_dbtp,
)
from truyenthanh.audio.recipe import SegmentSpec
from truyenthanh.errors import AudioError, EngineError

log = logging.getLogger(__name__)

MAGIC = b"TTSEG1\n"

PAUSE_CLAUSE = 0.20  # between phrases cut from one sentence
SOUND_BELOW_SPEECH_LU = 3.0  # the jingle never shouts over the voice
# A programme's loudness is gated over blocks that also cover the pauses between
# sentences, which pulls it a little below the loudness of its sentences; speech
# segments are levelled this much above the target so programmes land on it
# (measured over the sample district's programmes; see tests/audio).
SPEECH_LIFT_LU = 0.15
SEGMENT_TOLERANCE_LU = 0.1
PEAK_MARGIN_DB = 0.05  # below the ceiling, for the decoder's rounding
ATTEMPTS = 6
PEAK_RESCUES = 3  # last passes that only lower the gain, when the peak is still over the ceiling
FILTER_PAD_S = 0.04  # zeros around the speech while filtering: the filters ring out into them
FADE_S = 0.005
TAIL_ZEROS = 1536  # > 2 granules + the filterbank: the last granules are exactly silent
MIN_LEVEL_S = 0.5  # the loudness meter needs one 400 ms block


def chunk_samples(rate: int) -> int:
    """gcd of the gating step (100 ms) and the frame: blocks start on chunk boundaries."""
    return gcd(int(round(0.1 * rate)), frame_samples(rate))


@dataclass(frozen=True)
class Segment:
    """A loaded segment entry: frames and what is needed to measure any sequence of segments."""

    key: str
    mp3: bytes  # audio frames only
    frames: int
    rate: int
    chunk: int
    # K-weighted energy per chunk of the decoded segment: float32 as the entry stores it (a worker
    # keeps thousands of loaded segments; the prefix sums below are float64 and exact either way)
    energy: np.ndarray
    true_peak_dbtp: float  # -inf for silence
    engine: str  # "" unless speech

    @property
    def samples(self) -> int:
        return self.frames * frame_samples(self.rate)

    @cached_property
    def cumulative_energy(self) -> np.ndarray:
        """The energy of the first i chunks, i = 0 … len(energy) (float64): what a sequence of
        segments is measured from (loudness.gated_sequence), once per segment and process."""
        return np.concatenate(([0.0], np.cumsum(self.energy, dtype=np.float64)))

    @cached_property
    def lufs(self) -> float:
        """Of the segment alone (for humans; -inf for silence): from its energies, when asked."""
        return gated_chunks(np.asarray(self.energy, dtype=np.float64), self.rate, self.chunk)


def joined(key: str, parts: list[Segment]) -> Segment:
    """Segments played back to back, as one (a sentence from its phrases).

    Exact for the same reasons a programme is (see above): independent streams that end in
    digital silence, whole frames each, energies per chunk that simply follow each other.
    """
    first = parts[0]
    if any(p.rate != first.rate or p.chunk != first.chunk for p in parts):
        raise AudioError("Các đoạn của một câu không cùng tần số lấy mẫu.")
    energy = np.concatenate([p.energy for p in parts])
    return Segment(
        key,
        b"".join(p.mp3 for p in parts),
        sum(p.frames for p in parts),
        first.rate,
        first.chunk,
        energy,
        max(p.true_peak_dbtp for p in parts),
        next((p.engine for p in parts if p.engine), ""),
    )


# --- entry bytes ------------------------------------------------------------------------------


def pack_segment(
    key: str,
    mp3: bytes,
    frames: int,
    rate: int,
    energy: np.ndarray,
    tp: float,
    lufs: float,
    engine: str,
    extra: dict,
) -> bytes:
    blob = zlib.compress(np.asarray(energy, dtype="<f4").tobytes(), 6)
    payload = mp3 + blob
    header = {
        "key": key,
        "frames": frames,
        "rate": rate,
        "mp3_bytes": len(mp3),
        "chunk": chunk_samples(rate),
        "chunks": len(energy),
        "true_peak_dbtp": _finite(tp),
        "lufs": _finite(lufs),
        "engine": engine,
        "sha256": hashlib.sha256(payload).hexdigest(),
        **extra,
    }
    line = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    return MAGIC + line + payload


def load_segment(data: bytes, key: str | None = None) -> Segment:
    """A segment entry from its bytes (read from the cache, or shipped to a remote worker).

    Raises AudioError when the bytes are truncated, damaged or of another key.
    """
    try:
        if not data.startswith(MAGIC):
            raise ValueError("magic")
        end = data.index(b"\n", len(MAGIC))
        h = json.loads(data[len(MAGIC) : end].decode("utf-8"))
        payload = data[end + 1 :]
        if hashlib.sha256(payload).hexdigest() != h["sha256"] or (
            key is not None and h["key"] != key
        ):
            raise ValueError("checksum")
        n = int(h["mp3_bytes"])
        energy = np.frombuffer(zlib.decompress(payload[n:]), dtype="<f4")
        rate, frames = int(h["rate"]), int(h["frames"])
        if len(energy) != int(h["chunks"]) or len(energy) * int(
            h["chunk"]
        ) != frames * frame_samples(rate):
            raise ValueError("length")
        return Segment(
            h["key"],
            payload[:n],
            frames,
            rate,
            int(h["chunk"]),
            energy,
            _inf(h["true_peak_dbtp"]),
            h.get("engine", ""),
        )
    except (ValueError, KeyError, TypeError, zlib.error, UnicodeDecodeError) as exc:
        raise AudioError(f"Mục đệm đoạn âm thanh bị hỏng ({exc}).") from None


def _finite(x: float) -> float | None:
    return round(float(x), 6) if math.isfinite(x) else None


def _inf(x) -> float:
    return -math.inf if x is None else float(x)


# --- making a segment (the worker side) -----------------------------------------------------------


@dataclass(frozen=True)
class Made:
    entry: bytes
    segment: Segment
    engine: str
    tts_requests: int
    tts_cache_hits: int
    seconds_synthesis: float
    seconds_encoding: float
    attempts: int


def make_segment(spec: SegmentSpec, speech_cache: Path | str) -> Made:
    """Synthesise (through the phrase cache), filter, level, pad, encode, decode and measure."""
    from truyenthanh.speech.cache import PhraseCache

    m = spec.mastering
    rate = m.sample_rate
    cache = PhraseCache(speech_cache)
    engine = ""
    if spec.kind == "speech":
        x, engine = _speak(spec, cache)
        x = _filtered(x, rate, m.highpass_hz)
        aim = m.loudness_lufs + SPEECH_LIFT_LU
    elif spec.kind == "sound":
        if spec.sound is None or not spec.sound.path:
            raise AudioError("Thiếu đường dẫn tệp âm thanh.")
        x = _filtered(read_wav(Path(spec.sound.path), rate, spec.label), rate, m.highpass_hz)
        aim = m.loudness_lufs + SPEECH_LIFT_LU - SOUND_BELOW_SPEECH_LU
    elif spec.kind == "recording":
        from truyenthanh.audio.recording_samples import voice_samples

        if spec.recording is None:
            raise AudioError("Thiếu tệp ghi âm cho đoạn ghi âm.")
        # De-rumbled and trimmed there; the same filters and level as a spoken sentence here.
        x = _filtered(voice_samples(spec.recording, rate, m.highpass_hz), rate, m.highpass_hz)
        aim, engine = m.loudness_lufs + SPEECH_LIFT_LU, "recording"
    elif spec.kind == "silence":
        x, aim = np.zeros(0), None
    else:
        raise AudioError(f"Loại đoạn âm thanh không rõ: {spec.kind}.")
    started = time.perf_counter()
    seg, attempts = _master_segment(spec, x, aim, engine)
    return Made(
        seg[0],
        seg[1],
        engine,
        cache.stats.engine_calls,
        cache.stats.hits,
        cache.stats.seconds_synthesis,
        time.perf_counter() - started,
        attempts,
    )


def segment_meta(made: Made) -> tuple[bytes, dict]:
    """Job.unpack for segment jobs: the entry bytes, and what the run's stats sum."""
    s = made.segment
    return made.entry, {
        "engine": made.engine,
        "frames": s.frames,
        "lufs": _finite(s.lufs),
        "true_peak_dbtp": _finite(s.true_peak_dbtp),
        "tts_requests": made.tts_requests,
        "tts_cache_hits": made.tts_cache_hits,
        "seconds_synthesis": round(made.seconds_synthesis, 4),
        "seconds_encoding": round(made.seconds_encoding, 4),
        "attempts": made.attempts,
    }


def _engine(name: str, voice):
    # Not memoised: an engine reads its environment (e.g. the gTTS endpoint) when built.
    from truyenthanh.speech.registry import get_engine

    return get_engine(name, voice)


def _speak(spec: SegmentSpec, cache) -> tuple[np.ndarray, str]:
    """The sentence by the first engine that works (primary, then the configured fallback)."""
    from truyenthanh.speech.phrases import MAX_CHARS, split_phrases

    if spec.engines is None or spec.voice is None:
        raise AudioError("Thiếu bộ đọc hoặc giọng đọc cho đoạn nói.")
    rate = spec.mastering.sample_rate
    errors: list[EngineError] = []
    for name in spec.engines.names:
        try:
            engine = _engine(name, spec.voice)
            pieces = [
                _trim(clip_to_array(cache.fetch(engine, p), rate), rate)
                for p in split_phrases(spec.text, MAX_CHARS)
            ]
            return _join(pieces, PAUSE_CLAUSE, rate), name
        except EngineError as exc:
            errors.append(exc)
            if len(spec.engines.names) > 1:
                log.warning("bộ đọc %s lỗi (%s); thử bộ đọc kế tiếp", name, exc)
    if len(errors) == 1:
        raise errors[0]
    first, second = errors[0], errors[-1]
    raise EngineError(
        f"Bộ đọc {spec.engines.names[0]} lỗi: {first.message} "
        f"Bộ đọc dự phòng {spec.engines.names[-1]} cũng lỗi: {second.message}"
    )


def _trim(
    x: np.ndarray, rate: int, threshold: float = 10 ** (-50 / 20), margin_s: float = 0.03
) -> np.ndarray:
    """Cut the engine's own leading/trailing silence; the plan decides every pause."""
    loud = np.flatnonzero(np.abs(x) > threshold)
    if len(loud) == 0:
        return x[:0]
    margin = int(margin_s * rate)
    return x[max(0, loud[0] - margin) : loud[-1] + margin + 1]


def _join(pieces: list[np.ndarray], pause_s: float, rate: int) -> np.ndarray:
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        raise EngineError("Bộ đọc chỉ trả về im lặng cho câu này.")
    gap = np.zeros(int(pause_s * rate))
    out: list[np.ndarray] = []
    for i, p in enumerate(pieces):
        if i:
            out.append(gap)
        out.append(p)
    return np.concatenate(out)


def _filtered(x: np.ndarray, rate: int, highpass_hz: int | None) -> np.ndarray:
    """The mastering filters of the whole-programme path, ringing out into zeros, then faded
    to exact silence at both ends, so no join ever cuts into a filter tail."""
    pad = np.zeros(int(FILTER_PAD_S * rate))
    y = broadcast_filter(np.concatenate([pad, x, pad]), rate, highpass_hz)
    n = int(FADE_S * rate)
    if len(y) > 2 * n:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, n))
        y[:n] *= ramp
        y[-n:] *= ramp[::-1]
    return y


def _master_segment(spec: SegmentSpec, x: np.ndarray, aim: float | None, engine: str):
    """Level (gain + true-peak limiter), encode and measure; iterate until the decoded segment
    is on its level and under the ceiling (MP3 moves both a little)."""
    m = spec.mastering
    rate = m.sample_rate
    if aim is not None and len(x) < MIN_LEVEL_S * rate:  # too short to measure: centre it in zeros
        extra = int(MIN_LEVEL_S * rate) - len(x)
        x = np.concatenate([np.zeros(extra // 2), x, np.zeros(extra - extra // 2)])
    limit = m.true_peak_dbtp - PEAK_MARGIN_DB
    ceiling, target = limit - 0.7, aim
    attempt = 0
    while True:
        attempt += 1
        if aim is None:
            y = x
        else:
            y = normalise(x, rate, target, ceiling)
            peak = float(np.max(np.abs(y))) if len(y) else 0.0
            y = y * (min(1 / LAME_SCALE, 0.999 / peak) if peak > 0 else 1.0)
        mp3, frames, decoded = _encode_decode(y, spec)
        tp = true_peak_dbtp(decoded)
        weighted = k_weighted(decoded, rate)
        lufs = gated_loudness(weighted, rate) if len(decoded) >= 0.4 * rate else -math.inf
        if (
            aim is None
            or attempt >= ATTEMPTS
            or (tp <= limit and abs(lufs - aim) <= SEGMENT_TOLERANCE_LU)
        ):
            break
        if tp > limit:
            ceiling -= (tp - limit) + 0.1
        if math.isfinite(lufs):
            target += aim - lufs
    for _ in range(PEAK_RESCUES):
        if aim is None or tp <= limit:
            break
        # Loudness and peak pulled against each other to the end: the peak wins. A plain gain
        # down by the excess costs a fraction of a LU, which the programme's computed loudness
        # shows (and, off target, masters the whole file).
        y = y * 10 ** (-(tp - limit + 0.05) / 20)
        mp3, frames, decoded = _encode_decode(y, spec)
        tp = true_peak_dbtp(decoded)
        weighted = k_weighted(decoded, rate)
        lufs = gated_loudness(weighted, rate) if len(decoded) >= 0.4 * rate else -math.inf
    if aim is not None and tp > m.true_peak_dbtp:
        raise AudioError(
            f"Không giữ được đỉnh âm dưới {m.true_peak_dbtp:g} dBTP cho {spec.label} (đo được {tp:.1f} dBTP)."
        )
    chunk = chunk_samples(rate)
    energy = (weighted * weighted).reshape(-1, chunk).sum(axis=1)
    entry = pack_segment(
        spec.key,
        mp3,
        frames,
        rate,
        energy,
        tp,
        lufs,
        engine,
        {"kind": spec.kind, "text": spec.text[:200]},
    )
    return (entry, load_segment(entry)), attempt


def _encode_decode(y: np.ndarray, spec: SegmentSpec) -> tuple[bytes, int, np.ndarray]:
    """One independent MP3 stream (no Xing/Info frame, no tags) and its decoded samples."""
    m = spec.mastering
    rate, spf = m.sample_rate, frame_samples(m.sample_rate)
    if spec.kind == "silence":
        y = np.zeros(max(1, spec.frames * spf - 1105))  # the encoder adds its delay (~1105) itself
    else:
        y = np.concatenate([y, np.zeros(TAIL_ZEROS)])
    mp3 = encode_mp3(y, rate, m.bitrate_kbps)
    frames, _fmt = audio_frames(mp3, spec.label)
    decoded, dec_rate = decode_mp3(frames, spec.label)
    count = len(decoded) // spf
    if dec_rate != rate or len(decoded) != count * spf:
        raise AudioError(
            f"Giải mã {spec.label} cho độ dài không trọn khung MP3 ({len(decoded)} mẫu)."
        )
    return frames, count, decoded
