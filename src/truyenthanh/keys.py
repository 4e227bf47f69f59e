"""Content keys: every artifact's key is a hash of exactly its inputs and config slice.

Never mtimes (DESIGN.md house style 7). Pydantic models, dataclasses, dates and
paths are turned into canonical JSON first so the key is stable across runs and
machines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import truyenthanh
from truyenthanh.atomic import Data, Pieces, size_of

T = TypeVar("T")
# Below this a thread costs more than the hash it would hide (~0.1 ms against ~0.75 ms a MB).
HASH_ON_THREAD_MIN = 1 << 20


def _canonical(value: Any) -> Any:
    # A pydantic model exists only once pydantic is imported: asking sys.modules keeps pydantic's
    # ~60 ms of imports out of the runs that hash no settings (a warm run, uptodate.py).
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def content_key(kind: str, *parts: Any) -> str:
    return _key(kind, _canonical(list(parts)))


def plain_key(kind: str, plain: Any) -> str:
    """`content_key(kind, plain)` for a value that is canonical JSON already (dicts with string
    keys, lists, strings, numbers, booleans, None: what a recipe's identity is), without walking
    it again in Python: that walk was half of declaring a week's recipes. Anything else in it
    (a date, a path, a model) takes the full walk, so the key is the same either way."""
    try:
        return _key(kind, [plain], _not_plain)
    except TypeError:
        return content_key(kind, plain)


def _not_plain(value: Any) -> Any:
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def _key(kind: str, parts: list, default: Callable[[Any], Any] | None = None) -> str:
    payload = json.dumps(
        {"kind": kind, "version": truyenthanh.__version__, "parts": parts},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=default,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sha256_bytes(data: Data) -> str:
    """Of bytes, or of the concatenation of a file's `atomic.Pieces`."""
    if isinstance(data, Pieces):
        digest = hashlib.sha256()
        for piece in data:
            digest.update(piece)
        return digest.hexdigest()
    return hashlib.sha256(data).hexdigest()


def digests_while(
    data: Data, work: Callable[[], T], crc: bool = False
) -> tuple[str, int | None, T]:
    """`sha256_bytes(data)` (and with `crc` the bytes' CRC-32) and `work()` (writing those bytes)
    at the same time: the digests on a thread (hashlib and zlib let go of the GIL), `work` here.
    The hash of a 27 MB bundle (~15 ms) or a 3 MB bulletin (~2 ms) then overlaps its write
    (~7 ms, ~1 ms) instead of following it; the builder fsyncs the file afterwards, on its own
    threads (flow.Syncer). The CRC is what a bundle's ZIP entry needs for a programme or a
    bulletin: summed here, it spared every bundle ~10 ms of reading 27 MB again for it."""
    if size_of(data) < HASH_ON_THREAD_MIN:
        return (*_digests(data, crc), work())
    digests = _hasher().submit(_digests, data, crc)
    try:
        result = work()
    finally:
        wait([digests])
    return (*digests.result(), result)


def _digests(data: Data, crc: bool) -> tuple[str, int | None]:
    return sha256_bytes(data), crc32_bytes(data) if crc else None


def crc32_bytes(data: Data) -> int:
    """CRC-32 (ZIP's) of bytes, or of the concatenation of a file's `atomic.Pieces`."""
    if isinstance(data, Pieces):
        value = 0
        for piece in data:
            value = zlib.crc32(piece, value)
        return value
    return zlib.crc32(data)


@lru_cache(maxsize=1)
def _hasher() -> ThreadPoolExecutor:
    # One thread for the process's life: starting one per file made the caller wait for it to
    # be scheduled (~1 ms a file on two busy cores).
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")


def sha256_file(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None
