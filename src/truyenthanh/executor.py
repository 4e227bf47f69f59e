"""Where per-item work runs: a small `concurrent.futures`-shaped interface.

The stages submit pure, picklable functions; the executor decides where they run.
`serial` runs in-process (`--jobs 1`, debugging), `process` uses a local process
pool (together: the `local` executor), `dask` a Dask distributed cluster
(`pip install truyenthanh[dask]`): its Client has the same submit/result shape,
retries a task whose worker died on another worker, and is wrapped here so that
a lost scheduler becomes a Vietnamese failure per item, never a hang or a
traceback. Remote workers share no file system with this machine:
`shipping.py` packs what each job reads and unpacks what it returns.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from logging.handlers import QueueHandler, QueueListener
from multiprocessing import forkserver
from typing import Any, Protocol

from truyenthanh.errors import ClusterLost, TruyenThanhError, UsageError

log = logging.getLogger(__name__)

EXECUTOR_NAMES = ("local", "dask")  # what --executor and build.executor accept


class Executor(Protocol):
    name: str

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future: ...  # anything with .result()

    def shutdown(self) -> None: ...


class SerialExecutor:
    name = "serial"
    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # delivered through the future, like a pool would
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        pass


# Imported once by the fork server, so every worker starts with them (each worker importing them
# itself cost ~0.8 s of CPU per worker and per pool). No speech engine here: workers must not
# share an engine's library state. No scipy either (audio/dsp.py): its import alone was 1.2 s of
# the server's 2.0 s before the first job could start.
# The planner's modules leave these libraries to the workers (tests/spine/test_layers.py), so
# they are named here.
# The libraries the job modules import only when they run (to keep them out of the planner) are
# named too: PyAV alone, imported by each worker's first segment or video job, took 0.2-0.3 s
# there while the other worker and the planner were busy (58 ms on a quiet core, once, here).
WORKER_PRELOAD = (
    "numpy",
    "PIL.Image",
    "av",
    "lameenc",
    "segno",
    "mutagen.id3",
    "mutagen.mp3",
    "reportlab.pdfgen.canvas",
    "truyenthanh.audio.segments",
    "truyenthanh.audio.assemble",
    "truyenthanh.audio.jobs",
    "truyenthanh.channels.video",
    "truyenthanh.printing.banner",
    "truyenthanh.printing.leaflet",
    "truyenthanh.printing.operator",
    "truyenthanh.printing.order",
    "truyenthanh.printing.poster",
)

# What a job gets when its worker process died under it (BrokenProcessPool).
WORKER_LOST = (
    "Một tiến trình xử lý đã dừng đột ngột (có thể máy thiếu bộ nhớ hoặc tiến trình bị buộc "
    "dừng) nên mục này chưa được dựng; mọi mục đã xong đều đã được công bố. Hãy chạy lại lệnh "
    "build: lần sau chỉ dựng phần còn thiếu."
)


def start_worker_server() -> multiprocessing.context.BaseContext:
    """Start the fork server local workers come from (once; later calls find it running).

    It imports WORKER_PRELOAD (~0.6 s) on the other core; the CLI starts it before it imports
    and plans the build, so the first job does not wait for it (measured when it took 1.7 s:
    that was the first submit's wait in an 8.4-s one-announcement rebuild)."""
    context = multiprocessing.get_context("forkserver")
    # One BLAS thread per worker: the pool already fills the cores, and OpenBLAS's idle threads
    # spin (measured: the true-peak product used 2x its wall time in CPU with two threads).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    forkserver.ensure_running()
    return context


def end_worker_server() -> None:
    """End this process's fork server at once, if it started one (the CLI, on its way out).

    Left alone, the server sees its parent gone and exits like any Python program: it tears
    down numpy, reportlab and the rest it preloaded (0.1–0.3 s), holding the build's stdout and
    stderr all the while, so whatever reads them (a cron job mailing the output, a wrapper
    script) waits that much longer for the end. The server only forks workers, all of which
    are gone by now: it has nothing to save. Uses multiprocessing's own stop (which reaps
    the server and removes its socket file) after a SIGKILL; where that internal is missing,
    the server ends as before."""
    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    stop = getattr(server, "_stop", None)
    if pid is None or stop is None:
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        stop()


class ProcessExecutor:
    """A local process pool.

    A worker killed (the OOM killer, kill -9) breaks the whole pool: every job it
    had not finished raises BrokenProcessPool (the builder tries each once more). The
    next submit opens a fresh pool, so one kill never costs the later stages.
    """

    name = "process"

    def __init__(self, workers: int):
        self.workers = workers
        # forkserver: workers start clean (no inherited locks or espeak state) and fast.
        self._context = start_worker_server()
        # The workers' log records come here, to this process's handlers (the run log), instead
        # of Python's last-resort printer on the officer's terminal.
        self._logs = self._context.Queue()
        self._listener = QueueListener(self._logs, _ToLocalLoggers())
        self._listener.start()
        self._pool = self._open()

    def _open(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_worker_start,
            initargs=(self._logs, os.getpid()),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            log.info("a worker process died and broke the pool; opening a fresh one")
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = self._open()
            return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._listener.stop()
        self._logs.close()


def _worker_start(queue, main_pid: int) -> None:
    """Worker start: every record of INFO and above goes to the main process, and the worker
    ends itself when the main process is gone (killed by the OOM killer, kill -9): orphaned
    workers otherwise wait forever, holding the pipes of whatever started the build (a cron
    wrapper reading its output never sees the end)."""
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(queue)]
    root.setLevel(logging.INFO)
    threading.Thread(target=_end_with, args=(main_pid,), daemon=True).start()
    keep_freed_memory()


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
HEAP_BLOCKS_UP_TO = 32 << 20  # glibc's largest mmap threshold on 64-bit systems
HEAP_KEPT = 256 << 20


def keep_freed_memory() -> bool:
    """Make this worker reuse the memory it frees instead of handing it back to the kernel.

    A job allocates tens of MB at a time (a 27 MB bundle, 6 MB frames of a 1080p slide). By
    default glibc serves every block over ~128 kB with its own mmap and unmaps it when freed,
    so the next job's block is new memory, faulted in and zeroed page by page (and on a VM
    that returns freed pages to its host, fetched from the host). With blocks up to 32 MB
    taken from the heap, and up to 256 MB of freed heap kept, the next job reuses warm pages.
    Measured on the sample, in builds alternated with the default: the slides' worker time
    fell ~20 % and the kernel's share of CPU time from 16 to 13-14 %. Only glibc has mallopt;
    elsewhere nothing changes (returns False)."""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO) and mallopt(M_TRIM_THRESHOLD, HEAP_KEPT)
    )


