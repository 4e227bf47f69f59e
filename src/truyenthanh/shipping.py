"""What crosses the network to a remote worker, and back (workers share no file system).

A local job reads two directories of this machine by path: OUT (the segment
cache under `OUT/.cache/segments`, read by programme and bulletin assembly)
and the phrase cache (read and filled by segment jobs). For a remote executor
every job is packed into a `Parcel` here, in the main process:

* the arguments naming those directories are replaced by placeholders (`Root`);
* the entries the job will read go with it as bytes: a recipe's segment
  entries (anything with `parts`, a tuple of SegmentSpec), the cache entries a
  `CacheReads` argument names (a video's slide GOPs), a speech segment's
  phrase-cache entries (for each engine it may use), a sound segment's sound file.

On the worker `open_parcel` lays those bytes out in a private temporary
sandbox, swaps the placeholders for the sandbox's directories and calls the
very same recipe function a local build calls (so the output is identical by
construction). It returns the result and every phrase-cache entry the job
made; `ShippingExecutor` writes those into this machine's phrase cache. The
builder publishes the result itself, as for any executor: the main process
alone writes OUT and the caches.

A job whose arguments still name a file under OUT or the caches after packing
(a bundle zips the published MP3s) runs here, in the main process: shipping
the files out and the ZIP back would cost more than zipping them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import pickle
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from truyenthanh.atomic import atomic_write_bytes
from truyenthanh.entries import CacheReads

log = logging.getLogger(__name__)

OUT, PHRASES, SOUNDS = "out", "phrases", "sounds"  # the sandbox's directories


@dataclass(frozen=True)
class Root:
    """Placeholder for one of this machine's directories in a shipped job's arguments."""

    name: str  # OUT | PHRASES


@dataclass
class Parcel:
    fn: Callable[..., Any]
    args: tuple
    files: dict[str, bytes]  # path relative to the sandbox -> bytes


@dataclass
class Delivery:
    result: Any
    files: dict[str, bytes]  # new phrase-cache entries, relative to the sandbox
    seconds: float  # spent in the recipe on the worker
    result_bytes: int  # pickled size of what went back


# --- the worker side -----------------------------------------------------------------------------


def open_parcel(parcel: Parcel) -> Delivery:
    """Run a shipped job in a private sandbox (the top-level function Dask pickles by reference)."""
    with tempfile.TemporaryDirectory(prefix="truyenthanh-job-") as tmp:
        box = Path(tmp)
        for rel, data in parcel.files.items():
            target = box / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (box / OUT).mkdir(exist_ok=True)
        (box / PHRASES).mkdir(exist_ok=True)
        args = tuple(_unpack_arg(a, box) for a in parcel.args)
        started = time.perf_counter()
        result = parcel.fn(*args)
        seconds = time.perf_counter() - started
        made = {
            p.relative_to(box).as_posix(): p.read_bytes()
            for p in (box / PHRASES).rglob("*.clip")
            if p.relative_to(box).as_posix() not in parcel.files
        }
    size = len(pickle.dumps(result, protocol=5)) + sum(len(b) for b in made.values())
    return Delivery(result, made, seconds, size)


def _unpack_arg(arg: Any, box: Path) -> Any:
    if isinstance(arg, Root):
        return str(box / arg.name)
    if isinstance(arg, CacheReads) and isinstance(arg.root, Root):
        return dataclasses.replace(arg, root=str(box / arg.root.name))
    sound = getattr(arg, "sound", None)
    if sound is not None and sound.path.startswith(f"{SOUNDS}/"):
        return dataclasses.replace(
            arg, sound=dataclasses.replace(sound, path=str(box / sound.path))
        )
    return arg


# --- the main side -------------------------------------------------------------------------------


class Packer:
    """Packs jobs for a worker without this machine's files; reads from OUT and the phrase cache."""

    def __init__(self, out: Path, speech_cache: Path):
        self.out, self.speech_cache = Path(out), Path(speech_cache)
        self.roots = {str(self.out): Root(OUT), str(self.speech_cache): Root(PHRASES)}

    def pack(self, fn: Callable[..., Any], args: tuple) -> Parcel | None:
        """The parcel of `fn(*args)`, or None when the job must run here (it reads published files)."""
        files: dict[str, bytes] = {}
        packed = tuple(self._pack_arg(a, files) for a in args)
        if self._names_local(packed, set()):
            return None
        return Parcel(fn, packed, files)

    def _pack_arg(self, arg: Any, files: dict[str, bytes]) -> Any:
        if isinstance(arg, (str, Path)) and str(arg) in self.roots:
            return self.roots[str(arg)]
        if isinstance(arg, CacheReads) and arg.root == str(self.out):
            for rel in arg.paths:
                data = _read(self.out / rel)
                if data is not None:  # a missing entry is made again on the worker
                    files[f"{OUT}/{rel}"] = data
            return dataclasses.replace(arg, root=Root(OUT))
        parts = getattr(arg, "parts", None)
        if isinstance(parts, tuple) and parts and all(hasattr(p, "mastering") for p in parts):
            self._segment_entries(parts, files)
        if hasattr(arg, "mastering") and getattr(arg, "kind", None) in ("speech", "sound"):
            return self._segment_inputs(arg, files)
        return arg

    def _segment_entries(self, specs, files: dict[str, bytes]) -> None:
        from truyenthanh.layout import segment_path

        for key in dict.fromkeys(p.key for s in specs for p in s.pieces):
            rel = segment_path(key)
            data = _read(self.out / rel)
            if data is not None:  # a missing entry is made again on the worker, as it would be here
                files[f"{OUT}/{rel}"] = data

    def _segment_inputs(self, spec, files: dict[str, bytes]):
        """What a segment job reads: its phrases from the phrase cache, or its sound file."""
        if spec.kind == "sound":
            if spec.sound is None or not spec.sound.path:
                return spec  # the worker reports the missing file, as a local run would
            data = _read(Path(spec.sound.path))
            if data is None:
                return spec
            rel = f"{SOUNDS}/{spec.sound.sha256}{Path(spec.sound.path).suffix}"
            files[rel] = data
            return dataclasses.replace(spec, sound=dataclasses.replace(spec.sound, path=rel))
        from truyenthanh.speech.cache import PhraseCache, cache_key
        from truyenthanh.speech.phrases import MAX_CHARS, split_phrases

        cache = PhraseCache(self.speech_cache)
        phrases = split_phrases(spec.text, MAX_CHARS)
        for identity in spec.engines.identities if spec.engines else ():
            for phrase in phrases:
                path = cache.path_for(cache_key(json.loads(identity), phrase))
                data = _read(path)
                if data is not None:
                    files[f"{PHRASES}/{path.relative_to(self.speech_cache).as_posix()}"] = data
        return spec

    def _names_local(self, obj: Any, seen: set[int]) -> bool:
        """True when `obj` still names a file under OUT or the phrase cache (walks containers and dataclasses)."""
        if isinstance(obj, (str, Path)):
            text = str(obj)
            return any(
                text == root or text.startswith(root.rstrip("/") + "/") for root in self.roots
            )
        if isinstance(obj, (bytes, int, float, bool, Root)) or obj is None or id(obj) in seen:
            return False
        seen.add(id(obj))
        if isinstance(obj, (list, tuple, set, frozenset)):
            return any(self._names_local(v, seen) for v in obj)
        if isinstance(obj, dict):
            return any(self._names_local(v, seen) for v in obj.values())
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return any(
                self._names_local(getattr(obj, f.name), seen) for f in dataclasses.fields(obj)
            )
        return False  # config models and the like name no output files

    def receive(self, delivery: Delivery) -> Any:
        """Write the phrase-cache entries the worker made, and give back the job's result."""
        for rel, data in delivery.files.items():
            target = self.speech_cache / Path(rel).relative_to(PHRASES)
            if not target.exists():  # content-addressed: an existing entry is the same bytes
                atomic_write_bytes(target, data)
        return delivery.result


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass
class KindStats:
    jobs: int = 0
    here: int = 0  # ran in the main process (read published files)
    bytes_shipped: int = 0  # pickled parcels sent to workers
    files_shipped: int = 0
    bytes_returned: int = 0
    seconds_worker: float = 0.0


