"""Stage: each area's weekly bundle (ZIP with programmes, bulletin, schedule, script, manifest)."""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.bundle import BundleFile, bundle_bytes
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.schedule import ScheduleItem
from truyenthanh.stages.bulletins import area_programmes
from truyenthanh.stages.context import Context

NAME = "bundles"
HEADING = "Gói tải về theo địa bàn…"
NEEDS = ("programmes", "bulletins", "operator")


def unpack_bundle(result) -> tuple[bytes, dict]:
    data, manifest = result
    return data, {"_manifest": manifest}  # for the page stage; not kept in state or report


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    out = []
    for area in cfg.areas:
        progs = area_programmes(ctx, area.id)
        if not progs:
            continue
        files, items = [], []
        for text, path in progs:
            arcname = layout.bundle_programme_name(text.announcement_id)
            duration = float(ctx.meta(path).get("duration_s", 0.0))
            files.append(BundleFile(arcname, ctx.out / path, "programme", duration, text.announcement_id))
            items.append(ScheduleItem(text.announcement_id, text.title, text.priority, text.valid_from,
                                      text.valid_until, text.repeat, arcname, duration))
        extra = [(layout.bulletin_path(week, area.id), layout.bundle_bulletin_name(week), "bulletin"),
                 (layout.operator_path(week, area.id), layout.bundle_operator_name(week), "operator_script")]
        for path, arcname, kind in extra:
            if ctx.record(path) is not None:
                files.append(BundleFile(arcname, ctx.out / path, kind, ctx.meta(path).get("duration_s"), None))
        approvals = {t.announcement_id: t.approval_sha256 for t, _ in progs}
        sources = {str(ctx.out / p): ctx.record(p).sha256 for p in [p for _, p in progs] + [p for p, _, _ in extra]
                   if ctx.record(p) is not None}
        key = content_key("bundle", area, cfg.issuer, week,
                          [(f.arcname, f.kind, sources[str(f.source)]) for f in files], items, approvals)
        out.append(Job(kind="bundle", path=layout.bundle_path(week, area.id), key=key, fn=bundle_bytes,
                       args=(area, cfg.issuer, week, files, items, approvals), unpack=unpack_bundle,
                       area=area.id))
    return out
