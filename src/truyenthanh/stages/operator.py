"""Stage: each area's operator script, the texts to read live if the audio fails."""

from __future__ import annotations

from truyenthanh import layout, printing
from truyenthanh.domain import running_order
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context

NAME = "operator"
HEADING = "Kịch bản cho phát thanh viên…"
NEEDS: tuple[str, ...] = ()


def operator_items(ctx: Context, area_id: str) -> list["printing.OperatorItem"]:
    items = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        if not ctx.project.announcement(text.announcement_id).wants("audio"):
            continue
        items.append(printing.OperatorItem(
            title=text.title, priority=text.priority, valid_from=text.valid_from, valid_until=text.valid_until,
            repeat=text.repeat, body=text.body, audio_file=layout.bundle_programme_name(text.announcement_id)))
    return items


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    out = []
    for area in cfg.areas:
        items = operator_items(ctx, area.id)
        if not items:
            continue
        key = content_key("operator", area, cfg.issuer, cfg.print, week, items, printing.RECIPE_VERSION)
        out.append(Job(kind="operator_script", path=layout.operator_path(week, area.id), key=key,
                       fn=printing.operator_script_pdf, args=(area, cfg.issuer, cfg.print, week, items),
                       area=area.id))
    return out
