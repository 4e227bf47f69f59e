"""Mastering shared by programmes and bulletins: high-pass, loudness, MP3, verify, tag."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np

from truyenthanh.audio.codec import LAME_SCALE, decode_mp3, encode_mp3
from truyenthanh.audio.loudness import (
    broadcast_filter,
    integrated_lufs,
    normalise,
    true_peak_dbtp,
)
from truyenthanh.audio.tags import Tags, tag_mp3
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError

log = logging.getLogger(__name__)

LUFS_TOLERANCE = 0.3  # on the decoded MP3; the tests allow 1 LU
ATTEMPTS = 4


@dataclass(frozen=True)
class Mastered:
    mp3: bytes
    lufs: float
    true_peak_dbtp: float
    seconds_encoding: float


def master(x: np.ndarray, settings: AudioSettings, tags: Tags) -> Mastered:
    """Broadcast-ready MP3 of `x` (mono, settings.sample_rate), verified after encoding."""
    rate = settings.sample_rate
    x = broadcast_filter(x, rate, settings.highpass_hz)
    target, limit = settings.loudness_lufs, settings.true_peak_dbtp
    aim, ceiling = target, limit - 0.7  # MP3 encoding moved peaks up by ~0.45 dB (measured)
    seconds = 0.0
    lufs = tp = math.nan
    for attempt in range(ATTEMPTS):
        y = normalise(x, rate, aim, ceiling)
        started = time.perf_counter()
        peak = float(np.max(np.abs(y))) if len(y) else 0.0
        compensation = min(1 / LAME_SCALE, 0.999 / peak) if peak > 0 else 1.0
        mp3 = encode_mp3(y * compensation, rate, settings.bitrate_kbps)
        decoded, dec_rate = decode_mp3(mp3, "MP3 vừa mã hóa")
        seconds += time.perf_counter() - started
        lufs, tp = integrated_lufs(decoded, dec_rate), true_peak_dbtp(decoded)
        log.debug("master attempt %d: %.2f LUFS, %.2f dBTP", attempt + 1, lufs, tp)
        if tp <= limit and abs(lufs - target) <= LUFS_TOLERANCE:
            return Mastered(tag_mp3(mp3, tags), lufs, tp, seconds)
        if tp > limit:
            ceiling -= (tp - limit) + 0.2
        aim += target - lufs
    raise AudioError(
        f"Không chuẩn hóa được độ lớn âm thanh: đo được {lufs:.1f} LUFS, đỉnh {tp:.1f} dBTP "
        f"(yêu cầu {target:g} LUFS, đỉnh ≤ {limit:g} dBTP). Hãy thử giảm loudness_lufs trong phần audio."
    )
