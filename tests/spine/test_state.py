"""The SQLite build state: cheap warm checks, damage caught, crash- and fork-safe, migration."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time

import pytest

import truyenthanh.state as state_mod
from tests.buildutil import WEEK, build
from truyenthanh.layout import week_of
from truyenthanh.state import BuildState

OLD = 60  # seconds: a file written by an earlier build, well past the racy-clean window


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(
    state: BuildState, rel: str, data: bytes, key: str = "k1", age: int = OLD, **kw
) -> None:
    """Write `rel` as the builder would and record it; `age` backdates it (an earlier build)."""
    path = state.out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    state.record(rel, key, sha(data), {"n": 1}, **kw)


@pytest.fixture
def hashes(monkeypatch):
    """Count the files the state reads in full (the module's one hash function)."""
    calls: list = []
    real = state_mod.sha256_file

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(state_mod, "sha256_file", counting)
    return calls


def test_record_current_and_why_stale(tmp_path):
    state = BuildState(tmp_path)
    rel = f"{WEEK}/audio/thon-1/hop-dan.mp3"
    assert state.why_stale(rel, "k1") == "mới"
    (tmp_path / "loose.txt").write_text("x")
    assert state.why_stale("loose.txt", "k1") == "chưa có trạng thái"
    publish(
        state,
        rel,
        b"mp3 bytes",
        kind="audio",
        area="thon-1",
        announcement="hop-dan",
        week=week_of(rel),
    )
    entry = state.current(rel, "k1")
    assert entry is not None and entry.sha256 == sha(b"mp3 bytes") and entry.meta == {"n": 1}
    assert (entry.kind, entry.area, entry.announcement, entry.week) == (
        "audio",
        "thon-1",
        "hop-dan",
        WEEK,
    )
    st = os.stat(tmp_path / rel)
    assert (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert state.current(rel, "k2") is None
    assert state.why_stale(rel, "k2") == "đầu vào thay đổi"
    assert (tmp_path / ".state" / "state.sqlite3").is_file()


def test_warm_check_trusts_size_and_mtime_without_hashing(tmp_path, hashes):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    for _ in range(3):
        assert state.current("a.mp3", "k1") is not None
    assert hashes == []


def test_changed_content_same_size_new_mtime_is_stale(tmp_path, hashes):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    (tmp_path / "a.mp3").write_bytes(b"abd")  # a new mtime (now), same size
    assert state.current("a.mp3", "k1") is None
    assert len(hashes) == 1
    assert state.why_stale("a.mp3", "k1") == "tệp đầu ra bị thiếu hoặc hỏng"


def test_different_size_is_stale_without_reading_the_file(tmp_path, hashes):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    (tmp_path / "a.mp3").write_bytes(b"abcd")
    assert state.current("a.mp3", "k1") is None
    assert hashes == []


def test_touched_file_is_current_after_one_hash_then_stores_the_new_mtime(tmp_path, hashes):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    before = state.get("a.mp3").mtime_ns
    then = time.time() - 30  # `touch -d "30 seconds ago"`: new mtime, same bytes
    os.utime(tmp_path / "a.mp3", (then, then))
    entry = state.current("a.mp3", "k1")
    assert entry is not None and len(hashes) == 1
    new = os.stat(tmp_path / "a.mp3").st_mtime_ns
    assert new != before and entry.mtime_ns == new and state.get("a.mp3").mtime_ns == new
    assert state.current("a.mp3", "k1") is not None
    assert len(hashes) == 1  # the refreshed stat is trusted again


def test_rewrite_within_the_same_mtime_tick_is_caught(tmp_path, hashes):
    """Racy clean: a fresh file's stat is not trusted until its mtime is safely in the past."""
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc", age=0)
    st = os.stat(tmp_path / "a.mp3")
    (tmp_path / "a.mp3").write_bytes(b"abd")  # a coarse clock would give it the same mtime:
    os.utime(tmp_path / "a.mp3", ns=(st.st_atime_ns, st.st_mtime_ns))  # make that happen here
    assert state.current("a.mp3", "k1") is None
    assert len(hashes) == 1


def test_missing_file_is_stale(tmp_path, hashes):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    (tmp_path / "a.mp3").unlink()
    assert state.current("a.mp3", "k1") is None
    assert state.why_stale("a.mp3", "k1") == "tệp đầu ra bị thiếu hoặc hỏng"
    assert hashes == []


def test_verify_finds_same_size_same_mtime_corruption(tmp_path):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    publish(state, "b.mp3", b"xyz")
    st = os.stat(tmp_path / "a.mp3")
    (tmp_path / "a.mp3").write_bytes(b"abd")  # bit rot: the bytes change, size and mtime do not
    os.utime(tmp_path / "a.mp3", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert state.current("a.mp3", "k1") is not None  # the cheap check cannot see it (documented)
    assert state.verify(["b.mp3"]) == []
    assert state.verify() == ["a.mp3"]
    assert state.current("a.mp3", "k1") is None  # ...but after verify() the next build rebuilds it
    assert state.current("b.mp3", "k1") is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_database_is_moved_aside_and_state_starts_empty(tmp_path, caplog, damage):
    state = BuildState(tmp_path)
    with state.batch():
        for i in range(300):
            publish(state, f"f{i}.txt", b"x" * 100)
    state.close()
    db = tmp_path / ".state" / "state.sqlite3"
    if damage == "garbage":
        db.write_bytes(os.urandom(8192))
    else:
        db.write_bytes(db.read_bytes()[: 3 * 4096])
    caplog.set_level(logging.WARNING, logger="truyenthanh.state")
    state = BuildState(tmp_path)
    assert state.current("f299.txt", "k1") is None  # no exception: everything is rebuilt
    assert state.artifacts() == []
    broken = list(db.parent.glob("state.sqlite3.broken-*"))
    assert len(broken) == 1 and "bị hỏng" in caplog.text
    publish(state, "f0.txt", b"x" * 100)
    assert state.current("f0.txt", "k1") is not None


def test_unreadable_meta_is_treated_as_missing(tmp_path):
    state = BuildState(tmp_path)
    publish(state, "a.mp3", b"abc")
    publish(state, "b.mp3", b"abc")
    with sqlite3.connect(state.db_path) as db:
        db.execute("UPDATE artifacts SET meta = '[1, 2' WHERE path = 'a.mp3'")
    assert state.get("a.mp3") is None and state.current("a.mp3", "k1") is None
    assert [e.path for e in state.artifacts()] == ["b.mp3"]


def test_record_in_a_forked_child_is_seen_by_the_parent(tmp_path):
    state = BuildState(tmp_path)
    publish(state, "parent.txt", b"p")  # the parent's connection is open before the fork
    pid = os.fork()
    if pid == 0:  # child: the inherited connection must not be used; it opens its own
        code = 1
        try:
            publish(state, "child.txt", b"c")
            code = 0 if state.current("parent.txt", "k1") else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert state.current("child.txt", "k1") is not None  # the parent's connection still works
    assert [e.path for e in state.artifacts()] == ["child.txt", "parent.txt"]


def test_batch_commits_whole(tmp_path):
    state, reader = BuildState(tmp_path), BuildState(tmp_path)
    publish(state, "first.txt", b"0")
    with state.batch():
        for i in range(50):
            publish(state, f"t/{i:02}.txt", b"x")
        with state.batch():  # nesting joins the outer transaction
            publish(state, "t/nested.txt", b"x")
        assert len(reader.artifacts()) == 1  # nothing visible before the commit
    assert len(reader.artifacts()) == 52
    with pytest.raises(RuntimeError):
        with state.batch():
            publish(state, "u.txt", b"x")
            raise RuntimeError("a later publish failed")
    assert reader.current("u.txt", "k1") is not None  # a published file's record is kept


def test_migrates_the_former_json_records_once(tmp_path, hashes):
    legacy = tmp_path / ".state" / "artifacts"
    for rel, data in ((f"{WEEK}/a.mp3", b"abc"), ("index.html", b"<html>")):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
        name = hashlib.sha1(rel.encode()).hexdigest()
        record = legacy / name[:2] / f"{name}.json"
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(
            json.dumps({"path": rel, "key": "k1", "sha256": sha(data), "meta": {"m": 1}})
        )
    (legacy / "zz.json").write_text("{garbage")
    state = BuildState(tmp_path)
    entry = state.get(f"{WEEK}/a.mp3")
    assert (
        entry is not None and entry.meta == {"m": 1} and entry.size is None and entry.week == WEEK
    )
    assert not legacy.exists()
    assert [e.path for e in state.artifacts()] == [f"{WEEK}/a.mp3", "index.html"]
    assert state.current(f"{WEEK}/a.mp3", "k1") is not None
    assert len(hashes) == 1  # size/mtime unknown: the first check hashes


def test_artifacts_of_one_week_ordered_by_path_and_forget(tmp_path):
    state = BuildState(tmp_path)
    for rel in (f"{WEEK}/b.txt", "2023-W09/a.txt", f"{WEEK}/a.txt", "index.html"):
        publish(state, rel, b"x", week=week_of(rel))
    assert [e.path for e in state.artifacts(week=WEEK)] == [f"{WEEK}/a.txt", f"{WEEK}/b.txt"]
    assert [e.path for e in state.artifacts()] == [
        f"{WEEK}/a.txt",
        f"{WEEK}/b.txt",
        "2023-W09/a.txt",
        "index.html",
    ]
    state.forget(f"{WEEK}/a.txt")
    assert state.get(f"{WEEK}/a.txt") is None
    assert [e.path for e in state.artifacts(week=WEEK)] == [f"{WEEK}/b.txt"]
    assert week_of("index.html") is None and week_of("2023-W9/x") is None


def test_reads_create_nothing_and_close_reopens(tmp_path):
    out = tmp_path / "out"
    with BuildState(out) as state:
        assert (
            state.get("a") is None and state.current("a", "k") is None and state.artifacts() == []
        )
        assert not out.exists()  # a dry run writes nothing
        publish(state, "a.txt", b"x")
    assert state._conn is None
    assert state.current("a.txt", "k1") is not None  # opened again lazily


def test_database_is_in_wal_mode(tmp_path):
    publish(BuildState(tmp_path), "a.txt", b"x")
    with sqlite3.connect(tmp_path / ".state" / "state.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_build_records_kind_area_announcement_and_week(commune_project, out_dir):
    assert build(commune_project, out_dir)[0] == 0
    entries = BuildState(out_dir).artifacts(week=WEEK)
    audio = [e for e in entries if e.kind == "audio"]
    assert audio and all(e.area and e.announcement and e.week == WEEK for e in audio)
    assert {"text", "bundle", "bulletin"} <= {e.kind for e in entries}
    assert BuildState(out_dir).get("index.html").week is None


def test_published_file_is_trusted_at_once_and_a_same_tick_rewrite_is_still_caught(
    tmp_path, hashes
):
    """The builder's stamp: a file it just wrote needs no hash on the next build, yet another
    write right after it (even one that keeps the size) is seen, because it gets the real time."""
    from truyenthanh.atomic import atomic_write_bytes

    state = BuildState(tmp_path)
    atomic_write_bytes(tmp_path / "a.mp3", b"abc", mtime_ns=state.stamp())
    state.record("a.mp3", "k1", sha(b"abc"))
    assert state.current("a.mp3", "k1") is not None
    assert hashes == []
    (tmp_path / "a.mp3").write_bytes(b"abd")  # same size, a moment later
    assert state.current("a.mp3", "k1") is None
    assert len(hashes) == 1


def test_warm_build_after_a_cold_one_hashes_nothing(commune_project, out_dir, hashes):
    assert build(commune_project, out_dir)[0] == 0
    hashes.clear()
    code, report, _ = build(commune_project, out_dir)
    assert code == 0
    assert [a["path"] for a in report["artifacts"] if a["built"]] == ["index.html"]
    assert hashes == []


def test_directories_are_synced_once_per_commit_before_it(tmp_path, monkeypatch):
    """A file's rename is made durable (its directory fsynced) before the record of the file
    commits: once per directory in a batch, at once outside one. `seen` is what another
    connection can read at the moment of each sync: nothing of the records yet."""
    state, reader = BuildState(tmp_path), BuildState(tmp_path)
    synced: list[tuple[str, int]] = []
    monkeypatch.setattr(
        state_mod, "fsync_dir", lambda d: synced.append((str(d), len(reader.artifacts())))
    )
    with state.batch():
        for i in range(4):
            publish(state, f"a/{i}.txt", b"x")
        publish(state, "b/0.txt", b"y")
        assert synced == []  # nothing synced file by file
    assert sorted(synced) == [(str(tmp_path / "a"), 0), (str(tmp_path / "b"), 0)]
    assert len(reader.artifacts()) == 5
    synced.clear()
    publish(state, "c/0.txt", b"z")  # outside a batch: synced before its own commit
    assert synced == [(str(tmp_path / "c"), 5)] and len(reader.artifacts()) == 6
