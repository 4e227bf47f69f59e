"""The week's bulletin for one area, broadcast order, and MP3 durations."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from truyenthanh.audio.codec import decode_mp3, encode_mp3, read_wav, resample
from truyenthanh.audio.frames import join_mp3
from truyenthanh.audio.loudness import integrated_lufs, true_peak_dbtp
from truyenthanh.audio.master import LUFS_TOLERANCE, master
from truyenthanh.audio.model import PRIORITIES, AudioResult
from truyenthanh.audio.programme import CLOSING_TONE, sound_files
from truyenthanh.audio.tags import Tags, tag_mp3
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError
from truyenthanh.resources import find_voice_file

log = logging.getLogger(__name__)

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
    """The programmes (already in broadcast order) strung together behind the ident.

    The programmes are mastered and verified already, so their MP3 frames are
    joined as they are (see `frames`); only the short ident, gaps and closing
    are encoded. The joined file is decoded and measured like every programme;
    if it misses the loudness or peak target it is re-mastered as a whole.
    """
    if not programmes:
        raise AudioError(f"Không có chương trình nào để ghép bản tin tuần {week} cho {area_name}.")
    titles = "; ".join(t for t, _ in programmes)
    tags = Tags(
        title=f"Bản tin tuần {week_label(week)} – {area_name}",
        artist=station,
        album=f"{area_name} – {week}",
        date=date,
        comment=f"{len(programmes)} chương trình: {titles}"[:1000],
    )
    loaded = [(title, _read_programme(title, path)) for title, path in programmes]
    started = time.perf_counter()
    try:
        mp3 = _joined(loaded, settings, project_root)
        decoded, rate = decode_mp3(mp3, "bản tin vừa ghép")
        lufs, tp = integrated_lufs(decoded, rate), true_peak_dbtp(decoded)
        if tp > settings.true_peak_dbtp or abs(lufs - settings.loudness_lufs) > LUFS_TOLERANCE:
            raise AudioError(f"bản tin ghép lệch chuẩn ({lufs:.2f} LUFS, {tp:.2f} dBTP)")
        done_mp3, seconds = tag_mp3(mp3, tags), time.perf_counter() - started
    except AudioError as exc:
        log.info("bulletin for %s re-mastered as a whole: %s", area_name, exc)
        done = master(_decoded_sequence(loaded, settings, project_root), settings, tags)
        done_mp3, lufs, tp, seconds = done.mp3, done.lufs, done.true_peak_dbtp, done.seconds_encoding
    return AudioResult(
        mp3=done_mp3,
        duration_s=mp3_duration(done_mp3),
        engine="",
        tts_requests=0,
        tts_cache_hits=0,
        lufs=round(lufs, 2),
        true_peak_dbtp=round(tp, 2),
        seconds_synthesis=0.0,
        seconds_encoding=seconds,
    )


def _read_programme(title: str, path: Path | str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise AudioError(f"Không đọc được chương trình “{title}” ({path}): {exc.strerror or exc}.") from None


def _sounds(settings: AudioSettings, project_root: Path) -> tuple[np.ndarray | None, np.ndarray | None]:
    rate = settings.sample_rate
    files = sound_files(settings, project_root)
    ident = read_wav(files["ident"], rate, "tệp nhạc hiệu") if files["ident"] is not None else None
    closing_path = find_voice_file(project_root, CLOSING_TONE)
    closing = read_wav(closing_path, rate, "tệp nhạc kết") if closing_path is not None else None
    return ident, closing


def _joined(loaded: list[tuple[str, bytes]], settings: AudioSettings, project_root: Path) -> bytes:
    rate = settings.sample_rate
    ident, closing = _sounds(settings, project_root)
    parts: list[tuple[str, bytes]] = []
    if ident is not None:
        intro = master(np.concatenate([ident, np.zeros(rate // 2)]), settings, Tags("", "", "", "", ""))
        parts.append(("nhạc hiệu", intro.mp3))
    gap = encode_mp3(np.zeros(max(1, int(settings.gap_seconds * rate))), rate, settings.bitrate_kbps)
    for i, (title, data) in enumerate(loaded):
        if i:
            parts.append(("khoảng lặng", gap))
        parts.append((f"chương trình “{title}”", data))
    if closing is not None:
        outro = master(np.concatenate([np.zeros(rate // 2), closing]), settings, Tags("", "", "", "", ""))
        parts.append(("nhạc kết", outro.mp3))
    return join_mp3(parts)


def _decoded_sequence(loaded: list[tuple[str, bytes]], settings: AudioSettings, project_root: Path) -> np.ndarray:
    """The whole bulletin as samples, for the re-mastering fallback."""
    rate = settings.sample_rate
    ident, closing = _sounds(settings, project_root)
    gap = np.zeros(int(settings.gap_seconds * rate))
    parts: list[np.ndarray] = []
    if ident is not None:
        parts += [ident, np.zeros(rate // 2)]
    for i, (title, data) in enumerate(loaded):
        x, src_rate = decode_mp3(data, f"chương trình “{title}”")
        if i:
            parts.append(gap)
        parts.append(resample(x, src_rate, rate))
    if closing is not None:
        parts += [np.zeros(rate // 2), closing]
    return np.concatenate(parts)
