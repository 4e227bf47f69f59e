"""A local worker writes its file without fsyncing it; the builder's threads fsync it, and only
then is it renamed into place (flow.Syncer, atomic.make_durable). What is checked: the order
of the calls the kernel sees (fsync of the file, then its rename), where the fsync runs, and
what a failed fsync leaves (last week's file, no temporary file, a Vietnamese message)."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from tests.spine.test_flow import Builder, Stage
from truyenthanh import atomic
from truyenthanh.atomic import Staged, commit_staged, stage_bytes
from truyenthanh.errors import OutputError
from truyenthanh.executor import SerialExecutor  # a local worker, in this process
from truyenthanh.flow import Flow
from truyenthanh.job import Job


class Committing(Builder):
    """Publishes like the real builder: the staged file is renamed into place."""

    def publish(self, job: Job, data, meta, digest=None) -> None:
        commit_staged(data, self.out / job.path, sync_dir=False)
        self.published.append(job.path)


def fail_with(message: str) -> bytes:
    raise ValueError(message)


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str, str]]:
    """(call, file, thread) of every fsync and rename of truyenthanh.atomic, in order."""
    seen: list[tuple[str, str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        seen.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"), threading.current_thread().name))
        real_fsync(fd)

    def replace(src, dst) -> None:
        seen.append(("rename", os.fspath(src), threading.current_thread().name))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    return seen


def jobs(n: int) -> list[Job]:
    return [
        Job(kind="bulletin", path=f"a/{i}.mp3", key=f"k{i}", fn=bytes, args=(1000 * (i + 1),))
        for i in range(n)
    ]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")
def test_every_staged_file_is_fsynced_on_the_builders_threads_before_its_rename(tmp_path, calls):
    builder = Committing(out=tmp_path)
    Flow(builder, (Stage("bulletins", jobs(6)),), SerialExecutor(), 0).run()
    assert sorted(builder.published) == sorted(f"a/{i}.mp3" for i in range(6))
    for i in range(6):
        assert (tmp_path / f"a/{i}.mp3").read_bytes() == bytes(1000 * (i + 1))
    renames = [(n, file) for n, (call, file, _) in enumerate(calls) if call == "rename"]
    assert len(renames) == 6
    for n, tmp in renames:
        fsyncs = [m for m, (call, file, _) in enumerate(calls) if call == "fsync" and file == tmp]
        assert fsyncs and fsyncs[0] < n, f"{tmp} renamed before its fsync"
    # The worker (here: this process's main thread) wrote them; the fsyncs ran on the
    # builder's own threads.
    assert {thread for call, _, thread in calls if call == "fsync"} <= {
        f"fsync_{i}" for i in range(8)
    }


def test_a_failed_fsync_stops_the_run_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path, monkeypatch
):
    old = tmp_path / "a" / "0.mp3"
    old.parent.mkdir()
    old.write_bytes(b"last week's bulletin")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    builder = Committing(out=tmp_path)
    with pytest.raises(OutputError) as raised:
        Flow(builder, (Stage("bulletins", jobs(1)),), SerialExecutor(), 0).run()
    assert str(old) in raised.value.message and "ổ đĩa đã đầy" in raised.value.message
    assert old.read_bytes() == b"last week's bulletin"
    assert sorted(p.name for p in old.parent.iterdir()) == ["0.mp3"]
    assert builder.published == []


def test_a_recipe_that_fails_is_reported_as_before(tmp_path):
    failing = Job(kind="leaflet", path="x.pdf", key="x", fn=fail_with, args=("hỏng",))
    builder = Committing(out=tmp_path)
    Flow(builder, (Stage("prints", [failing, *jobs(1)]),), SerialExecutor(), 0).run()
    assert builder.published == ["a/0.mp3"]
    [(path, exc)] = builder.failed
    assert path == "x.pdf" and isinstance(exc, ValueError) and str(exc) == "hỏng"


def test_a_file_staged_without_fsync_cannot_be_committed(tmp_path):
    staged = stage_bytes(tmp_path / "f.bin", b"data", sync=False)
    assert isinstance(staged, Staged) and not staged.synced
    with pytest.raises(ValueError, match="durable"):
        commit_staged(staged, tmp_path / "f.bin")
    commit_staged(atomic.make_durable(staged, tmp_path / "f.bin"), tmp_path / "f.bin")
    assert (tmp_path / "f.bin").read_bytes() == b"data"
