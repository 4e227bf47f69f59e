"""How a build's jobs reach the workers: each stage as soon as the stages it needs are done.

    declare every stage whose needs are done       stage.jobs(ctx), main process
    queue what must be made, by stage rank         stages.rank: the longest chain first
    keep the executor fed                          at most in_flight(executor) out at once
    publish each result as it completes            Builder.publish, then count the stage down
    a stage's last job settled: it is done         declare what was waiting on it

There are no batches: the programmes start when their segments are made, not when the print
files and slides declared beside them are; the bundles start while the e-screen videos are
still being cut. Results are published as they complete, so one long job (a slide encoded for
a quarter of a second) holds nothing up behind it. What the run leaves is still the same for
every order of completion: the report lists artifacts, notes and failures in declaration order
(`Builder.put_in_order`), and the stages that look at records read them by path or sorted.

A local worker writes its file under a temporary name without fsyncing it; threads of this
process fsync it (`Syncer`), and only then is it renamed into place and recorded: a file is
never committed before its data is on disk, and no worker sits idle waiting for the disk.

A worker process that dies (the OOM killer, kill -9) breaks the local pool: every job it held
fails with BrokenProcessPool. Each is queued once more (the next submit opens a fresh pool);
a job whose pool breaks again gets a last try alone on the pool, so that a job that kills its
worker every time fails by itself, never taking the jobs that shared its pool with it.
"""

from __future__ import annotations

import heapq
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from truyenthanh import stages
from truyenthanh.atomic import make_durable
from truyenthanh.errors import OutputError, WorkerLost
from truyenthanh.executor import WORKER_LOST, Executor
from truyenthanh.job import Job, made
from truyenthanh.stages import Stage

if TYPE_CHECKING:
    from truyenthanh.build import Builder

log = logging.getLogger(__name__)

COMMIT_EVERY_S = 0.5
IN_FLIGHT_PER_WORKER = 8  # jobs out per worker (bundles: ~26 MB each)
DEFAULT_WORKERS = 4  # for executors that do not say how many workers they have
ALONE = (-(10**9), 0)  # the rank of a last try: before anything else, alone on the pool
TRIES_BEFORE_ALONE = 2
# fsyncs at once. Writing and fsyncing a one-change night's files (105 × 3 MB, 15 × 27 MB) here:
# 1.1–1.6 s one after another, 0.55 s on two threads, 0.43 s on four (most of it is the disk's
# and the host's time, not this machine's cores).
SYNC_THREADS = 4


@dataclass(order=True)
class Task:
    """A declared job that needs a worker, in the queue or out on the executor."""

    rank: tuple[int, int]
    seq: int  # declaration order
    job: Job = field(compare=False)
    stage: str = field(compare=False)
    tries: int = field(default=0, compare=False)  # pools that broke under it so far
    # Names its recipe in a worker's memory when other jobs of the stage repeat it (job.made)
    again: str | None = field(default=None, compare=False)

    @property
    def alone(self) -> bool:
        return self.rank == ALONE


@dataclass(frozen=True)
class Given:
    """Jobs declared already, run as a stage of their own (the page; tests)."""

    declared: list[Job]
    NAME: ClassVar[str] = "given"
    HEADING: ClassVar[str] = ""
    NEEDS: ClassVar[tuple[str, ...]] = ()

    def jobs(self, _ctx: Any) -> list[Job]:
        return self.declared


def in_flight(executor: Executor | None) -> int:
    """How many jobs may be out on the executor at once: enough to keep every worker busy
    while this process declares a stage (laying out the e-screen decks takes ~0.4 s), few
    enough that their results fit in memory (a national week's bundles, 600 x 26 MB, all
    held at once made the main process 22 GB and the OOM killer ended the run)."""
    return IN_FLIGHT_PER_WORKER * max(1, getattr(executor, "workers", 0) or DEFAULT_WORKERS)


