"""Stage: each area's operator script: the rundown per day and slot, then the texts to read
live if the audio fails. It needs the programmes (their durations make the schedule)."""

from __future__ import annotations

import math

from truyenthanh import layout, printing
from truyenthanh.domain import running_order
from truyenthanh.job import Deferred, Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context
from truyenthanh.stages.week_items import week_plan

NAME = "operator"
HEADING = "Kịch bản cho phát thanh viên…"
NEEDS: tuple[str, ...] = ("programmes",)
RUNDOWN_VERSION = "rundown-2"  # the rundown is new in the script: part of its key


def operator_items(ctx: Context, area_id: str) -> list[printing.OperatorItem]:
    items = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        if not ctx.project.announcement(text.announcement_id).wants("audio"):
            continue
        items.append(
            printing.OperatorItem(
                title=text.title,
                priority=text.priority,
                valid_from=text.valid_from,
                valid_until=text.valid_until,
                repeat=text.repeat,
                body=text.body,
                audio_file=layout.bundle_programme_name(ctx.week, area_id, text.announcement_id),
            )
        )
    return items


def rundown(ctx: Context, area_id: str) -> tuple[printing.RundownSlot, ...]:
    slots: dict[tuple, list] = {}
    for p in week_plan(ctx, area_id).plays:
        slots.setdefault((p.day, p.slot), []).append(
            # Whole seconds, as printed: a re-mastered programme a few frames shorter must not
            # reprint the script (its key is what the page shows, not the audio's exact length).
            printing.RundownEntry(
                p.title, p.priority, p.file, float(math.ceil(p.duration_s - 1e-9))
            )
        )
    return tuple(
        printing.RundownSlot(day, slot, tuple(entries)) for (day, slot), entries in slots.items()
    )


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    out = []
    for area in cfg.areas:
        items = operator_items(ctx, area.id)
        if not items:
            continue
        plan = rundown(ctx, area.id)
        key = content_key(
            "operator",
            area,
            cfg.issuer,
            cfg.print,
            week,
            items,
            plan,
            printing.RECIPE_VERSION,
            RUNDOWN_VERSION,
        )
        out.append(
            Job(
                kind="operator_script",
                path=layout.operator_path(week, area.id),
                key=key,
                fn=Deferred("truyenthanh.printing.operator", "operator_script_pdf"),
                args=(area, cfg.issuer, cfg.print, week, items, plan),
                area=area.id,
                read_back=True,  # the bundle reads it
            )
        )
    return out