ORPHAN_CHECK_S = 2.0


def _end_with(main_pid: int) -> None:
    while process_alive(main_pid):
        time.sleep(ORPHAN_CHECK_S)
    os._exit(1)


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped by its parent, is not alive)."""
    if os.path.exists("/proc/self/stat"):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except FileNotFoundError:
            return False
        except (OSError, IndexError):
            pass
    try:  # no /proc (macOS): ask the kernel (it cannot tell a zombie)
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class _ToLocalLoggers(logging.Handler):
    """Hands a worker's record to the logger of the same name here, as if logged here."""

    def handle(self, record: logging.LogRecord) -> bool:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)
        return True


def default_jobs() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


class DaskExecutor:
    """Jobs on a Dask distributed cluster at `address` (tcp://host:8786, tls://…).

    Connecting happens here, so an unreachable scheduler stops the build before
    anything under OUT is touched. `retries` re-runs a task that raised (a
    flaky worker); a task whose worker died is rescheduled on another one by
    the scheduler itself. Once the scheduler is lost, every unfinished and
    every later job fails at once with the same message.
    """

    name = "dask"
    remote = True  # no shared file system: see shipping.py
    RETRIES = 2
    CONNECT_TIMEOUT_S = 10.0

    def __init__(self, address: str, retries: int = RETRIES, timeout: float | None = None):
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(
                "Chưa cài Dask: hãy cài bản có Dask (pip install 'truyenthanh[dask]') "
                "hoặc dùng --executor local."
            ) from None
        self.address, self.retries = address, retries
        self.lost: str | None = None
        try:
            self.client = Client(
                address, timeout=timeout or self.CONNECT_TIMEOUT_S, set_as_default=False
            )
        except (OSError, ValueError, TypeError) as exc:
            raise UsageError(
                f"Không kết nối được bộ lập lịch Dask tại “{address}” ({exc}). Hãy kiểm tra địa chỉ "
                "(dạng tcp://máy:8786), rằng “dask scheduler” đang chạy và tường lửa mở cổng; "
                "hoặc dùng --executor local. Chưa dựng và chưa ghi gì."
            ) from None

    def submit(self, fn: Callable[..., Any], *args: Any) -> _DaskFuture:
        if self.lost is None and self.client.status not in ("running", "connecting"):
            self.lost = f"trạng thái máy khách: {self.client.status}"
        if self.lost is not None:
            return _DaskFuture(self, None)
        return _DaskFuture(self, self.client.submit(fn, *args, retries=self.retries, pure=False))

    @property
    def workers(self) -> int:
        """Worker threads in the cluster as the client last heard (no round trip to the
        scheduler, which may be lost); 0 when unknown."""
        try:
            workers = self.client.scheduler_info().get("workers", {})
            return sum(int(w.get("nthreads", 1)) for w in workers.values())
        except Exception:  # a client already closed: the builder's default
            return 0

    def lost_error(self) -> ClusterLost:
        return ClusterLost(
            f"Mất kết nối tới bộ lập lịch Dask tại {self.address} ({self.lost}) nên mục này chưa được dựng; "
            "mọi mục đã xong đều đã được công bố. Hãy kiểm tra bộ lập lịch rồi chạy lại: lần sau chỉ dựng phần còn thiếu."
        )

    def shutdown(self) -> None:
        try:
            self.client.close(timeout=5 if self.lost is None else 1)
        except (
            Exception
        ):  # a client that lost its scheduler may fail to close cleanly; nothing is left to save
            pass


