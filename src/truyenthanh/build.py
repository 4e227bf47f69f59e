"""The builder: runs the stages' jobs for one ISO week and alone writes OUT.

    each stage once its needs are done (flow.py):   declare jobs (main process, cheap)
        reuse what is current                       key + intact file in the build state
        run the rest                                executor (parallel, per item)
        publish each result as it completes         atomic write, then its state record
    run report, then the page                       main process

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from truyenthanh import layout, stages
from truyenthanh.atomic import Data, Staged, atomic_write_bytes, commit_staged, size_of
from truyenthanh.errors import TruyenThanhError
from truyenthanh.executor import Executor, ExecutorChoice, make_executor
from truyenthanh.flow import Flow, Given
from truyenthanh.job import Job
from truyenthanh.keys import sha256_bytes
from truyenthanh.lock import BuildLock
from truyenthanh.pagecache import CacheBudget
from truyenthanh.project import Project
from truyenthanh.report import PLANNED, ArtifactRecord, RunReport
from truyenthanh.selection import built_last_time, select_week
from truyenthanh.stages import Context, page
from truyenthanh.state import BuildState
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

# progress(message, done, total): a stage heading (done=None) or one more job published of
# those declared so far.
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
        # Declaration order (flow, stage, job) of every path: the report's order (put_in_order).
        self.order: dict[str, tuple[int, int, int]] = {}
        self._flows = 0
        # What a flow adds to the report, kept until it ends and put in order (put_in_order).
        self._notes: list[tuple[str, str]] = []  # (path, note)
        self._failures: list[tuple[str, tuple]] = []  # (path, RunReport.fail's arguments)
        self.cache = CacheBudget()  # which published files stay in the page cache

    # -- publishing -----------------------------------------------------------------
    def publish(self, job: Job, data: Data | Staged, meta: dict, digest: str | None = None) -> None:
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
            )
            size = size_of(data)
        self._cache_after(job, size)
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

    def _cache_after(self, job: Job, size: int) -> None:
        """The page cache's share (pagecache.py): the file just published joins the budget,
        unless a later stage reads it; the files this job was the last reader of join it now."""
        if not job.cached_until_read:
            self.cache.keep(self.out / job.path, size)
        self._done_with(job)

    def _done_with(self, job: Job) -> None:
        for path in job.done_with:
            self.cache.keep(self.out / path, self._size_of(path))

    def _size_of(self, path: str) -> int:
        rec = self.records.get(path)
        size = rec.extra.get("size") if rec is not None else None
        if isinstance(size, int):
            return size
        try:
            return (self.out / path).stat().st_size
        except OSError:
            return 0

    def _remember(self, job: Job, digest: str, built: bool, meta: dict) -> None:
        rec = ArtifactRecord(
            job.kind, job.path, digest, job.area, job.announcement, built, {**job.extra, **meta}
        )
        self.records[job.path] = rec
        if not job.internal:
            self.report.artifacts.append(rec)
            if meta.get("note"):  # a recipe's word for the officer (e.g. what a print omits)
                self._notes.append((job.path, f"{job.path}: {meta['note']}"))

    def fail(self, job: Job, exc: BaseException) -> None:
        self._done_with(job)  # a failed reader is done with its files too
        if job.internal:  # a cache entry: the artifacts that need it try again and report, per area
            log.warning("%s: %s", job.path, getattr(exc, "message", exc))
            return
        if isinstance(exc, TruyenThanhError):
            stage, message = exc.stage, exc.message
        else:
            stage = job.kind
            message = f"Lỗi không mong đợi khi dựng {job.path}: {type(exc).__name__}: {exc}"
            # The traceback is for whoever fixes the bug: the run log, not the officer's terminal.
            log.debug(
                "unexpected error in %s:\n%s", job.path, "".join(traceback.format_exception(exc))
            )
        log.error("%s: %s", job.path, message)
        self._failures.append((job.path, (stage, message, job.announcement, job.area)))

    # -- running --------------------------------------------------------------------
    def settled(self, job: Job) -> bool:
        """True when `job` needs no work now: it failed already, is current, or this is a dry run.

        A current output is remembered either way, so later stages declare and key
        their jobs exactly as a real build would; in a dry run a job to build is
        remembered as planned (its digest unknown), so its dependants plan too.
        """
        if job.error is not None:
            self.fail(job, job.error)
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
        """Reuse what is current; make the rest; publish each result as it completes."""
        self._flow((Given(jobs),), executor)

    def run_stages(self, executor: Executor | None) -> None:
        """Every stage of DESIGN.md's data flow; each stage's span (declared, done: seconds
        since the first was declared) goes to the report, to show where a build's time goes."""
        started = None if self.ctx.dry_run else page.prepare  # the page is needed last
        flow = self._flow(stages.STAGES, executor, started)
        self.report.stats["stage_seconds"] = flow.spans

    def _flow(
        self, graph: tuple, executor: Executor | None, started: Callable[[], None] | None = None
    ) -> Flow:
        flow = Flow(self, graph, executor, self._flows)
        self._flows += 1
        artifacts = len(self.report.artifacts)
        with self.state.batch():
            try:
                flow.run(started)
            finally:
                self.put_in_order(artifacts)
                self.cache.close()
        note = flow.lost_note()
        if note:
            self.report.notes.append(note)
        return flow

    def put_in_order(self, artifacts: int) -> None:
        """Jobs are published as they complete, in an order that differs from run to run: what
        a flow added to the report (its artifacts from `artifacts` on, its notes and failures)
        and the records are put in declaration order, so the same inputs give the same report
        and page."""

        def key(path: str) -> tuple:
            return self.order.get(path, (self._flows, 0, 0))

        self.report.artifacts[artifacts:] = sorted(
            self.report.artifacts[artifacts:], key=lambda rec: key(rec.path)
        )
        ordered = sorted(self.records.items(), key=lambda item: key(item[0]))
        self.records.clear()
        self.records.update(ordered)
        for _, text in sorted(self._notes, key=lambda n: key(n[0])):
            self.report.notes.append(text)
        for _, failure in sorted(self._failures, key=lambda f: key(f[0])):
            self.report.fail(*failure)
        self._notes.clear()
        self._failures.clear()


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
