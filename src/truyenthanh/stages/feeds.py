"""Stage: one podcast feed (RSS 2.0) per area: its programmes and daily bulletins, all weeks.

Read from the build records (this run's for the week being built, the state for
past weeks), never from file names.
"""

from __future__ import annotations

import os

from truyenthanh import catalog, layout
from truyenthanh.domain import PRIORITY_VI
from truyenthanh.feed import FeedEntry, feed_xml
from truyenthanh.job import Job
from truyenthanh.keys import content_key, sha256_bytes
from truyenthanh.stages.context import Context
from truyenthanh.weeks import WEEKDAYS_VI

# The public address of OUT (e.g. https://truyenthanh.tayson.gov.vn/), when known: enclosures
# become absolute URLs, which every podcast client accepts. Without it they are relative to
# the feed, so the same OUT works from any host for clients that resolve them (RFC 3986).
SITE_URL_ENV = "TRUYENTHANH_SITE_URL"

NAME = "feeds"
HEADING = "Nguồn tin podcast…"
NEEDS = ("bundles",)


def this_run_manifests(ctx: Context) -> dict[str, dict]:
    """Manifests of bundles built in this run (their published copies come with the page)."""
    return {
        path: rec.extra["_manifest"]
        for path, rec in ctx.records.items()
        if rec.kind == "bundle" and "_manifest" in rec.extra
    }


def entries(weeks: list[catalog.AreaWeek]) -> list[FeedEntry]:
    out = []
    for aw in weeks:
        titles = {p.file.announcement: p.title for p in aw.programmes}
        for p in aw.programmes:
            level = PRIORITY_VI.get(p.priority, p.priority)
            out.append(
                FeedEntry(
                    p.file.path,
                    p.title,
                    f"Hiệu lực {p.valid_from:%d/%m/%Y} – {p.valid_until:%d/%m/%Y} · tin {level}",
                    p.valid_from,
                    p.file.size,
                    p.file.sha256,
                    p.file.duration_s,
                    p.priority == "emergency",
                )
            )
        for d in aw.days:
            if d.bulletin is None:
                continue
            label = f"Bản tin {WEEKDAYS_VI[d.date.weekday()].lower()} {d.date:%d/%m/%Y}"
            out.append(
                FeedEntry(
                    d.bulletin.path,
                    label,
                    f"{len(d.items)} tin: " + "; ".join(titles.get(i, i) for i in d.items),
                    d.date,
                    d.bulletin.size,
                    d.bulletin.sha256,
                    d.bulletin.duration_s,
                )
            )
    return out


def jobs(ctx: Context) -> list[Job]:
    if ctx.dry_run:
        return []  # a feed lists what is published; a dry run publishes nothing
    cfg = ctx.config
    ids = [a.id for a in cfg.areas]
    weeks = catalog.area_weeks(ctx.out, ids, ctx.records, ctx.week, this_run_manifests(ctx))
    out = []
    for area in cfg.areas:
        found = entries(weeks[area.id])
        if not found:
            continue
        rel = layout.feed_path(area.id)
        data = feed_xml(
            area, cfg.issuer, rel, found, layout.INDEX, os.environ.get(SITE_URL_ENV) or None
        )
        out.append(
            Job(
                kind="feed",
                path=rel,
                key=content_key("feed", sha256_bytes(data)),
                data=data,
                area=area.id,
            )
        )
    return out
