"""Stage: e-screen videos without sound, slides timed to the programme (per announcement and size).

An announcement whose text is the same everywhere gets one video per size, timed
to the programme of the first area (alphabetical by id) that has one: the
slides are the same and the body is read the same way in every area, so fifteen
near-identical videos would only differ in the closing line of the soundtrack.
Text that differs by area gets a video per area, timed to that area's programme.
`screens_sound` then adds the programme as the soundtrack.
"""

from __future__ import annotations

from dataclasses import dataclass

from truyenthanh import channels, layout
from truyenthanh.channels import content
from truyenthanh.channels.slides import Deck, deck_views
from truyenthanh.channels.stills import still_key
from truyenthanh.channels.video import ENCODER, FPS, Soundtrack, encoder_identity, silent_video
from truyenthanh.entries import CacheReads
from truyenthanh.errors import ChannelError, TruyenThanhError
from truyenthanh.job import Job, with_meta
from truyenthanh.keys import content_key
from truyenthanh.stages import programmes
from truyenthanh.stages.context import Context
from truyenthanh.stages.prints import content_groups

NAME = "screens"
HEADING = "Video màn hình điện tử…"
NEEDS: tuple[str, ...] = ("programmes", "stills")


def soundtrack(ctx: Context, recipe, meta: dict) -> Soundtrack:
    """The programme's parts and where they meet (recorded by the assembler; measured from the segment
    cache when the whole programme was re-mastered and the joins were not kept)."""
    parts = tuple((p.kind, p.text) for p in recipe.parts)
    joins = tuple(meta.get("joins") or ())
    if len(joins) != len(parts) - 1:
        # Rare (a programme mastered whole): reading the segments loads the audio libraries.
        from truyenthanh.audio.assemble import SegmentSource

        source, offset, joins = SegmentSource(ctx.out, ctx.speech_cache), 0, []
        for spec in recipe.parts[:-1]:
            offset += source.get(spec).samples
            joins.append(offset)
        joins = tuple(joins)
    req = recipe.request
    return Soundtrack(
        parts,
        joins,
        recipe.settings.sample_rate,
        float(meta["duration_s"]),
        req.spoken_title,
        tuple(tuple(p) for p in req.spoken_paragraphs),
    )


@dataclass(frozen=True)
class Screen:
    """One e-screen deck to make videos of: shared by all areas, or one area's."""

    announcement: str
    group: list  # the areas' RenderedTexts with this content
    area: str | None  # None when every area shares the text
    deck: Deck


def screens(ctx: Context) -> list[Screen]:
    """Every deck of the week's videos (announcements with a programme), in a stable order."""
    cfg = ctx.config
    if not cfg.channels.screens:
        return []
    out: list[Screen] = []
    for ann in ctx.selection.taken:
        if not ann.wants("audio"):
            continue  # no programme: nothing to time the slides to
        groups = content_groups(
            sorted(ctx.selection.texts_for(ann.id), key=lambda t: t.area_id or "")
        )
        shared = len(groups) == 1
        for group in groups:
            text = group[0]
            area = None if shared else cfg.area(text.area_id)
            out.append(
                Screen(ann.id, group, area.id if area else None, content.deck(text, cfg, area))
            )
    return out


def still_reads(ctx: Context, deck: Deck, w: int, h: int) -> CacheReads:
    """The still-cache entries a video of `deck` reads (all its slides' GOPs)."""
    try:
        views = deck_views(deck, w, h)
    except TruyenThanhError:
        views = []  # the video job meets the same error and reports it for its item
    return CacheReads(str(ctx.out), tuple(layout.still_path(still_key(v)) for v in views))


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    recipes = programmes.recipes(ctx) if cfg.channels.screens else {}
    out: list[Job] = []
    for screen in screens(ctx):
        source_area, programme = content.programme_for(
            week, screen.announcement, screen.group, ctx.records
        )
        if programme is None:
            continue  # the programme failed: its failure is reported already
        rec, recipe = ctx.record(programme), recipes.get((screen.announcement, source_area))
        common = dict(area=screen.area, announcement=screen.announcement)
        for w, h in cfg.channels.screen_sizes:
            path = layout.screen_video_path(
                week, screen.announcement, w, h, screen.area, silent=True
            )
            if recipe is None or isinstance(recipe, Exception):
                out.append(
                    Job.failed(
                        "screen_video",
                        path,
                        ChannelError("Không có công thức chương trình để canh giờ video."),
                        **common,
                    )
                )
                continue
            try:
                # A dry run plans the programme without timing it: its video is planned too.
                track = None if rec.planned else soundtrack(ctx, recipe, rec.extra)
            except (KeyError, ValueError, TypeError) as exc:
                out.append(
                    Job.failed(
                        "screen_video",
                        path,
                        ChannelError(
                            f"Không đọc được mốc thời gian của chương trình {programme}: {exc}."
                        ),
                        **common,
                    )
                )
                continue
            deck = screen.deck
            out.append(
                Job(
                    kind="screen_video",
                    path=path,
                    fn=silent_video,
                    args=(deck, track, w, h, still_reads(ctx, deck, w, h)),
                    unpack=with_meta,
                    key=content_key(
                        "screen_video",
                        deck,
                        track if track is not None else rec.sha256,
                        w,
                        h,
                        FPS,
                        encoder_identity(),
                        channels.RECIPE_VERSION,
                    ),
                    extra={
                        "width": w,  # known before it is made (a dry run's plan needs them)
                        "height": h,
                        "silent": True,
                        "programme": programme,
                        "timed_by_area": source_area,
                        "codec": ENCODER,
                    },
                    read_back=True,  # the version with sound is cut from it (screens_sound)
                    **common,
                )
            )
    return out
