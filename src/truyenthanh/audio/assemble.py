"""Assembly: a list of segments -> one tagged MP3, its loudness computed from the parts.

Generic on purpose: a programme, a weekly bulletin or a daily one is just a
sequence of segment specs. The frames are concatenated as they are (no decode,
no re-encode); the integrated loudness and the true peak come from the
segments' stored measurements (exact, see audio/segments.py). Only when that
computed loudness misses the target by more than LUFS_TOLERANCE, or the peak
is over the ceiling, is the whole sequence decoded and mastered as one
(`audio/master.py`), and the result says so (`loudness: "mastered_whole"`).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from truyenthanh.atomic import Pieces
from truyenthanh.audio.codec import decode_mp3
from truyenthanh.audio.frames import audio_frames, frame_count, frame_samples, stream_format
from truyenthanh.audio.loudness import gated_sequence
from truyenthanh.audio.master import master
from truyenthanh.audio.model import AudioResult, ProgrammeRequest
from truyenthanh.audio.programme import check_request, programme_recipe, programme_tags
from truyenthanh.audio.recipe import SegmentSpec, sound_refs
from truyenthanh.audio.segments import (
    Segment,
    joined,
    load_segment,
    make_segment,
)
from truyenthanh.audio.tags import Tags, id3_tag, tag_mp3
from truyenthanh.audio.xing import info_frame
from truyenthanh.config import AudioSettings
from truyenthanh.entries import VerifiedLoads
from truyenthanh.errors import AudioError
from truyenthanh.speech.profiles import load_voice_profile

log = logging.getLogger(__name__)

LUFS_TOLERANCE = 0.3  # computed programme loudness vs target before the whole is re-mastered


@dataclass
class Assembled:
    # The file as its pieces (ID3 tag, Info frame, each segment's frames): written and hashed
    # in order, never joined (atomic.Pieces); `mp3` joins them for whoever wants one buffer.
    audio: Pieces
    duration_s: float
    lufs: float
    true_peak_dbtp: float
    loudness: str  # "computed" | "mastered_whole"
    engines: list[str]
    segments: int
    rebuilt: int  # segment entries missing or damaged, made again here
    seconds: float
    tts_requests: int = 0  # of segments made here (none when the cache had them all)
    tts_cache_hits: int = 0
    seconds_synthesis: float = 0.0
    joins: list[int] = field(default_factory=list)  # sample offsets where segments meet (decoded)

    @property
    def mp3(self) -> bytes:
        return bytes(self.audio)


class SegmentSource:
    """Where an assembler gets segment entries: the local cache directory for now.

    A remote worker will get the entries' bytes shipped with the job instead;
    everything then goes through `load_segment(bytes)`. A missing or damaged
    entry is made again in-process (never a crash); only the builder writes the
    cache, so it is not stored here.
    """

    def __init__(
        self, root: Path | str | None, speech_cache: Path | str, store: dict | None = None
    ):
        self.root = Path(root) if root is not None else None
        self.speech_cache = speech_cache
        self.store = store if store is not None else {}
        self.rebuilt = 0
        self.tts_requests = self.tts_cache_hits = 0
        self.seconds_synthesis = 0.0

    def path(self, key: str) -> str | None:
        return None if self.root is None else _entry_path(str(self.root), key)

    def get(self, spec: SegmentSpec) -> Segment:
        """The segment of a part: a sentence made of phrases is its phrases played back to back."""
        key = spec.key
        if key in self.store:
            return self.store[key]
        pieces = _PIECES.get(key)
        if pieces is None:  # every job brings its own spec objects: cut each sentence once here
            if len(_PIECES) >= _JOINED_LIMIT:
                _PIECES.clear()
            pieces = _PIECES[key] = spec.pieces
        if len(pieces) == 1:
            return self._entry(spec)
        parts = tuple(self._entry(p) for p in pieces)
        known = _JOINED.get(key)
        if known is not None and all(a is b for a, b in zip(known[0], parts)):
            seg = known[1]
        else:
            seg = joined(key, list(parts))
            if len(_JOINED) >= _JOINED_LIMIT:
                _JOINED.clear()
            _JOINED[key] = (parts, seg)
        self.store[key] = seg
        return seg

    def _entry(self, spec: SegmentSpec) -> Segment:
        """One segment entry: from the store, the cache, or made here."""
        key = spec.key
        if key in self.store:
            return self.store[key]
        path = self.path(key)
        seg = None
        if path is not None:
            try:
                seg = _LOADED.get(path, key)
            except (OSError, AudioError) as exc:
                log.info("segment %s unusable (%s); making it again", key[:12], exc)
        if seg is None:
            self.rebuilt += 1
            made = make_segment(spec, self.speech_cache)
            self.tts_requests += made.tts_requests
            self.tts_cache_hits += made.tts_cache_hits
            self.seconds_synthesis += made.seconds_synthesis
            seg = made.segment
        self.store[key] = seg
        return seg


@lru_cache(maxsize=16384)
def _entry_path(root: str, key: str) -> str:
    # A bulletin looks ~100 entries up: building each path again was most of the lookup.
    from truyenthanh.layout import segment_path

    return os.path.join(root, segment_path(key))


# Segment entries this process has read and verified (entries.py).
_LOADED: VerifiedLoads[Segment] = VerifiedLoads(load_segment, 4096)
# Sentences this process has joined from their phrases, with the very phrase entries joined:
# a day's bulletin repeats every programme's sentences. The phrases are still fetched (a
# damaged entry is still found and made again); only the join is not done twice.
_JOINED: dict[str, tuple[tuple[Segment, ...], Segment]] = {}
_JOINED_LIMIT = 4096
# A sentence's phrase specs (keys computed) by the sentence's key: equal keys, equal phrases.
_PIECES: dict[str, tuple[SegmentSpec, ...]] = {}


def measure_parts(parts: Sequence[Segment]) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the concatenation, from the stored measurements."""
    rate, chunk = parts[0].rate, parts[0].chunk
    lufs = gated_sequence([p.cumulative_energy for p in parts], rate, chunk)
    tp = max(p.true_peak_dbtp for p in parts)
    return lufs, tp


