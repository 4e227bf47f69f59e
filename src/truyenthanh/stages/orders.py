"""Stage: one print order sheet per shop (PDF, CSV and XLSX) for the print files this run has."""

from __future__ import annotations

from truyenthanh import layout, printing
from truyenthanh.domain import print_kind
from truyenthanh.job import Deferred, Job
from truyenthanh.keys import content_key
from truyenthanh.report import ArtifactRecord
from truyenthanh.stages.context import Context
from truyenthanh.stages.prints import KINDS

_ORDER_SHEET = "truyenthanh.printing.order"  # laid out in a worker (reportlab)

NAME = "orders"
HEADING = "Phiếu đặt in…"
NEEDS = ("prints",)


def printed_files(ctx: Context) -> list[ArtifactRecord]:
    """This week's print files that exist after this run (failed ones are not ordered)."""
    prefix = f"{ctx.week.label}/"
    return sorted(
        (r for r in ctx.records.values() if r.kind in KINDS and r.path.startswith(prefix)),
        key=lambda r: r.path,
    )


def _quantity(shop, rec: ArtifactRecord) -> int:
    if rec.area is not None and rec.kind in shop.area_quantities:
        return int(shop.area_quantities[rec.kind])
    return int(shop.quantities.get(rec.kind, 0))


def _printed_file(ctx: Context, rec: ArtifactRecord, shop) -> printing.PrintedFile:
    text = ctx.selection.texts_for(rec.announcement)[0]
    w, h = rec.extra["finished_mm"]
    area = ctx.config.area(rec.area) if rec.area else None
    address, receiver, deadline = printing.delivery_for(
        shop, ctx.config.issuer, ctx.config.print, ctx.week.label, area
    )
    return printing.PrintedFile(
        path=rec.path,
        kind=rec.kind,
        announcement=rec.announcement,
        area=rec.area,
        title=text.title,
        finished_w_mm=float(w),
        finished_h_mm=float(h),
        scale=int(rec.extra.get("scale", 1)),
        bleed_mm=float(rec.extra["bleed_mm"]),
        pages=int(rec.extra["pages"]),
        quantity=_quantity(shop, rec),
        material=print_kind(rec.kind).material_vi,
        deliver_to=address,
        receiver=receiver,
        deadline=deadline,
    )


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    records = printed_files(ctx)
    out = []
    for shop in cfg.print.shops:
        files = [
            _printed_file(ctx, rec, shop)
            for rec in records
            if shop.areas == "all" or rec.area is None or rec.area in shop.areas
        ]
        if not files:
            continue
        key = content_key(
            "order", shop, files, cfg.issuer, cfg.print, week.label, printing.RECIPE_VERSION
        )
        sheet_args = {
            "pdf": (
                Deferred(_ORDER_SHEET, "order_sheet_pdf"),
                (shop, files, cfg.issuer, cfg.print, week.label),
            ),
            "csv": (
                Deferred(_ORDER_SHEET, "order_sheet_csv"),
                (shop, files, week.label, cfg.issuer, cfg.print),
            ),
            "xlsx": (
                Deferred(_ORDER_SHEET, "order_sheet_xlsx"),
                (shop, files, cfg.issuer, cfg.print, week.label),
            ),
        }
        for fmt, (fn, args) in sheet_args.items():  # one order, three forms of the same sheet
            extra = {"shop": shop.id} if fmt == "pdf" else {"format": fmt, "shop": shop.id}
            out.append(
                Job(
                    kind="print_order",
                    path=layout.order_path(week, shop.id, fmt),
                    key=key,
                    fn=fn,
                    args=args,
                    extra=extra,
                )
            )
    return out
