"""What the download page shows, read from the build records (never from file names).

Kinds, areas, announcements, sizes and checksums come from the build state (via
`catalog`); for the week being built, only from this run's records. Titles,
validity and each day's running order come from the bundle manifests. A corrupt
manifest or report is logged and left out, never a crash, so one bad file cannot
take the operators' page down.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from truyenthanh import catalog, layout
from truyenthanh.config import Area, Issuer, PrintShop
from truyenthanh.domain import PRINT_KINDS, PRIORITY_VI, running_order
from truyenthanh.site.channels import ChannelWeek, channel_week
from truyenthanh.site.run import RunView, parse_time, run_view
from truyenthanh.weeks import WEEKDAYS_VI, IsoWeek

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgrammeView:
    id: str
    title: str
    priority: str
    priority_vi: str
    emergency: bool
    href: str
    name: str  # the file name the browser saves
    size: int
    duration_s: float | None
    valid_from: dt.date
    valid_until: dt.date
    sha256: str


@dataclass(frozen=True)
class DayView:
    date: dt.date
    label: str  # "Thứ ba 21/02/2023"
    slots: tuple[tuple[str, tuple[ProgrammeView, ...]], ...]  # (slot, programmes in airing order)
    items: tuple[ProgrammeView, ...]  # valid that day, running order
    bulletin_href: str | None
    bulletin_name: str | None
    bulletin_duration_s: float | None


@dataclass(frozen=True)
class WeekView:
    week: IsoWeek
    href: str  # the ZIP
    name: str
    size: int
    sha256: str
    built_at: dt.datetime | None
    duration_s: float
    programmes: tuple[ProgrammeView, ...]
    days: tuple[DayView, ...]
    script_href: str | None
    script_name: str | None
    dropped: int

    @property
    def emergency(self) -> bool:
        return any(p.emergency for p in self.programmes)


@dataclass(frozen=True)
class AreaView:
    area: Area
    search_key: str
    weeks: tuple[WeekView, ...]  # newest first
    feed_href: str | None = None

    @property
    def current(self) -> WeekView | None:
        return self.weeks[0] if self.weeks else None

    @property
    def past(self) -> tuple[WeekView, ...]:
        return self.weeks[1:]

    def today_json(self) -> str:
        """The current week's plays by day and slot, for the browser's "Hôm nay phát"."""
        days = {}
        for wv in self.weeks[:2]:  # this week and the one before (a page opened early on a Monday)
            for d in wv.days:
                days.setdefault(
                    d.date.isoformat(),
                    {
                        "label": d.label,
                        "slots": [
                            [slot, [_prog_json(p) for p in progs]] for slot, progs in d.slots
                        ],
                        "bulletin": [d.bulletin_href, d.bulletin_name] if d.bulletin_href else None,
                    },
                )
        return json.dumps({"days": days}, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


@dataclass(frozen=True)
class PrintFile:
    href: str
    name: str
    kind: str | None
    kind_vi: str
    size: int
    announcement: str
    announcement_title: str
    area: str | None
    area_name: str | None  # "xã Bình Hòa" when the file is for one area


@dataclass(frozen=True)
class ShopWeek:
    week: IsoWeek
    order_sheets: tuple[tuple[str, str, int], ...]  # (label, href, size)
    files: tuple[PrintFile, ...]


@dataclass(frozen=True)
class ShopView:
    shop: PrintShop
    weeks: tuple[ShopWeek, ...]  # newest first, only weeks with something for this shop


@dataclass(frozen=True)
class SiteData:
    areas: tuple[AreaView, ...]
    shops: tuple[ShopView, ...]
    run: RunView | None
    timezone: str
    weeks: tuple[IsoWeek, ...] = field(default=())
    channels: ChannelWeek | None = None  # e-screens, social posts, portal post (site/channels.py)


def fold(text: str) -> str:
    """Lowercase without diacritics: "Bình Hòa" → "binh hoa" (the page filter does the same)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def scan(
    out_dir: Path,
    issuer: Issuer,
    areas: list[Area],
    shops: list[PrintShop],
    records: Mapping | None = None,
    week: IsoWeek | None = None,
    run_doc: dict | None = None,
) -> SiteData:
    """The page's data. `records` and `week`: this run's records and its week (a build);
    without them every recorded artifact counts (the page re-rendered outside a build)."""
    out_dir = Path(out_dir)
    tz = ZoneInfo(issuer.timezone)
    if run_doc is None:
        run_doc = catalog.load_json_object(out_dir / layout.latest_report_path())
    by_area = catalog.area_weeks(out_dir, [a.id for a in areas], records, week)
    files = catalog.published(out_dir, records, week)
    feeds = {f.path for f in files if f.kind == "feed"}
    area_views = []
    for area in areas:
        weeks = tuple(v for aw in by_area[area.id] if (v := _week_view(aw, tz)) is not None)
        search = fold(f"{area.full_name} {area.name} {area.id} {area.station}")
        feed = layout.feed_path(area.id)
        area_views.append(AreaView(area, search, weeks, feed if feed in feeds else None))
    titles = {
        p.file.announcement: p.title
        for aws in by_area.values()
        for aw in aws
        for p in aw.programmes
    }
    all_weeks = sorted({IsoWeek.parse(f.week) for f in files if f.week}, reverse=True)
    shop_views = [
        ShopView(
            shop, tuple(sw for w in all_weeks if (sw := _shop_week(w, shop, areas, files, titles)))
        )
        for shop in shops
    ]
    channels = channel_week(files, titles, {a.id: a.full_name for a in areas})
    return SiteData(
        tuple(area_views),
        tuple(shop_views),
        run_view(run_doc, tz),
        issuer.timezone,
        tuple(all_weeks),
        channels,
    )


