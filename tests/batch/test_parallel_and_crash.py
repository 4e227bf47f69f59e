"""--jobs parity and crash safety: killed at any point, the next build completes cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.buildutil import WEEK, build
from truyenthanh.bundle import verify_bundle


def manifests(out: Path) -> dict[str, dict]:
    """The page's manifest copies, less the one field that is a wall-clock time (built_at)."""
    found = {}
    for path in sorted((out / WEEK / "bundles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["bundle"].pop("built_at")
        found[path.name] = data
    return found


def test_jobs_2_gives_the_same_result_as_jobs_1(print_project, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    code_one, report_one, _ = build(print_project, one)
    code_two, report_two, _ = build(print_project, two, "--jobs", "2")
    assert code_one == code_two == 0
    assert manifests(one) == manifests(two) and manifests(one)
    # Published as they complete, listed in declaration order: the same report either way.
    assert [a["path"] for a in report_one["artifacts"]] == [
        a["path"] for a in report_two["artifacts"]
    ]
    assert report_one["notes"] == report_two["notes"] and report_one["notes"]


def _start_build(project: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "truyenthanh",
            "build",
            "-p",
            str(project),
            "-o",
            str(out),
            "--week",
            WEEK,
            "--jobs",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _count(out: Path) -> int:
    return sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_files", [1, 12, 30])
def test_sigkill_then_rebuild_leaves_only_complete_files(print_project, out_dir, kill_after_files):
    proc = _start_build(print_project, out_dir)
    deadline = time.monotonic() + 120
    while (
        _count(out_dir) < kill_after_files and proc.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    code, report, output = build(print_project, out_dir)
    assert code == 0, output
    assert not [p for p in out_dir.rglob("*.tmp")], "temporary files left under OUT"
    for a in report["artifacts"]:
        assert (out_dir / a["path"]).is_file()
    for z in (out_dir / WEEK / "bundles").glob("*.zip"):
        assert verify_bundle(z) == [], z
