"""The nightly batch: one pass through DESIGN.md's data flow for one ISO week.

    select (approval, validity, render)      main process, cheap
    texts + spoken scripts                   main process, cheap
    programmes, print files, operator PDFs   executor (parallel, per item)
    bulletins, print order sheets            executor (need the above)
    bundles                                  executor (need the above)
    index page + run report                  main process

Every job is a pure function of its inputs; its key is a hash of them. A job
whose key matches the build state and whose file is intact is reused, not rerun.
Workers return bytes; only this process writes under OUT, always atomically, and
records the state right after, so a kill at any moment leaves complete files.
One failing item is recorded and everything else goes on.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from truyenthanh import stages
from truyenthanh.atomic import atomic_write_bytes
from truyenthanh.errors import OutputError, TruyenThanhError
from truyenthanh.executor import Executor, make_executor
from truyenthanh.keys import sha256_bytes
from truyenthanh.lock import BuildLock
from truyenthanh.project import Project
from truyenthanh.report import ArtifactRecord, RunReport
from truyenthanh.selection import Selection, select_week
from truyenthanh.state import BuildState, week_of
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

Unpack = Callable[[Any], tuple[bytes, dict]]
# progress(message, done, total): a stage heading (done=None) or one finished job of a batch.
Progress = Callable[..., None]


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    week: IsoWeek
    engine: str | None = None
    jobs: int = 1
    dry_run: bool = False
    cache_dir: Path | None = None

    @property
    def speech_cache(self) -> Path:
        return self.cache_dir or (self.out / ".cache" / "speech")


@dataclass
class Job:
    """One artifact to produce: where it goes, its key, and the pure function that makes it."""

    kind: str
    path: str  # relative to OUT
    key: str
    fn: Callable[..., Any]
    args: tuple
    unpack: Unpack = field(default=lambda data: (data, {}))  # result -> (bytes, meta); default: bytes
    area: str | None = None
    announcement: str | None = None
    extra: dict = field(default_factory=dict)


class Builder:
    """Runs jobs through the executor, publishes results, keeps the report."""

    def __init__(self, project: Project, options: BuildOptions, report: RunReport, progress: "Progress | None" = None):
        self.project = project
        self.options = options
        self.out = options.out
        self.report = report
        self.state = BuildState(self.out)
        self.progress: Progress = progress or (lambda _msg, _done=None, _total=None: None)
        self.records: dict[str, ArtifactRecord] = {}
        self.plan: list[dict] = []  # dry-run listing

    # -- publishing -----------------------------------------------------------------
    def _publish(self, job: Job, data: bytes, meta: dict) -> ArtifactRecord:
        digest = sha256_bytes(data)
        atomic_write_bytes(self.out / job.path, data)
        self.state.record(job.path, job.key, digest, meta, kind=job.kind, area=job.area,
                          announcement=job.announcement, week=week_of(job.path))
        return self._remember(job, digest, True, meta)

    def _remember(self, job: Job, digest: str, built: bool, meta: dict) -> ArtifactRecord:
        rec = ArtifactRecord(job.kind, job.path, digest, job.area, job.announcement, built, {**job.extra, **meta})
        self.records[job.path] = rec
        self.report.artifacts.append(rec)
        return rec

    def _fail(self, job: Job, exc: BaseException) -> None:
        if isinstance(exc, TruyenThanhError):
            stage, message = exc.stage, exc.message
        else:
            stage = job.kind
            message = f"Lỗi không mong đợi khi dựng {job.path}: {type(exc).__name__}: {exc}"
            log.error("unexpected error in %s:\n%s", job.path, "".join(traceback.format_exception(exc)))
        log.error("%s: %s", job.path, message)
        self.report.fail(stage, message, job.announcement, job.area)

    # -- running --------------------------------------------------------------------
    def _settled(self, job: Job) -> bool:
        """True when `job` needs no work: its output is current (reused) or this is a dry run.

        A current output is remembered either way, so later stages key on it exactly
        as a real build would; a dry run only adds the job to the plan.
        """
        entry = self.state.current(job.path, job.key)
        if self.options.dry_run:
            self.plan.append({"path": job.path, "kind": job.kind, "action": "reuse" if entry else "build",
                              "why": "" if entry else self.state.why_stale(job.path, job.key)})
        if entry is not None:
            self._remember(job, entry.sha256, False, entry.meta)
        return entry is not None or self.options.dry_run

    def run(self, jobs: list[Job], executor: Executor | None) -> None:
        """Reuse what is current; run the rest; publish each result as it arrives."""
        pending = [(job, executor.submit(job.fn, *job.args)) for job in jobs if not self._settled(job)]
        for n, (job, future) in enumerate(pending, start=1):
            try:
                data, meta = job.unpack(future.result())
                self._publish(job, data, meta)
                self.progress(job.path, n, len(pending))
            except OutputError:
                raise  # a full disk or unwritable OUT stops the run: nothing else can be published
            except BrokenProcessPool as exc:
                self._fail(job, TruyenThanhError(f"Tiến trình xử lý bị dừng bất thường ({exc}); hãy chạy lại."))
            except Exception as exc:
                self._fail(job, exc)

    def write_main(self, job: Job, data: bytes) -> None:
        """A cheap artifact made in this process (texts, spoken scripts)."""
        if not self._settled(job):
            self._publish(job, data, {})


def run_build(project: Project, options: BuildOptions, progress: "Progress | None" = None) -> RunReport:
    """Build one week. Raises LockHeldError if another build holds OUT."""
    tz = project.config.issuer.timezone
    engine = options.engine or project.config.audio.engine
    report = RunReport.start(options.week.label, engine, tz)
    started = time.monotonic()
    with BuildLock(options.out):
        if not options.dry_run:
            sweep_leftovers(options.out)
        selection = select_week(project, options.week)
        for ann_id, reason in selection.skipped:
            report.skip(ann_id, reason)
        for ann_id, area_id, stage, error in selection.failures:
            report.fail(stage, error, ann_id, area_id)
        report.notes.extend(project.notes)
        builder = Builder(project, options, report, progress)
        executor = None if options.dry_run else make_executor(options.jobs)
        try:
            _run_stages(builder, selection, engine, executor)
        finally:
            if executor is not None:
                executor.shutdown()
        report.finish(tz, time.monotonic() - started)
        if options.dry_run:
            report.stats["plan"] = builder.plan
            return report
        report.write(options.out)
        stages.write_index(builder, project)
        report.write(options.out)
    return report


def sweep_leftovers(out: Path) -> None:
    """Remove temporary files of a build that was killed: we hold the lock, so none is live."""
    for tmp in out.rglob(".*.tmp"):
        try:
            tmp.unlink()
            log.info("removed leftover %s", tmp)
        except OSError:
            pass
    for part in (out / "runs").glob(".build-*.log"):
        pid = part.stem.removeprefix(".build-")
        if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
            part.unlink(missing_ok=True)


def _run_stages(builder: Builder, selection: Selection, engine: str, executor: Executor | None) -> None:
    builder.progress("Văn bản và kịch bản đọc…")
    spoken = stages.write_texts(builder, selection)
    builder.progress("Chương trình phát thanh, bản in, kịch bản phát thanh viên…")
    programmes = stages.programme_jobs(builder, selection, spoken, engine)
    prints = stages.print_jobs(builder, selection)
    operators = stages.operator_jobs(builder, selection)
    builder.run(programmes + prints + operators, executor)
    builder.progress("Bản tin tuần và phiếu đặt in…")
    builder.run(stages.bulletin_jobs(builder, selection) + stages.order_jobs(builder, selection, prints), executor)
    builder.progress("Gói tải về theo địa bàn…")
    builder.run(stages.bundle_jobs(builder, selection), executor)
    if not builder.options.dry_run:
        stages.write_manifests(builder)
    for stat in ("tts_requests", "tts_cache_hits"):
        builder.report.stats[stat] = sum(
            int(r.extra.get(stat, 0)) for r in builder.records.values() if r.kind == "audio" and r.built
        )