def _prog_json(p: ProgrammeView) -> dict:
    return {
        "t": p.title,
        "h": p.href,
        "n": p.name,
        "e": p.emergency,
        "d": p.duration_s,
        "p": p.priority_vi,
    }


def _week_view(aw: catalog.AreaWeek, tz: ZoneInfo) -> WeekView | None:
    doc, bundle = aw.manifest, aw.bundle
    if bundle is None:
        return None
    progs = {}
    for p in aw.programmes:
        progs[p.file.announcement] = ProgrammeView(
            id=p.file.announcement,
            title=p.title,
            priority=p.priority,
            priority_vi=PRIORITY_VI.get(p.priority, p.priority),
            emergency=p.priority == "emergency",
            href=p.file.path,
            name=p.file.path.rsplit("/", 1)[-1],
            size=p.file.size,
            duration_s=p.file.duration_s,
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            sha256=p.file.sha256,
        )
    ordered = tuple(running_order(progs.values(), lambda v: (v.priority, v.title, v.id)))
    days = []
    for d in aw.days:
        slots = tuple(
            (slot, tuple(progs[i] for i in ids if i in progs))
            for slot, ids in sorted(d.slots.items())
        )
        b = d.bulletin
        days.append(
            DayView(
                d.date,
                f"{WEEKDAYS_VI[d.date.weekday()]} {d.date:%d/%m/%Y}",
                slots,
                tuple(progs[i] for i in d.items if i in progs),
                b.path if b else None,
                b.path.rsplit("/", 1)[-1] if b else None,
                b.duration_s if b else None,
            )
        )
    built = (doc.get("bundle") or {}).get("built_at") or bundle.meta.get("built_at")
    return WeekView(
        week=aw.week,
        href=bundle.path,
        name=bundle.path.rsplit("/", 1)[-1],
        size=bundle.size,
        sha256=bundle.sha256,
        built_at=parse_time(built, tz),
        duration_s=sum(p.duration_s or 0.0 for p in ordered),
        programmes=ordered,
        days=tuple(days),
        script_href=aw.script.path if aw.script else None,
        script_name=aw.script.path.rsplit("/", 1)[-1] if aw.script else None,
        dropped=len((doc.get("schedule") or {}).get("dropped") or []),
    )


PRINTED = tuple(PRINT_KINDS)


def _shop_week(
    week: IsoWeek, shop: PrintShop, areas: list[Area], files: list, titles: dict
) -> ShopWeek | None:
    mine = [f for f in files if f.week == week.label]
    sheets = []
    for fmt, label in (
        ("pdf", "Phiếu đặt in (PDF)"),
        ("xlsx", "Phiếu đặt in (Excel)"),
        ("csv", "Phiếu đặt in (CSV)"),
    ):
        rel = layout.order_path(week, shop.id, fmt)
        sheet = next((f for f in mine if f.path == rel and f.kind == "print_order"), None)
        if sheet is not None:
            sheets.append((label, sheet.path, sheet.size))
    names = {a.id: a.full_name for a in areas}
    printed = []
    for f in sorted((f for f in mine if f.kind in PRINTED), key=lambda f: f.path):
        if shop.areas != "all" and f.area is not None and f.area not in shop.areas:
            continue  # the same rule as the shop's order sheet
        printed.append(
            PrintFile(
                href=f.path,
                name=f.path.rsplit("/", 1)[-1],
                kind=f.kind,
                kind_vi=_kind_label(f.kind, f.meta),
                size=f.size,
                announcement=f.announcement or "",
                announcement_title=titles.get(f.announcement, f.announcement or ""),
                area=f.area,
                area_name=names.get(f.area) if f.area else None,
            )
        )
    if not sheets and not printed:
        return None
    return ShopWeek(week, tuple(sheets), tuple(printed))


def _kind_label(kind: str, meta: dict) -> str:
    """ "Áp phích A3", "Băng rôn 0,8 × 5 m": the size tells two files of one kind apart."""
    label = PRINT_KINDS[kind].label_vi
    if kind == "poster" and meta.get("paper"):
        return f"{label} {meta['paper']}"
    size = meta.get("finished_mm")
    if kind == "banner" and isinstance(size, list) and len(size) == 2:
        w, h = (f"{v / 1000:g}".replace(".", ",") for v in sorted(size, reverse=True))
        scale = int(meta.get("scale", 1) or 1)
        return f"{label} {h} × {w} m" + (f" (vẽ tỉ lệ 1:{scale})" if scale != 1 else "")
    return label
