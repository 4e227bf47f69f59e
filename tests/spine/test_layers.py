"""The planner never loads what only the workers use.

The main process loads the project, selects the week, declares every stage's jobs (recipes,
keys, the functions to run) and publishes what the workers make. numpy, LAME, PyAV, mutagen
and reportlab do the work inside the jobs; loading them in the main process cost ~0.2 s
before the first job could leave, which a night with one changed notice waits for. So the
modules the planner imports keep them out: a job's function imports them when it runs
(audio/jobs.py, job.Deferred for the print layouts), and the fork server preloads them for
the workers (executor.WORKER_PRELOAD).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.buildutil import WEEK

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tay-son"
WORKER_ONLY = ("numpy", "mutagen", "av", "lameenc", "reportlab", "segno")

# Runs the CLI in a fresh interpreter, then prints which of WORKER_ONLY that process loaded.
_CLI = """
import json, sys
from truyenthanh.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
"""
_LOADED = """
top = {name.split(".")[0] for name in sys.modules}
print(json.dumps(sorted(top & set(json.loads(sys.stdin.read())))))
"""


def _loaded(code: str, *args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + code + _LOADED, *args],
        input=json.dumps(WORKER_ONLY),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_declaring_every_job_of_every_stage_loads_no_worker_library(tmp_path):
    # A dry run declares every job of the sample's week: its recipe, key and function.
    out = tmp_path / "out"
    args = ("build", "-p", str(SAMPLE), "-o", str(out), "--week", WEEK, "--dry-run")
    assert _loaded(_CLI, *args) == []
    assert not (out / WEEK).exists()


def test_a_build_with_workers_loads_none_in_the_main_process(commune_project, tmp_path):
    out = tmp_path / "out"
    args = ("build", "-p", str(commune_project), "-o", str(out), "--week", WEEK, "--jobs", "2")
    assert _loaded(_CLI, *args) == []
    report = json.loads((out / "runs" / "latest.json").read_text(encoding="utf-8"))
    assert report["status"] == "ok" and any(a["kind"] == "audio" for a in report["artifacts"])


def test_the_fork_server_preloads_every_worker_library():
    # A library left out was imported again by every worker, on its first job: PyAV alone took
    # 0.2-0.3 s there, in the way of a one-change night's first segment.
    preload = (
        "import importlib\n"
        "from truyenthanh.executor import WORKER_PRELOAD\n"
        "for name in WORKER_PRELOAD:\n"
        "    importlib.import_module(name)\n"
    )
    assert _loaded(preload) == sorted(WORKER_ONLY)


def test_the_probe_sees_a_worker_library_when_one_is_loaded():
    assert _loaded("import truyenthanh.audio.segments\n") == ["numpy"]
