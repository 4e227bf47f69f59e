"""A recorded voice as a programme segment: an announcer's reading of the body, or an area's closing.

Stations already do what works best for listeners: an announcer records the
notice (often on a phone). The recording becomes one segment like any other
(`SegmentSpec(kind="recording")`), keyed by the file's bytes and the mastering
settings, so it is decoded, trimmed, high-passed, levelled with the true-peak
limiter, encoded and measured once and shared by every area's programme.

Finding and naming the files is here, for the main process that plans; decoding them
(numpy, ffmpeg) is audio/recording_samples.py, which the workers and `check` load.

Per-area recorded clips: `voices/clips/<area-id>-closing.<wav|mp3|m4a|ogg>` in
the project replaces the engine's closing line ("Đài truyền thanh xã … vừa phát
xong thông báo…") in that area's programmes.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path, PurePosixPath

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
