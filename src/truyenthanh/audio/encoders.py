"""The encoders: where they are, how they are loaded, and which they are.

Their names and versions are part of the cache keys. They are read from the installed
packages' metadata, so the main process keys every segment, slide and soundtrack without
loading LAME, PyAV or numpy; the libraries themselves are loaded on first use, in the
workers (audio/codec.py, channels/stills.py).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from truyenthanh.errors import AudioError, TruyenThanhError, os_reason

# LAME's own default, the one the ffmpeg program's libmp3lame uses when given no -q.
LAME_QUALITY = 3


@lru_cache(maxsize=1)
def mp3_codec_identity() -> str:
    """What makes the MP3 bytes: another LAME build or setting may give other bytes (asked for
    by every voice's mastering; reading the package metadata took ~0.4 ms each time)."""
    try:
        return f"lameenc {version('lameenc')} q{LAME_QUALITY}"
    except PackageNotFoundError:
        return "lameenc missing"


@lru_cache(maxsize=1)
def pyav_version() -> str:
    """PyAV's version: it names the FFmpeg libraries (and the x264) its wheel bundles, so it is
    part of the keys of what they encode (AAC entries, slide GOPs)."""
    try:
        return f"av {version('av')}"
    except PackageNotFoundError:
        return "av missing"


def pyav():
    """PyAV: FFmpeg's libraries in this process (MP3 decoding, AAC encoding, H.264 checks, MP4)."""
    try:
        import av
    except ImportError as exc:
        raise AudioError(
            f"Thiếu thư viện mã hóa âm thanh PyAV ({exc}). Hãy cài lại dự án (gói av): pip install -e ."
        ) from None
    return av


def lameenc():
    """LAME in this process (the lameenc wheel bundles LAME 3.100)."""
    try:
        import lameenc
    except ImportError as exc:
        raise AudioError(
            f"Thiếu thư viện mã hóa MP3 lameenc ({exc}). Hãy cài lại dự án (gói lameenc): pip install -e ."
        ) from None
    return lameenc


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
# string, so the same input always gives the same bytes.
BITEXACT = ("-map_metadata", "-1", "-fflags", "+bitexact")


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
        raise error(f"{what} (ffmpeg không chạy được: {os_reason(exc)}).") from None
    if proc.returncode != 0 or (output and not proc.stdout):
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        detail = " | ".join(ln.strip()[:200] for ln in lines[-3:]) or "không có dữ liệu"
        raise error(f"{what} (ffmpeg: {detail}). {advice}".rstrip())
    return proc.stdout
