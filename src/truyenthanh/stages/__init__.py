"""The stages of DESIGN.md's data flow, in running order.

Each stage is a module with `NAME`, `HEADING` (what the progress line says),
`NEEDS` (the stages whose published records it reads) and `jobs(ctx) -> list[Job]`.
A stage only declares: it never writes a file and never touches the run report;
`build.Builder` runs the jobs and alone publishes, records state and reports.

A stage is declared as soon as the stages it needs are done (`ready`), whatever
else is still running: the programmes start when their segments are made, not
when the print files and slides declared beside them are; the bundles start
while the e-screen videos are still being cut. The workers take the queued jobs
of the stages the most others wait on first (`rank`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from truyenthanh.stages import (
    bulletin_segments,
    bulletins,
    bundles,
    feeds,
    operator,
    orders,
    page,
    prints,
    programmes,
    screens,
    screens_sound,
    segments,
    social,
    soundtracks,
    stills,
    texts,
)
from truyenthanh.stages.context import Context, Stage

# Like normalize/passes.py lists its passes: the order here is the order of the data flow.
STAGES: tuple[Stage, ...] = (
    texts,
    segments,  # needs only the spoken scripts (resolved in-process), so it runs beside texts and prints
    bulletin_segments,  # the bulletins' openings: declared once the programmes' segments are out
    prints,
    stills,  # e-screen slides, each encoded once: they need the text, not the programme's timing
    programmes,
    screens,  # e-screen videos: timed to the programmes; runs beside operator scripts and bulletins
    soundtracks,  # the segments of the videos' programmes as AAC, once each; beside the screens
    social,
    operator,
    bulletins,
    orders,
    screens_sound,  # adds the programme soundtrack; runs beside the bundles
    bundles,
    feeds,
    page,
)


def ready(waiting: Iterable[Stage], done: Collection[str]) -> list[Stage]:
    """The stages of `waiting` whose needs are all `done`, in running order."""
    return [stage for stage in waiting if all(need in done for need in stage.NEEDS)]


def rank(stages: Sequence[Stage] = STAGES) -> dict[str, tuple[int, int]]:
    """Each stage's place in the workers' queue (lower goes first): first the stages with the
    longest chain of stages waiting on them (segments, then programmes, then bulletins and
    operator scripts before the bundles need them), so the path to the bundles and the page
    never queues behind work nothing waits for; then running order."""
    height: dict[str, int] = {}
    for stage in reversed(stages):  # a stage's dependants come after it
        waiting_on_it = [height[s.NAME] for s in stages if stage.NAME in s.NEEDS]
        height[stage.NAME] = 1 + max(waiting_on_it, default=-1)
    return {stage.NAME: (-height[stage.NAME], n) for n, stage in enumerate(stages)}


__all__ = ["STAGES", "Context", "Stage", "rank", "ready"]
