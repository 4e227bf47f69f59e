"""Stage: what the download page reads and the page itself.

Each bundle's manifest is published beside its ZIP (the page lists past weeks
from them), then `index.html` — the one file rewritten on every run, since it
shows the latest run's status.
"""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.bundle import page_manifest_bytes
from truyenthanh.job import Job
from truyenthanh.keys import content_key, sha256_bytes
from truyenthanh.stages.context import Context

NAME = "page"
HEADING = "Trang tải về…"
NEEDS = ("bundles",)


def manifest_jobs(ctx: Context) -> list[Job]:
    out = []
    for area in ctx.config.areas:
        rec = ctx.record(layout.bundle_path(ctx.week, area.id))
        if rec is None or "_manifest" not in rec.extra:
            continue  # a reused bundle keeps its published manifest
        data = page_manifest_bytes(
            rec.extra["_manifest"], rec.path, rec.sha256, rec.extra["size"], rec.extra["built_at"]
        )
        out.append(
            Job(
                kind="bundle_manifest",
                path=layout.bundle_manifest_path(ctx.week, area.id),
                key=content_key("bundle_manifest", rec.sha256),
                data=data,
                area=area.id,
                internal=True,
            )
        )
    return out


def prepare() -> None:
    """Compile the page's template on a thread while the workers run (it is needed last)."""
    from truyenthanh.site import prepare as compile_in_background

    compile_in_background()


def index_job(ctx: Context, run_doc: dict) -> Job:
    """The page, showing `run_doc` (this run's report, written after the page)."""
    from truyenthanh.site import render_index

    cfg = ctx.config
    data = render_index(
        ctx.out, cfg.issuer, list(cfg.areas), list(cfg.print.shops), ctx.records, ctx.week, run_doc
    )
    return Job(
        kind="index", path=layout.INDEX, key=content_key("index", sha256_bytes(data)), data=data
    )


def jobs(ctx: Context) -> list[Job]:
    return manifest_jobs(ctx)
