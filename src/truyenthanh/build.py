"""The builder: runs the stages' jobs for one ISO week and alone writes OUT.

    for each batch of stages (stages.waves):   declare jobs (main process, cheap)
        reuse what is current                  key + intact file in the build state
        run the rest                           executor (parallel, per item)
        publish each result as it arrives      atomic write, then its state record
    run report, then the page                  main process

Every job is a pure function of its inputs and its key is a hash of them.
Workers return bytes; only this process writes under OUT, always atomically, and
records the state right after, so a kill at any moment leaves complete files.
One failing item is recorded and everything else goes on. A dry run declares
the same jobs and returns the plan as a value, writing nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from truyenthanh import layout, stages
from truyenthanh.atomic import Data, Staged, atomic_write_bytes, commit_staged, size_of
from truyenthanh.errors import OutputError, TruyenThanhError, WorkerLost
from truyenthanh.executor import WORKER_LOST, Executor, ExecutorChoice, make_executor
from truyenthanh.job import Job, made
from truyenthanh.keys import sha256_bytes
from truyenthanh.lock import BuildLock
from truyenthanh.project import Project
from truyenthanh.report import PLANNED, ArtifactRecord, RunReport
from truyenthanh.selection import built_last_time, select_week
from truyenthanh.stages import Context, page
from truyenthanh.state import BuildState
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

COMMIT_EVERY_S = 0.5
IN_FLIGHT_PER_WORKER = 8  # jobs ahead per worker (bundles: ~26 MB each)
DEFAULT_WORKERS = 4  # for executors that do not say how many workers they have

# progress(message, done, total): a stage heading (done=None) or one finished job of a batch.
Progress = Callable[..., None]


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    week: IsoWeek
    jobs: int = 1
    dry_run: bool = False
    cache_dir: Path | None = None
    executor: str = "local"  # executor.EXECUTOR_NAMES
    scheduler: str | None = None  # the Dask scheduler's address
    inputs: dict | None = None  # uptodate.inputs_record, taken before the project was read

    @property
    def speech_cache(self) -> Path:
        return self.cache_dir or (self.out / layout.SPEECH_CACHE)


@dataclass(frozen=True)
class PlannedItem:
    """One line of a dry run: what would happen to an artifact, and why."""

    path: str
    kind: str
    action: str  # "build" | "reuse"
    why: str  # Vietnamese reason for a build


@dataclass
class BuildResult:
    report: RunReport
    plan: list[PlannedItem] = field(default_factory=list)  # dry run only


class Builder:
    """Runs jobs through the executor, publishes results, keeps state and the report."""

    def __init__(
        self,
        ctx: Context,
        options: BuildOptions,
        report: RunReport,
        progress: Progress | None = None,
    ):
        self.ctx = ctx
        self.options = options
        self.out = options.out
        self.report = report
        self.state = BuildState(self.out)
        self.progress: Progress = progress or (lambda _msg, _done=None, _total=None: None)
        self.records: dict[str, ArtifactRecord] = {}
        self.plan: list[PlannedItem] = []
        ctx.records = self.records  # stages read what is published so far

    # -- publishing -----------------------------------------------------------------
    def _publish(
        self, job: Job, data: Data | Staged, meta: dict, digest: str | None = None
    ) -> None:
        """Put a result in place (atomically) and record it. `data` is the file's bytes, or the
        file a local worker staged beside its path (job.made) with its `digest`. The directory
        is synced by the state, once, before this record commits."""
        if isinstance(data, Staged):
            commit_staged(data, self.out / job.path, sync_dir=False)
            size = data.size
        else:
            digest = sha256_bytes(data)
            atomic_write_bytes(
                self.out / job.path,
                data,
                self.state.stamp(),
                sync_dir=False,
                keep_cached=job.keep_cached,
            )
            size = size_of(data)
        # "_x": for later stages only. The job's extra fields (paper, shop…) are kept too, so the
        # page can describe past weeks' files from the state alone.
        kept = {k: v for k, v in {**job.extra, **meta}.items() if not k.startswith("_")}
        self.state.record(
            job.path,
            job.key,
            digest,
            kept,
            kind=job.kind,
            area=job.area,
            announcement=job.announcement,
            week=layout.week_of(job.path),
        )
        self._remember(
            job,
            digest,
            True,
            {
                **meta,
                "size": size,
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
        )

    def _remember(self, job: Job, digest: str, built: bool, meta: dict) -> None:
        rec = ArtifactRecord(
            job.kind, job.path, digest, job.area, job.announcement, built, {**job.extra, **meta}
        )
        self.records[job.path] = rec
        if not job.internal:
            self.report.artifacts.append(rec)
            if meta.get(
                "note"
            ):  # a recipe's word for the officer (e.g. what a print omits); kept in the state
                self.report.notes.append(f"{job.path}: {meta['note']}")

    def _fail(self, job: Job, exc: BaseException) -> None:
        if job.internal:  # a cache entry: the artifacts that need it try again and report, per area
            log.warning("%s: %s", job.path, getattr(exc, "message", exc))
            return
        if isinstance(exc, TruyenThanhError):
            stage, message = exc.stage, exc.message
        else:
            stage = job.kind
            message = f"Lỗi không mong đợi khi dựng {job.path}: {type(exc).__name__}: {exc}"
            log.error(
                "unexpected error in %s:\n%s", job.path, "".join(traceback.format_exception(exc))
            )
        log.error("%s: %s", job.path, message)
        self.report.fail(stage, message, job.announcement, job.area)

    # -- running --------------------------------------------------------------------
    def _settled(self, job: Job) -> bool:
        """True when `job` needs no work now: it failed already, is current, or this is a dry run.

        A current output is remembered either way, so later stages declare and key
        their jobs exactly as a real build would; in a dry run a job to build is
        remembered as planned (its digest unknown), so its dependants plan too.
        """
        if job.error is not None:
            self._fail(job, job.error)
            return True
        entry = self.state.current(job.path, job.key)
        if entry is not None:
            self._remember(job, entry.sha256, False, entry.meta)
        if self.options.dry_run:
            why = "" if entry else self.state.why_stale(job.path, job.key)
            self.plan.append(PlannedItem(job.path, job.kind, "reuse" if entry else "build", why))
            if entry is None:
                self._remember(job, f"{PLANNED}{job.key}", True, {})
        return entry is not None or self.options.dry_run

    def run(self, jobs: list[Job], executor: Executor | None) -> None:
        """Reuse what is current; make the rest; publish each result as it arrives."""
        self.run_declared(iter([jobs]), executor)

    def run_declared(self, declared: Iterator[list[Job]], executor: Executor | None) -> None:
        """`run` for jobs declared stage by stage: each stage's first jobs go to the workers
        before the next stage is declared, so the workers do not wait for the main process to
        plan a whole batch (laying out the e-screen decks alone takes ~0.4 s)."""
        # Local workers time each recipe (where a batch's seconds go); a remote executor keeps
        # its own account (shipping.py), and its packer must see the recipe itself.
        clock = not getattr(executor, "remote", False)
        spent = self.report.stats.setdefault("job_seconds", {})
        made: list[Job] = []
        ahead: deque[tuple[Job, Any]] = deque()
        with self.state.batch():
            for jobs in declared:
                for job in jobs:
                    if self._settled(job):
                        continue
                    if job.fn is None:  # a cheap text: written here, no worker
                        self._publish(job, job.data or b"", {})
                    else:
                        made.append(job)
                self._submit_ahead(made, ahead, executor, clock)
            lost = self._collect(made, ahead, executor, clock, spent)
            if lost:
                self._retry_lost(lost, executor, clock, spent)

    def _retry_lost(self, lost: list[Job], executor: Executor | None, clock: bool, spent: dict):
        """A worker was killed (the OOM killer, kill -9) and its pool failed every job it held,
        most of which never started. Each gets one more try on a fresh pool; a job that kills
        its worker again fails, with whatever shared that second pool."""
        log.info("a worker process died; %d jobs are tried once more on a fresh pool", len(lost))
        failed = self._collect(lost, deque(), executor, clock, spent)
        for job in failed:
            self._fail(job, WorkerLost(WORKER_LOST))
        note = (
            f"Một tiến trình xử lý đã dừng đột ngột (có thể do máy thiếu bộ nhớ); "
            f"{len(lost) - len(failed)}/{len(lost)} mục đang chờ nó đã được dựng lại trên tiến "
            "trình mới."
        )
        if failed:
            note += f" {len(failed)} mục vẫn không dựng được (xem phần lỗi)."
        self.report.notes.append(note)

    def _submit_ahead(
        self, jobs: list[Job], ahead: deque, executor: Executor | None, clock: bool
    ) -> None:
        """Submit the first `in_flight` of `jobs` not yet in `ahead` (none is collected yet)."""
        for job in jobs[len(ahead) : in_flight(executor)]:
            ahead.append((job, _submit(executor, job, clock, self.out)))

    def _collect(
        self, jobs: list[Job], ahead: deque, executor: Executor | None, clock: bool, spent: dict
    ) -> list[Job]:
        """Run `jobs` and publish their results in submission order; return the jobs whose
        worker process died. `ahead`: the first of them, already submitted (`_submit_ahead`).

        At most `in_flight(executor)` jobs are submitted ahead of the one being published, and
        a result is dropped once published: a national week's bundles (600 areas x 26 MB) held
        by their futures until the end of the batch made the main process 22 GB and the OOM
        killer ended the run.

        State records are committed together: at most COMMIT_EVERY_S apart, and before waiting
        for a job still running. A commit is an fsync (1.4 ms each, 5,000 of them in a
        150-commune week); a kill loses at most that much of the record, never a file (a
        published file without its record is rebuilt)."""
        lost: list[Job] = []
        queued = iter(jobs[len(ahead) :])
        limit = in_flight(executor)
        committed, dirty = time.monotonic(), False
        for n in range(1, len(jobs) + 1):
            for job in islice(queued, max(0, limit - len(ahead))):
                ahead.append((job, _submit(executor, job, clock, self.out)))
            job, future = ahead.popleft()
            waiting = not getattr(future, "done", lambda: True)()
            if dirty and (waiting or time.monotonic() - committed > COMMIT_EVERY_S):
                self.state.checkpoint()
                committed, dirty = time.monotonic(), False
            dirty = True
            try:
                result = future.result()
                del future  # the future holds the result: let it go once published
                digest = None
                if clock:  # staged by a local worker
                    data, meta, digest, seconds = result
                    spent[job.kind] = round(spent.get(job.kind, 0.0) + seconds, 3)
                else:
                    data, meta = job.unpack(result)
                del result
                self._publish(job, data, meta, digest)
                self.progress(job.path, n, len(jobs))
            except OutputError:
                raise  # a full disk or unwritable OUT stops the run: nothing else can be published
            except BrokenProcessPool:  # a worker was killed: the pool failed all it had queued
                lost.append(job)
            except Exception as exc:
                self._fail(job, exc)
        return lost

    def run_stages(self, executor: Executor | None) -> None:
        timings = self.report.stats.setdefault("stage_seconds", {})  # where a build's time goes
        for n, batch in enumerate(stages.waves()):
            started = time.perf_counter()
            self.progress(" ".join(stage.HEADING for stage in batch))
            self.run_declared((stage.jobs(self.ctx) for stage in batch), executor)
            timings["+".join(stage.NAME for stage in batch)] = round(
                time.perf_counter() - started, 3
            )
            if n == 0 and not self.ctx.dry_run:
                page.prepare()  # from here on this process mostly waits for the workers


def in_flight(executor: Executor | None) -> int:
    """How many jobs may be submitted ahead of the one being published: enough to keep every
    worker busy while the head job finishes, few enough that their results fit in memory."""
    return IN_FLIGHT_PER_WORKER * max(1, getattr(executor, "workers", 0) or DEFAULT_WORKERS)


def _submit(executor: Executor, job: Job, clock: bool, out: Path):
    if clock:  # a local worker unpacks, writes, hashes and times it too
        return executor.submit(
            made, job.fn, job.unpack, str(out / job.path), job.keep_cached, *job.args
        )
    return executor.submit(job.fn, *job.args)


def open_executor(options: BuildOptions) -> Executor | None:
    """The build's executor, connected: an unreachable scheduler raises UsageError (exit 2) here,
    so call it before anything touches OUT. A remote one is wrapped to ship what jobs read."""
    if options.dry_run:
        return None
    executor = make_executor(ExecutorChoice(options.executor, options.jobs, options.scheduler))
    if getattr(executor, "remote", False):
        from truyenthanh.shipping import ShippingExecutor

        executor = ShippingExecutor(executor, options.out, options.speech_cache)
    return executor


def run_build(
    project: Project,
    options: BuildOptions,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> BuildResult:
    """Build one week. Raises LockHeldError if another build holds OUT.

    `executor`: one the caller opened (open_executor) and shuts down; else one is opened here.
    """
    own = executor is None
    if own:
        executor = open_executor(options)
    try:
        return _run_build(project, options, progress, executor)
    finally:
        if own and executor is not None:
            executor.shutdown()


def _run_build(
    project: Project, options: BuildOptions, progress: Progress | None, executor: Executor | None
) -> BuildResult:
    tz = project.config.issuer.timezone
    report = RunReport.start(options.week.label, project.config.audio.engine, tz)
    started = time.monotonic()
    with BuildLock(options.out):
        if not options.dry_run:
            sweep_leftovers(options.out)
        selection = select_week(project, options.week, built_last_time(options.out, options.week))
        for skip in selection.skipped:
            report.skip(skip.announcement, skip.reason, skip.stage)
        for ann_id, area_id, stage, error in selection.failures:
            report.fail(stage, error, ann_id, area_id)
        report.notes.extend(project.notes)
        ctx = Context(project, selection, options.out, options.speech_cache, options.dry_run)
        builder = Builder(ctx, options, report, progress)
        builder.run_stages(executor)
        _summarise_speech(builder)
        if hasattr(executor, "summary"):  # what crossed the network (remote executors)
            report.stats["executor"] = executor.summary()
        if options.inputs is not None:
            report.stats["inputs"] = options.inputs  # lets the next run see that nothing changed
        report.finish(tz, time.monotonic() - started)
        if options.dry_run:
            return BuildResult(report, builder.plan)
        builder.run([page.index_job(ctx, report.to_json())], None)  # the page shows this run
        report.write(options.out)
        builder.state.close()
    return BuildResult(report)


def _summarise_speech(builder: Builder) -> None:
    for stat in ("tts_requests", "tts_cache_hits"):
        builder.report.stats[stat] = sum(
            int(r.extra.get(stat, 0)) for r in builder.records.values() if r.built
        )


def sweep_leftovers(out: Path) -> None:
    """Remove temporary files of a build that was killed: we hold the lock, so none is live."""
    for tmp in _leftovers(str(out)):
        try:
            os.unlink(tmp)
            log.info("removed leftover %s", tmp)
        except OSError:
            pass
    for part in (out / layout.RUNS_DIR).glob(".build-*.log"):
        pid = part.stem.removeprefix(".build-")
        if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
            part.unlink(missing_ok=True)


def _leftovers(top: str) -> list[str]:
    """Every `.*.tmp` file under `top` (atomic writes name their temporary files so). One
    scandir per directory: Path.rglob took ~3x as long, and OUT grows by a week's files every
    week (~35,000 at 600 areas), all walked before the first job leaves."""
    found, stack = [], [top]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif entry.name.startswith(".") and entry.name.endswith(".tmp"):
                        found.append(entry.path)
        except OSError:  # a directory removed or unreadable meanwhile: nothing of ours to sweep
            continue
    return found
