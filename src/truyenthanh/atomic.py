"""The one way files under OUT (and the speech cache) are written.

Write to a temporary file in the same directory, fsync, then `os.replace`: a
reader, a crash or a full disk never leaves a half-written file under the final
name, and the previous version stays until the new one is complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from truyenthanh.errors import OutputError, os_reason

WRITEV_MAX = min(os.sysconf("SC_IOV_MAX"), 1024) if hasattr(os, "sysconf") else 16


class Pieces(tuple):
    """A file's bytes as consecutive buffers, written one after another and never joined.

    A bundle is ~27 MB of members read from disk plus a few kB of headers; assembling them in
    one buffer cost ~37 ms a bundle in a worker (a fresh 28 MB buffer zeroed, then moved to a
    larger one when the archive outgrew it) for bytes that only go to a file and a hash."""

    @property
    def size(self) -> int:
        return sum(memoryview(piece).nbytes for piece in self)

    def __bytes__(self) -> bytes:
        return b"".join(self)


Data = bytes | bytearray | memoryview | Pieces


def size_of(data: Data) -> int:
    return data.size if isinstance(data, Pieces) else memoryview(data).nbytes


def _write_all(fh: IO, data: Data) -> None:
    if not isinstance(data, Pieces):
        fh.write(data)
        return
    # One writev for a bulletin's ~80 pieces instead of a write each (~1 ms a bulletin).
    fh.flush()
    views = [memoryview(piece).cast("B") for piece in data if len(piece)]
    first = 0
    while first < len(views):
        written = os.writev(fh.fileno(), views[first : first + WRITEV_MAX])
        while written and written >= len(views[first]):
            written -= len(views[first])
            first += 1
        if written:  # a short write ended inside this piece
            views[first] = views[first][written:]


@contextlib.contextmanager
def atomic_writer(
    path: Path | str,
    mode: str = "wb",
    mtime_ns: int | None = None,
    sync_dir: bool = True,
) -> Iterator[IO]:
    """Yield a file object; on clean exit it atomically becomes `path` (with `mtime_ns`, if given,
    as its modification time: see BuildState.stamp).

    `sync_dir=False` leaves the directory's fsync (which makes the rename durable) to the
    caller: the builder's state syncs each directory once before committing the records of
    the files in it (state.py), instead of once per file. Which files stay in the page cache
    afterwards is the builder's to say (pagecache.py)."""
    path = Path(path)
    with _temp_beside(path, mode, mtime_ns) as (fh, tmp):
        yield fh
    commit_staged(Staged(tmp, 0), path, sync_dir)


def release_pages(fd: int) -> None:
    """Tell the kernel that the (clean, fsynced) pages of the open file `fd` will not be read
    again soon, so that it frees them now instead of letting a week's gigabytes of output
    crowd the page cache (a national run writes ~200 GB; rsync's and backup tools'
    "drop cache" do the same). Which files, and when: pagecache.py.

    The next write then reuses those pages. That is most of the gain on a VM whose freed memory
    goes back to its host (virtio-balloon free page reporting, as on the development machine):
    there a write into memory the guest never touched faults every page in from the host.
    Measured there, writing and fsyncing 27 MB twenty times: 118 ms a write into new memory
    against 17 ms with the previous file's pages released. Not every system has the call."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def release_file(path: Path | str) -> None:
    """`release_pages` for a file by name, once its last reader in the build is done with it."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            release_pages(fd)
        finally:
            os.close(fd)


def _mkstemp_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in `path`'s directory, made first if missing. Tried before the
    directory is made: almost always it exists already, and the mkdir that asked first cost
    ~0.7 ms a file in a build's busy directories (it waits on the directory's lock)."""
    prefix = f".{path.name}."
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")


@contextlib.contextmanager
def _temp_beside(
    path: Path, mode: str, mtime_ns: int | None, sync: bool = True
) -> Iterator[tuple[IO, str]]:
    """A temporary file in `path`'s directory: complete and fsynced when the block ends well,
    removed when it fails. Without `sync`, not fsynced: the caller makes it durable
    (`make_durable`) before it is committed."""
    try:
        fd, tmp = _mkstemp_beside(path)
    except OSError as exc:
        raise _output_error(path, exc) from None
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(
            fd, mode, encoding=encoding, newline=None if encoding is None else "\n"
        ) as fh:
            yield fh, tmp
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if mtime_ns is not None:
            os.utime(tmp, ns=(mtime_ns, mtime_ns))
    except OSError as exc:
        _discard(tmp)
        raise _output_error(path, exc) from None
    except BaseException:
        _discard(tmp)
        raise


def atomic_write_bytes(
    path: Path | str,
    data: Data,
    mtime_ns: int | None = None,
    sync_dir: bool = True,
) -> None:
    with atomic_writer(path, "wb", mtime_ns, sync_dir) as fh:
        _write_all(fh, data)


@dataclass(frozen=True)
class Staged:
    """The first half of an atomic write: the whole file under a temporary name beside its
    final path; fsynced if `synced`, else `make_durable` must come first. `commit_staged`
    renames it into place."""

    tmp: str
    size: int
    synced: bool = True


def stage_bytes(
    path: Path | str,
    data: Data,
    mtime_ns: int | None = None,
    sync: bool = True,
) -> Staged:
    """Write `data` to a temporary file beside `path`, fsynced unless not `sync` (a local
    worker does this, so the writes of a week's gigabytes run on every core, not one after
    another in the builder). A temporary file left by a killed build is swept by the next one."""
    with _temp_beside(Path(path), "wb", mtime_ns, sync) as (fh, tmp):
        _write_all(fh, data)
    return Staged(tmp, size_of(data), synced=sync)


def make_durable(staged: Staged, path: Path | str) -> Staged:
    """fsync a file staged without it, by its temporary name: any descriptor's fsync writes the
    file's data. On failure the temporary file is removed and OutputError names `path`, the
    file it was to become."""
    if staged.synced:
        return staged
    try:
        _fsync_path(staged.tmp)
    except OSError as exc:
        _discard(staged.tmp)
        raise _output_error(Path(path), exc) from None
    return Staged(staged.tmp, staged.size, synced=True)


def commit_staged(staged: Staged, path: Path | str, sync_dir: bool = True) -> None:
    """The second half: the staged file becomes `path`, atomically. Never before its data is
    on disk: a rename that reached the disk before the data could leave, after a power cut,
    an empty or partial file under the final name in place of last week's good one."""
    path = Path(path)
    if not staged.synced:
        raise ValueError(f"{staged.tmp}: committed before it was made durable")
    try:
        os.replace(staged.tmp, path)
    except OSError as exc:
        _discard(staged.tmp)
        raise _output_error(path, exc) from None
    if sync_dir:
        fsync_dir(path.parent)


def atomic_write_text(path: Path | str, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def fsync_dir(directory: Path | str) -> None:
    # Makes the rename itself durable; not every filesystem allows it.
    with contextlib.suppress(OSError):
        _fsync_path(directory)


def _fsync_path(path: Path | str) -> None:
    """fsync a file or directory by name (any descriptor's fsync writes its data)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _output_error(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        why = "ổ đĩa đã đầy; hãy giải phóng dung lượng rồi chạy lại"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "không có quyền ghi; kiểm tra quyền của thư mục đầu ra"
    else:
        why = os_reason(exc)
    return OutputError(f"Không ghi được tệp {path}: {why}.")
