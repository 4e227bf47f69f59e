"""Stage: each area's daily bulletins — per day, exactly the items valid that day.

One bulletin per area and day of the week with at least one valid item, its
items in the one running order (`domain.running_order`), assembled from the
items' own segments (audio/bulletin.py). An item is never in a bulletin outside
its `valid_from`–`valid_until`. The bundle stage puts each day's file in the ZIP
and names it in the manifest's `days` (stages/bundles.py).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from truyenthanh import audio, layout
from truyenthanh.atomic import Pieces
from truyenthanh.domain import running_order
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.stages.context import Context
from truyenthanh.stages.programmes import recipes, spec_maker, unpack_audio
from truyenthanh.stages.texts import voice_for

NAME = "bulletins"
HEADING = "Bản tin hằng ngày…"
NEEDS = ("programmes", "bulletin_segments")


def day_items(
    ctx: Context, area_id: str, day: dt.date, published_only: bool
) -> list[audio.ProgrammeRecipe]:
    """The programme recipes of the items valid on `day`, in the running order.

    `published_only`: only items whose programme exists after this run (a failed
    item is not in the bulletin; its own failure is reported with it).
    """
    found = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        if not text.valid_from <= day <= text.valid_until:
            continue
        recipe = recipes(ctx).get((text.announcement_id, area_id))
        if recipe is None or isinstance(recipe, TruyenThanhError):
            continue
        if (
            published_only
            and ctx.record(layout.programme_path(ctx.week, area_id, text.announcement_id)) is None
        ):
            continue
        found.append(recipe)
    return found


def day_recipe(
    ctx: Context, area_id: str, day: dt.date, published_only: bool
) -> audio.BulletinRecipe | None:
    items = day_items(ctx, area_id, day, published_only)
    if not items:
        return None
    # The segment stage builds every bulletin's recipe before the programmes exist, this stage
    # again once they do: the same items (every programme published) make the same recipe, so
    # it is made once (~1 ms each, 105 in the sample, 1,050 at 150 communes).
    made_from = (area_id, day, tuple(id(recipe) for recipe in items))
    return ctx.keyed("bulletin_recipe", made_from, lambda: _recipe(ctx, area_id, day, items))


def _recipe(
    ctx: Context, area_id: str, day: dt.date, items: list[audio.ProgrammeRecipe]
) -> audio.BulletinRecipe:
    area = ctx.config.area(area_id)
    opening = ctx.keyed("opening_line", day, lambda: audio.opening_line(day))
    maker = spec_maker(ctx, voice_for(ctx.project, area_id))  # the one its programmes used
    return audio.bulletin_recipe(
        items, area.full_name, area.station, ctx.week.label, day, opening, maker
    )


def all_recipes(ctx: Context) -> list[audio.BulletinRecipe]:
    """Every bulletin this week could have (for the segment stage: their openings are segments too)."""
    found = []
    for area in ctx.config.areas:
        for day in ctx.week.days():
            recipe = day_recipe(ctx, area.id, day, published_only=False)
            if recipe is not None:
                found.append(recipe)
    return found


def unpack_bulletin(result: audio.Assembled, day: dt.date) -> tuple[Pieces, dict]:
    """Job.unpack of a daily bulletin (with `partial`, so a worker process can run it)."""
    data, meta = unpack_audio(result)
    return data, {**meta, "date": day.isoformat()}


def jobs(ctx: Context) -> list[Job]:
    week = ctx.week
    out = []
    for area in ctx.config.areas:
        for day in week.days():
            recipe = day_recipe(ctx, area.id, day, published_only=True)
            if recipe is None:
                continue
            out.append(
                Job(
                    kind="bulletin",
                    path=layout.daily_bulletin_path(week, area.id, day),
                    key=recipe.key,
                    fn=audio.assemble_bulletin,
                    args=(recipe, str(ctx.out), str(ctx.speech_cache)),
                    unpack=partial(unpack_bulletin, day=day),
                    area=area.id,
                    extra={"date": day.isoformat()},
                    read_back=True,  # the bundle reads it
                    zip_member=True,
                )
            )
    return out
