"""Shared fixtures: scratch projects written into tmp_path (DESIGN.md house style 12)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from truyenthanh.approvals import append_approval
from truyenthanh.project import load_project
from truyenthanh.signing import public_key_text

# Approvers of the scratch projects, with fixed test keys (their private halves are in
# this file, so they are test keys and nothing else).
APPROVER_KEYS = {
    "Trần Thị Bình": Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))),
    "Phạm Văn Dũng": Ed25519PrivateKey.from_private_bytes(bytes(range(33, 65))),
}
APPROVER_ROLES = {"Trần Thị Bình": "Chủ tịch UBND xã", "Phạm Văn Dũng": "Trực ban"}
AUTHOR = "Lê Văn Soạn"  # writes the scratch notices; under four eyes may not approve them

# A commune issuing to its villages: proves nothing is district-only.
COMMUNE_CONFIG = """\
issuer:
  name: Ủy ban nhân dân xã Tây Sơn
  level: xã
  province: Gia Lai
  station: Đài truyền thanh xã Tây Sơn
  hotlines: ["0269 3880 111"]
  one_stop_address: Bộ phận một cửa xã Tây Sơn, thôn Phú Phong
areas:
  - id: thon-1
    name: Thôn Một
    kind: thôn
    station: Cụm loa thôn Một
    slots: ["05:30", "17:00"]
  - id: thon-2
    name: Thôn Hai
    kind: thôn
    station: Cụm loa thôn Hai
    slots: ["06:00"]
audio:
  engine: espeak
  voice: central
  repeats: 0
  gap_seconds: 0.5
print:
  poster_sizes: [A3]
  shops:
    - id: in-xa
      name: Cơ sở in xã
      quantities: {leaflet: 500, poster: 10, banner: 2}
channels:
  screens: false  # video encoding costs seconds per build; tests/channels turns it on
approvers:
"""
COMMUNE_CONFIG += "".join(
    f"  - name: {name}\n    role: {APPROVER_ROLES[name]}\n    public_key: {public_key_text(key.public_key())}\n"
    for name, key in APPROVER_KEYS.items()
)
COMMUNE_CONFIG += "approvals:\n  require_signatures: true\n  four_eyes: true\n"

NOTICE = """\
---
id: {id}
title: {title}
category: Thông báo
priority: {priority}
valid_from: {valid_from}
valid_until: {valid_until}
areas: {areas}
outputs: [{outputs}]
{extra}---
{body}
"""


def write_announcement(
    root: Path,
    ann_id: str,
    body: str = "Kính gửi bà con {{ area.kind }} {{ area.name }}: họp lúc 7h30.",
    *,
    title: str = "Thông báo họp dân",
    priority: str = "normal",
    valid_from: str = "2023-02-01",
    valid_until: str = "2023-03-31",
    areas: str = "all",
    outputs: str = "audio",
    extra: str = "",
    filename: str | None = None,
    author: str | None = AUTHOR,
) -> Path:
    path = root / "announcements" / (filename or f"{ann_id}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        NOTICE.format(
            id=ann_id,
            title=title,
            priority=priority,
            valid_from=valid_from,
            valid_until=valid_until,
            areas=areas,
            outputs=outputs,
            extra=(f"author: {author}\n" if author else "") + extra,
            body=textwrap.dedent(body).strip(),
        ),
        encoding="utf-8",
    )
    return path


def approve_all(root: Path, by: str = "Trần Thị Bình") -> None:
    """Signed approvals of every announcement's current content, by a test approver."""
    project = load_project(root)
    for ann in project.announcements:
        append_approval(root, ann, by, "Asia/Ho_Chi_Minh", APPROVER_KEYS[by])


@contextlib.contextmanager
def lock_held(out: Path):
    """Another process holds the build lock on `out` while the block runs; yields its pid."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import time
            from pathlib import Path
            from truyenthanh.lock import BuildLock
            with BuildLock(Path({str(out)!r})):
                print("held", flush=True)
                time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def commune_project(tmp_path: Path) -> Path:
    """A commune with two villages and one approved, audio-only notice."""
    root = tmp_path / "xa"
    root.mkdir()
    (root / "truyenthanh.yaml").write_text(COMMUNE_CONFIG, encoding="utf-8")
    write_announcement(root, "hop-dan")
    approve_all(root)
    return root


@pytest.fixture(autouse=True)
def _private_config_home(tmp_path: Path, monkeypatch) -> None:
    """Keys made by tests (keys new, init) go to a scratch config dir, never the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.delenv("TRUYENTHANH_KEY_PASSPHRASE", raising=False)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "output"
