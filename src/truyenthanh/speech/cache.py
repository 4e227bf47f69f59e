"""Content-addressed phrase cache: the same sentence is synthesised once for every area.

Key: sha256 over the engine's `cache_identity()` and the spoken phrase, so a
change of voice, rate or engine is a different key and nothing goes stale by
mtime. An entry is one file, `<root>/<k[:2]>/<k>.clip`, written atomically:

    TTCLIP1\\n
    {"format": "pcm_s16le"|"mp3", "sample_rate": 22050, "length": N, "sha256": "...", ...}\\n
    <N payload bytes>

A truncated, corrupt or mismatched entry is logged, discarded and synthesised
again — never a crash (DESIGN.md house style 7). Concurrent workers lock a
shard while they look up and synthesise, so two processes building different
areas do not both send the same sentence to the engine.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from truyenthanh.atomic import atomic_write_bytes
from truyenthanh.errors import EngineError
from truyenthanh.speech.base import AudioClip, SpeechEngine

try:
    import fcntl
except ImportError:  # pragma: no cover - not Linux
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

MAGIC = b"TTCLIP1\n"
SUFFIX = ".clip"


def cache_key(identity: dict, phrase: str) -> str:
    blob = json.dumps({"engine": identity, "phrase": phrase}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    lookups: int = 0  # phrases asked for
    hits: int = 0  # served from the cache
    engine_calls: int = 0  # sent to the engine
    rebuilt: int = 0  # corrupt entries discarded and synthesised again
    seconds_synthesis: float = 0.0


class PhraseCache:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.stats = CacheStats()

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{SUFFIX}"

    def get(self, identity: dict, phrase: str) -> AudioClip | None:
        """The cached clip, or None (missing or damaged: a damaged entry is removed)."""
        key = cache_key(identity, phrase)
        path = self.path_for(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("mục đệm giọng nói %s không đọc được (%s); đọc lại bằng bộ đọc", path, exc)
            return None
        clip = _decode(raw, key)
        if clip is None:
            log.warning("mục đệm giọng nói %s bị hỏng; đọc lại bằng bộ đọc", path)
            self.stats.rebuilt += 1
            with contextlib.suppress(OSError):
                path.unlink()
        return clip

    def put(self, identity: dict, phrase: str, clip: AudioClip) -> None:
        key = cache_key(identity, phrase)
        header = {
            "format": clip.format,
            "sample_rate": clip.sample_rate,
            "length": len(clip.data),
            "sha256": hashlib.sha256(clip.data).hexdigest(),
            "key": key,
            "engine": identity.get("engine"),
            "phrase": phrase,  # for humans poking at the cache
        }
        line = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
        atomic_write_bytes(self.path_for(key), MAGIC + line + clip.data)

    def fetch(self, engine: SpeechEngine, phrase: str) -> AudioClip:
        """The clip for `phrase` by `engine`, from the cache or synthesised (then stored)."""
        self.stats.lookups += 1
        identity = engine.cache_identity()
        clip = self.get(identity, phrase)
        if clip is not None:
            self.stats.hits += 1
            return clip
        key = cache_key(identity, phrase)
        with self._shard_lock(key):
            clip = self.get(identity, phrase)  # another worker may have made it meanwhile
            if clip is not None:
                self.stats.hits += 1
                return clip
            started = time.perf_counter()
            self.stats.engine_calls += 1
            try:
                clip = engine.synthesize(phrase)
            finally:
                self.stats.seconds_synthesis += time.perf_counter() - started
            if clip.empty:
                raise EngineError(
                    f"Bộ đọc {engine.name} không trả về âm thanh cho câu “{phrase[:60]}”. "
                    "Hãy chạy lại; nếu lỗi lặp lại, đổi bộ đọc."
                )
            self.put(identity, phrase, clip)
            return clip

    @contextlib.contextmanager
    def _shard_lock(self, key: str):
        if fcntl is None:  # pragma: no cover
            yield
            return
        lock_dir = self.root / "locks"
        try:
            lock_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_dir / f"{key[:2]}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            yield  # a read-only or odd filesystem: work without the lock
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _decode(raw: bytes, key: str) -> AudioClip | None:
    if not raw.startswith(MAGIC):
        return None
    end = raw.find(b"\n", len(MAGIC))
    if end < 0:
        return None
    try:
        header = json.loads(raw[len(MAGIC) : end].decode("utf-8"))
        payload = raw[end + 1 :]
        if header.get("key") != key or header.get("length") != len(payload) or not payload:
            return None
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            return None
        return AudioClip(payload, header["format"], int(header["sample_rate"]))
    except (ValueError, KeyError, TypeError):
        return None
