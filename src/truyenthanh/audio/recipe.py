"""Recipes: everything a worker needs to make a segment, a programme or a bulletin, resolved once.

The stages build these frozen objects in the main process (voice profile parsed
at load, engine identities, sound digests, closing line), hash them into the
artifact keys, and hand the very same object to the worker: a worker never
re-resolves a profile or a sound file, and the key is exactly what was used.

Fields marked `_LOCAL` say *where* to read something on this machine (a sound
file); they are left out of keys, so moving a project rebuilds nothing.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from truyenthanh.audio.encoders import mp3_codec_identity
from truyenthanh.audio.model import ProgrammeRequest, RecordingRef
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError
from truyenthanh.keys import plain_key, sha256_file
from truyenthanh.resources import find_voice_file
from truyenthanh.speech.profiles import VoiceProfile

# Bump when synthesis joins, filters, levelling, padding or the entry format change:
# every segment (and so every programme) is rebuilt. 2: a sentence is encoded as its phrases;
# 3: filters, true peak and limiter computed by audio/dsp.py (agrees with scipy to ~1e-13).
SEGMENT_VERSION = 3
# Bump when the running order, pauses or assembly change.
RECIPE_VERSION = 2

CLOSING_TONE = "voices/idents/closing.wav"
_LOCAL = {"key": False}


def _identity(obj, top: bool = True) -> object:
    """JSON-able form of a recipe without its machine-local fields."""
    if isinstance(obj, VoiceProfile):
        return obj.as_dict()  # without the file it was read from
    if not top and isinstance(obj, SegmentSpec):
        # A part stands in a programme's or bulletin's key by its own key (hashed once per spec):
        # serialising every part's mastering, engines and voice again made a warm build's job
        # declaration cost more than its file checks.
        return obj.key
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: _identity(getattr(obj, f.name), False)
            for f in dataclasses.fields(obj)
            if f.metadata.get("key", True) and not _omitted(obj, f)
        }
    if isinstance(obj, (list, tuple)):
        return [_identity(v, False) for v in obj]
    if isinstance(obj, dict):
        return {str(k): _identity(v, False) for k, v in obj.items()}
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return obj


def _omitted(obj, f: dataclasses.Field) -> bool:
    """A field added later and left at its default stays out of the key (existing keys hold)."""
    return f.metadata.get("omit_default", False) and getattr(obj, f.name) == f.default


def recipe_key(kind: str, recipe) -> str:
    return plain_key(kind, _identity(recipe))  # what content_key(kind, _identity(recipe)) gives


@dataclass(frozen=True)
class Mastering:
    """What shapes a segment's sound after synthesis (a gap or slot change is not here)."""

    sample_rate: int
    bitrate_kbps: int
    highpass_hz: int | None
    loudness_lufs: float
    true_peak_dbtp: float
    encoder: str  # identity of the MP3 encoder: another lame may give other bytes
    version: int = SEGMENT_VERSION

    @classmethod
    def of(cls, settings: AudioSettings) -> Mastering:
        return cls(
            settings.sample_rate,
            settings.bitrate_kbps,
            settings.highpass_hz,
            settings.loudness_lufs,
            settings.true_peak_dbtp,
            mp3_codec_identity(),
        )


@dataclass(frozen=True)
class Engines:
    """The engines to try, in order (primary, then the fallback), with their cache identities."""

    names: tuple[str, ...]
    identities: tuple[str, ...]  # canonical JSON of each engine's cache_identity()


@dataclass(frozen=True)
class SoundRef:
    name: str  # ident | chime | closing
    sha256: str
    path: str = field(default="", metadata=_LOCAL)


@dataclass(frozen=True)
class SegmentSpec:
    """One piece of a programme, encoded once: a spoken sentence, a sound, a recording, or silence."""

    kind: str  # speech | sound | recording | silence
    mastering: Mastering
    text: str = ""  # speech: the sentence as spoken
    engines: Engines | None = None  # speech
    voice: VoiceProfile | None = field(
        default=None, metadata=_LOCAL
    )  # to build engines; identities are keyed
    sound: SoundRef | None = None
    frames: int = 0  # silence: length in MP3 frames
    recording: RecordingRef | None = field(
        default=None, metadata={"omit_default": True}
    )  # recording

    @cached_property  # a programme lists its specs many times
    def key(self) -> str:
        return _segment_key(self)

    @cached_property
    def pieces(self) -> tuple[SegmentSpec, ...]:
        """What is made and cached once: a spoken sentence longer than one phrase is its phrases
        (speech/phrases.py), each a segment of its own; anything else is itself.

        A commune's own sentence ("… của UBND xã {name} …") then shares every phrase but the
        one naming the commune with the other communes' sentences, and is levelled, encoded
        and measured phrase by phrase. Phrases were already synthesised one by one; the pause
        between two of them is now the silence a join carries (JOIN_SILENCE_S, ~0.23 s)
        instead of PAUSE_CLAUSE (0.2 s).
        """
        if self.kind != "speech":
            return (self,)
        phrases = _phrases(self.text)
        if len(phrases) <= 1:
            return (self,)
        return tuple(dataclasses.replace(self, text=phrase) for phrase in phrases)

    @property
    def label(self) -> str:
        """Vietnamese, for error messages."""
        if self.kind == "speech":
            return f"câu “{self.text[:60]}”"
        if self.kind == "recording":
            return f"tệp ghi âm “{self.recording.name if self.recording else ''}”"
        if self.kind == "sound":
            return _SOUND_VI.get(self.sound.name if self.sound else "", "âm thanh")
        return "khoảng lặng"


