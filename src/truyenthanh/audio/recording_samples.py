"""A recording's samples: decoded, de-rumbled and trimmed to the voice (audio/recording.py
finds the files and makes their segment specs).

Decoding goes through the ffmpeg of imageio-ffmpeg with the container named from the file's
extension (there is no ffprobe to guess it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from truyenthanh.audio.codec import pcm16_to_float
from truyenthanh.audio.encoders import run_ffmpeg
from truyenthanh.audio.loudness import highpass
from truyenthanh.audio.model import RecordingRef
from truyenthanh.audio.recording import MAX_RECORDING_S, closing_clip_ref, recording_ref
from truyenthanh.errors import AudioError

RUMBLE_HZ = 80  # when the project switches its high-pass off, handling rumble still goes
# Voice is what stands clear of the room: 10 dB over the noise floor (the quietest tenth of
# 20 ms windows), but never less than 40 dB or more than 20 dB under the loudest window.
TRIM_OVER_NOISE_DB = 10.0
TRIM_BELOW_PEAK_DB = (20.0, 40.0)
TRIM_FLOOR_DBFS = -60.0
TRIM_WINDOW_S = 0.02
TRIM_MARGIN_S = 0.08  # keep a breath of the room around the voice: a hard cut sounds clipped


# --- samples ------------------------------------------------------------------------------------


def decode(ref: RecordingRef, rate: int) -> np.ndarray:
    """The file as mono float samples at `rate`; a Vietnamese AudioError when ffmpeg cannot read it."""
    kind = Path(ref.name).suffix.lstrip(".").upper()
    # ffmpeg_command has no output options: its "-f" here is the input's format.
    pcm = run_ffmpeg(
        ["-f", ref.format, "-i", ref.path, "-t", str(MAX_RECORDING_S + 1), "-vn"]
        + ["-ac", "1", "-ar", str(rate), "-f", "s16le", "pipe:1"],
        what=f"Không đọc được tệp ghi âm “{ref.name}”: tệp hỏng hoặc không đúng định dạng {kind}",
        advice="Hãy xuất lại tệp từ máy ghi âm.",
    )
    x = pcm16_to_float(pcm[: len(pcm) - len(pcm) % 2])
    if len(x) > MAX_RECORDING_S * rate:
        raise AudioError(
            f"Tệp ghi âm “{ref.name}” dài quá {MAX_RECORDING_S // 60} phút: hãy chia thông báo."
        )
    return x


def trim_silence(x: np.ndarray, rate: int) -> np.ndarray:
    """Cut the room before the first and after the last word (levels relative to the recording itself)."""
    win = max(1, int(TRIM_WINDOW_S * rate))
    n = len(x) // win
    if n == 0:
        return x[:0]
    rms = np.sqrt(np.mean(x[: n * win].reshape(n, win) ** 2, axis=1))
    peak = float(np.max(rms))
    if peak <= 0:
        return x[:0]
    noise = float(np.percentile(rms, 10))
    near, far = (peak * 10 ** (-db / 20) for db in TRIM_BELOW_PEAK_DB)
    level = max(
        min(max(noise * 10 ** (TRIM_OVER_NOISE_DB / 20), far), near), 10 ** (TRIM_FLOOR_DBFS / 20)
    )
    loud = np.flatnonzero(rms > level)
    if len(loud) == 0:
        return x[:0]
    margin = int(TRIM_MARGIN_S * rate)
    return x[max(0, loud[0] * win - margin) : min(len(x), (loud[-1] + 1) * win + margin)]


def derumbled(x: np.ndarray, rate: int, highpass_hz: int | None) -> np.ndarray:
    """Rumble (handling noise, wind, mains hum) off before trimming, so it never passes for voice."""
    return highpass(x, rate, highpass_hz or RUMBLE_HZ)


def voice_samples(ref: RecordingRef, rate: int, highpass_hz: int | None) -> np.ndarray:
    """Decoded, de-rumbled and trimmed: what the programme plays (before levelling)."""
    x = trim_silence(derumbled(decode(ref, rate), rate, highpass_hz), rate)
    if len(x) < 0.3 * rate:
        raise AudioError(
            f"Tệp ghi âm “{ref.name}” không có tiếng nói (chỉ có im lặng hoặc tiếng ồn)."
        )
    return x


def voice_seconds(ref: RecordingRef, rate: int, highpass_hz: int | None) -> float:
    """How long the voice in the file lasts (main process: checks the file before any job is declared)."""
    return len(voice_samples(ref, rate, highpass_hz)) / rate


# --- for `check` ----------------------------------------------------------------------------------


def check_lines(project) -> list[str]:
    """Who speaks what in recorded items and areas with recorded closings, each file tried once."""
    settings = project.config.audio
    lines: list[str] = []
    for ann in project.announcements:
        if ann.meta.recording is None:
            continue
        reads = "" if ann.meta.recording_covers_title else "tiêu đề và "
        try:
            ref = recording_ref(project.root, ann.meta.recording)
            secs = voice_seconds(ref, settings.sample_rate, settings.highpass_hz)
            lines.append(
                f"  {ann.id}: giọng ghi âm “{ann.meta.recording}” ({secs:.0f} giây tiếng nói); "
                f"bộ đọc đọc {reads}lời kết"
            )
        except AudioError as exc:
            lines.append(
                f"  {ann.id}: giọng ghi âm “{ann.meta.recording}” — KHÔNG dùng được: {exc.message}"
            )
    for area in project.config.areas:
        try:
            ref = closing_clip_ref(project.root, area.id)
            if ref is not None:
                voice_seconds(ref, settings.sample_rate, settings.highpass_hz)
                lines.append(f"  {area.id}: lời kết ghi âm “{ref.name}”")
        except AudioError as exc:
            lines.append(
                f"  {area.id}: lời kết ghi âm — KHÔNG dùng được, bộ đọc sẽ đọc lời kết: {exc.message}"
            )
    return ["Giọng ghi âm:", *lines] if lines else []
