"""Atomic writes keep the previous file; the lock admits one build; state survives damage."""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from tests.conftest import lock_held
from truyenthanh.atomic import atomic_write_bytes, atomic_writer
from truyenthanh.errors import LockHeldError, OutputError
from truyenthanh.lock import BuildLock
from truyenthanh.state import BuildState


def test_failure_mid_write_keeps_previous_file(tmp_path):
    target = tmp_path / "bundle.zip"
    atomic_write_bytes(target, b"old and good")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write(b"half of the new")
            raise RuntimeError("killed mid-write")
    assert target.read_bytes() == b"old and good"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.zip"]  # no temp file left behind


def test_unwritable_dir_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits: use a path under a regular file instead
        blocker = tmp_path / "file"
        blocker.write_text("x")
        target = blocker / "sub" / "a.txt"
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = ro / "a.txt"
    with pytest.raises(OutputError) as exc:
        atomic_write_bytes(target, b"x")
    assert "Không ghi được tệp" in exc.value.message


def test_lock_excludes_a_second_holder(tmp_path):
    with lock_held(tmp_path) as pid:
        with pytest.raises(LockHeldError) as exc:
            with BuildLock(tmp_path):
                pass
        assert f"tiến trình {pid}" in exc.value.message
    with BuildLock(tmp_path):  # the dead holder's lock is taken over
        pass


def test_stale_lock_file_is_taken_over(tmp_path):
    (tmp_path / ".lock").write_text("999999\n")
    with BuildLock(tmp_path):
        assert (tmp_path / ".lock").read_text().strip() == str(os.getpid())


def test_state_detects_damaged_output_and_records(tmp_path):
    state = BuildState(tmp_path)
    atomic_write_bytes(tmp_path / "a.mp3", b"abc")
    import hashlib

    state.record("a.mp3", "k1", hashlib.sha256(b"abc").hexdigest())
    assert state.current("a.mp3", "k1") is not None
    assert state.current("a.mp3", "k2") is None
    (tmp_path / "a.mp3").write_bytes(b"abd")
    assert state.current("a.mp3", "k1") is None
    with sqlite3.connect(state.db_path) as db:  # damage the stored record itself
        db.execute("UPDATE artifacts SET meta = '{garbage' WHERE path = 'a.mp3'")
    assert state.get("a.mp3") is None


@pytest.mark.parametrize("size", [10, 3 << 20])  # under and over the size hashed on a thread
def test_a_file_and_its_pieces_are_written_and_hashed_alike(tmp_path, size):
    from truyenthanh.atomic import Pieces, commit_staged, stage_bytes
    from truyenthanh.keys import digests_while, sha256_bytes

    data = os.urandom(size)
    pieces = Pieces((data[:3], memoryview(data)[3 : size // 2], data[size // 2 :], b""))
    assert bytes(pieces) == data and pieces.size == size
    expected = hashlib.sha256(data).hexdigest()
    assert sha256_bytes(data) == sha256_bytes(pieces) == expected
    digest, _, staged = digests_while(pieces, lambda: stage_bytes(tmp_path / "a.bin", pieces))
    assert digest == expected and staged.size == size
    commit_staged(staged, tmp_path / "a.bin")
    atomic_write_bytes(tmp_path / "b.bin", pieces)
    assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "b.bin").read_bytes() == data

    def fails():
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):  # the hash thread is joined, the error kept
        digests_while(data, fails)


@pytest.mark.parametrize("size", [10, 3 << 20])
def test_a_bundle_member_is_staged_with_its_crc32_summed_beside_the_write(tmp_path, size):
    import zlib

    from truyenthanh.atomic import Pieces
    from truyenthanh.job import CRC32, as_bytes, made

    data = os.urandom(size)
    pieces = Pieces((data[:5], data[5:]))
    staged, meta, digest, _ = made(lambda: pieces, as_bytes, str(tmp_path / "b.mp3"), True, None)
    assert meta[CRC32] == zlib.crc32(data) and digest == hashlib.sha256(data).hexdigest()
    assert open(staged.tmp, "rb").read() == data
    _, meta, _, _ = made(lambda: data, as_bytes, str(tmp_path / "c.mp3"), False, None)
    assert CRC32 not in meta  # only the files a bundle stores need it


def test_pieces_survive_short_writes(tmp_path, monkeypatch):
    """os.writev may write less than asked (a signal, a pipe, some filesystems): the rest follows."""
    from truyenthanh.atomic import Pieces, atomic_write_bytes

    real_write = os.write

    def a_third_at_most(fd, views):
        data = b"".join(bytes(v) for v in views)
        return real_write(fd, data[: max(1, len(data) // 3)])

    monkeypatch.setattr(os, "writev", a_third_at_most)
    data = os.urandom(100_000)
    atomic_write_bytes(tmp_path / "f", Pieces((data[:10], data[10:50_000], b"", data[50_000:])))
    assert (tmp_path / "f").read_bytes() == data
