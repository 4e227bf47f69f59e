"""Stage: each area's bulletin, its programmes' segments joined in the running order."""

from __future__ import annotations

from truyenthanh import audio, layout
from truyenthanh.domain import running_order
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.render import RenderedText
from truyenthanh.stages.context import Context
from truyenthanh.stages.programmes import recipes, unpack_audio

NAME = "bulletins"
HEADING = "Bản tin…"
NEEDS = ("programmes",)


def area_programmes(ctx: Context, area_id: str) -> list[tuple[RenderedText, str]]:
    """This week's programmes of an area that exist after this run, in the running order."""
    found = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        path = layout.programme_path(ctx.week, area_id, text.announcement_id)
        if ctx.record(path) is not None:
            found.append((text, path))
    return found


def area_recipes(ctx: Context, area_id: str) -> list["audio.ProgrammeRecipe"]:
    """This week's programmes of an area that exist after this run, in the running order."""
    found = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        recipe = recipes(ctx).get((text.announcement_id, area_id))
        path = layout.programme_path(ctx.week, area_id, text.announcement_id)
        if recipe is not None and not isinstance(recipe, TruyenThanhError) and ctx.record(path) is not None:
            found.append(recipe)
    return found


def jobs(ctx: Context) -> list[Job]:
    week = ctx.week
    out = []
    for area in ctx.config.areas:
        progs = area_recipes(ctx, area.id)
        if not progs:
            continue
        recipe = audio.bulletin_recipe(progs, area.full_name, area.station, week.label, week.monday.isoformat())
        # The key is the recipe: only what is heard or tagged, so a change of slots re-encodes nothing.
        out.append(Job(kind="bulletin", path=layout.bulletin_path(week, area.id), key=recipe.key,
                       fn=audio.assemble_bulletin, args=(recipe, str(ctx.out), str(ctx.speech_cache)),
                       unpack=unpack_audio, area=area.id))
    return out