class Flow:
    """One run of a stage graph through `executor`, publishing through `builder`."""

    def __init__(
        self, builder: Builder, graph: Sequence[Stage], executor: Executor | None, number: int
    ):
        self.builder = builder
        self.executor = executor
        self.number = number  # the builder's how-many-th flow: first part of the order key
        self.rank = stages.rank(graph)
        self.position = {stage.NAME: n for n, stage in enumerate(graph)}
        self.waiting = list(graph)  # stages not declared yet
        self.done: set[str] = set()
        self.open: dict[str, int] = {}  # stage -> its jobs not settled yet
        self.queue: list[Task] = []  # a heap, by rank then declaration
        self.running: dict[Any, Task] = {}  # future -> its task, in submission order
        self.clock = not getattr(executor, "remote", False)  # local workers stage and time
        self.syncer = Syncer() if self.clock and executor is not None else None
        self.limit = in_flight(executor)
        self.seq = 0
        self.lost: set[int] = set()  # tasks whose pool broke at least once
        self.lost_for_good = 0
        self.spans: dict[str, list] = {}  # stage -> [declared, done], s since the flow began
        self.begun = time.perf_counter()
        self.published = self.total = 0  # progress
        # Names this flow's repeated recipes in a worker's memory (job.Remembered): a worker in
        # this process (--jobs 1) outlives the flow, and a recipe is repeated within one flow.
        self.token = f"{os.getpid()}.{time.monotonic_ns()}"
        self.committed, self.dirty = time.monotonic(), False

    # -- the loop ---------------------------------------------------------------------
    def run(self, started: Callable[[], None] | None = None) -> None:
        """Run every stage of the graph; `started()` once the first stages' jobs are out."""
        try:
            self._declare_ready()
            if started is not None:
                started()
            while self.queue or self.running:
                self._top_up()
                finished = self._completed()
                while finished:
                    future = finished.pop(0)
                    stage_done = self._settle(self.running.pop(future), future)
                    del future  # it holds the result: let it go before anything more goes out
                    if stage_done:
                        self._declare_ready()
        finally:
            if self.syncer is not None:
                self.syncer.shutdown()
        if self.waiting:  # a need no stage of the graph meets: a mistake in some NEEDS
            names = ", ".join(stage.NAME for stage in self.waiting)
            raise RuntimeError(f"stages never ready: {names}")

    def lost_note(self) -> str | None:
        """The report's word on jobs whose worker process died, if any did."""
        if not self.lost:
            return None
        lost, failed = len(self.lost), self.lost_for_good
        note = (
            f"Một tiến trình xử lý đã dừng đột ngột (có thể do máy thiếu bộ nhớ); "
            f"{lost - failed}/{lost} mục đang chờ nó đã được dựng lại trên tiến trình mới."
        )
        if failed:
            note += f" {failed} mục vẫn không dựng được (xem phần lỗi)."
        return note

    # -- declaring --------------------------------------------------------------------
    def _declare_ready(self) -> None:
        while ready := stages.ready(self.waiting, self.done):
            # What is published so far is committed first: a stage may read the state itself
            # (the feeds list every week's bundles through catalog.published).
            self._checkpoint(waiting=True)
            # Best rank first: when the programmes are done, five stages are ready at once, and
            # the bulletins (which the bundles wait for) came last, their jobs queued behind
            # the social cards' and screens' (~0.12 s of declaring, in a one-change night).
            for stage in sorted(ready, key=lambda stage: self.rank[stage.NAME]):
                self.waiting.remove(stage)
                self._declare(stage)
                self._top_up()  # its first jobs leave before the next stage is declared

    def _declare(self, stage: Stage) -> None:
        name, builder = stage.NAME, self.builder
        if stage.HEADING:
            builder.progress(stage.HEADING)
        self.spans[name] = [self._since_begun(), None]
        count = 0
        declared = list(stage.jobs(builder.ctx))
        repeated = _repeated(declared)
        for job in declared:
            self.seq += 1
            builder.order[job.path] = (self.number, self.position[name], self.seq)
            if builder.settled(job):
                continue
            if job.fn is None:  # a cheap text: written here, no worker
                builder.publish(job, job.data or b"", {})
                continue
            again = f"{self.token}/{name}/{job.key}" if job.path in repeated else None
            heapq.heappush(self.queue, Task(self.rank[name], self.seq, job, name, again=again))
            count += 1
        self.total += count
        self.open[name] = count
        if count == 0:
            self._stage_done(name)

    def _stage_done(self, name: str) -> None:
        self.done.add(name)
        self.spans[name][1] = self._since_begun()

    def _since_begun(self) -> float:
        return round(time.perf_counter() - self.begun, 3)

    # -- running ----------------------------------------------------------------------
    def _top_up(self) -> None:
        """Submit queued jobs, best rank first, until `limit` are out. A last try goes out
        alone: it waits for the pool to empty, and nothing goes out beside it."""
        if any(task.alone for task in self.running.values()):
            return
        while self.queue and len(self.running) < self.limit:
            head = self.queue[0]
            if head.alone and self.running:
                return
            heapq.heappop(self.queue)
            future = _submit(self.executor, head.job, self.syncer, self.builder.out, head.again)
            self.running[future] = head
            if head.alone:
                return

    def _completed(self) -> list[Any]:
        """The futures done now (waiting for one if none is), in declaration order. The build
        state commits before waiting for a job still running, and at most COMMIT_EVERY_S
        apart: a commit is an fsync (1.4 ms each, 5,000 of them in a 150-commune week); a kill
        loses at most that much of the record, never a file (a published file without its
        record is rebuilt)."""
        futures = list(self.running)
        if not all(isinstance(f, Future) for f in futures):
            # A remote executor's futures only have result(): the oldest one, in order.
            self._checkpoint(waiting=False)
            return futures[:1]
        finished = [f for f in futures if f.done()]
        self._checkpoint(waiting=not finished)
        if not finished:
            finished = list(wait(futures, return_when=FIRST_COMPLETED)[0])
        return sorted(finished, key=lambda f: self.running[f].seq)

    def _checkpoint(self, waiting: bool) -> None:
        if self.dirty and (waiting or time.monotonic() - self.committed > COMMIT_EVERY_S):
            self.builder.state.checkpoint()
            self.committed, self.dirty = time.monotonic(), False

    def _settle(self, task: Task, future: Any) -> bool:
        """Publish a finished job's result (or record its failure) and count its stage down;
        True when that was the stage's last job."""
        job, builder = task.job, self.builder
        self.dirty = True
        try:
            result = future.result()
            digest = None
            if self.clock:  # staged by a local worker
                data, meta, digest, seconds = result
                spent = builder.report.stats.setdefault("job_seconds", {})
                spent[job.kind] = round(spent.get(job.kind, 0.0) + seconds, 3)
            else:
                data, meta = job.unpack(result)
            del result
            builder.publish(job, data, meta, digest)
            self.published += 1
            builder.progress(job.path, self.published, self.total)
        except OutputError:
            raise  # a full disk or unwritable OUT stops the run: nothing else can be published
        except BrokenProcessPool:  # a worker died: its pool failed everything it held
            if self._try_again(task):
                return False
        except Exception as exc:
            builder.fail(job, exc)
        self.open[task.stage] -= 1
        if self.open[task.stage] > 0:
            return False
        self._stage_done(task.stage)
        return True

    def _try_again(self, task: Task) -> bool:
        """Queue `task` once more after its pool broke (alone on the last try); False when its
        last try, alone, broke the pool too: it is recorded as failed."""
        self.lost.add(task.seq)
        if task.alone:
            self.lost_for_good += 1
            self.builder.fail(task.job, WorkerLost(WORKER_LOST))
            return False
        task.tries += 1
        if task.tries >= TRIES_BEFORE_ALONE:
            task.rank = ALONE
        log.info(
            "a worker process died; %s is tried once more on a fresh pool%s",
            task.job.path,
            " alone" if task.alone else "",
        )
        heapq.heappush(self.queue, task)
        return True


