"""What reaches the officer's terminal besides the CLI's own lines: log records in Vietnamese
(level names included), and never a traceback, which goes to the run log for whoever fixes
the bug."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

from tests.buildutil import build


@pytest.fixture
def terminal(monkeypatch):
    """The officer's terminal (stderr) as the CLI sets up logging on it."""
    from truyenthanh.cli import _setup_logging

    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    _setup_logging(verbose=False)
    try:
        yield stderr
    finally:
        root.handlers[:], root.level = handlers, level


def test_a_warning_is_shown_with_a_vietnamese_level(terminal):
    logging.getLogger("truyenthanh.speech.cache").warning("mục đệm %s bị hỏng", "x.clip")
    logging.getLogger("truyenthanh.build").info("chỉ vào nhật ký")
    logging.getLogger("truyenthanh.build").error("không dựng được %s", "a.mp3")
    assert terminal.getvalue() == "CẢNH BÁO: mục đệm x.clip bị hỏng\nLỖI: không dựng được a.mp3\n"


def test_an_unexpected_error_reaches_the_officer_without_a_traceback(
    commune_project: Path, tmp_path: Path, monkeypatch
):
    import truyenthanh.audio.jobs

    def broken(*args, **kwargs):
        raise RuntimeError("lỗi lập trình giả")

    # The package's name first: read before the module's is patched, it is the real function
    # that monkeypatch puts back.
    monkeypatch.setattr("truyenthanh.audio.assemble_programme", broken)
    monkeypatch.setattr(truyenthanh.audio.jobs, "assemble_programme", broken)
    out = tmp_path / "out"
    code, report, output = build(commune_project, out)
    assert code == 1, output
    assert "Traceback" not in output
    assert "LỖI: " in output and "Lỗi không mong đợi" in output
    assert any("RuntimeError: lỗi lập trình giả" in f["error"] for f in report["failures"])
    [run_log] = (out / "runs").glob("*.log")
    assert "Traceback" in run_log.read_text(encoding="utf-8")
