"""Build state: which key produced which published file.

One small JSON record per artifact under OUT/.state/, each written atomically
right after its artifact, so a build killed at any moment loses at most the
record of the file it was writing (which is then simply rebuilt next time).
An artifact is current when its record's key matches and the file on disk still
has the recorded SHA-256 (a damaged or replaced file is rebuilt).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from truyenthanh.atomic import atomic_write_text
from truyenthanh.keys import sha256_file

STATE_DIR = ".state"


@dataclass(frozen=True)
class Entry:
    path: str
    key: str
    sha256: str
    meta: dict


class BuildState:
    def __init__(self, out: Path):
        self.out = out
        self.dir = out / STATE_DIR / "artifacts"

    def _record_path(self, rel: str) -> Path:
        name = hashlib.sha1(rel.encode("utf-8")).hexdigest()
        return self.dir / name[:2] / f"{name}.json"

    def get(self, rel: str) -> Entry | None:
        try:
            raw = json.loads(self._record_path(rel).read_text(encoding="utf-8"))
            return Entry(raw["path"], raw["key"], raw["sha256"], raw.get("meta", {}))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged record means "rebuild", never a crash

    def current(self, rel: str, key: str) -> Entry | None:
        entry = self.get(rel)
        if entry is None or entry.key != key:
            return None
        if sha256_file(self.out / rel) != entry.sha256:
            return None
        return entry

    def why_stale(self, rel: str, key: str) -> str:
        entry = self.get(rel)
        if entry is None:
            return "mới" if not (self.out / rel).exists() else "chưa có trạng thái"
        if entry.key != key:
            return "đầu vào thay đổi"
        return "tệp đầu ra bị thiếu hoặc hỏng"

    @contextlib.contextmanager
    def batch(self):
        yield

    def close(self) -> None:
        pass

    def record(self, rel: str, key: str, sha256: str, meta: dict | None = None) -> None:
        payload = {"path": rel, "key": key, "sha256": sha256, "meta": meta or {}}
        atomic_write_text(self._record_path(rel), json.dumps(payload, ensure_ascii=False))
