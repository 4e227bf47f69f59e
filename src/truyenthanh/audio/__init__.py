"""Broadcast-ready audio: programmes and weekly bulletins as loudness-normalised, tagged MP3.

Everything here is a pure function of its arguments (plus the phrase cache under
`cache_dir`), with picklable arguments, so the build can run it in worker processes.
"""

from truyenthanh.audio.bulletin import broadcast_order, build_bulletin, mp3_duration, priority_rank
from truyenthanh.audio.model import PRIORITIES, AudioResult, ProgrammeRequest
from truyenthanh.audio.programme import RECIPE_VERSION, build_programme, programme_key, sound_digests, sound_files

__all__ = [
    "PRIORITIES",
    "RECIPE_VERSION",
    "AudioResult",
    "ProgrammeRequest",
    "broadcast_order",
    "build_bulletin",
    "build_programme",
    "mp3_duration",
    "priority_rank",
    "programme_key",
    "sound_digests",
    "sound_files",
]
