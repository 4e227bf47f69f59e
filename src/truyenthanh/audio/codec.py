"""Sample arrays in and out: WAV files, engine clips, MP3 via pydub + the ffmpeg of imageio-ffmpeg.

Signals inside the audio stage are mono float64 numpy arrays in [-1, 1] at one
sample rate. pydub is pointed at imageio-ffmpeg's binary; that package ships no
ffprobe, so every load passes `format=` and `codec=` (pydub then never probes).
"""

from __future__ import annotations

import io
import logging
import subprocess
import wave
from collections.abc import Sequence
from functools import lru_cache
from math import gcd
from pathlib import Path

import numpy as np

from truyenthanh.errors import AudioError, TruyenThanhError
from truyenthanh.speech.base import AudioClip

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise AudioError(
            f"Không tìm thấy chương trình ffmpeg ({exc}). Hãy cài lại dự án (gói imageio-ffmpeg): pip install -e ."
        ) from None
    return exe


# Output options of every file we make: no tags carried over from the input and no ffmpeg version
# string, so the same input always gives the same bytes. BITEXACT_AUDIO adds the audio encoder's.
BITEXACT = ("-map_metadata", "-1", "-fflags", "+bitexact")
BITEXACT_AUDIO = (*BITEXACT, "-flags:a", "+bitexact")


def ffmpeg_command(*args: str) -> list[str]:
    """ffmpeg quiet but for errors, never reading the terminal, then `args`."""
    return [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", *args]


def run_ffmpeg(
    args: Sequence[str],
    *,
    what: str,
    error: type[TruyenThanhError] = AudioError,
    input: bytes | None = None,
    timeout: float | None = None,
    output: bool = True,
    advice: str = "",
) -> bytes:
    """Run `ffmpeg_command(*args)` and return what it wrote to stdout.

    `what` is the Vietnamese sentence saying what failed ("Không mã hóa được AAC"); when ffmpeg
    cannot run, exits with an error or (with `output`) writes nothing to stdout, `error` is
    raised with it, ffmpeg's reason (the last lines it wrote to stderr) and `advice`, what to
    do about it.
    """
    try:
        proc = subprocess.run(
            ffmpeg_command(*args), input=input, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise error(f"{what} (ffmpeg chưa xong sau {timeout:g} giây).") from None
    except OSError as exc:
        raise error(f"{what} (ffmpeg không chạy được: {exc.strerror or exc}).") from None
    if proc.returncode != 0 or (output and not proc.stdout):
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        detail = " | ".join(ln.strip()[:200] for ln in lines[-3:]) or "không có dữ liệu"
        raise error(f"{what} (ffmpeg: {detail}). {advice}".rstrip())
    return proc.stdout


def _pydub():
    import warnings

    with (
        warnings.catch_warnings()
    ):  # pydub warns at import when no ffmpeg is on PATH; we set our own
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter(
            "ignore", DeprecationWarning
        )  # audioop, until Python 3.13 (audioop-lts)
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


def _pydub_errors():
    _pydub()
    from pydub.exceptions import CouldntDecodeError, CouldntEncodeError

    return CouldntDecodeError, CouldntEncodeError


def resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target or len(x) == 0:
        return x
    from scipy.signal import resample_poly

    g = gcd(rate, target)
    return resample_poly(x, target // g, rate // g)


def pcm16_to_float(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def float_to_pcm16(x: np.ndarray) -> bytes:
    return np.round(np.clip(x, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()


def decode_mp3(data: bytes, what: str = "MP3") -> tuple[np.ndarray, int]:
    """Decode MP3 bytes to (mono float samples, sample rate).

    Straight through ffmpeg's pipes: every programme is decoded once more to be
    measured, and pydub's temporary files doubled the cost of that check. The
    rate comes from the first frame header (there is no ffprobe).
    """
    from truyenthanh.audio.frames import stream_format

    try:
        rate = stream_format(data).sample_rate
    except AudioError as exc:
        raise AudioError(
            f"Không giải mã được {what}: tệp MP3 hỏng hoặc không phải MP3 ({exc.message})."
        ) from None
    pcm = run_ffmpeg(
        ["-f", "mp3", "-i", "pipe:0", "-ac", "1", "-f", "s16le", "pipe:1"],
        what=f"Không giải mã được {what}: tệp MP3 hỏng hoặc không phải MP3",
        input=data,
    )
    return pcm16_to_float(pcm), rate


def encode_mp3(x: np.ndarray, rate: int, bitrate_kbps: int) -> bytes:
    """Mono CBR MP3 without any tag (tags are written by mutagen afterwards).

    bitexact flags keep ffmpeg's version string out of the file, so the same
    samples always give the same bytes.
    """
    _, CouldntEncodeError = _pydub_errors()
    if rate < 32000 and bitrate_kbps > 160:
        raise AudioError(
            f"Bitrate {bitrate_kbps} kbps không dùng được với tần số {rate} Hz (MP3 dưới 32 kHz tối đa 160 kbps): "
            "hãy giảm bitrate_kbps hoặc tăng sample_rate trong phần audio của truyenthanh.yaml."
        )
    AudioSegment = _pydub()
    seg = AudioSegment(data=float_to_pcm16(x), sample_width=2, frame_rate=rate, channels=1)
    out = io.BytesIO()
    try:
        handle = seg.export(
            out,
            format="mp3",
            codec="libmp3lame",
            bitrate=f"{bitrate_kbps}k",
            parameters=[
                "-ar",
                str(rate),
                "-ac",
                "1",
                *BITEXACT_AUDIO,
                "-id3v2_version",
                "0",
                "-write_id3v1",
                "0",
            ],
        )
        data = handle.getvalue()
    except CouldntEncodeError as exc:
        raise AudioError(f"ffmpeg không mã hóa được MP3 ({_first_line(exc)}).") from None
    finally:
        out.close()
    if not data:
        raise AudioError("ffmpeg trả về tệp MP3 rỗng.")
    return data


def read_wav(path: Path, rate: int, what: str) -> np.ndarray:
    """A WAV file as mono float samples at `rate`."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, src_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(
            f"Không đọc được {what} {path}: {exc}. Hãy tạo lại bằng scripts/make-idents."
        ) from None
    if width != 2:
        raise AudioError(f"{what} {path} phải là WAV PCM 16 bit (tệp này {8 * width} bit).")
    x = pcm16_to_float(frames[: len(frames) - len(frames) % (2 * channels)])
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    if len(x) == 0:
        raise AudioError(f"{what} {path} không có âm thanh.")
    return resample(x, src_rate, rate)


def clip_to_array(clip: AudioClip, rate: int) -> np.ndarray:
    if clip.format == "pcm_s16le":
        return resample(pcm16_to_float(clip.data), clip.sample_rate, rate)
    x, src_rate = decode_mp3(clip.data, "âm thanh của bộ đọc")
    return resample(x, src_rate, rate)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1][:200] if lines else type(exc).__name__
