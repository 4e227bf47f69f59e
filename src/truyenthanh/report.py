"""The run report: OUT/runs/<run_id>.json and OUT/runs/latest.json (DESIGN.md contract)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from truyenthanh.atomic import atomic_write_text

RUNS_DIR = "runs"


PLANNED = "planned:"


@dataclass
class ArtifactRecord:
    kind: str
    path: str
    sha256: str  # or PLANNED + key: a dry run's plan (the file is not made, its digest unknown)
    area: str | None
    announcement: str | None
    built: bool
    extra: dict = field(default_factory=dict)

    @property
    def planned(self) -> bool:
        """A dry run's record of a file it would build: no digest, no metadata of the made file."""
        return self.sha256.startswith(PLANNED)

    def to_json(self) -> dict:
        data = {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "area": self.area,
            "announcement": self.announcement,
            "built": self.built,
        }
        # Extra fields are welcome in the contract; "_x" fields are for later stages only.
        data.update({k: v for k, v in self.extra.items() if not k.startswith("_")})
        return data

    @classmethod
    def from_json(cls, doc: dict) -> ArtifactRecord:
        extra = {k: v for k, v in doc.items() if k not in _ARTIFACT_FIELDS}
        return cls(
            doc["kind"],
            doc["path"],
            doc["sha256"],
            doc.get("area"),
            doc.get("announcement"),
            bool(doc.get("built")),
            extra,
        )


_ARTIFACT_FIELDS = ("kind", "path", "sha256", "area", "announcement", "built")


@dataclass
class RunReport:
    run_id: str
    started: str
    week: str
    engine: str
    finished: str | None = None
    status: str = "ok"
    artifacts: list[ArtifactRecord] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    stats: dict = field(
        default_factory=lambda: {"seconds": 0.0, "tts_requests": 0, "tts_cache_hits": 0}
    )
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, week: str, engine: str, timezone: str) -> RunReport:
        now = dt.datetime.now(ZoneInfo(timezone))
        run_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"
        return cls(
            run_id=run_id, started=now.isoformat(timespec="seconds"), week=week, engine=engine
        )

    @classmethod
    def from_json(cls, doc: dict) -> RunReport:
        """A report read back (OUT/runs/latest.json); `counts` is derived, not read."""
        return cls(
            run_id=doc["run_id"],
            started=doc["started"],
            week=doc["week"],
            engine=doc["engine"],
            finished=doc.get("finished"),
            status=doc.get("status", "ok"),
            artifacts=[ArtifactRecord.from_json(a) for a in doc.get("artifacts", [])],
            skipped=list(doc.get("skipped", [])),
            failures=list(doc.get("failures", [])),
            stats=dict(doc.get("stats", {})),
            notes=list(doc.get("notes", [])),
        )

    def fail(
        self, stage: str, error: str, announcement: str | None = None, area: str | None = None
    ) -> None:
        self.failures.append(
            {"announcement": announcement, "area": area, "stage": stage, "error": error}
        )

    def skip(self, announcement: str, reason: str, stage: str | None = None) -> None:
        entry = {"announcement": announcement, "reason": reason}
        if stage is not None:
            entry["stage"] = stage  # an extra field: "approval" for a refused approval
        self.skipped.append(entry)

    def finish(self, timezone: str, seconds: float) -> None:
        self.finished = dt.datetime.now(ZoneInfo(timezone)).isoformat(timespec="seconds")
        self.stats["seconds"] = round(seconds, 3)
        built_any = any(a.kind not in ("index",) for a in self.artifacts)
        if not self.failures:
            self.status = "ok"
        else:
            self.status = "partial" if built_any else "failed"

    def counts(self) -> dict[str, int]:
        """The one count of a run's files, shown alike by the CLI, the report and the page.

        The page (kind "index") is not counted: it is written after the report it
        shows, so counting it would make the page disagree with itself.
        """
        files = [a for a in self.artifacts if a.kind != "index"]
        return {
            "built": sum(1 for a in files if a.built),
            "reused": sum(1 for a in files if not a.built),
            "skipped": len(self.skipped),
            "failed": len(self.failures),
        }

    def to_json(self) -> dict:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "week": self.week,
            "engine": self.engine,
            "status": self.status,
            "artifacts": [a.to_json() for a in self.artifacts],
            "skipped": self.skipped,
            "failures": self.failures,
            "stats": self.stats,
            "counts": self.counts(),
            "notes": self.notes,
        }

    def write(self, out: Path) -> Path:
        text = _readable(self.to_json())
        path = out / RUNS_DIR / f"{self.run_id}.json"
        atomic_write_text(path, text)
        atomic_write_text(out / RUNS_DIR / "latest.json", text)
        return path

    def summary_vi(self) -> str:
        c = self.counts()
        status = {"ok": "thành công", "partial": "có lỗi một phần", "failed": "thất bại"}[
            self.status
        ]
        return (
            f"Tuần {self.week}: {status}. Đã dựng {c['built']}, dùng lại {c['reused']}, "
            f"bỏ qua {c['skipped']}, lỗi {c['failed']} — {self.stats['seconds']:.1f} giây, "
            f"{self.stats['tts_requests']} lượt tổng hợp giọng nói, {self.stats['tts_cache_hits']} lượt dùng lại bộ nhớ đệm."
        )


def _readable(doc: dict) -> str:
    """JSON with one top-level field per line and one artifact, skip or failure per line:
    as easy to read as `indent=2`, without its pure-Python encoder (a national week's report
    lists tens of thousands of files; indent=2 took 0.2 s for the sample's 600)."""

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {dump(v)}" for v in value)
            lines.append(f"  {dump(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
