"""Build state: which key produced which published file, in one SQLite database.

OUT/.state/state.sqlite3 holds one row per published artifact: its path, the key
that produced it, the SHA-256 of its bytes, its meta (JSON), what it is (kind,
area, announcement, week) and the size and mtime (ns) of the file right after it
was written.

Crash safety. The builder writes a file atomically (fsynced, renamed) and only
then records it, one short transaction per record (the directories of the files
recorded are fsynced, making their renames durable, before the records commit);
the database runs in WAL mode with synchronous=FULL, so a committed record
survives a power cut and a build killed at any moment leaves a readable database
that lacks at most the record of the file being written (which is simply rebuilt). `batch()` groups many cheap
records into one transaction: it commits whole or not at all. A damaged database
file never stops a build: it is moved aside to `state.sqlite3.broken-<time>` and
the build starts from an empty state, i.e. rebuilds everything, which is safe.

When is a file current? Its record's key matches and the file is intact. Hashing
every published file on every warm build (tens of GB) is what made the old JSON
state slow, so intact is decided like git decides a file is unchanged:

* size and mtime_ns as recorded -> intact, without reading the file;
* otherwise the file is hashed: the recorded SHA-256 -> intact (and the new size
  and mtime are stored, so the next check is cheap again); different -> stale;
* a missing file is stale.

Any write through the filesystem changes the mtime (and usually the size), so a
replaced, rewritten or truncated file is caught by the cheap check. What it cannot
see is a change that keeps both size and mtime: bit rot on the disk, or someone
restoring the mtime on purpose (`touch -d`, `os.utime`). `verify()` hashes every
file and catches those too; an officer can run it now and then, and what it finds
is rebuilt by the next build.

One refinement, again from git ("racy clean"): with a coarse filesystem clock a
file rewritten within the same clock tick as its recorded mtime keeps that mtime.
So the stat is trusted only once it was taken at least RACY_NS after the file's
mtime: a file found with a fresh mtime is hashed once and its settled stat stored;
from then on it is checked by stat alone.

The builder avoids even that one hash for what it publishes itself: it gives each
file it writes a stamped mtime, RACY_NS in the past (`stamp()`), before the atomic
rename. A later write by anyone gets the then-current time as its mtime, never the
stamp, so a rewrite in the same clock tick is still caught; and the first warm
build after a cold one trusts the stat straight away instead of re-reading every
file it just wrote (a national week of bundles is tens of GB).

The connection is opened lazily by the process that uses it and never shared
across fork(): a child that inherits a BuildState opens its own connection.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from truyenthanh.atomic import fsync_dir
from truyenthanh.errors import OutputError, os_reason
from truyenthanh.keys import sha256_file
from truyenthanh.layout import STATE_DIR, week_of

log = logging.getLogger(__name__)

DB_NAME = "state.sqlite3"
LEGACY_DIR = "artifacts"  # the former one-JSON-file-per-artifact state
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000  # a reader (download page, verify) may hold the database briefly
# A stat is trusted once taken this long after the file's mtime (racy clean, above):
# the coarsest common mtime granularity, 2 s on FAT/exFAT USB disks (1 s on ext3, HFS+).
RACY_NS = 2_000_000_000

_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
# Connections inherited across fork(): closing one in the child could checkpoint or
# unlock the parent's database, so they are kept alive and never touched again.
_INHERITED: list[sqlite3.Connection] = []

_SCHEMA = """
CREATE TABLE IF NOT EXISTS artifacts (
    path TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    checked_ns INTEGER,  -- wall clock just before size/mtime_ns were taken (racy-clean rule)
    kind TEXT,
    area TEXT,
    announcement TEXT,
    week TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifacts_week ON artifacts(week);
"""
_COLUMNS = "path, key, sha256, meta, kind, area, announcement, week, size, mtime_ns, checked_ns"

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    path: str
    key: str
    sha256: str
    meta: dict
    kind: str | None = None
    area: str | None = None
    announcement: str | None = None
    week: str | None = None
    size: int | None = None
    mtime_ns: int | None = None


class BuildState:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.dir = self.out / STATE_DIR
        self._root = str(self.out)  # plain strings: pathlib costs a third of a warm check
        self._unsynced: set[str] = set()  # directories of records not committed yet
        self.db_path = self.dir / DB_NAME
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._depth = 0  # nesting of batch(); > 0 means a transaction is open

    @staticmethod
    def stamp() -> int:
        """The mtime (ns) the builder gives a file it publishes: RACY_NS before now (module doc)."""
        return time.time_ns() - RACY_NS

    # -- reading --------------------------------------------------------------------
    def get(self, rel: str) -> Entry | None:
        found = self._row(rel)
        return found[0] if found else None

    def current(self, rel: str, key: str) -> Entry | None:
        """The entry of `rel` if it was made with `key` and the file is intact, else None."""
        found = self._row(rel)
        if found is None or found[0].key != key:
            return None
        return self._intact(*found)

    def why_stale(self, rel: str, key: str) -> str:
        entry = self.get(rel)
        if entry is None:
            return "mới" if not (self.out / rel).exists() else "chưa có trạng thái"
        if entry.key != key:
            return "đầu vào thay đổi"
        return "tệp đầu ra bị thiếu hoặc hỏng"

    def artifacts(
        self, week: str | None = None, kinds: tuple[str, ...] | None = None
    ) -> list[Entry]:
        """Every recorded artifact (of one ISO week, of these kinds, if given), ordered by path."""
        if not self._exists():
            return []
        sql = f"SELECT {_COLUMNS} FROM artifacts"
        wheres, params = [], []
        if week is not None:
            wheres.append("week = ?")
            params.append(week)
        if kinds is not None:
            wheres.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if wheres:
            sql += " WHERE " + " AND ".join(wheres)
        rows = self._run(lambda db: db.execute(sql + " ORDER BY path", params).fetchall())
        return [found[0] for found in map(_entry, rows) if found is not None]

    def all_current(self) -> bool:
        """True when every recorded file is intact by the warm check of `current` (size and
        settled mtime; a file whose mtime alone moved is hashed once and its stat stored)."""
        if not self._exists():
            return False
        rows = self._run(lambda db: db.execute(f"SELECT {_COLUMNS} FROM artifacts").fetchall())
        if not rows:
            return False
        with self.batch():
            for row in rows:
                found = _entry(row)
                if found is None or self._intact(*found) is None:
                    return False
        return True

    def verify(self, paths: list[str] | None = None) -> list[str]:
        """Hash every recorded file (or just `paths`); return those whose bytes no longer match.

        The only check that sees a change which kept size and mtime. A damaged file
        loses its stored stat, so the next build hashes it, finds it stale and rebuilds it.
        """
        entries = (
            self.artifacts()
            if paths is None
            else [e for e in map(self.get, sorted(set(paths))) if e]
        )
        if not entries:
            return []
        damaged, settled = [], []
        for entry in entries:
            before = time.time_ns()
            st = _stat(self._file(entry.path))
            if st is not None and sha256_file(self._file(entry.path)) == entry.sha256:
                settled.append((st.st_size, st.st_mtime_ns, before, entry.path, entry.sha256))
            else:
                damaged.append(entry.path)
        with self.batch():
            self._run(
                lambda db: db.executemany(
                    "UPDATE artifacts SET size = ?, mtime_ns = ?, checked_ns = ? WHERE path = ? AND sha256 = ?",
                    settled,
                )
            )
            self._run(
                lambda db: db.executemany(
                    "UPDATE artifacts SET size = NULL, mtime_ns = NULL, checked_ns = NULL WHERE path = ?",
                    [(p,) for p in damaged],
                )
            )
        if damaged:
            log.warning("%d tệp đã công bố không còn khớp mã SHA-256 đã ghi nhận", len(damaged))
        return damaged

    # -- writing --------------------------------------------------------------------
    def record(
        self,
        rel: str,
        key: str,
        sha256: str,
        meta: dict | None = None,
        *,
        kind: str | None = None,
        area: str | None = None,
        announcement: str | None = None,
        week: str | None = None,
    ) -> None:
        """Record `rel` (already written, atomically) as made by `key`: one transaction, or part of batch()."""
        before = time.time_ns()
        path = self._file(rel)
        if self._depth:
            self._unsynced.add(os.path.dirname(path))  # synced once, before the commit
        else:
            fsync_dir(os.path.dirname(path))
        st = _stat(path)
        size, mtime = (st.st_size, st.st_mtime_ns) if st else (None, None)
        row = (
            rel,
            key,
            sha256,
            json.dumps(meta or {}, ensure_ascii=False),
            kind,
            area,
            announcement,
            week,
            size,
            mtime,
            before if st else None,
        )
        self._run(
            lambda db: db.execute(
                f"INSERT OR REPLACE INTO artifacts ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        )

    def forget(self, rel: str) -> None:
        self._run(lambda db: db.execute("DELETE FROM artifacts WHERE path = ?", (rel,)))

    @contextlib.contextmanager
    def batch(self) -> Iterator[BuildState]:
        """Group the records made inside into one transaction (nesting joins the outer one).

        It commits even when the block raises: every record describes a file that was
        already published whole, so keeping it only saves a rebuild.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._run(lambda db: db.execute("BEGIN IMMEDIATE"))
        self._depth = 1
        try:
            yield self
        finally:
            self._depth = 0
            self._commit()

    def checkpoint(self) -> None:
        """Inside batch(): commit what is recorded so far and go on in a new transaction."""
        if self._depth:
            self._commit()
            self._run(lambda db: db.execute("BEGIN IMMEDIATE"))

    # -- connection -----------------------------------------------------------------
    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn, self._pid, self._depth = None, None, 0

    def __enter__(self) -> BuildState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _db(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self._conn is not None:  # inherited through fork(): leave it to the parent
            _INHERITED.append(self._conn)
            self._conn = None
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
            self._move_aside(exc)
            conn = self._connect()
        self._conn, self._pid = conn, os.getpid()
        if self._depth:  # a batch is open in this process: continue it on the new connection
            conn.execute("BEGIN IMMEDIATE")
        return conn

    def _connect(self) -> sqlite3.Connection:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._error(exc) from None
        # isolation_level=None: autocommit, so each statement outside batch() is its own transaction
        conn = sqlite3.connect(self.db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")  # first read of the file: garbage fails here
            # FULL: each commit is fsynced, so a record made right after a publish survives a
            # power cut like the file it describes (NORMAL could lose the last records and
            # force rebuilds of expensive bundles); batch() keeps the fsync count low.
            conn.execute("PRAGMA synchronous = FULL")
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
            conn.execute(
                "SELECT count(*) FROM artifacts WHERE path = ''"
            ).fetchone()  # the table is readable
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run `op` on the database; a damaged database is moved aside and `op` retried on a fresh one."""
        try:
            try:
                return op(self._db())
            except sqlite3.DatabaseError as exc:
                if not _corrupt(exc):
                    raise
                self._reset(exc)
                return op(self._db())
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def _commit(self) -> None:
        conn = self._conn
        if conn is None or self._pid != os.getpid() or not conn.in_transaction:
            return
        for directory in self._unsynced:  # the renames first: a record never outlives its file
            fsync_dir(directory)
        self._unsynced.clear()
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if not _corrupt(exc):
                raise self._error(exc) from None
            self._reset(exc)  # the batch's records are lost: those files are rebuilt

    def _reset(self, exc: sqlite3.DatabaseError) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
        self._conn = None
        self._move_aside(exc)

    def _move_aside(self, exc: sqlite3.DatabaseError) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        broken = self.db_path.with_name(f"{DB_NAME}.broken-{stamp}")
        n = 1
        while broken.exists():
            n += 1
            broken = self.db_path.with_name(f"{DB_NAME}.broken-{stamp}-{n}")
        log.warning(
            "trạng thái bản dựng %s bị hỏng (%s); đã chuyển sang %s, mọi tệp sẽ được dựng lại",
            self.db_path,
            exc,
            broken.name,
        )
        # The WAL and shared-memory files belong to the broken database; a new database
        # must never replay them.
        for suffix in ("", "-wal", "-shm"):
            src = self.db_path.with_name(DB_NAME + suffix)
            try:
                os.replace(src, broken.with_name(broken.name + suffix))
            except FileNotFoundError:
                pass
            except OSError as err:
                raise self._error(err) from None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Import the former JSON records once, then remove them.

        Re-running after a crash is harmless: rows already in the database win
        (INSERT OR IGNORE), and the directory is removed only after the commit.
        Size and mtime are unknown, so the first check of each file hashes it.
        """
        legacy = self.dir / LEGACY_DIR
        if not legacy.is_dir():
            return
        rows = [row for row in map(_legacy_row, legacy.rglob("*.json")) if row is not None]
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT OR IGNORE INTO artifacts (path, key, sha256, meta, week) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        shutil.rmtree(legacy, ignore_errors=True)
        log.info("imported %d build records from %s into %s", len(rows), legacy, self.db_path.name)

    def _error(self, exc: sqlite3.DatabaseError | OSError) -> OutputError:
        """The Vietnamese error a user sees when the state cannot be read or written."""
        if isinstance(exc, OSError):
            full, denied, busy = (
                exc.errno == errno.ENOSPC,
                exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS),
                False,
            )
            detail = os_reason(exc)
        else:
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            full = code == sqlite3.SQLITE_FULL
            denied = code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN)
            busy = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            detail = str(exc)
        if full:
            why = "ổ đĩa đã đầy; hãy giải phóng dung lượng rồi chạy lại"
        elif denied:
            why = "không có quyền ghi; kiểm tra quyền của thư mục đầu ra"
        elif busy:
            why = "một tiến trình khác đang giữ cơ sở dữ liệu trạng thái; hãy chạy lại sau"
        else:
            why = detail
        return OutputError(f"Không đọc hoặc ghi được trạng thái dựng {self.db_path}: {why}.")

    # -- internals ------------------------------------------------------------------
    def _file(self, rel: str) -> str:
        return os.path.join(self._root, rel)

    def _exists(self) -> bool:
        """False while there is no state at all: reads then need not create the database."""
        return self._conn is not None or self.db_path.exists() or (self.dir / LEGACY_DIR).is_dir()

    def _row(self, rel: str) -> tuple[Entry, int | None] | None:
        if not self._exists():
            return None
        row = self._run(
            lambda db: db.execute(
                f"SELECT {_COLUMNS} FROM artifacts WHERE path = ?", (rel,)
            ).fetchone()
        )
        return _entry(row) if row else None

    def _intact(self, entry: Entry, checked_ns: int | None) -> Entry | None:
        before = time.time_ns()  # taken before the stat: see the racy-clean rule above
        st = _stat(self._file(entry.path))
        if st is None:
            return None
        if entry.size is not None and st.st_size != entry.size:
            return None  # a different length is different content: no need to read it
        if (
            st.st_mtime_ns == entry.mtime_ns
            and checked_ns is not None
            and checked_ns - entry.mtime_ns >= RACY_NS
        ):
            return entry
        if sha256_file(self._file(entry.path)) != entry.sha256:
            return None
        self._run(
            lambda db: db.execute(
                "UPDATE artifacts SET size = ?, mtime_ns = ?, checked_ns = ? WHERE path = ? AND sha256 = ?",
                (st.st_size, st.st_mtime_ns, before, entry.path, entry.sha256),
            )
        )
        return replace(entry, size=st.st_size, mtime_ns=st.st_mtime_ns)


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    """The database file itself is damaged (not merely busy, full or unwritable)."""
    return ((getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF) in _CORRUPT_CODES


def _stat(path: str) -> os.stat_result | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def _entry(row: tuple) -> tuple[Entry, int | None] | None:
    """A database row as (Entry, checked_ns); None when its meta is unreadable (= no record)."""
    path, key, sha, meta_text, kind, area, announcement, week, size, mtime, checked = row
    try:
        meta = json.loads(meta_text)
    except (TypeError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    return Entry(path, key, sha, meta, kind, area, announcement, week, size, mtime), checked


def _legacy_row(record: Path) -> tuple[str, str, str, str, str | None] | None:
    try:
        raw: Any = json.loads(record.read_text(encoding="utf-8"))
        path, key, sha = str(raw["path"]), str(raw["key"]), str(raw["sha256"])
        meta = json.dumps(raw.get("meta") or {}, ensure_ascii=False)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged record was already "rebuild", never a crash
    return path, key, sha, meta, week_of(path)
