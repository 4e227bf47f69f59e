"""The audio stage's inputs and outputs: small frozen dataclasses that pickle."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordingRef:
    """A recorded voice (an announcer's reading, or an area's recorded closing line).

    Keyed by the file's bytes and format, never by where it lies on this machine.
    """

    sha256: str
    format: str  # ffmpeg demuxer: wav | mp3 | mov (m4a) | ogg
    name: str = field(
        default="", metadata={"key": False}
    )  # as written in the project, for messages
    path: str = field(default="", metadata={"key": False})  # absolute, to read it
    version: int = 1  # bump when trimming or decoding changes


@dataclass(frozen=True)
class ProgrammeRequest:
    announcement_id: str
    title: str  # Vietnamese title: the TIT2 tag
    area_name: str  # e.g. "xã Bình Hòa"
    station: str  # the area's station: the TPE1 tag
    week: str  # "2023-W08"
    date: str  # ISO date for TDRC
    approval_sha256: str
    spoken_paragraphs: tuple[
        tuple[str, ...], ...
    ]  # SpokenScript.paragraphs: the only body text spoken
    spoken_title: str  # spoken form of the title, read before the body
    repeats: int  # extra readings after the first
    priority: str  # normal | priority | emergency
    # Added later: left out of keys while unset, so programmes without them keep their keys.
    recording: RecordingRef | None = field(
        default=None, metadata={"omit_default": True}
    )  # the body, recorded
    recording_covers_title: bool = field(
        default=False, metadata={"omit_default": True}
    )  # else the engine reads it
    closing_clip: RecordingRef | None = field(
        default=None, metadata={"omit_default": True}
    )  # area's closing


@dataclass(frozen=True)
class AudioResult:
    mp3: bytes
    duration_s: float
    engine: str  # which engine actually spoke (after fallback); "" for a bulletin
    tts_requests: int  # phrases sent to the engine (cache misses)
    tts_cache_hits: int  # phrases served from the phrase cache
    lufs: float  # integrated loudness of the decoded MP3 (computed from its decoded segments)
    true_peak_dbtp: float  # true peak (4x oversampled) of the decoded MP3
    seconds_synthesis: float  # time spent in the engine
    seconds_encoding: float  # assembly time (and ffmpeg's, when the whole was mastered)
    loudness: str = "computed"  # "computed" from the segments' measurements, or "mastered_whole"
    engines: tuple[str, ...] = ()  # every engine that spoke a segment
    segments: int = 0
    segments_rebuilt: int = 0  # cache entries missing or damaged, made again by the assembler

    def __repr__(self) -> str:  # the MP3 bytes are not for logs
        return (
            f"AudioResult({len(self.mp3)} bytes, {self.duration_s:.1f} s, engine={self.engine!r}, "
            f"tts={self.tts_requests}+{self.tts_cache_hits} hits, {self.lufs:.2f} LUFS, "
            f"{self.true_peak_dbtp:.2f} dBTP)"
        )
