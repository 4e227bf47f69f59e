"""The approvals ledger: `approvals.jsonl` in the project, append-only, signed.

One JSON record per line: announcement id, SHA-256 of the announcement's canonical
content, approver's name ("by"), timestamp, and — in a signed ledger — the
approver's public key ("key") and the Ed25519 signature ("sig") of the first four.
Records are appended under an exclusive lock and fsynced, never rewritten.

A build takes an announcement only if a record approves its *current* content and
that record holds: signed by a key listed in `approvers:` (unless the project says
`approvals: {require_signatures: false}`), the signature matches the record, the
approver is not revoked, the name is the key's, and — under four eyes — the
approver is not the announcement's author. The latest record that holds counts;
every refusal says why in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from truyenthanh.announcement import Announcement
from truyenthanh.errors import ApprovalError, Problem, os_reason
from truyenthanh.signing import sign, verify

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from truyenthanh.config import Approver, ProjectConfig

LEDGER_NAME = "approvals.jsonl"
MAX_LEDGER_LINE = 4_000  # a record is ~400 characters; anything far longer is not ours


@dataclass(frozen=True)
class Approval:
    announcement: str
    sha256: str
    by: str
    at: str  # ISO 8601 with offset
    key: str | None = None  # "ed25519:…" of the signer
    sig: str | None = None  # base64 Ed25519 signature of `signed_fields`
    line: int = 0  # in the ledger, for messages

    @property
    def signed_fields(self) -> dict:
        return {
            "announcement": self.announcement,
            "sha256": self.sha256,
            "by": self.by,
            "at": self.at,
        }

    def to_json(self) -> dict:
        data = self.signed_fields
        if self.sig is not None:
            data |= {"key": self.key, "sig": self.sig}
        return data

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
    tampered: bool = False  # the text changed after its last approval
    approver: Approver | None = None  # from `approvers:` when the approval is signed
    refused: bool = (
        False  # a record approves this content but does not hold (forged, revoked, self-approved…)
    )

    @property
    def role(self) -> str | None:
        return self.approver.role if self.approver else None


def same_person(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return " ".join(unicodedata.normalize("NFC", x).casefold().split())

    return norm(a) == norm(b)


class Ledger:
    def __init__(self, records: list[Approval], config: ProjectConfig | None = None):
        self.records = records
        self.config = config

    @classmethod
    def load(
        cls, project_root: Path, config: ProjectConfig | None = None
    ) -> tuple[Ledger, list[Problem]]:
        path = project_root / LEDGER_NAME
        if not path.exists():
            return cls([], config), []
        records, problems = [], []
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problem = f"không đọc được sổ phê duyệt: {os_reason(exc)}"
            return cls([], config), [Problem(LEDGER_NAME, problem)]
        except UnicodeDecodeError:
            problem = "sổ phê duyệt không phải UTF-8; hãy khôi phục bản sao lưu của tệp"
            return cls([], config), [Problem(LEDGER_NAME, problem)]
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            record = _parse(line, n)
            if record is None:
                problems.append(Problem(LEDGER_NAME, "bản ghi phê duyệt hỏng, bị bỏ qua", n))
            else:
                records.append(record)
        return cls(records, config), problems

    @property
    def signatures_required(self) -> bool:
        return self.config is None or self.config.approvals.require_signatures

    def latest(self, announcement_id: str) -> Approval | None:
        found = [r for r in self.records if r.announcement == announcement_id]
        return found[-1] if found else None

    def for_content(self, announcement_id: str, sha256: str) -> Approval | None:
        found = [
            r for r in self.records if r.announcement == announcement_id and r.sha256 == sha256
        ]
        return found[-1] if found else None

    def verdict(self, ann: Announcement) -> Verdict:
        current = ann.content_sha256
        matches = [r for r in self.records if r.announcement == ann.id and r.sha256 == current]
        refusals = []
        for record in reversed(matches):
            why = self.refusal(record, ann)
            if why is None:
                return Verdict(True, record, None, approver=self._approver(record))
            refusals.append(why)
        if matches:
            return Verdict(
                False,
                matches[-1],
                f"Phê duyệt thông báo “{ann.id}” không được chấp nhận "
                f"({LEDGER_NAME}:{matches[-1].line}): {refusals[0]}.",
                refused=True,
            )
        old = self.latest(ann.id)
        if old is None:
            hint = "" if self.signatures_required else ' --by "Họ tên"'
            return Verdict(
                False,
                None,
                f"Thông báo “{ann.id}” chưa được phê duyệt; chạy: truyenthanh approve {ann.id}{hint}",
            )
        return Verdict(
            False,
            old,
            f"Thông báo “{ann.id}” đã bị sửa sau khi được {old.by} phê duyệt lúc {old.at_vi}; "
            "nội dung hiện tại chưa được phê duyệt nên không được phát. Cần phê duyệt lại.",
            tampered=True,
        )

    def _approver(self, record: Approval) -> Approver | None:
        if self.config is None or record.key is None:
            return None
        return self.config.approver(record.key)

    def signature_refusal(self, record: Approval) -> str | None:
        """Why `record` does not hold as a signed statement (key, signature, revocation, name), or None."""
        if record.sig is None or record.key is None:
            if self.signatures_required:
                return (
                    "bản ghi không có chữ ký số, trong khi dự án yêu cầu phê duyệt có chữ ký "
                    "(approvals.require_signatures); hãy phê duyệt lại bằng: truyenthanh approve "
                    f"{record.announcement}"
                )
            return None
        approver = self._approver(record)
        if approver is None:
            return f"khóa ký {_short(record.key)} không có trong danh sách approvers: của truyenthanh.yaml"
        if not verify(record.key, record.signed_fields, record.sig):
            return (
                "chữ ký không khớp nội dung bản ghi (bản ghi đã bị sửa tay hoặc chép từ dòng khác)"
            )
        if approver.revoked:
            return f"quyền phê duyệt của {approver.name} đã bị thu hồi (revoked); các phê duyệt của người này không còn hiệu lực"
        if not same_person(record.by, approver.name):
            return f"tên trong bản ghi (“{record.by}”) không phải tên của chủ khóa ký (“{approver.name}”)"
        return None

    def refusal(self, record: Approval, ann: Announcement) -> str | None:
        """Why `record` does not approve `ann`, or None when it does."""
        why = self.signature_refusal(record)
        if why is not None or self.config is None or not self.config.approvals.four_eyes:
            return why
        author = ann.meta.author
        if author is None:
            return (
                "thông báo chưa ghi tác giả (author: trong phần đầu) nên không kiểm được nguyên tắc "
                "bốn mắt (approvals.four_eyes)"
            )
        if not same_person(author, record.by):
            return None
        approver = self._approver(record)
        role = self.config.approvals.emergency_role
        if (
            ann.meta.priority == "emergency"
            and role
            and approver
            and approver.role
            and same_person(approver.role, role)
        ):
            return None  # the 2 a.m. storm warning: one approver of the emergency role suffices
        return (
            f"{record.by} là tác giả của thông báo nên không được tự phê duyệt "
            "(nguyên tắc bốn mắt, approvals.four_eyes); cần một người khác phê duyệt"
        )

    def audit(self) -> list[Problem]:
        """Every ledger line that does not hold as a signed statement (for `check`)."""
        return [
            Problem(LEDGER_NAME, f"“{r.announcement}”: {why}", r.line)
            for r in self.records
            if (why := self.signature_refusal(r)) is not None
        ]


def _short(key: str) -> str:
    return key[:20] + "…" if len(key) > 20 else key


def _parse(line: str, n: int) -> Approval | None:
    if len(line) > MAX_LEDGER_LINE:
        return None
    try:
        raw = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(raw, dict):
        return None
    fields = [raw.get(k) for k in ("announcement", "sha256", "by", "at")]
    signed = [raw.get(k) for k in ("key", "sig")]
    if not all(isinstance(v, str) for v in fields) or not all(
        v is None or isinstance(v, str) for v in signed
    ):
        return None
    return Approval(*fields, *signed, line=n)


def make_approval(
    ann: Announcement, by: str, timezone: str, key: Ed25519PrivateKey | None = None
) -> Approval:
    """An approval of `ann`'s current content by `by`, now; signed when `key` is given."""
    from truyenthanh.signing import public_key_text

    by = unicodedata.normalize("NFC", " ".join(by.split()))
    if not by:
        raise ApprovalError("Cần ghi tên người phê duyệt.")
    record = Approval(
        announcement=ann.id,
        sha256=ann.content_sha256,
        by=by,
        at=dt.datetime.now(ZoneInfo(timezone)).isoformat(timespec="seconds"),
    )
    if key is None:
        return record
    return Approval(
        **record.signed_fields,
        key=public_key_text(key.public_key()),
        sig=sign(key, record.signed_fields),
    )


def append_record(project_root: Path, record: Approval) -> None:
    """Append one line under an exclusive lock, fsynced: the ledger is never rewritten."""
    line = json.dumps(record.to_json(), ensure_ascii=False) + "\n"
    path = project_root / LEDGER_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ApprovalError(f"Không ghi được sổ phê duyệt {path}: {os_reason(exc)}.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def append_approval(
    project_root: Path,
    ann: Announcement,
    by: str,
    timezone: str,
    key: Ed25519PrivateKey | None = None,
) -> Approval:
    record = make_approval(ann, by, timezone, key)
    append_record(project_root, record)
    return record