@dataclass
class ShippingStats:
    by_kind: dict[str, KindStats] = field(default_factory=lambda: defaultdict(KindStats))

    def as_dict(self) -> dict:
        out = {}
        for kind, s in sorted(self.by_kind.items()):
            shipped = max(1, s.jobs - s.here)
            out[kind] = {
                **dataclasses.asdict(s),
                "seconds_worker": round(s.seconds_worker, 3),
                "bytes_shipped_per_job": round(s.bytes_shipped / shipped),
                "bytes_returned_per_job": round(s.bytes_returned / shipped),
            }
        return out


class ShippingExecutor:
    """Wraps a remote executor: packs each job, unpacks each delivery (see the module docstring)."""

    remote = True

    def __init__(self, inner, out: Path, speech_cache: Path):
        self.inner = inner
        self.name = inner.name
        self.packer = Packer(out, speech_cache)
        self.stats = ShippingStats()

    def submit(self, fn: Callable[..., Any], *args: Any) -> _Shipped | _Here:
        kind = getattr(fn, "__name__", "job")
        s = self.stats.by_kind[kind]
        s.jobs += 1
        parcel = self.packer.pack(fn, args)
        if parcel is None:
            s.here += 1
            return _Here(fn, args)
        s.bytes_shipped += len(pickle.dumps(parcel, protocol=5))
        s.files_shipped += len(parcel.files)
        return _Shipped(self, kind, self.inner.submit(open_parcel, parcel))

    @property
    def workers(self) -> int:
        return getattr(self.inner, "workers", 0)

    def summary(self) -> dict:
        return {"executor": self.name, "jobs": self.stats.as_dict()}

    def shutdown(self) -> None:
        self.inner.shutdown()


class _Shipped:
    def __init__(self, owner: ShippingExecutor, kind: str, future):
        self.owner, self.kind, self.future = owner, kind, future

    def result(self) -> Any:
        delivery: Delivery = self.future.result()
        s = self.owner.stats.by_kind[self.kind]
        s.bytes_returned += delivery.result_bytes
        s.seconds_worker += delivery.seconds
        return self.owner.packer.receive(delivery)


class _Here:
    """Runs in the main process when the builder asks for the result, after the remote jobs are sent."""

    def __init__(self, fn: Callable[..., Any], args: tuple):
        self.fn, self.args = fn, args

    def result(self) -> Any:
        return self.fn(*self.args)
