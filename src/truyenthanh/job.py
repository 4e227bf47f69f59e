"""A job: one declared artifact, the unit the stages hand to the builder.

A stage says *what* to build (path under OUT, kind, area, announcement), *under
which key* (a hash of exactly its inputs) and *from which recipe* (a pure,
picklable function and its arguments, or bytes already made). It never writes:
the builder runs the recipe where the executor decides, and alone publishes the
result, records the state and fills the run report (Lektor's declared artifacts).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from truyenthanh.errors import TruyenThanhError
from truyenthanh.keys import sha256_bytes

Unpack = Callable[[Any], tuple[bytes, dict]]


def made(fn: Callable[..., Any], unpack: Unpack, *args: Any) -> tuple[bytes, dict, str, float]:
    """Run a recipe where the executor put it and hand back what the builder publishes: the
    artifact's bytes, its metadata, their SHA-256, and the seconds it took there (the run
    report's `job_seconds`).

    Hashed here, on the worker: the main process publishes every file one after another, and
    hashing them all itself (9 GB for 150 communes) was the build's one serial bottleneck.
    The bytes reach the builder through the pool's pipe unchanged, so the digest is theirs.
    """
    started = time.perf_counter()
    data, meta = unpack(fn(*args))
    return data, meta, sha256_bytes(data), time.perf_counter() - started


def as_bytes(result: Any) -> tuple[bytes, dict]:
    """The default: a recipe returns the artifact's bytes and no metadata."""
    return result, {}


def with_meta(result: tuple[bytes, dict]) -> tuple[bytes, dict]:
    """For recipes that return (bytes, metadata for the report) themselves."""
    return result


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