def _repeated(declared: list[Job]) -> set[str]:
    """The paths of a stage's worker jobs that run the same recipe as another of its jobs (the
    same key, function and arguments): each worker makes that file once and writes it for the
    others too (job.Remembered). A key alone does not say it: a print order's PDF, CSV and XLSX
    share theirs, made by three functions."""
    first: dict[str, Job] = {}
    repeated: set[str] = set()
    for job in declared:
        if job.fn is None:
            continue
        other = first.setdefault(job.key, job)
        if other is not job and _same_recipe(other, job):
            repeated.update((other.path, job.path))
    return repeated


def _same_recipe(a: Job, b: Job) -> bool:
    try:
        return bool(a.fn == b.fn and a.unpack == b.unpack and a.args == b.args)
    except Exception:  # arguments that do not compare (arrays): not known to be the same
        return False


def _submit(
    executor: Executor | None,
    job: Job,
    syncer: Syncer | None,
    out: Path,
    again: str | None = None,
) -> Any:
    if executor is None:
        raise RuntimeError(f"{job.path}: a job for a worker, in a run without an executor")
    if syncer is None:  # a remote worker sends the result back; the builder writes it
        return executor.submit(job.fn, *job.args)
    # A local worker unpacks, writes, hashes and times it too; then it is fsynced here.
    target = out / job.path
    work = executor.submit(made, job.fn, job.unpack, str(target), job.zip_member, again, *job.args)
    return syncer.after(work, target)


class Syncer:
    """fsyncs (atomic.make_durable) the files local workers staged, on threads of this process.

    `after(work, …)` is a future of `work`'s result that completes once the staged file is
    durable, with that file marked so; it fails as `work` did, or with the OutputError of a
    failed fsync. A worker that fsynced its own files waited for the disk ~0.3 s of a one-change
    night's ~1.5 s of jobs (py-spy); with the fsync here, it makes the next file meanwhile.
    Alternated with the worker's own fsync: one-change nights 2.72 → 2.57 s (median of 10
    pairs), 150 communes cold 66.5 / 69.8 → 62.6 / 61.0 s (bulletins' worker-s 20 → 15)."""

    def __init__(self, threads: int = SYNC_THREADS):
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="fsync")

    def after(self, work: Future, target: Path) -> Future:
        durable: Future = Future()

        def synced(rest: tuple, sync: Future) -> None:
            error = sync.exception()
            if error is None:
                durable.set_result((sync.result(), *rest))
            else:
                durable.set_exception(error)

        def arrived(done: Future) -> None:
            if done.cancelled():
                durable.cancel()
                durable.set_running_or_notify_cancel()  # wakes wait() on it
                return
            try:
                staged, *rest = done.result()
                sync = self._pool.submit(make_durable, staged, target)
            except BaseException as exc:  # the job's own failure, or no syncer any more
                durable.set_exception(exc)
                return
            sync.add_done_callback(lambda sync: synced(tuple(rest), sync))

        work.add_done_callback(arrived)
        return durable

    def shutdown(self) -> None:
        """Wait for the fsyncs under way. A file a stopped run staged but did not commit is a
        leftover temporary file, removed by the next build: nothing is renamed unfsynced."""
        self._pool.shutdown(wait=True)
