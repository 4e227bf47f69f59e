"""The builder keeps a bounded number of results in memory, whatever the size of the week.

A national week's bundles (600 areas x 26 MB) were all held by their futures until the end of
their batch: the main process reached 22 GB and the OOM killer ended the run. Jobs are now
submitted at most `in_flight` ahead of the one being published, and each result is let go once
published. A local worker's result reaches the builder through a second future, the one that
completes once its file is fsynced (flow.Syncer): those are counted too.
"""

from __future__ import annotations

import gc
import weakref

from tests.buildutil import WEEK
from truyenthanh.build import BuildOptions, run_build
from truyenthanh.executor import SerialExecutor
from truyenthanh.flow import Syncer, in_flight
from truyenthanh.project import load_project
from truyenthanh.weeks import IsoWeek


class Counting:
    """Runs each job at once (as --jobs 1 does) and counts the results still alive."""

    name = "counting"
    workers = 1

    def __init__(self):
        self.inner = SerialExecutor()
        self.alive: list[weakref.ref] = []
        self.most_alive = 0
        self.submitted = 0

    def submit(self, fn, *args):
        gc.collect()
        self.alive = [r for r in self.alive if r() is not None]
        self.most_alive = max(self.most_alive, len(self.alive))
        self.submitted += 1
        return self.track(self.inner.submit(fn, *args))

    def track(self, future):
        self.alive.append(weakref.ref(future))
        return future

    def shutdown(self) -> None:
        pass


def test_results_alive_at_once_are_bounded_by_the_window(commune_project, out_dir, monkeypatch):
    executor = Counting()
    after = Syncer.after
    monkeypatch.setattr(Syncer, "after", lambda self, *args: executor.track(after(self, *args)))
    options = BuildOptions(out=out_dir, week=IsoWeek.parse(WEEK), jobs=1)
    report = run_build(load_project(commune_project), options, executor=executor).report
    assert report.status == "ok"
    limit = in_flight(executor)
    assert executor.submitted > 2 * limit  # the test district has more jobs than one window
    assert 0 < executor.most_alive <= limit  # published results were let go
