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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from truyenthanh.atomic import Data, Staged, stage_bytes
from truyenthanh.errors import TruyenThanhError
from truyenthanh.keys import digests_while

Unpack = Callable[[Any], tuple[Data, dict]]  # the file (bytes or its Pieces), metadata
# The metadata key of a bundle member's CRC-32 (made): "_", so for this run's later stages only
# (a file reused from an earlier run has none, and its bundle computes it).
CRC32 = "_crc32"


def made(
    fn: Callable[..., Any], unpack: Unpack, target: str, keep_cached: bool, crc: bool, *args: Any
) -> tuple[Staged, dict, str, float]:
    """Run a recipe on a local worker and stage its file for the builder: the artifact written
    and fsynced under a temporary name beside `target` (its final path), its metadata, the
    SHA-256 of its bytes, and the seconds it all took there (the run report's `job_seconds`).
    With `crc`, the metadata holds the bytes' CRC-32 too (`CRC32`: what a bundle's ZIP entry
    for the file needs).

    The builder then only renames and records it. Writing, fsyncing and hashing here, on
    every core, instead of in the builder one file after another (and without sending the
    bytes through the pool's pipe) took the main process off the critical path: a week of 150
    communes publishes 9 GB.
    """
    from truyenthanh.state import BuildState

    started = time.perf_counter()
    data, meta = unpack(fn(*args))
    digest, checksum, staged = digests_while(
        data, lambda: stage_bytes(target, data, BuildState.stamp(), keep_cached), crc
    )
    if checksum is not None:
        meta = {**meta, CRC32: checksum}
    return staged, meta, digest, time.perf_counter() - started


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
    # sound version is cut from): it stays in the page cache. Every other published file is
    # released from it once durable (atomic.release_pages).
    read_back: bool = False
    # The bundle stores the file as it is (an MP3): its CRC-32, which the ZIP entry needs, is
    # summed beside its write (made) instead of by every bundle reading it again.
    zip_member: bool = False

    @property
    def keep_cached(self) -> bool:
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
