"""The same build on a real Dask cluster (LocalCluster, 2 worker processes) and its faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from tests.buildutil import WEEK, build
from truyenthanh import layout
from truyenthanh.build import BuildOptions, run_build
from truyenthanh.executor import DaskExecutor
from truyenthanh.project import load_project
from truyenthanh.shipping import Packer, open_parcel
from truyenthanh.weeks import IsoWeek

pytestmark = pytest.mark.slow

THIRD_AREA = """\
  - id: thon-3
    name: Thôn Ba
    kind: thôn
    station: Cụm loa thôn Ba
    slots: ["05:45"]
audio:
"""


@pytest.fixture
def project(commune_project: Path) -> Path:
    """Three villages: enough for two workers to share segments, programmes and bulletins."""
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("audio:\n", THIRD_AREA, 1), encoding="utf-8"
    )
    return commune_project


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as c:
        yield c


def outputs(out: Path, report: dict) -> dict[str, str]:
    """Every artifact of the run with its checksum, read back from the files (the page names the run: not it)."""
    from truyenthanh.keys import sha256_bytes

    return {
        a["path"]: sha256_bytes((out / a["path"]).read_bytes())
        for a in report["artifacts"]
        if a["kind"] != "index"
    }


def manifests(out: Path, report: dict) -> dict[str, dict]:
    found = {}
    for a in report["artifacts"]:
        if a["kind"] == "bundle":
            with zipfile.ZipFile(out / a["path"]) as z:
                found[a["path"]] = json.loads(z.read("manifest.json"))
    return found


def test_dask_build_is_identical_to_local(project, tmp_path, cluster):
    code, local, _ = build(project, tmp_path / "local")
    assert code == 0
    code, remote, output = build(
        project, tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address
    )
    assert code == 0, output
    assert len(manifests(tmp_path / "dask", remote)) == 3
    assert manifests(tmp_path / "dask", remote) == manifests(tmp_path / "local", local)
    assert outputs(tmp_path / "dask", remote) == outputs(tmp_path / "local", local)
    mp3s = [a["path"] for a in local["artifacts"] if a["kind"] == "audio"]
    assert len(mp3s) == 3
    for path in mp3s:
        assert (tmp_path / "dask" / path).read_bytes() == (tmp_path / "local" / path).read_bytes()
    jobs = remote["stats"]["executor"]["jobs"]
    assert remote["stats"]["executor"]["executor"] == "dask"
    assert (
        jobs["make_segment_entry"]["here"] == 0 and jobs["make_segment_entry"]["bytes_returned"] > 0
    )
    assert jobs["assemble_programme"]["files_shipped"] > 0  # the segment entries went with the jobs
    assert (
        jobs["bundle_pieces"]["here"] == jobs["bundle_pieces"]["jobs"] == 3
    )  # zips published files: runs here
    # The phrase cache of this machine got every phrase the workers synthesised. (A phrase shared by
    # two segments made at the same time on two workers is synthesised by both: no shared cache.)
    assert remote["stats"]["tts_requests"] >= local["stats"]["tts_requests"] > 0
    phrases = sorted(
        p.relative_to(tmp_path / "dask").as_posix().split("/", 3)[-1]
        for p in (tmp_path / "dask" / layout.SPEECH_CACHE).rglob("*.clip")
    )
    assert phrases == sorted(
        p.relative_to(tmp_path / "local").as_posix().split("/", 3)[-1]
        for p in (tmp_path / "local" / layout.SPEECH_CACHE).rglob("*.clip")
    )
    # A second dask run rebuilds nothing.
    code, again, _ = build(
        project, tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address
    )
    assert code == 0 and not [a for a in again["artifacts"] if a["built"] and a["kind"] != "index"]


def test_shipped_jobs_need_nothing_of_this_machine(project, tmp_path):
    """A parcel runs with OUT and the phrase cache gone: the worker gets all it reads as bytes."""
    out = tmp_path / "out"
    code, report, _ = build(project, out)
    assert code == 0
    from truyenthanh.selection import select_week
    from truyenthanh.stages import Context, programmes, segments

    proj = load_project(project)
    ctx = Context(proj, select_week(proj, IsoWeek.parse(WEEK)), out, out / layout.SPEECH_CACHE)
    packer = Packer(out, out / layout.SPEECH_CACHE)
    prog = programmes.jobs(ctx)[0]
    seg = next(j for j in segments.jobs(ctx) if j.args[0].kind == "speech")
    sound = next(j for j in segments.jobs(ctx) if j.args[0].kind == "sound")
    parcels = [packer.pack(j.fn, j.args) for j in (prog, seg, sound)]
    moved = tmp_path / "elsewhere"
    out.rename(moved)  # nothing of this machine's output is readable any more
    try:
        done = open_parcel(parcels[0])
        assert done.result.rebuilt == 0 and done.result.tts_requests == 0
        assert done.result.mp3 == (moved / prog.path).read_bytes()
        made = open_parcel(parcels[1])
        entry, meta = made.result
        assert meta["tts_requests"] == 0 and meta["tts_cache_hits"] > 0  # its phrases went with it
        assert entry == (moved / seg.path).read_bytes() and made.files == {}
        assert open_parcel(parcels[2]).result[0] == (moved / sound.path).read_bytes()
    finally:
        moved.rename(out)
    assert not out.joinpath("missing").exists()


def test_worker_killed_mid_build_gives_identical_output(project, tmp_path):
    code, local, _ = build(project, tmp_path / "local")
    assert code == 0
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(_msg, done=None, _total=None):
            if done == 1 and not killed:  # the first result is in; the other worker is busy
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)

        options = BuildOptions(
            out=tmp_path / "dask",
            week=IsoWeek.parse(WEEK),
            executor="dask",
            scheduler=cluster.scheduler_address,
        )
        result = run_build(load_project(project), options, progress=kill_one)
        assert killed
        assert pids[0] not in client.run(os.getpid).values()  # that worker process is gone
    assert result.report.status == "ok", result.report.failures
    remote = json.loads((tmp_path / "dask" / "runs" / "latest.json").read_text(encoding="utf-8"))
    assert outputs(tmp_path / "dask", remote) == outputs(tmp_path / "local", local)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_a_usage_error_and_touches_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(DaskExecutor, "CONNECT_TIMEOUT_S", 1.0)
    out = tmp_path / "output"
    code, _, output = build(
        project, out, "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{free_port()}"
    )
    assert code == 2
    assert "Không kết nối được bộ lập lịch Dask" in output and "Chưa dựng và chưa ghi gì" in output
    assert not out.exists()
    code, _, output = build(
        project, out, "--executor", "dask", "--scheduler", "không-phải-địa-chỉ::"
    )
    assert code == 2 and "Không kết nối được bộ lập lịch Dask" in output and not out.exists()


def test_executor_choice_from_config_and_command_line(project, tmp_path, monkeypatch):
    monkeypatch.setattr(DaskExecutor, "CONNECT_TIMEOUT_S", 1.0)
    cfg = project / "truyenthanh.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + "build:\n  executor: dask\n", encoding="utf-8")
    code, _, output = build(project, tmp_path / "o1")
    assert code == 2 and "scheduler" in output and "build" in output
    cfg.write_text(
        text + f"build:\n  executor: dask\n  scheduler: tcp://127.0.0.1:{free_port()}\n",
        encoding="utf-8",
    )
    code, _, output = build(project, tmp_path / "o2")  # the config's scheduler is used …
    assert (
        code == 2
        and "Không kết nối được bộ lập lịch Dask" in output
        and not (tmp_path / "o2").exists()
    )
    code, report, _ = build(
        project, tmp_path / "o3", "--executor", "local"
    )  # … unless the command line says local
    assert code == 0 and "executor" not in report["stats"]
    code, _, output = build(
        project, tmp_path / "o4", "--executor", "local", "--scheduler", "tcp://x:1"
    )
    assert code == 2 and "--scheduler chỉ dùng với --executor dask" in output


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def test_scheduler_lost_mid_build_publishes_what_is_done_and_next_run_finishes(project, tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(
        [
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ]
    )
    worker = _start(["distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"])
    try:
        with Client(address, timeout=30) as c:
            c.wait_for_workers(1, timeout=60)

        def lose_scheduler(_msg, done=None, _total=None):
            if done == 2 and scheduler.poll() is None:  # two results are in and published
                scheduler.kill()
                scheduler.wait()

        out = tmp_path / "out"
        options = BuildOptions(
            out=out, week=IsoWeek.parse(WEEK), executor="dask", scheduler=address
        )
        started = time.monotonic()
        first = run_build(load_project(project), options, progress=lose_scheduler).report
        assert time.monotonic() - started < 60  # failed fast, no hang
    finally:
        for p in (worker, scheduler):
            p.kill()
            p.wait()
    assert first.status == "partial"
    lost = [f for f in first.failures if "Mất kết nối tới bộ lập lịch Dask" in f["error"]]
    assert lost and all("chạy lại" in f["error"] for f in lost)
    assert {f["area"] for f in lost} >= {
        "thon-1",
        "thon-2",
        "thon-3",
    }  # the programmes were not made
    done_before = {p for p, r in ((a.path, a) for a in first.artifacts) if r.built}
    for path in done_before:
        assert (out / path).is_file()
    segments_done = {p: p.stat().st_mtime_ns for p in (out / layout.SEGMENT_CACHE).rglob("*.seg")}
    assert len(segments_done) >= 2  # the results in before the loss are published
    # The next run (here on this machine) makes only the rest, and all of it.
    code, second, _ = build(project, out)
    assert code == 0
    code, reference, _ = build(project, tmp_path / "reference")
    assert outputs(out, second) == outputs(tmp_path / "reference", reference)
    assert all(
        p.stat().st_mtime_ns == t for p, t in segments_done.items()
    )  # the done part was reused
    shutil.rmtree(tmp_path / "reference")


def test_the_builder_keeps_every_worker_of_the_cluster_busy(cluster):
    """Jobs in flight scale with the cluster's worker threads (read without a round trip)."""
    from truyenthanh.flow import IN_FLIGHT_PER_WORKER, in_flight

    executor = DaskExecutor(cluster.scheduler_address)
    try:
        assert executor.workers == 2
        assert in_flight(executor) == 2 * IN_FLIGHT_PER_WORKER
    finally:
        executor.shutdown()
