"""What the operator-facing stages share: an area's programmes this week as schedule items.

Not a stage (it declares no jobs): the bundle, the operator script and the feed ask
it so that all three see the same items, durations and schedule.
"""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.domain import running_order
from truyenthanh.render import RenderedText
from truyenthanh.schedule import ScheduleItem, WeekPlan, plan_week
from truyenthanh.stages.context import Context


def area_programmes(ctx: Context, area_id: str) -> list[tuple[RenderedText, str]]:
    """This week's programmes of an area that exist after this run, in the running order."""
    found = []
    for text in running_order(ctx.selection.texts_in(area_id)):
        path = layout.programme_path(ctx.week, area_id, text.announcement_id)
        if ctx.record(path) is not None:
            found.append((text, path))
    return found


def schedule_items(ctx: Context, area_id: str) -> list[ScheduleItem]:
    """The area's programmes as the schedule sees them (file = name inside the bundle)."""
    items = []
    for text, path in area_programmes(ctx, area_id):
        items.append(
            ScheduleItem(
                text.announcement_id,
                text.title,
                text.priority,
                text.valid_from,
                text.valid_until,
                text.repeat,
                layout.bundle_programme_name(ctx.week, area_id, text.announcement_id),
                float(ctx.meta(path).get("duration_s", 0.0)),
            )
        )
    return items


def week_plan(ctx: Context, area_id: str) -> WeekPlan:
    area = ctx.config.area(area_id)
    return ctx.keyed(
        "week_plan", area_id, lambda: plan_week(area, ctx.week, schedule_items(ctx, area_id))
    )
