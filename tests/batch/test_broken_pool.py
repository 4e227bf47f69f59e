"""A local worker process killed mid-build (the OOM killer, kill -9): the run still ends as a run.

The jobs the dead worker's pool had not finished fail as jobs, with a Vietnamese message; what
was finished is published; later stages run on a fresh pool; the report and the page are
written; the exit code says "some items failed"; and the next build makes only what is missing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from tests.buildutil import WEEK, build, built_paths
from truyenthanh import layout
from truyenthanh.executor import WORKER_LOST, ProcessExecutor
from truyenthanh.keys import sha256_bytes

LOST = "Một tiến trình xử lý đã dừng đột ngột"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
        if ppid == pid:
            found.append(int(stat.parent.name))
    return found


def _workers(build_pid: int) -> list[int]:
    """The pool's worker processes: children of the forkserver, itself a child of the build."""
    return [worker for child in _children(build_pid) for worker in _children(child)]


def _kill_a_worker_after_the_first_result(proc: subprocess.Popen, out: Path) -> None:
    """SIGKILL one worker once the first job of the first batch is published (a segment): the
    rest of that batch, the print files last, is still running or queued."""
    segments = out / layout.SEGMENT_CACHE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _workers(proc.pid)
        if workers and next(segments.rglob("*.seg"), None) is not None:
            os.kill(workers[0], signal.SIGKILL)
            return
        time.sleep(0.005)
    raise AssertionError("the build ended or stalled before a worker could be killed")


@pytest.mark.slow
def test_killed_worker_fails_its_jobs_publishes_the_rest_and_rerun_makes_what_is_missing(
    print_project, out_dir, tmp_path
):
    command = [sys.executable, "-m", "truyenthanh", "build", "-p", str(print_project)]
    command += ["-o", str(out_dir), "--week", WEEK, "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    stderr_file = tmp_path / "stderr.txt"
    with stderr_file.open("w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        try:
            _kill_a_worker_after_the_first_result(proc, out_dir)
            stdout, _ = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    errors = stderr_file.read_text(encoding="utf-8")

    # A run that ends: the contract's exit code for "some items failed", no traceback.
    assert proc.returncode == 1, errors[-3000:]
    assert "Traceback" not in errors + stdout
    assert "terminated abruptly" not in errors + stdout  # the pool's own English words
    report = json.loads((out_dir / layout.latest_report_path()).read_text(encoding="utf-8"))
    assert report["status"] == "partial"
    assert (out_dir / layout.run_report_path(report["run_id"])).is_file()

    # Every failure is one the killed worker caused, reported as a job with the Vietnamese
    # message: the print files, submitted last in the batch, were not finished.
    assert report["failures"], report
    assert {f["announcement"] for f in report["failures"]} == {"dvc"}
    for failure in report["failures"]:
        assert failure["stage"] == "executor" and failure["error"] == WORKER_LOST
    assert WORKER_LOST.startswith(LOST) and WORKER_LOST == unicodedata.normalize("NFC", WORKER_LOST)
    assert "chạy lại" in WORKER_LOST and "chỉ dựng phần còn thiếu" in WORKER_LOST
    assert f"LỖI dvc [executor]: {LOST}" in errors

    # What finished is published, listed and intact, and the page is written.
    for a in report["artifacts"]:
        assert sha256_bytes((out_dir / a["path"]).read_bytes()) == a["sha256"], a["path"]
    assert (out_dir / layout.INDEX).is_file()
    assert built_paths(report, "index") == {layout.INDEX}
    # The later batches were submitted to the broken pool, which gave way to a fresh one: every
    # programme, bulletin, operator script and bundle was made that same night.
    log_text = (out_dir / layout.run_log_path(report["run_id"])).read_text(encoding="utf-8")
    assert "opening a fresh one" in log_text
    assert len(built_paths(report, "audio")) == 2 * 2  # 2 villages, 2 notices
    assert len(built_paths(report, "bulletin")) == 2 * 7  # and a bulletin a day
    assert len(built_paths(report, "operator_script")) == len(built_paths(report, "bundle")) == 2
    first = built_paths(report)

    # The next build makes the missing print files (and the order sheet that lists them) and
    # reuses everything else; it ends ok.
    code, again, output = build(print_project, out_dir, "--jobs", "2")
    assert code == 0, output
    assert again["status"] == "ok" and again["failures"] == []
    made = {a["path"]: a["kind"] for a in again["artifacts"] if a["built"]}
    missing = {kind for path, kind in made.items() if path not in first}
    assert {"leaflet", "poster"} <= missing <= {"leaflet", "poster", "print_order"}
    assert {kind for path, kind in made.items() if path in first} <= {"print_order", "index"}
    for a in again["artifacts"]:
        assert sha256_bytes((out_dir / a["path"]).read_bytes()) == a["sha256"], a["path"]


def test_a_killed_worker_fails_what_its_pool_held_and_the_next_submit_gets_a_fresh_pool():
    executor = ProcessExecutor(1)
    try:
        worker = executor.submit(os.getpid).result(timeout=60)
        held = [executor.submit(time.sleep, 30) for _ in range(3)]  # one running, two queued
        os.kill(worker, signal.SIGKILL)
        for future in held:
            with pytest.raises(BrokenProcessPool):
                future.result(timeout=30)
        fresh = executor.submit(os.getpid).result(timeout=60)  # no BrokenProcessPool: a new pool
        assert fresh != worker
        assert executor.submit(sum, [1, 2, 3]).result(timeout=60) == 6
    finally:
        executor.shutdown()
