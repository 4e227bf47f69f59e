"""Cache entries a process has read and verified, remembered by file identity.

A worker assembles programme after programme (and muxes video after video) from
the same few dozen cache entries; reading, checksumming and unpacking each one
every time cost more than the assembly itself (sample, --jobs 1: 4,981 segment
loads, 5.3 s). An entry is remembered under (key, size, mtime): a file rewritten
or damaged since has another size or mtime and is read and checked again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class VerifiedLoads(Generic[T]):
    def __init__(self, load: Callable[[bytes, str], T], limit: int):
        self.load = load  # bytes, expected key -> entry; raises on damage or another key
        self.limit = limit
        self._seen: dict[tuple[str, int, int], T] = {}

    def get(self, path: Path | str, key: str) -> T:
        st = os.stat(path)
        ident = (key, st.st_size, st.st_mtime_ns)
        found = self._seen.get(ident)
        if found is None:
            with open(path, "rb") as fh:
                found = self.load(fh.read(), key)
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[ident] = found
        return found


@dataclass(frozen=True)
class CacheReads:
    """The cache entries a recipe reads, by path under `root` (OUT on the machine that planned
    the job). A local worker reads them in place; a remote one gets them shipped with the job
    (shipping.py), under its own sandbox's root."""

    root: str
    paths: tuple[str, ...]  # relative to root (layout.py)
