"""Stage: each area's weekly bundle (ZIP with programmes, daily bulletins and playlists,
schedule, operator script, manifest).

What this stage expects of the daily bulletin stage
---------------------------------------------------
For each area and each day of the week that has at least one valid item, the
daily bulletin stage (run before this one; add its NAME to `NEEDS`) declares one
job with

* ``kind="bulletin"``, ``area=<area id>``, ``announcement=None``;
* ``path=layout.daily_bulletin_path(week, area, day)`` — its name inside the ZIP
  is the same file name (``layout.bundle_daily_bulletin_name``);
* audio holding exactly ``schedule.days_of(...)``'s items for that day, in
  ``domain.running_order``: one ident and lead-in, a chime between items,
  emergency items first with their double chime, one closing line and tone;
* metadata (its unpack) with ``duration_s`` and ``date`` (ISO day).

When a record exists for that path (``ctx.record(path)``), this stage puts the
file in the ZIP and the manifest's ``days[i].bulletin`` names it; otherwise the
day still gets its playlist and ``bulletin`` is null. Nothing else to wire.
"""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.atomic import Pieces
from truyenthanh.bundle import MANIFEST_FORMAT, BundleFile, bundle_pieces
from truyenthanh.job import CRC32, Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context
from truyenthanh.stages.week_items import area_programmes, schedule_items

NAME = "bundles"
HEADING = "Gói tải về theo địa bàn…"
NEEDS = ("programmes", "bulletins", "operator")


def unpack_bundle(result) -> tuple[Pieces, dict]:
    data, manifest = result
    return data, {"_manifest": manifest}  # for the page stage; not kept in state or report


def area_files(ctx: Context, area_id: str) -> list[tuple[BundleFile, str]]:
    """(file, path under OUT) for everything of the area's week that exists after this run."""
    week = ctx.week
    files = []
    for text, path in area_programmes(ctx, area_id):
        arcname = layout.bundle_programme_name(week, area_id, text.announcement_id)
        duration = float(ctx.meta(path).get("duration_s", 0.0))
        files.append(
            (
                BundleFile(
                    arcname,
                    ctx.out / path,
                    "programme",
                    duration,
                    text.announcement_id,
                    sha256=_recorded_digest(ctx, path),
                    crc32=ctx.meta(path).get(CRC32),
                ),
                path,
            )
        )
    for day in week.days():
        path = layout.daily_bulletin_path(week, area_id, day)
        if ctx.record(path) is not None:
            files.append(
                (
                    BundleFile(
                        layout.bundle_daily_bulletin_name(week, area_id, day),
                        ctx.out / path,
                        "bulletin",
                        ctx.meta(path).get("duration_s"),
                        None,
                        day,
                        sha256=_recorded_digest(ctx, path),
                        crc32=ctx.meta(path).get(CRC32),
                    ),
                    path,
                )
            )
    path = layout.operator_path(week, area_id)
    if ctx.record(path) is not None:
        files.append(
            (
                BundleFile(
                    layout.bundle_operator_name(week, area_id),
                    ctx.out / path,
                    "operator_script",
                    None,
                    None,
                    sha256=_recorded_digest(ctx, path),
                ),
                path,
            )
        )
    return files


def _recorded_digest(ctx: Context, path: str) -> str | None:
    """The SHA-256 the builder recorded for `path` (None when it has none: a dry run's plan)."""
    record = ctx.record(path)
    if record is None or record.planned:
        return None
    return record.sha256


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    out = []
    for area in cfg.areas:
        progs = area_programmes(ctx, area.id)
        if not progs:
            continue
        found = area_files(ctx, area.id)
        files = [f for f, _ in found]
        items = schedule_items(ctx, area.id)
        approvals = {t.announcement_id: t.approval_sha256 for t, _ in progs}
        key = content_key(
            "bundle",
            MANIFEST_FORMAT,
            area,
            cfg.issuer,
            week,
            [(f.arcname, f.kind, ctx.record(p).sha256) for f, p in found],
            items,
            approvals,
        )
        out.append(
            Job(
                kind="bundle",
                path=layout.bundle_path(week, area.id),
                key=key,
                fn=bundle_pieces,
                args=(area, cfg.issuer, week, files, items, approvals),
                unpack=unpack_bundle,
                area=area.id,
                done_with=tuple(path for _, path in found),  # their last reader
            )
        )
    return out
