"""Stage: every distinct segment (phrase, sound, silence) the programmes speak, made once.

A segment job synthesises, masters, encodes, decodes and measures one piece
and returns the cache entry's bytes; the builder writes it under
`.cache/segments/` (content-addressed) and tracks it like any artifact, but it
is internal: not listed in the run report. Programmes and bulletins then only
assemble (stages/programmes.py, stages/bulletins.py). The few segments only the
daily bulletins speak (their openings) are the next stage's
(stages/bulletin_segments.py): declaring them means building every bulletin's
recipe, and the programmes' segments go to the workers before that.
"""

from __future__ import annotations

from collections.abc import Iterable

from truyenthanh import audio, layout
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job, with_meta
from truyenthanh.stages.context import Context
from truyenthanh.stages.programmes import recipes

NAME = "segments"
HEADING = "Đoạn âm thanh…"
NEEDS: tuple[str, ...] = ()  # the spoken scripts are resolved in-process (texts.spoken_scripts)


def distinct_pieces(recipes: Iterable, known: set[str] | frozenset[str] = frozenset()):
    """Each segment of `recipes` not in `known`, once, in first-use order (so the
    longest-waiting programmes start first): a sentence part is made as its phrases
    (`SegmentSpec.pieces`)."""
    found: dict[str, audio.SegmentSpec] = {}
    for recipe in recipes:
        for part in recipe.parts:
            for spec in part.pieces:
                if spec.key not in known:
                    found.setdefault(spec.key, spec)
    return list(found.values())


def programme_pieces(ctx: Context) -> list[audio.SegmentSpec]:
    return ctx.once(
        "programme_pieces",
        lambda: distinct_pieces(
            r for _, r in sorted(recipes(ctx).items()) if not isinstance(r, TruyenThanhError)
        ),
    )


def segment_jobs(ctx: Context, specs: list[audio.SegmentSpec]) -> list[Job]:
    return [
        Job(
            kind="segment",
            path=layout.segment_path(spec.key),
            key=spec.key,
            fn=audio.make_segment_entry,
            args=(spec, str(ctx.speech_cache)),
            unpack=with_meta,
            internal=True,
        )
        for spec in specs
    ]


def jobs(ctx: Context) -> list[Job]:
    return segment_jobs(ctx, programme_pieces(ctx))
