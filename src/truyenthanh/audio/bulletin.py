"""The week's bulletin for one area, broadcast order, and MP3 durations."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from truyenthanh.audio.codec import decode_mp3, read_wav, resample
from truyenthanh.audio.master import master
from truyenthanh.audio.model import PRIORITIES, AudioResult
from truyenthanh.audio.programme import CLOSING_TONE, sound_files
from truyenthanh.audio.tags import Tags
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError
from truyenthanh.resources import find_voice_file

_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def priority_rank(priority: str) -> int:
    """0 emergency, 1 priority, 2 normal; anything unknown after normal."""
    return _RANK.get(priority, len(PRIORITIES))


def _priority_of(item: Any) -> str:
    if isinstance(item, dict):
        return item.get("priority", "normal")
    return getattr(item, "priority", "normal")


def broadcast_order(items: Iterable, priority: Callable[[Any], str] = _priority_of) -> list:
    """Emergency first, then priority, then normal; stable within a level."""
    return sorted(items, key=lambda it: priority_rank(priority(it)))


def mp3_duration(path_or_bytes: Path | str | bytes) -> float:
    """Seconds of audio in an MP3 file or MP3 bytes (mutagen; no ffprobe)."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        if isinstance(path_or_bytes, (bytes, bytearray)):
            return float(MP3(io.BytesIO(bytes(path_or_bytes))).info.length)
        return float(MP3(str(path_or_bytes)).info.length)
    except (MutagenError, OSError) as exc:
        raise AudioError(f"Không đọc được độ dài MP3 ({exc}).") from None


def week_label(week: str) -> str:
    m = re.fullmatch(r"(\d{4})-W(\d{2})", week)
    return f"{int(m.group(2))} năm {m.group(1)}" if m else week


def build_bulletin(programmes: list[tuple[str, Path]], settings: AudioSettings, area_name: str, station: str,
                   week: str, date: str, project_root: Path) -> AudioResult:
    """The programmes (already in broadcast order) strung together behind the ident."""
    if not programmes:
        raise AudioError(f"Không có chương trình nào để ghép bản tin tuần {week} cho {area_name}.")
    rate = settings.sample_rate
    files = sound_files(settings, project_root)
    gap = np.zeros(int(settings.gap_seconds * rate))
    parts: list[np.ndarray] = []
    if files["ident"] is not None:
        parts += [read_wav(files["ident"], rate, "tệp nhạc hiệu"), np.zeros(rate // 2)]
    for i, (title, path) in enumerate(programmes):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise AudioError(f"Không đọc được chương trình “{title}” ({path}): {exc.strerror or exc}.") from None
        x, src_rate = decode_mp3(data, f"chương trình “{title}” ({Path(path).name})")
        if i:
            parts.append(gap)
        parts.append(resample(x, src_rate, rate))
    closing = find_voice_file(project_root, CLOSING_TONE)
    if closing is not None:
        parts += [np.zeros(rate // 2), read_wav(closing, rate, "tệp nhạc kết")]
    titles = "; ".join(t for t, _ in programmes)
    tags = Tags(
        title=f"Bản tin tuần {week_label(week)} – {area_name}",
        artist=station,
        album=f"{area_name} – {week}",
        date=date,
        comment=f"{len(programmes)} chương trình: {titles}"[:1000],
    )
    done = master(np.concatenate(parts), settings, tags)
    return AudioResult(
        mp3=done.mp3,
        duration_s=mp3_duration(done.mp3),
        engine="",
        tts_requests=0,
        tts_cache_hits=0,
        lufs=round(done.lufs, 2),
        true_peak_dbtp=round(done.true_peak_dbtp, 2),
        seconds_synthesis=0.0,
        seconds_encoding=done.seconds_encoding,
    )
