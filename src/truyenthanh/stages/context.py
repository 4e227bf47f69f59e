"""What every stage reads: the project, the week, the selection, the records so far.

Values that several stages need (the lexicon, voice profiles, spoken scripts,
sound digests) are resolved once per build here and shared, never re-parsed per
item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from truyenthanh.job import Job
from truyenthanh.report import ArtifactRecord
from truyenthanh.weeks import IsoWeek

if TYPE_CHECKING:
    from truyenthanh.project import Project
    from truyenthanh.selection import Selection

T = TypeVar("T")


class Stage(Protocol):
    NAME: str
    HEADING: str  # Vietnamese progress heading
    NEEDS: tuple[str, ...]  # stages whose records this one reads

    def jobs(self, ctx: Context) -> list[Job]: ...


@dataclass
class Context:
    project: Project
    selection: Selection
    out: Path
    speech_cache: Path
    dry_run: bool = False
    # Filled by the builder as artifacts are published or found current; read-only to stages.
    records: Mapping[str, ArtifactRecord] = field(default_factory=dict)
    # The finished run's report (for the page), set by the builder before the last stage.
    run_report: dict | None = None
    _memo: dict = field(default_factory=dict)

    @property
    def week(self) -> IsoWeek:
        return self.selection.week

    @property
    def config(self):
        return self.project.config

    @property
    def engine(self) -> str:
        return self.project.config.audio.engine

    def record(self, path: str) -> ArtifactRecord | None:
        """The record of an artifact published (or found current) in this run."""
        return self.records.get(path)

    def meta(self, path: str) -> dict:
        rec = self.records.get(path)
        return rec.extra if rec else {}

    def once(self, name: str, make: Callable[[], T]) -> T:
        """`make()` computed once per build under `name` (resolve once, use everywhere)."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    def keyed(self, name: str, arg: Any, make: Callable[[], T]) -> T:
        return self.once(f"{name}:{arg!r}", make)