class _DaskFuture:
    """A Dask future whose `result()` turns the loss of the scheduler into ClusterLost."""

    def __init__(self, owner: DaskExecutor, future):
        self.owner, self.future = owner, future

    def result(self) -> Any:
        if self.future is None:
            raise self.owner.lost_error()
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        try:
            return self.future.result()
        except CancelledError as exc:  # distributed's FutureCancelledError: the scheduler went away
            self.owner.lost = self.owner.lost or "scheduler-connection-lost"
            raise self.owner.lost_error() from exc
        except KilledWorker as exc:
            raise TruyenThanhError(
                "Công việc này làm dừng tiến trình worker Dask nhiều lần (có thể thiếu bộ nhớ); "
                f"đã bỏ qua. Chi tiết: {exc}"
            ) from None


@dataclass(frozen=True)
class ExecutorChoice:
    """What a build runs on: `local` (serial or a process pool of `jobs`) or `dask` at `scheduler`."""

    name: str = "local"
    jobs: int = 1
    scheduler: str | None = None


EXECUTORS: dict[str, Callable[[ExecutorChoice], Executor]] = {
    "serial": lambda choice: SerialExecutor(),
    "process": lambda choice: ProcessExecutor(choice.jobs),
    "local": lambda choice: EXECUTORS["serial" if choice.jobs <= 1 else "process"](choice),
    "dask": lambda choice: DaskExecutor(_scheduler(choice)),
}


def chosen(cli_name: str | None, cli_scheduler: str | None, settings) -> tuple[str, str | None]:
    """(executor, scheduler) for a build: the command line overrides `build:` of truyenthanh.yaml.

    A scheduler given on the command line alone means dask; one in the config is
    ignored when the command line asks for local.
    """
    if cli_name == "local" and cli_scheduler:
        raise UsageError("--scheduler chỉ dùng với --executor dask.")
    name = cli_name or ("dask" if cli_scheduler else settings.executor)
    scheduler = cli_scheduler or settings.scheduler
    return name, scheduler if name == "dask" else None


def _scheduler(choice: ExecutorChoice) -> str:
    if not choice.scheduler:
        raise UsageError(
            "--executor dask cần địa chỉ bộ lập lịch: --scheduler tcp://máy:8786 "
            "(hoặc build: {scheduler: …} trong truyenthanh.yaml)."
        )
    return choice.scheduler


def make_executor(choice: ExecutorChoice | int) -> Executor:
    if isinstance(choice, int):  # the local executor with N processes (tests, scripts)
        choice = ExecutorChoice("local", choice)
    factory = EXECUTORS.get(choice.name)
    if factory is None:
        raise UsageError(
            f"Không có bộ thực thi “{choice.name}”; chọn một trong: {', '.join(EXECUTOR_NAMES)}."
        )
    return factory(choice)
