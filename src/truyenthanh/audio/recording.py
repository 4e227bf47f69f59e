"""A recorded voice as a programme segment: an announcer's reading of the body, or an area's closing.

Stations already do what works best for listeners: an announcer records the
notice (often on a phone). The recording becomes one segment like any other
(`SegmentSpec(kind="recording")`), keyed by the file's bytes and the mastering
settings, so it is decoded, trimmed, high-passed, levelled with the true-peak
limiter, encoded and measured once and shared by every area's programme.

Decoding goes through the ffmpeg of imageio-ffmpeg with the container named
from the file's extension (there is no ffprobe to guess it).

Per-area recorded clips: `voices/clips/<area-id>-closing.<wav|mp3|m4a|ogg>` in
the project replaces the engine's closing line ("Đài truyền thanh xã … vừa phát
xong thông báo…") in that area's programmes.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path, PurePosixPath

import numpy as np

from truyenthanh.audio.codec import pcm16_to_float, run_ffmpeg
from truyenthanh.audio.loudness import highpass
from truyenthanh.audio.model import RecordingRef
from truyenthanh.audio.recipe import Mastering, SegmentSpec
from truyenthanh.errors import AudioError
from truyenthanh.keys import sha256_file

log = logging.getLogger(__name__)

# File extension -> ffmpeg demuxer (always named: no ffprobe).
FORMATS = {".wav": "wav", ".mp3": "mp3", ".m4a": "mov", ".ogg": "ogg"}
FORMAT_VI = "WAV, MP3, M4A hoặc OGG"
MAX_RECORDING_BYTES = (
    200 * 1024 * 1024
)  # a 30-minute WAV at 44.1 kHz stereo is ~320 MB; phones record less
MAX_RECORDING_S = 30 * 60  # longer than any slot (DESIGN.md: <= 45 min per slot, one item far less)
RUMBLE_HZ = 80  # when the project switches its high-pass off, handling rumble still goes
# Voice is what stands clear of the room: 10 dB over the noise floor (the quietest tenth of
# 20 ms windows), but never less than 40 dB or more than 20 dB under the loudest window.
TRIM_OVER_NOISE_DB = 10.0
TRIM_BELOW_PEAK_DB = (20.0, 40.0)
TRIM_FLOOR_DBFS = -60.0
TRIM_WINDOW_S = 0.02
TRIM_MARGIN_S = 0.08  # keep a breath of the room around the voice: a hard cut sounds clipped
CLIPS_DIR = "voices/clips"


# --- finding files ----------------------------------------------------------------------------


def recording_problem(project_root: Path, name: str) -> str | None:
    """Why `name` (front matter `recording:`) cannot be used, in Vietnamese, or None."""
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return f"recording: “{name}” phải là đường dẫn tương đối tới một tệp trong thư mục dự án"
    if rel.suffix.lower() not in FORMATS:
        return f"recording: “{name}” không phải tệp ghi âm {FORMAT_VI} (đuôi tệp không hỗ trợ)"
    path = project_root / rel
    try:
        inside = path.resolve().is_relative_to(project_root.resolve())
    except OSError:
        inside = False
    if not inside:
        return f"recording: “{name}” nằm ngoài thư mục dự án"
    if not path.is_file():
        return f"recording: không tìm thấy tệp ghi âm “{name}” trong dự án"
    size = path.stat().st_size
    if size == 0:
        return f"recording: tệp ghi âm “{name}” rỗng (0 byte)"
    if size > MAX_RECORDING_BYTES:
        return (
            f"recording: tệp ghi âm “{name}” quá lớn ({size // (1024 * 1024)} MB; tối đa "
            f"{MAX_RECORDING_BYTES // (1024 * 1024)} MB): hãy lưu dạng MP3 hoặc M4A"
        )
    return None


def recording_ref(project_root: Path, name: str) -> RecordingRef:
    """The recording named in the project, with its digest (AudioError when it cannot be used)."""
    why = recording_problem(project_root, name)
    if why is not None:
        raise AudioError(why[0].upper() + why[1:] + ".")
    path = project_root / name
    digest = sha256_file(path)
    if digest is None:
        raise AudioError(f"Không đọc được tệp ghi âm “{name}”.")
    return RecordingRef(digest, FORMATS[path.suffix.lower()], name, str(path.resolve()))


def closing_clip_ref(project_root: Path | None, area_id: str) -> RecordingRef | None:
    """The area's recorded closing line, when the district provides one."""
    if project_root is None:
        return None
    for ext in FORMATS:
        name = f"{CLIPS_DIR}/{area_id}-closing{ext}"
        if (project_root / name).is_file():
            return recording_ref(project_root, name)
    return None


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


def recording_spec(mastering: Mastering, ref: RecordingRef) -> SegmentSpec:
    return SegmentSpec("recording", mastering, recording=ref)


# --- how long it should be ------------------------------------------------------------------------


def estimated_seconds(sentences: list[str], rate_wpm: int) -> float:
    """Reading time of spoken sentences: Vietnamese words are syllables, at the profile's rate."""
    syllables = sum(len(s.split()) for s in sentences)
    return 60.0 * syllables / max(1, rate_wpm)


def duration_note(actual_s: float, expected_s: float, factor: float, name: str) -> str | None:
    """A warning (Vietnamese) when the recording is far shorter or longer than its script."""
    if factor <= 1 or expected_s <= 0 or not math.isfinite(actual_s):
        return None
    if actual_s * factor < expected_s:
        how = "ngắn hơn nhiều"
    elif actual_s > expected_s * factor:
        how = "dài hơn nhiều"
    else:
        return None
    return (
        f"tệp ghi âm “{name}” dài {actual_s:.0f} giây, {how} so với thời gian đọc kịch bản (ước tính "
        f"{expected_s:.0f} giây): hãy kiểm tra tệp ghi âm có đúng và đủ nội dung thông báo đã duyệt không"
    )


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
