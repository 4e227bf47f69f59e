"""A job: one declared artifact, the unit the stages hand to the builder.

A stage says *what* to build (path under OUT, kind, area, announcement), *under
which key* (a hash of exactly its inputs) and *from which recipe* (a pure,
picklable function and its arguments, or bytes already made). It never writes:
the builder runs the recipe where the executor decides, and alone publishes the
result, records the state and fills the run report (Lektor's declared artifacts).
"""

from __future__ import annotations

import importlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from truyenthanh.atomic import Data, Staged, size_of, stage_bytes
from truyenthanh.errors import TruyenThanhError
from truyenthanh.keys import digests_while

Unpack = Callable[[Any], tuple[Data, dict]]  # the file (bytes or its Pieces), metadata
# The metadata key of a bundle member's CRC-32 (made): "_", so for this run's later stages only
# (a file reused from an earlier run has none, and its bundle computes it).
CRC32 = "_crc32"


def made(
    fn: Callable[..., Any],
    unpack: Unpack,
    target: str,
    crc: bool,
    again: str | None,
    *args: Any,
) -> tuple[Staged, dict, str, float]:
    """Run a recipe on a local worker and stage its file for the builder: the artifact written
    under a temporary name beside `target` (its final path), its metadata, the SHA-256 of its
    bytes, and the seconds it all took there (the run report's `job_seconds`). With `crc`, the
    metadata holds the bytes' CRC-32 too (`CRC32`: what a bundle's ZIP entry for the file
    needs).

    The builder then fsyncs it on a thread of its own (flow.Syncer), and only then renames and
    records it. Writing and hashing here, on every core, instead of in the builder one file
    after another (and without sending the bytes through the pool's pipe) took the main process
    off the critical path: a week of 150 communes publishes 9 GB. The fsync is not done here:
    it is mostly waiting for the disk, and a worker waiting is a core idle on two cores with
    two workers.

    `again`: what names the recipe, when other jobs of the run repeat it (see `Remembered`).
    """
    from truyenthanh.state import BuildState

    started = time.perf_counter()
    found = _remembered.get(again) if again else None
    data, meta = found if found is not None else unpack(fn(*args))
    if again and found is None:
        _remembered.put(again, data, meta)
    digest, checksum, staged = digests_while(
        data, lambda: stage_bytes(target, data, BuildState.stamp(), sync=False), crc
    )
    if checksum is not None:
        meta = {**meta, CRC32: checksum}
    return staged, meta, digest, time.perf_counter() - started


class Remembered:
    """What a worker process made for recipes that other jobs of the run repeat (the same key,
    function and arguments: flow._repeated), the most recently asked for last.

    An announcement whose text differs by area has a social card per area, but the card shows
    the title, dates and hotlines, which every area shares (150 areas: 300 cards, two distinct,
    0.13 s of drawing and PNG-encoding an area). Each worker makes such a file once and writes
    it again for the other paths. Bounded: what repeats is small (a card is ~130 kB).
    """

    MAX_BYTES = 32 << 20

    def __init__(self) -> None:
        self.made: OrderedDict[str, tuple[Data, dict]] = OrderedDict()
        self.bytes = 0

    def get(self, key: str) -> tuple[Data, dict] | None:
        found = self.made.get(key)
        if found is not None:
            self.made.move_to_end(key)
        return found

    def put(self, key: str, data: Data, meta: dict) -> None:
        if key in self.made or size_of(data) > self.MAX_BYTES:
            return
        self.made[key] = (data, meta)
        self.bytes += size_of(data)
        while self.bytes > self.MAX_BYTES:
            _, (old, _) = self.made.popitem(last=False)
            self.bytes -= size_of(old)


_remembered = Remembered()  # per worker process


def as_bytes(result: Any) -> tuple[bytes, dict]:
    """The default: a recipe returns the artifact's bytes and no metadata."""
    return result, {}


def with_meta(result: tuple[bytes, dict]) -> tuple[bytes, dict]:
    """For recipes that return (bytes, metadata for the report) themselves."""
    return result


@dataclass(frozen=True)
class Deferred:
    """A job's function named by its module: imported where the job runs, not where it is
    declared. The print layouts load reportlab (~50 ms); the main process, which only declares
    their jobs, never needs it (tests/spine/test_layers.py). Pickled by name."""

    module: str
    name: str

    @property
    def __name__(self) -> str:  # what a remote executor calls the job (shipping.py)
        return self.name

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args)


@dataclass(frozen=True)
class Job:
    kind: str  # run-report kind (domain.ARTIFACT_KINDS) or "segment" for cache entries
    path: str  # relative to OUT (layout.py)
    key: str  # content hash of exactly the inputs
    fn: Callable[..., Any] | None = None  # the recipe; None when `data` is given
    args: tuple = ()
    data: bytes | None = None  # made already in the main process (cheap texts)
    unpack: Unpack = as_bytes  # recipe result -> (bytes, metadata for the report)
    area: str | None = None
    announcement: str | None = None
    extra: dict = field(default_factory=dict)  # fields for the run report
    error: TruyenThanhError | None = None  # a job the stage knows cannot be built, with why
    internal: bool = False  # a cache entry: published and tracked, not listed in the run report
    # A later stage of this build reads the file (a bundle's member, the silent video that the
    # sound version is cut from): it stays in the page cache until its last reader, which names
    # it in `done_with`, is published. Every other published file joins the page-cache budget
    # as it is published (pagecache.py).
    read_back: bool = False
    # Files (paths relative to OUT) this job is the last reader of in the build.
    done_with: tuple[str, ...] = ()
    # The bundle stores the file as it is (an MP3): its CRC-32, which the ZIP entry needs, is
    # summed beside its write (made) instead of by every bundle reading it again.
    zip_member: bool = False

    @property
    def cached_until_read(self) -> bool:
        """Kept in the page cache past the budget: a cache entry (read by every build), or a
        file a later stage of this build reads."""
        return self.internal or self.read_back

    @classmethod
    def failed(
        cls,
        kind: str,
        path: str,
        error: TruyenThanhError,
        area: str | None = None,
        announcement: str | None = None,
    ) -> Job:
        """An artifact that cannot be made; the builder records the failure and goes on."""
        return cls(kind=kind, path=path, key="", area=area, announcement=announcement, error=error)

    def __repr__(self) -> str:  # args may hold megabytes
        return f"Job({self.kind} {self.path})"
