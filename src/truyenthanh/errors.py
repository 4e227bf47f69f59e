"""The one error hierarchy of truyenthanh.

Every message is Vietnamese (user-facing); every class says which stage failed (for
the run report) and which exit code the CLI ends with when it reaches the top.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

# The system's reasons a file or socket operation fails, as an officer reads them (the system
# gives them in English: "No such file or directory").
_OS_REASONS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không có quyền",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.ELOOP: "đường dẫn vòng qua liên kết tượng trưng",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENOMEM: "máy thiếu bộ nhớ",
    errno.EADDRINUSE: "đang có chương trình khác dùng",
    errno.EADDRNOTAVAIL: "máy này không có địa chỉ đó",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Vietnamese (the system's words when unknown)."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


@dataclass(frozen=True)
class Problem:
    """One problem found in the project, with its file and (where known) line."""

    file: str
    message: str
    line: int | None = None
    announcement: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class TruyenThanhError(Exception):
    """Base class: the message is a Vietnamese sentence for the user."""

    stage = "build"
    exit_code = 2  # an error that stops a command: invalid project or usage, nothing built

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProjectError(TruyenThanhError):
    """The project folder is invalid; carries every problem found, not just the first."""

    stage = "load"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Dự án có {len(self.problems)} lỗi:\n{lines}")


class ApprovalError(TruyenThanhError):
    stage = "approval"


class RenderError(TruyenThanhError):
    """A template that cannot be rendered. `detail` is the problem without the file, `line` the
    file's line where known (the body's templates), for `check`'s list of problems."""

    stage = "render"

    def __init__(self, message: str, detail: str | None = None, line: int | None = None):
        super().__init__(message)
        self.detail = detail or message
        self.line = line


class NormalizeError(TruyenThanhError):
    stage = "spoken_script"


class EngineError(TruyenThanhError):
    """A speech engine failed; the message says the probable cause and what to do."""

    stage = "speech"


class EngineUnavailable(EngineError):
    """The engine's dependency is missing on this machine."""


class AudioError(TruyenThanhError):
    stage = "audio"


class VoiceProfileError(AudioError):
    """A voice profile (voices/<name>.yaml) is missing or invalid."""


class PrintError(TruyenThanhError):
    stage = "print"


class ChannelError(TruyenThanhError):
    """An e-screen video, social card or portal post could not be made."""

    stage = "channels"


class BundleError(TruyenThanhError):
    stage = "bundle"


class OutputError(TruyenThanhError):
    """OUT cannot be written (full disk, no permission): what was published stays."""

    stage = "output"
    exit_code = 1


class LockHeldError(TruyenThanhError):
    """Another build holds the lock on OUT."""

    stage = "lock"
    exit_code = 3


class ClusterLost(TruyenThanhError):
    """The Dask scheduler went away mid-build: the item was not made (the next run makes it)."""

    stage = "executor"
    exit_code = 1


class WorkerLost(TruyenThanhError):
    """A local worker process died mid-job (the OOM killer, kill -9): the item was not made
    (the next run makes it)."""

    stage = "executor"
    exit_code = 1


class UsageError(TruyenThanhError):
    stage = "usage"
