"""One build at a time per OUT.

`fcntl.flock` on OUT/.lock: the kernel releases it when the holder dies, so a
stale lock from a killed build is taken over automatically; the pid written into
the file is only for the message shown to the second officer.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from truyenthanh.errors import LockHeldError, OutputError, os_reason


class BuildLock:
    def __init__(self, out: Path):
        self.path = out / ".lock"
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"Không tạo được thư mục đầu ra {self.path.parent}: {os_reason(exc)}."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise LockHeldError(
                f"Một lần dựng khác (tiến trình {holder}) đang chạy trên {self.path.parent}; "
                "hãy chờ nó xong rồi chạy lại."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
