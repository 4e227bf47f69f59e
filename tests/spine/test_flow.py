"""The build's flow: each stage starts once the stages it needs are done, not when a whole batch
is; the workers take the stages the most others wait on first; results are published as they
complete; a job that kills its worker every time fails alone."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pytest

from truyenthanh import stages
from truyenthanh.flow import Flow
from truyenthanh.job import Job


@dataclass
class Stage:
    NAME: str
    declared: list[Job]
    NEEDS: tuple[str, ...] = ()
    HEADING: str = ""

    def jobs(self, _ctx) -> list[Job]:
        return self.declared


@dataclass
class Builder:
    """What the flow asks of the builder, recorded."""

    out: str = "/nonexistent"
    ctx: object = None
    order: dict = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    failed: list[tuple[str, BaseException]] = field(default_factory=list)

    def settled(self, job: Job) -> bool:
        return False

    def publish(self, job: Job, data, meta, digest=None) -> None:
        self.published.append(job.path)

    def fail(self, job: Job, exc: BaseException) -> None:
        self.failed.append((job.path, exc))

    def progress(self, *_args) -> None:
        pass

    class state:  # noqa: N801 - the builder's BuildState, of which the flow only commits
        @staticmethod
        def checkpoint() -> None:
            pass

    class report:  # noqa: N801
        stats: dict = {}


class Threads:
    """Two workers in this process; remote-shaped, so recipes return their bytes."""

    name, workers, remote = "threads", 2, True

    def __init__(self):
        self.pool = ThreadPoolExecutor(2)

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args)

    def shutdown(self):
        self.pool.shutdown()


def job(path: str, fn=bytes, *args) -> Job:
    return Job(kind="leaflet", path=path, key=path, fn=fn, args=args)


def pause(seconds: float) -> bytes:
    time.sleep(seconds)
    return b""


def run(graph, executor) -> tuple[Builder, Flow]:
    builder = Builder()
    flow = Flow(builder, graph, executor, 0)
    flow.run()
    return builder, flow


def test_a_stage_starts_when_its_needs_are_done_not_when_everything_declared_with_them_is():
    slides = Stage("slides", [job("slide", pause, 0.6)])
    segments = Stage("segments", [job("segment", pause, 0.05)])
    programmes = Stage("programmes", [job("programme")], NEEDS=("segments",))
    executor = Threads()
    try:
        builder, flow = run((segments, slides, programmes), executor)
    finally:
        executor.shutdown()
    # The programme was published while the slide was still being made.
    assert builder.published == ["segment", "programme", "slide"]
    assert flow.spans["programmes"][1] < flow.spans["slides"][1]
    assert flow.done == {"slides", "segments", "programmes"}


def test_results_are_published_as_they_complete_and_the_order_is_kept_by_declaration():
    first = Stage("first", [job("slow", pause, 0.4), job("quick", pause, 0.01)])
    executor = Threads()
    try:
        builder, _ = run((first,), executor)
    finally:
        executor.shutdown()
    assert builder.published == ["quick", "slow"]  # nothing waited behind the slow one
    assert builder.order["slow"] < builder.order["quick"]  # the report's order (put_in_order)


def test_the_stages_most_others_wait_on_go_to_the_workers_first():
    rank = stages.rank()
    first = sorted(rank, key=rank.get)
    assert first[0] == "segments"
    for before, after in [
        ("programmes", "stills"),
        ("programmes", "prints"),
        ("bulletins", "screens"),
        ("operator", "social"),
        ("bulletins", "orders"),
        ("bundles", "feeds"),
    ]:
        assert rank[before] < rank[after], (before, after)
    done = {"segments"}
    names = [s.NAME for s in stages.ready(stages.STAGES, done)]
    assert "programmes" in names and "bulletins" not in names and "bundles" not in names


class Recording:
    """One worker in this process, noting the order jobs are handed to it."""

    name, workers, remote = "recording", 1, True

    def __init__(self):
        self.submitted: list[str] = []

    def submit(self, fn, *args):
        from concurrent.futures import Future

        self.submitted.append(args[0].decode())
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self):
        pass


def test_of_the_stages_ready_at_once_the_one_others_wait_on_is_declared_first():
    # When the programmes are done, the social cards, screens, operator scripts and bulletins
    # are all ready; the bulletins (the bundles wait for them) must not queue behind the rest.
    base = Stage("base", [job("base", bytes, b"base")])
    leaf = Stage("leaf", [job("leaf", bytes, b"leaf")], NEEDS=("base",))
    trunk = Stage("trunk", [job("trunk", bytes, b"trunk")], NEEDS=("base",))
    tip = Stage("tip", [job("tip", bytes, b"tip")], NEEDS=("trunk",))
    executor = Recording()
    builder, _ = run((base, leaf, trunk, tip), executor)
    assert executor.submitted[:3] == ["base", "trunk", "leaf"]
    assert builder.order["leaf"] < builder.order["trunk"]  # the report keeps the graph's order


class Breaking:
    """A pool whose worker dies under `killer` every time, failing whatever shares the pool."""

    name, workers, remote = "breaking", 2, True

    def __init__(self, killer: str):
        self.killer, self.lock = killer, threading.Lock()
        self.out: list = []  # futures of the current pool
        self.seen_alone: list[bool] = []

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future: Future = Future()
        with self.lock:
            self.out = [f for f in self.out if not f.done()]
            self.out.append(future)
        if args and args[0] == self.killer:
            self.seen_alone.append(len(self.out) == 1)
            for f in self.out:  # the pool breaks: all it held fails
                f.set_exception(BrokenProcessPool("worker died"))
            self.out = []
        else:
            threading.Timer(0.05, lambda: future.done() or future.set_result(b"")).start()
        return future

    def shutdown(self):
        pass


def identity(name: str) -> bytes:
    return name.encode()


def test_a_job_that_kills_its_worker_every_time_fails_alone_and_the_others_are_made():
    others = [job(f"other-{n}", identity, f"other-{n}") for n in range(5)]
    killer = job("killer", identity, "killer")
    executor = Breaking("killer")
    builder, flow = run((Stage("all", [*others[:2], killer, *others[2:]]),), executor)
    assert [path for path, _ in builder.failed] == ["killer"]
    assert sorted(builder.published) == sorted(j.path for j in others)
    assert executor.seen_alone[-1] is True  # its last try had the pool to itself
    assert len(executor.seen_alone) == 3
    note = flow.lost_note()
    assert note is not None and "vẫn không dựng được" in note


def test_a_need_no_stage_meets_is_a_mistake_said_at_once():
    with pytest.raises(RuntimeError, match="never ready"):
        run((Stage("orphan", [job("x")], NEEDS=("missing",)),), Threads())


# -- jobs that make the same file ---------------------------------------------------------


@dataclass
class Staging(Builder):
    """Keeps what each job staged (its temporary file) instead of publishing it."""

    staged: dict = field(default_factory=dict)

    def publish(self, job: Job, data, meta, digest=None) -> None:
        self.published.append(job.path)
        self.staged[job.path] = open(data.tmp, "rb").read()


DRAWN: list[str] = []


def drawn(text: str) -> bytes:
    DRAWN.append(text)
    return f"<{text}>".encode()


def drawn_upper(text: str) -> bytes:
    DRAWN.append(text)
    return text.upper().encode()


def test_jobs_of_the_same_recipe_are_made_once_per_worker_and_every_path_gets_the_bytes(
    tmp_path,
):
    from truyenthanh.executor import SerialExecutor  # a local worker, in this process

    DRAWN.clear()
    key = "card"
    cards = [
        Job(kind="social_card", path=f"c{i}.png", key=key, fn=drawn, args=("thẻ",))
        for i in range(5)
    ]
    # One order in three forms shares a key (stages/orders.py): three recipes, not one.
    forms = [
        Job(kind="print_order", path="o.csv", key="order", fn=drawn, args=("đơn",)),
        Job(
            kind="print_order",
            path="o.xlsx",
            key="order",
            fn=drawn_upper,
            args=("đơn",),
        ),
    ]
    # Same key and function, other arguments: not the same file either.
    other = Job(kind="social_card", path="d.png", key=key, fn=drawn, args=("thẻ khác",))
    builder = Staging(out=tmp_path)
    Flow(builder, (Stage("social", [*cards, *forms, other]),), SerialExecutor(), 0).run()
    assert DRAWN.count("thẻ") == 1  # drawn once, written five times
    assert all(builder.staged[f"c{i}.png"] == "<thẻ>".encode() for i in range(5))
    assert builder.staged["o.csv"] == "<đơn>".encode()
    assert builder.staged["o.xlsx"] == "ĐƠN".encode()
    assert builder.staged["d.png"] == "<thẻ khác>".encode()


def test_arguments_that_do_not_compare_are_never_taken_for_the_same_recipe():
    import numpy as np

    from truyenthanh.flow import _repeated

    a = Job(kind="audio", path="a", key="k", fn=bytes, args=(np.zeros(3),))
    b = Job(kind="audio", path="b", key="k", fn=bytes, args=(np.zeros(3),))
    same = [Job(kind="text", path=p, key="t", fn=bytes, args=(b"x",)) for p in "xy"]
    assert _repeated([a, b, *same]) == {"x", "y"}


def test_a_worker_remembers_what_repeats_within_its_bound():
    from truyenthanh.job import Remembered

    remembered = Remembered()
    remembered.MAX_BYTES = 10
    remembered.put("a", b"1234", {})
    remembered.put("b", b"5678", {"n": 1})
    assert remembered.get("a") == (b"1234", {})  # now the most recent
    remembered.put("c", b"90ab", {})  # over the bound: the least recent goes
    assert remembered.get("b") is None and remembered.get("a") is not None
    remembered.put("big", b"x" * 11, {})  # larger than the bound: never kept
    assert remembered.get("big") is None and remembered.bytes <= 10
