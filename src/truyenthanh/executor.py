"""Where per-item work runs: a small `concurrent.futures`-shaped interface.

The stages submit pure, picklable functions; the executor decides where they run.
`serial` runs in-process (`--jobs 1`, debugging), `process` uses a local process
pool. A distributed engine (Dask distributed's Client has the same submit/result
shape) can be registered here later without touching the stages.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol


class Executor(Protocol):
    name: str

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future: ...

    def shutdown(self) -> None: ...


class SerialExecutor:
    name = "serial"

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # delivered through the future, like a pool would
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        pass


class ProcessExecutor:
    name = "process"

    def __init__(self, workers: int):
        # forkserver: workers start clean (no inherited locks or espeak state) and fast.
        context = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


EXECUTORS: dict[str, Callable[[int], Executor]] = {
    "serial": lambda jobs: SerialExecutor(),
    "process": ProcessExecutor,
}


def make_executor(jobs: int) -> Executor:
    return EXECUTORS["serial" if jobs <= 1 else "process"](jobs)
