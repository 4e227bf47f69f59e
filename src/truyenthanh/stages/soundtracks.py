"""Stage: every segment heard in an e-screen video, encoded to AAC once (audio/aac.py).

The programmes that time a video are the ones the screens stage picks (the first
area of each deck's group with a published programme); each distinct segment of
theirs, silences aside, is one internal job whose cache entry the builder writes
under `.cache/aac/`. `screens_sound` then only joins packets and copies streams.
A build without e-screens declares nothing here. Runs beside the screens stage.
"""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.audio.aac import AacSpec
from truyenthanh.audio.jobs import make_aac_entry
from truyenthanh.audio.recipe import ProgrammeRecipe
from truyenthanh.channels import content
from truyenthanh.job import Job, with_meta
from truyenthanh.report import ArtifactRecord
from truyenthanh.stages import programmes
from truyenthanh.stages.context import Context
from truyenthanh.stages.screens import screens

NAME = "soundtracks"
HEADING = "Tiếng cho video màn hình…"
NEEDS: tuple[str, ...] = ("programmes",)


def joined_from_segments(rec: ArtifactRecord | None, recipe) -> bool:
    """True when the programme file is its segments' frames as they are (not re-mastered whole),
    so its soundtrack can be joined from the segments' AAC."""
    return (
        rec is not None
        and isinstance(recipe, ProgrammeRecipe)
        and rec.extra.get("loudness") == "computed"
        and len(rec.extra.get("joins") or ()) == len(recipe.parts) - 1
    )


def jobs(ctx: Context) -> list[Job]:
    if not ctx.config.channels.screens:
        return []
    recipes = programmes.recipes(ctx)
    specs: dict[str, AacSpec] = {}
    for screen in screens(ctx):
        area, path = content.programme_for(ctx.week, screen.announcement, screen.group, ctx.records)
        recipe = recipes.get((screen.announcement, area))
        if path is None or not joined_from_segments(ctx.record(path), recipe):
            continue  # no programme, or one re-mastered whole: screens_sound encodes that one
        for part in recipe.parts:
            if part.kind != "silence":
                for piece in part.pieces:  # a sentence's phrases, as the segments are made
                    spec = AacSpec(piece)
                    specs.setdefault(spec.key, spec)
    return [
        Job(
            kind="aac",
            path=layout.aac_path(key),
            key=key,
            fn=make_aac_entry,
            args=(spec, str(ctx.out), str(ctx.speech_cache)),
            unpack=with_meta,
            internal=True,
        )
        for key, spec in specs.items()
    ]
