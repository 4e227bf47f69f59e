"""Stage: each area's bulletin, its programmes joined in the running order."""

from __future__ import annotations

from truyenthanh import audio, layout
from truyenthanh.domain import running_order
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.render import RenderedText
from truyenthanh.stages.context import Context
from truyenthanh.stages.programmes import unpack_audio

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


def sounds(ctx: Context) -> dict:
    return ctx.once("sound_digests", lambda: audio.sound_digests(ctx.config.audio, ctx.project.root))


def jobs(ctx: Context) -> list[Job]:
    settings, week = ctx.config.audio, ctx.week
    out = []
    for area in ctx.config.areas:
        progs = area_programmes(ctx, area.id)
        if not progs:
            continue
        files = [(t.title, str(ctx.out / p)) for t, p in progs]
        # Only what is heard or tagged: a change of slots must not re-encode the bulletin.
        key = content_key("bulletin", [(t.title, ctx.record(p).sha256) for t, p in progs],
                          settings, sounds(ctx), area.full_name, area.station, week.label, audio.RECIPE_VERSION)
        out.append(Job(kind="bulletin", path=layout.bulletin_path(week, area.id), key=key, fn=audio.build_bulletin,
                       args=(files, settings, area.full_name, area.station, week.label, week.monday.isoformat(),
                             ctx.project.root),
                       unpack=unpack_audio, area=area.id))
    return out
