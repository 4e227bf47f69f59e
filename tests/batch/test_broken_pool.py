"""A local worker process killed mid-build (the OOM killer, kill -9): the run still ends as a run.

The jobs the dead worker's pool had not finished are tried once more on a fresh pool, and the
report says so; a job that kills its worker again fails as a job, with a Vietnamese message;
what was finished is published; later stages run on a fresh pool; the report and the page are
written; and the next build makes only what is missing.
"""

from __future__ import annotations

import json
import os
import re
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


def _build_and_kill_a_worker(project: Path, out: Path, tmp_path: Path) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "truyenthanh", "build", "-p", str(project)]
    command += ["-o", str(out), "--week", WEEK, "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    stderr_file = tmp_path / "stderr.txt"
    with stderr_file.open("w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        try:
            _kill_a_worker_after_the_first_result(proc, out)
            stdout, _ = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return proc.returncode, stdout, stderr_file.read_text(encoding="utf-8")


@pytest.mark.slow
def test_killed_worker_costs_nothing_its_jobs_are_made_on_a_fresh_pool(
    print_project, out_dir, tmp_path
):
    code, stdout, errors = _build_and_kill_a_worker(print_project, out_dir, tmp_path)

    # Every job the dead pool held was made on a fresh one: a complete week, exit 0.
    assert code == 0, errors[-3000:]
    assert "Traceback" not in errors + stdout
    assert "terminated abruptly" not in errors + stdout  # the pool's own English words
    assert "unusable" not in errors  # workers' log records go to the run log, not the terminal
    report = json.loads((out_dir / layout.latest_report_path()).read_text(encoding="utf-8"))
    assert report["status"] == "ok" and report["failures"] == []
    assert (out_dir / layout.run_report_path(report["run_id"])).is_file()
    [note] = [n for n in report["notes"] if n.startswith(LOST)]
    assert "đã được dựng lại trên tiến trình mới" in note and "vẫn không" not in note
    assert note == unicodedata.normalize("NFC", note)
    log_text = (out_dir / layout.run_log_path(report["run_id"])).read_text(encoding="utf-8")
    assert "tried once more on a fresh pool" in log_text

    # What was made is published, listed and intact, and nothing is missing.
    for a in report["artifacts"]:
        assert sha256_bytes((out_dir / a["path"]).read_bytes()) == a["sha256"], a["path"]
    assert (out_dir / layout.INDEX).is_file()
    assert len(built_paths(report, "audio")) == 2 * 2  # 2 villages, 2 notices
    assert len(built_paths(report, "bulletin")) == 2 * 7  # and a bulletin a day
    assert len(built_paths(report, "operator_script")) == len(built_paths(report, "bundle")) == 2
    assert built_paths(report, "leaflet") and built_paths(report, "poster")

    # The next build has nothing to make.
    code, again, output = build(print_project, out_dir, "--jobs", "2")
    assert code == 0, output
    assert again["status"] == "ok" and again["failures"] == []
    assert built_paths(again) <= {layout.INDEX}


def test_a_job_that_kills_its_worker_every_time_fails_as_a_job_and_the_run_goes_on(
    commune_project, out_dir, monkeypatch
):
    """Tried twice (each time on a fresh pool), then a failure with the Vietnamese message; the
    later stages and the page are still made."""
    from truyenthanh.build import BuildOptions, run_build
    from truyenthanh.job import Job
    from truyenthanh.project import load_project
    from truyenthanh.stages import feeds
    from truyenthanh.weeks import IsoWeek

    killer = Job(kind="leaflet", path=f"{WEEK}/print/chet.pdf", key="k", fn=os.abort)
    monkeypatch.setattr(feeds, "jobs", lambda ctx: [killer])  # declared after the bundles
    options = BuildOptions(out=out_dir, week=IsoWeek.parse(WEEK), jobs=2)
    report = run_build(load_project(commune_project), options).report
    assert report.status == "partial"
    [failure] = report.failures
    assert failure["stage"] == "executor" and failure["error"] == WORKER_LOST
    [note] = [n for n in report.notes if n.startswith(LOST)]
    # A job still running beside it when the pool broke (a late e-screen video, depending on
    # timing) was made again on the fresh pool; only the killer failed.
    rebuilt, lost = map(int, re.search(r"(\d+)/(\d+) mục đang chờ", note).groups())
    assert lost - rebuilt == 1 and "1 mục vẫn không dựng được" in note
    assert WORKER_LOST == unicodedata.normalize("NFC", WORKER_LOST)
    assert "chạy lại" in WORKER_LOST and "chỉ dựng phần còn thiếu" in WORKER_LOST
    assert not (out_dir / killer.path).exists()
    assert {a.kind for a in report.artifacts} >= {"audio", "bulletin", "bundle", "index"}


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


def test_workers_log_records_reach_this_process_not_the_terminal(caplog, capfd):
    """A worker's warning goes to this process's handlers (the run log), not Python's last-resort
    printer on the officer's terminal."""
    import logging

    caplog.set_level(logging.INFO)
    executor = ProcessExecutor(1)
    try:
        executor.submit(logging.warning, "từ tiến trình con %s", "số 1").result(timeout=60)
    finally:
        executor.shutdown()  # the workers exit (flushing their queue), then the listener stops
    [record] = [r for r in caplog.records if r.getMessage() == "từ tiến trình con số 1"]
    assert record.process != os.getpid() and record.levelname == "WARNING"
    assert "từ tiến trình con" not in capfd.readouterr().err


def test_a_zombie_is_not_alive():
    from truyenthanh.executor import process_alive

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert process_alive(child.pid) and process_alive(os.getpid())
        os.kill(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while process_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # dead but not reaped: a zombie
        assert not process_alive(child.pid)
    finally:
        child.wait()
    assert not process_alive(child.pid)


@pytest.mark.slow
def test_workers_end_when_the_build_is_killed(commune_project, out_dir):
    """A build killed by the OOM killer leaves no workers behind holding its caller's pipes."""
    command = [sys.executable, "-m", "truyenthanh", "build", "-p", str(commune_project)]
    command += ["-o", str(out_dir), "--week", WEEK, "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while not workers and time.monotonic() < deadline and proc.poll() is None:
            workers = _workers(proc.pid)
            time.sleep(0.01)
        assert workers, "the build ended before its workers were seen"
        os.kill(proc.pid, signal.SIGKILL)
        # Like a wrapper that reads the build's output: it ends once every writer has gone.
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for worker in workers:
        assert not Path(f"/proc/{worker}").exists() or _state(worker) == "Z"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"
