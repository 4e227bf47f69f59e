"""The approvals ledger: `approvals.jsonl` in the project, append-only.

One JSON record per line: announcement id, SHA-256 of the announcement's canonical
content, approver, timestamp. A build takes an announcement only if the ledger
approves its *current* content; the latest approval of an id is the one that counts.
Records are appended under an exclusive lock and fsynced, never rewritten.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from truyenthanh.announcement import Announcement
from truyenthanh.errors import ApprovalError, Problem

LEDGER_NAME = "approvals.jsonl"


@dataclass(frozen=True)
class Approval:
    announcement: str
    sha256: str
    by: str
    at: str  # ISO 8601 with offset

    @property
    def at_vi(self) -> str:
        try:
            return dt.datetime.fromisoformat(self.at).strftime("%H:%M ngày %d/%m/%Y")
        except ValueError:
            return self.at


@dataclass(frozen=True)
class Verdict:
    approved: bool
    approval: Approval | None
    reason: str | None  # Vietnamese, when not approved
    tampered: bool = False


class Ledger:
    def __init__(self, records: list[Approval]):
        self.records = records

    @classmethod
    def load(cls, project_root: Path) -> tuple["Ledger", list[Problem]]:
        path = project_root / LEDGER_NAME
        if not path.exists():
            return cls([]), []
        records, problems = [], []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                records.append(Approval(raw["announcement"], raw["sha256"], raw["by"], raw["at"]))
            except (json.JSONDecodeError, KeyError, TypeError):
                problems.append(Problem(LEDGER_NAME, "bản ghi phê duyệt hỏng, bị bỏ qua", n))
        return cls(records), problems

    def latest(self, announcement_id: str) -> Approval | None:
        found = [r for r in self.records if r.announcement == announcement_id]
        return found[-1] if found else None

    def for_content(self, announcement_id: str, sha256: str) -> Approval | None:
        found = [r for r in self.records if r.announcement == announcement_id and r.sha256 == sha256]
        return found[-1] if found else None

    def verdict(self, ann: Announcement) -> Verdict:
        current = ann.content_sha256
        match = self.for_content(ann.id, current)
        if match:
            return Verdict(True, match, None)
        old = self.latest(ann.id)
        if old is None:
            return Verdict(
                False,
                None,
                f"Thông báo “{ann.id}” chưa được phê duyệt; chạy: truyenthanh approve {ann.id} --by \"Họ tên\"",
            )
        return Verdict(
            False,
            old,
            f"Thông báo “{ann.id}” đã bị sửa sau khi được {old.by} phê duyệt lúc {old.at_vi}; "
            "nội dung hiện tại chưa được phê duyệt nên không được phát. Cần phê duyệt lại.",
            tampered=True,
        )


def append_approval(project_root: Path, ann: Announcement, by: str, timezone: str) -> Approval:
    by = by.strip()
    if not by:
        raise ApprovalError("Cần ghi tên người phê duyệt (--by).")
    record = Approval(
        announcement=ann.id,
        sha256=ann.content_sha256,
        by=by,
        at=dt.datetime.now(ZoneInfo(timezone)).isoformat(timespec="seconds"),
    )
    line = json.dumps(record.__dict__, ensure_ascii=False) + "\n"
    path = project_root / LEDGER_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ApprovalError(f"Không ghi được sổ phê duyệt {path}: {exc.strerror}.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return record
