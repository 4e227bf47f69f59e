"""Stage: the segments only the daily bulletins speak (each day's opening with its date, and
what else no programme says), made once like the programmes' (stages/segments.py).

A stage of its own, declared after the programmes' segments have gone to the workers:
finding these means building every bulletin's recipe (~0.15 s of the sample's main
process), and one edited announcement's new phrase should not wait for that.
"""

from __future__ import annotations

from truyenthanh.job import Job
from truyenthanh.stages.bulletins import all_recipes
from truyenthanh.stages.context import Context
from truyenthanh.stages.segments import distinct_pieces, programme_pieces, segment_jobs

NAME = "bulletin_segments"
HEADING = "Đoạn âm thanh của bản tin…"
NEEDS: tuple[str, ...] = ()  # like the programmes' segments: resolved in-process


def jobs(ctx: Context) -> list[Job]:
    known = {spec.key for spec in programme_pieces(ctx)}
    return segment_jobs(ctx, distinct_pieces(all_recipes(ctx), known))
