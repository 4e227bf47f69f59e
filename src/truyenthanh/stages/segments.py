"""Stage: every distinct segment (phrase, sound, silence) of this week's audio, made once.

A segment job synthesises, masters, encodes, decodes and measures one piece
and returns the cache entry's bytes; the builder writes it under
`.cache/segments/` (content-addressed) and tracks it like any artifact, but it
is internal: not listed in the run report. Programmes and bulletins then only
assemble (stages/programmes.py, stages/bulletins.py).
"""

from __future__ import annotations

from truyenthanh import audio, layout
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job, with_meta
from truyenthanh.stages.bulletins import all_recipes
from truyenthanh.stages.context import Context
from truyenthanh.stages.programmes import recipes

NAME = "segments"
HEADING = "Đoạn âm thanh…"
NEEDS: tuple[str, ...] = ()  # the spoken scripts are resolved in-process (texts.spoken_scripts)


def distinct_specs(ctx: Context) -> list[audio.SegmentSpec]:
    """Each segment once, in first-use order (so the longest-waiting programmes start first): a
    sentence part is made as its phrases (`SegmentSpec.pieces`)."""
    found: dict[str, audio.SegmentSpec] = {}
    programmes = [r for _, r in sorted(recipes(ctx).items()) if not isinstance(r, TruyenThanhError)]
    for recipe in [*programmes, *all_recipes(ctx)]:  # bulletins add their openings and gaps
        for part in recipe.parts:
            for spec in part.pieces:
                found.setdefault(spec.key, spec)
    return list(found.values())


def jobs(ctx: Context) -> list[Job]:
    return [
        Job(
            kind="segment",
            path=layout.segment_path(key),
            key=key,
            fn=audio.make_segment_entry,
            args=(spec, str(ctx.speech_cache)),
            unpack=with_meta,
            internal=True,
        )
        for spec in distinct_specs(ctx)
        for key in (spec.key,)
    ]
