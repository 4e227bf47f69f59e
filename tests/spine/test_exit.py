"""The command ends without Python's teardown (cli.leave) and loses nothing on the way out:
exit codes, buffered output, log records, and no leak warnings from the worker pool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}


def run(*code_or_args: str, module: bool = False) -> subprocess.CompletedProcess:
    argv = ["-m", "truyenthanh", *code_or_args] if module else ["-c", *code_or_args]
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=ENV, timeout=600
    )


@pytest.mark.parametrize(
    ("code", "expected", "stderr"), [(None, 0, ""), (3, 3, ""), ("thông báo", 1, "thông báo\n")]
)
def test_exit_codes_as_sys_exit_gives_them(code, expected, stderr):
    proc = run(f"from truyenthanh.cli import leave; print('x', end=''); leave({code!r})")
    assert (proc.returncode, proc.stdout, proc.stderr) == (expected, "x", stderr)


def test_log_records_and_output_are_flushed(tmp_path):
    log = tmp_path / "log.txt"
    proc = run(
        "import logging, sys\n"
        f"logging.basicConfig(filename={str(log)!r}, level=logging.INFO)\n"
        "logging.getLogger('t').info('ghi lại')\n"
        "sys.stdout.write('a' * 100000)\n"
        "from truyenthanh.cli import leave; leave(0)"
    )
    assert proc.returncode == 0 and len(proc.stdout) == 100000
    assert "ghi lại" in log.read_text(encoding="utf-8")


def test_a_parallel_build_ends_clean(commune_project: Path, tmp_path: Path):
    out = str(tmp_path / "out")
    args = ["build", "-p", str(commune_project), "-o", out, "--week", "2023-W08", "--jobs", "2"]
    proc = run(*args, module=True)
    assert proc.returncode == 0, proc.stderr
    assert "Trang tải về" in proc.stdout
    assert "leaked" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert (tmp_path / "out" / "runs" / "latest.json").is_file()


def test_a_usage_error_still_exits_2_in_vietnamese():
    proc = run("khong-co-lenh", module=True)
    assert proc.returncode == 2 and "Không có lệnh" in proc.stderr


def test_the_fork_server_ends_with_the_command_not_after_it():
    """`leave` ends the fork server at once: left to end by itself it tore numpy, reportlab…
    down while holding the command's stdout and stderr, so a reader of that output (cron, a
    wrapper) waited for it. Here the server is gone, reaped, before the command exits; and a
    later pool in the same process starts a fresh one."""
    proc = run(
        "import os\n"
        "from multiprocessing import forkserver\n"
        "from truyenthanh.executor import ProcessExecutor, end_worker_server\n"
        "pool = ProcessExecutor(1)\n"
        "assert pool.submit(sum, [1, 2]).result() == 3\n"
        "pool.shutdown()\n"
        "pid = forkserver._forkserver._forkserver_pid\n"
        "address = forkserver._forkserver._forkserver_address\n"
        "end_worker_server()\n"
        "assert not os.path.exists(f'/proc/{pid}'), 'the server still runs or was not reaped'\n"
        "assert forkserver._forkserver._forkserver_pid is None\n"
        "assert not os.path.exists(address)\n"
        "again = ProcessExecutor(1)\n"
        "assert again.submit(sum, [3, 4]).result() == 7\n"
        "again.shutdown()\n"
        "from truyenthanh.cli import leave; print('ok', end=''); leave(0)"
    )
    assert (proc.returncode, proc.stdout) == (0, "ok"), proc.stderr
    assert "Traceback" not in proc.stderr and "leaked" not in proc.stderr, proc.stderr


def test_a_command_that_started_no_workers_does_not_load_them_on_its_way_out():
    # A warm build that finds nothing to do never loads the executor; leave() importing it just
    # to end a fork server nobody started cost ~20 ms (multiprocessing), a tenth of that run.
    proc = run(
        "import atexit, sys\n"
        "from truyenthanh.cli import leave\n"
        "atexit.register(lambda: print('truyenthanh.executor' in sys.modules, end=''))\n"
        "leave(0)"
    )
    assert (proc.returncode, proc.stdout) == (0, "False"), proc.stderr