def assemble(
    specs: Sequence[SegmentSpec],
    source: SegmentSource,
    settings: AudioSettings,
    tags: Tags,
    what: str,
) -> Assembled:
    """The MP3 of `specs` in order: frames joined, Info frame, ID3 tags; loudness from the parts."""
    if not specs:
        raise AudioError(f"{what}: không có đoạn âm thanh nào để ghép.")
    started = time.perf_counter()
    before = source.rebuilt
    tts_before = (source.tts_requests, source.tts_cache_hits, source.seconds_synthesis)
    parts = [source.get(s) for s in specs]
    rate, spf = settings.sample_rate, frame_samples(settings.sample_rate)
    if any(p.rate != rate for p in parts):
        raise AudioError(f"{what}: các đoạn âm thanh không cùng tần số lấy mẫu.")
    # A daily bulletin's 3 MB were copied three times here (frames joined, the Info frame put
    # before them, the tag before that): ~5 ms of its ~12; the pieces are written as they are.
    pieces = [p.mp3 for p in parts if p.mp3]
    size, frames = sum(map(len, pieces)), sum(p.frames for p in parts)
    if not pieces:
        raise AudioError(f"{what}: không có khung MP3 nào để ghép.")
    fmt = stream_format(pieces[0])
    lufs, tp = measure_parts(parts)
    engines = list(dict.fromkeys(p.engine for p in parts if p.engine))
    joins, offset = [], 0
    for p in parts[:-1]:
        offset += p.samples
        joins.append(offset)
    target, ceiling = settings.loudness_lufs, settings.true_peak_dbtp
    if abs(lufs - target) <= LUFS_TOLERANCE and tp <= ceiling:
        info = info_frame(pieces[0][:4], fmt, settings.bitrate_kbps, frames, size)
        return Assembled(
            Pieces((id3_tag(tags), info, *pieces)),
            frames * spf / rate,
            lufs,
            tp,
            "computed",
            engines,
            len(parts),
            source.rebuilt - before,
            time.perf_counter() - started,
            *_tts_since(source, tts_before),
            joins,
        )
    log.info("%s: computed %.2f LUFS / %.2f dBTP off target; mastering the whole", what, lufs, tp)
    decoded, _ = decode_mp3(b"".join(pieces), what)
    done = master(decoded, settings, Tags("", "", "", "", ""))
    body, _fmt = audio_frames(done.mp3, what)
    count = frame_count(body)
    mp3 = info_frame(body[:4], _fmt, settings.bitrate_kbps, count, len(body)) + body
    return Assembled(
        Pieces((tag_mp3(mp3, tags),)),
        count * spf / rate,
        done.lufs,
        done.true_peak_dbtp,
        "mastered_whole",
        engines,
        len(parts),
        source.rebuilt - before,
        time.perf_counter() - started,
        *_tts_since(source, tts_before),
    )


def _tts_since(source: SegmentSource, before: tuple[int, int, float]) -> tuple[int, int, float]:
    return (
        source.tts_requests - before[0],
        source.tts_cache_hits - before[1],
        source.seconds_synthesis - before[2],
    )


# --- the whole path in one process -----------------------------------------------------------


def result_of(done: Assembled) -> AudioResult:
    return AudioResult(
        mp3=done.mp3,
        duration_s=done.duration_s,
        engine="+".join(done.engines),
        tts_requests=done.tts_requests,
        tts_cache_hits=done.tts_cache_hits,
        lufs=round(done.lufs, 2),
        true_peak_dbtp=round(done.true_peak_dbtp, 2),
        seconds_synthesis=done.seconds_synthesis,
        seconds_encoding=done.seconds,
        loudness=done.loudness,
        engines=tuple(done.engines),
        segments=done.segments,
        segments_rebuilt=done.rebuilt,
    )


def build_programme(
    req: ProgrammeRequest,
    settings: AudioSettings,
    voice: str,
    engine: str,
    project_root: Path,
    cache_dir: Path | None,
) -> AudioResult:
    """The whole path in one process (tests, scripts): recipe, segments, assembly.

    Segments are kept in memory for this call only; the build stages cache them
    instead (stages/segments.py) and programmes there are pure assembly.
    """
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="truyenthanh-speech-") as tmp:
            return build_programme(req, settings, voice, engine, project_root, Path(tmp))
    check_request(req)
    profile = load_voice_profile(voice, project_root)
    recipe = programme_recipe(req, settings, profile, engine, sound_refs(settings, project_root))
    source = SegmentSource(None, cache_dir)
    done = assemble(
        recipe.parts, source, settings, programme_tags(req), f"chương trình “{req.title}”"
    )
    return result_of(done)
