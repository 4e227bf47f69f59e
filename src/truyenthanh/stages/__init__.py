"""The stages of DESIGN.md's data flow, in running order.

Each stage is a module with `NAME`, `HEADING` (what the progress line says),
`NEEDS` (the stages whose published records it reads) and `jobs(ctx) -> list[Job]`.
A stage only declares: it never writes a file and never touches the run report;
`build.Builder` runs the jobs and alone publishes, records state and reports.
Consecutive stages whose needs are met run in one batch, so the executor keeps
every core busy (programmes, print files and operator scripts together).
"""

from __future__ import annotations

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


def waves(stages: tuple[Stage, ...] = STAGES) -> list[list[Stage]]:
    """Group consecutive stages into batches: a stage starts a new batch when it needs
    the records of a stage in the current one."""
    batches: list[list[Stage]] = []
    for stage in stages:
        current = batches[-1] if batches else None
        if current is None or any(s.NAME in stage.NEEDS for s in current):
            batches.append([stage])
        else:
            current.append(stage)
    return batches


__all__ = ["STAGES", "Context", "Stage", "waves"]
