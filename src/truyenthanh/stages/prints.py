"""Stage: leaflets, banners and posters for each announcement (per area where texts differ)."""

from __future__ import annotations

from truyenthanh import layout, printing
from truyenthanh.domain import PAPER_MM, landscape
from truyenthanh.job import Deferred, Job
from truyenthanh.keys import content_key
from truyenthanh.render import RenderedText
from truyenthanh.stages.context import Context

NAME = "prints"
HEADING = "Tệp in: tờ gấp, băng rôn, áp phích…"
NEEDS: tuple[str, ...] = ()
KINDS = ("leaflet", "banner", "poster")


def content_groups(texts: list[RenderedText]) -> list[list[RenderedText]]:
    """Areas whose text is identical share one print file: no fifteen identical PDFs."""
    groups: list[list[RenderedText]] = []
    for text in texts:
        for group in groups:
            if group[0].same_content(text):
                group.append(text)
                break
        else:
            groups.append([text])
    return groups


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    settings, issuer = cfg.print, cfg.issuer
    recipe = printing.RECIPE_VERSION
    out: list[Job] = []
    for ann in ctx.selection.taken:
        groups = content_groups(sorted(ctx.selection.texts_for(ann.id), key=lambda t: t.area_id))
        shared = len(groups) == 1
        for group in groups:
            text = group[0]
            area_id = None if shared else text.area_id
            area = None if shared else cfg.area(text.area_id)
            common = dict(area=area_id, announcement=ann.id)
            if ann.wants("leaflet"):
                path = layout.leaflet_path(week, ann.id, area_id)
                name = path.rsplit("/", 1)[1]
                w, h = landscape(cfg.print.leaflet_paper)
                out.append(
                    Job(
                        kind="leaflet",
                        path=path,
                        fn=Deferred("truyenthanh.printing.leaflet", "leaflet_print"),
                        unpack=printing.with_meta,
                        key=content_key("leaflet", text, issuer, settings, area, name, recipe),
                        args=(text, issuer, settings, area, name),
                        extra={
                            "finished_mm": [w, h],
                            "scale": 1,
                            "bleed_mm": settings.bleed_mm,
                            "pages": 2,
                        },
                        **common,
                    )
                )
            if ann.wants("banner"):
                size = text.banner or settings.banner
                scale = printing.banner_scale(size, settings)
                path = layout.banner_path(week, ann.id, size.label, scale, area_id)
                name = path.rsplit("/", 1)[1]
                out.append(
                    Job(
                        kind="banner",
                        path=path,
                        fn=Deferred("truyenthanh.printing.banner", "banner_print"),
                        unpack=printing.with_meta,
                        key=content_key("banner", text, issuer, settings, size, name, recipe),
                        args=(text, issuer, settings, size, name),
                        extra={
                            "finished_mm": [size.width_mm, size.height_mm],
                            "scale": scale,
                            "bleed_mm": size.bleed_mm,
                            "pages": len(text.slogans),
                            "size": size.label,
                        },
                        **common,
                    )
                )
            if ann.wants("poster"):
                for paper in settings.poster_sizes:
                    path = layout.poster_path(week, ann.id, paper, area_id)
                    name = path.rsplit("/", 1)[1]
                    w, h = PAPER_MM[paper]
                    out.append(
                        Job(
                            kind="poster",
                            path=path,
                            fn=Deferred("truyenthanh.printing.poster", "poster_print"),
                            unpack=printing.with_meta,
                            key=content_key("poster", text, issuer, settings, paper, name, recipe),
                            args=(text, issuer, settings, paper, name),
                            extra={
                                "paper": paper,
                                "finished_mm": [w, h],
                                "scale": 1,
                                "bleed_mm": settings.bleed_mm,
                                "pages": 1,
                            },
                            **common,
                        )
                    )
    return out
