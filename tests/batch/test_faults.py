"""Faults of the night: the network is down, the disk is full. Nothing published is lost."""

from __future__ import annotations

import errno
import hashlib
import tempfile

import pytest

from tests.buildutil import WEEK, build
from tests.fakes.gtts_server import closed_port_url

FAST_GIVE_UP = {
    "TRUYENTHANH_GTTS_ENDPOINT": None,  # set per test
    "TRUYENTHANH_GTTS_MIN_INTERVAL": "0",
    "TRUYENTHANH_GTTS_TIMEOUT": "1",
    "TRUYENTHANH_GTTS_MAX_WAIT": "1",
    "TRUYENTHANH_GTTS_BACKOFF": "0.05",
}


@pytest.fixture
def network_down(monkeypatch):
    for name, value in FAST_GIVE_UP.items():
        monkeypatch.setenv(name, value or closed_port_url())
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(proxy, raising=False)


def digests(root):
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_network_down_fails_items_keeps_last_week(commune_project, out_dir, network_down):
    assert build(commune_project, out_dir, "--engine", "espeak")[0] == 0
    last_week = digests(out_dir / WEEK)
    code, report, output = build(commune_project, out_dir, "--engine", "gtts", week="2023-W09")
    assert code == 1
    assert report["status"] in ("partial", "failed") and report["engine"] == "gtts"
    failures = [f for f in report["failures"] if f["stage"] == "speech"]
    assert {f["area"] for f in failures} == {"thon-1", "thon-2"}
    assert all("mạng" in f["error"] or "kết nối" in f["error"] for f in failures), failures
    assert digests(out_dir / WEEK) == last_week  # last week's bundles and files are untouched
    assert not list((out_dir / "2023-W09").rglob("*.zip"))
    assert "LỖI hop-dan" in output


def test_network_down_falls_back_when_configured(commune_project, out_dir, network_down):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "  engine: espeak\n",
            "  engine: gtts\n  on_engine_failure: fallback\n  fallback_engine: espeak\n",
        ),
        encoding="utf-8",
    )
    code, report, output = build(commune_project, out_dir)
    assert code == 0, output
    audio = [a for a in report["artifacts"] if a["kind"] == "audio"]
    assert audio and {a["engine"] for a in audio} == {"espeak"}  # the report says who spoke


def test_full_disk_is_a_clear_error_and_keeps_published_files(
    commune_project, out_dir, monkeypatch
):
    assert build(commune_project, out_dir)[0] == 0
    published = digests(out_dir / WEEK)
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    from tests.conftest import approve_all

    approve_all(commune_project)
    real_mkstemp = tempfile.mkstemp
    calls = {"n": 0}

    def filling_disk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr("truyenthanh.atomic.tempfile.mkstemp", filling_disk)
    code, _, output = build(commune_project, out_dir)
    assert code == 1
    assert "ổ đĩa đã đầy" in output and "Traceback" not in output
    monkeypatch.undo()
    now = digests(out_dir / WEEK)
    changed = {p for p in published if now.get(p) != published[p]}
    # Only the few files written before the disk filled changed, each complete (atomic); bundles did not.
    assert not any(p.suffix == ".zip" for p in changed)
    assert not list(out_dir.rglob("*.tmp"))
    assert build(commune_project, out_dir)[0] == 0  # and the next night completes