@lru_cache(maxsize=65536)
def _phrases(text: str) -> tuple[str, ...]:
    """A sentence's phrases; every job's recipe brings its own spec objects for the same few
    hundred sentences, and cutting them cost a daily bulletin more than joining its frames."""
    from truyenthanh.speech.phrases import MAX_CHARS, split_phrases

    return tuple(split_phrases(text, MAX_CHARS))


# Keys of equal specs made by different programmes and bulletins (each builds its own objects):
# a 150-commune week declares ~40,000 of them for a few hundred distinct segments, and hashing
# the frozen spec is far cheaper than serialising it.
_SEGMENT_KEYS: dict[SegmentSpec, str] = {}


def _segment_key(spec: SegmentSpec) -> str:
    found = _SEGMENT_KEYS.get(spec)
    if found is None:
        if len(_SEGMENT_KEYS) > 100_000:
            _SEGMENT_KEYS.clear()
        found = _SEGMENT_KEYS[spec] = recipe_key("segment", spec)
    return found


_SOUND_VI = {"ident": "tệp nhạc hiệu", "chime": "tệp chuông báo", "closing": "tệp nhạc kết"}


@dataclass(frozen=True)
class ProgrammeRecipe:
    request: ProgrammeRequest
    voice: VoiceProfile
    engines: Engines
    sounds: tuple[SoundRef, ...]
    closing_line: str
    settings: AudioSettings
    parts: tuple[SegmentSpec, ...]  # in playing order
    version: int = RECIPE_VERSION

    @property
    def key(self) -> str:
        return recipe_key("programme", self)


@dataclass(frozen=True)
class BulletinRecipe:
    area_name: str
    station: str
    week: str
    date: str
    titles: tuple[str, ...]  # of the programmes, in running order
    settings: AudioSettings
    parts: tuple[SegmentSpec, ...]
    version: int = RECIPE_VERSION

    @property
    def key(self) -> str:
        return recipe_key("bulletin", self)


# --- resolving once ------------------------------------------------------------------------------


def engines_for(settings: AudioSettings, engine: str, profile: VoiceProfile) -> Engines:
    from truyenthanh.speech.registry import engine_identity

    names = [engine]
    if (
        settings.on_engine_failure == "fallback"
        and settings.fallback_engine
        and settings.fallback_engine != engine
    ):
        names.append(settings.fallback_engine)
    ids = tuple(
        json.dumps(engine_identity(n, profile), sort_keys=True, ensure_ascii=False) for n in names
    )
    return Engines(tuple(names), ids)


def sound_files(settings: AudioSettings, project_root: Path | None) -> dict[str, Path | None]:
    """ident/chime as configured (missing = error), closing tone when present."""
    files: dict[str, Path | None] = {}
    for name, rel in (("ident", settings.ident), ("chime", settings.chime)):
        if not rel:
            files[name] = None
            continue
        path = find_voice_file(project_root, rel)
        if path is None:
            what = "nhạc hiệu" if name == "ident" else "tiếng chuông báo"
            raise AudioError(
                f"Không tìm thấy tệp {what} “{rel}” (trong dự án hay bộ giọng có sẵn). "
                f"Hãy đặt tệp WAV vào đó, chạy scripts/make-idents, hoặc sửa audio.{name} trong truyenthanh.yaml."
            )
        files[name] = path
    files["closing"] = find_voice_file(project_root, CLOSING_TONE)
    return files


def sound_refs(settings: AudioSettings, project_root: Path | None) -> tuple[SoundRef, ...]:
    """The sounds in use with their digests: a new ident rebuilds what plays it."""
    refs = []
    for name, path in sound_files(settings, project_root).items():
        if path is not None:
            refs.append(SoundRef(name, sha256_file(path) or "unreadable", str(path)))
    return tuple(refs)


def sound_digests(settings: AudioSettings, project_root: Path | None) -> dict[str, str | None]:
    found = {ref.name: ref.sha256 for ref in sound_refs(settings, project_root)}
    return {name: found.get(name) for name in ("ident", "chime", "closing")}
