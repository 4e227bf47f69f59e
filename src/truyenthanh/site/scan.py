"""Read what the build left under OUT into small records for the download page.

Nothing here trusts OUT blindly: a corrupt or half-foreign manifest, run report
or stray file is logged and left out, never a crash, so one bad file cannot take
the operators' page down.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from truyenthanh.config import Area, Issuer, PrintShop
from truyenthanh.domain import PRINT_KINDS
from truyenthanh.weeks import WEEK_RE, IsoWeek

log = logging.getLogger(__name__)

STATUS_VI = {
    "ok": "Hoàn tất",
    "partial": "Hoàn tất một phần (có mục bị lỗi)",
    "failed": "Thất bại",
}


@dataclass(frozen=True)
class BundleView:
    week: IsoWeek
    href: str  # relative to OUT, URL form
    size: int
    sha256: str
    built_at: dt.datetime | None
    duration_s: float
    programmes: int
    bulletin_href: str | None
    bulletin_duration_s: float | None
    script_href: str | None
    titles: tuple[str, ...]
    dropped: int


@dataclass(frozen=True)
class AreaView:
    area: Area
    search_key: str
    bundles: tuple[BundleView, ...]  # newest week first

    @property
    def current(self) -> BundleView | None:
        return self.bundles[0] if self.bundles else None

    @property
    def past(self) -> tuple[BundleView, ...]:
        return self.bundles[1:]


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
class RunView:
    status: str
    status_vi: str
    week: str | None
    engine: str | None
    finished: dt.datetime | None
    seconds: float | None
    built: int
    reused: int
    skipped: int
    failed: int
    failures: tuple[dict, ...] = ()
    skipped_items: tuple[dict, ...] = ()


@dataclass(frozen=True)
class SiteData:
    areas: tuple[AreaView, ...]
    shops: tuple[ShopView, ...]
    run: RunView | None
    timezone: str
    weeks: tuple[IsoWeek, ...] = field(default=())


def fold(text: str) -> str:
    """Lowercase without diacritics: "Bình Hòa" → "binh hoa" (the page filter does the same)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def scan(out_dir: Path, issuer: Issuer, areas: list[Area], shops: list[PrintShop]) -> SiteData:
    out_dir = Path(out_dir)
    weeks = week_dirs(out_dir)
    run_doc = _load_json(out_dir / "runs" / "latest.json")
    artifacts = _artifact_index(run_doc)
    manifests = {w: _week_manifests(out_dir, w) for w in weeks}
    titles = _announcement_titles(manifests)
    tz = ZoneInfo(issuer.timezone)

    area_views = []
    for area in areas:
        found = [
            _bundle_view(out_dir, w, area.id, manifests[w][area.id], tz)
            for w in weeks
            if area.id in manifests[w]
        ]
        search = fold(f"{area.full_name} {area.name} {area.id} {area.station}")
        area_views.append(AreaView(area, search, tuple(b for b in found if b is not None)))

    shop_views = [
        ShopView(shop, tuple(sw for w in weeks if (sw := _shop_week(out_dir, w, shop, areas, artifacts, titles))))
        for shop in shops
    ]
    return SiteData(tuple(area_views), tuple(shop_views), _run_view(run_doc, tz), issuer.timezone, tuple(weeks))


def week_dirs(out_dir: Path) -> list[IsoWeek]:
    """Week folders under OUT, newest first."""
    found = []
    try:
        children = list(out_dir.iterdir())
    except OSError:
        return []
    for child in children:
        if child.is_dir() and WEEK_RE.match(child.name):
            try:
                found.append(IsoWeek.parse(child.name))
            except ValueError:
                continue
    return sorted(found, reverse=True)


def _week_manifests(out_dir: Path, week: IsoWeek) -> dict[str, dict]:
    found: dict[str, dict] = {}
    folder = out_dir / week.label / "bundles"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob(f"*-{week.label}.json")):
        doc = _load_json(path)
        try:
            area_id = doc["area"]["id"]
            if doc["week"] != week.label or not isinstance(doc.get("bundle", {}), dict):
                raise ValueError("week or bundle mismatch")
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("ignoring bundle manifest %s: %s", path, exc)
            continue
        found[area_id] = doc
    return found


def _bundle_view(out_dir: Path, week: IsoWeek, area_id: str, doc: dict, tz: ZoneInfo) -> BundleView | None:
    zip_rel = f"{week.label}/bundles/{area_id}-{week.label}.zip"
    try:
        st = (out_dir / zip_rel).stat()
    except OSError:
        log.warning("manifest for %s %s names a missing bundle", area_id, week.label)
        return None
    try:
        info = _zip_facts(out_dir / zip_rel, st, doc.get("bundle") or {})
        files = doc.get("files") or []
        bulletin = next((f for f in files if f.get("kind") == "bulletin"), None)
        programmes = [f for f in files if f.get("kind") == "programme"]
        duration = float(doc.get("programmes_duration_s") or doc.get("audio_duration_s") or 0.0)
        bulletin_rel = f"{week.label}/audio/{area_id}/bulletin.mp3"
        script_rel = f"{week.label}/operator/{area_id}.pdf"
        announcements = doc.get("announcements") or []
        return BundleView(
            week=week,
            href=zip_rel,
            size=st.st_size,
            sha256=info["sha256"],
            built_at=_parse_time(info["built_at"], tz),
            duration_s=duration,
            programmes=len(announcements) or len(programmes),
            bulletin_href=bulletin_rel if (out_dir / bulletin_rel).is_file() else None,
            bulletin_duration_s=(bulletin or {}).get("duration_s"),
            script_href=script_rel if (out_dir / script_rel).is_file() else None,
            titles=tuple(str(a.get("title", a.get("id", ""))) for a in announcements),
            dropped=len((doc.get("schedule") or {}).get("dropped") or []),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("ignoring bundle manifest of %s %s: %s", area_id, week.label, exc)
        return None


def _zip_facts(path: Path, st, info: dict) -> dict:
    """sha256 and build time of a bundle: from `publish_bundle`'s block when it matches the
    file, else from the file itself (a manifest written by other code has no such block)."""
    if info.get("size") == st.st_size and isinstance(info.get("sha256"), str):
        return {"sha256": info["sha256"], "built_at": info.get("built_at")}
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    # Bundles are rewritten only when their bytes change, so the mtime is the build time.
    built = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).isoformat(timespec="seconds")
    return {"sha256": digest.hexdigest(), "built_at": built}


def _shop_week(out_dir, week, shop, areas, artifacts, titles) -> ShopWeek | None:
    folder = out_dir / week.label / "print"
    if not folder.is_dir():
        return None
    sheets = []
    for suffix, label in ((".pdf", "Phiếu đặt in (PDF)"), (".csv", "Phiếu đặt in (CSV, mở bằng Excel)")):
        sheet = folder / f"order-{shop.id}{suffix}"
        if sheet.is_file():
            sheets.append((label, sheet.relative_to(out_dir).as_posix(), sheet.stat().st_size))
    area_ids = [a.id for a in areas]
    names = {a.id: a.full_name for a in areas}
    ordered = _ordered_paths(folder / f"order-{shop.id}.csv")
    files = []
    for ann_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for pdf in sorted(ann_dir.glob("*.pdf")):
            if pdf.name.startswith("."):
                continue
            rel = pdf.relative_to(out_dir).as_posix()
            meta = artifacts.get(rel, {})
            area = meta.get("area") or _area_from_name(pdf.stem, area_ids)
            if shop.areas != "all" and area is not None and area not in shop.areas:
                continue
            if ordered is not None and rel not in ordered:
                continue  # the shop's order sheet is the truth about what it prints
            kind = meta.get("kind") if meta.get("kind") in PRINT_KINDS else _kind_from_name(pdf.stem)
            files.append(
                PrintFile(
                    href=rel,
                    name=pdf.name,
                    kind=kind,
                    kind_vi=_kind_label(kind, pdf.stem),
                    size=pdf.stat().st_size,
                    announcement=ann_dir.name,
                    announcement_title=titles.get(ann_dir.name, ann_dir.name),
                    area=area,
                    area_name=names.get(area) if area else None,
                )
            )
    if not sheets and not files:
        return None
    return ShopWeek(week, tuple(sheets), tuple(files))


def _ordered_paths(sheet: Path) -> set[str] | None:
    """The file paths listed on a shop's order CSV, or None without a readable one."""
    try:
        text = sheet.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if ";" in text.split("\n", 1)[0] else ","))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    paths = {row.get("Đường dẫn") or row.get("Tệp", "") for row in rows} - {""}
    return paths or None


def _kind_label(kind: str | None, stem: str) -> str:
    """"Áp phích A3", "Băng rôn 0,8 × 5 m": the size tells two files of one kind apart."""
    label = PRINT_KINDS[kind].label_vi if kind in PRINT_KINDS else "Tài liệu in"
    if kind == "poster" and (m := re.search(r"(?:^poster|_ap-phich)-(A\d)", stem)):
        return f"{label} {m.group(1)}"
    if kind == "banner" and (m := re.search(r"(?:^banner|_bang-ron)-([\d.]+)x([\d.]+)m(-1to10)?", stem)):
        size = f"{m.group(1).replace('.', ',')} × {m.group(2).replace('.', ',')} m"
        return f"{label} {size}" + (" (vẽ tỉ lệ 1:10)" if m.group(3) else "")
    return label


def _area_from_name(stem: str, area_ids: list[str]) -> str | None:
    # Longest id first, so "an-nhon-bac" is not taken for "an-nhon".
    for area_id in sorted(area_ids, key=len, reverse=True):
        if stem == area_id or stem.endswith((f"-{area_id}", f"_{area_id}")):
            return area_id
    return None


def _kind_from_name(stem: str) -> str | None:
    for kind in PRINT_KINDS:
        if stem.startswith(kind) or f"_{PRINT_KINDS[kind].file_word}" in stem:  # old and layout.py names
            return kind
    return None


def _announcement_titles(manifests: dict[IsoWeek, dict[str, dict]]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for week in sorted(manifests):  # newer weeks win
        for doc in manifests[week].values():
            for a in doc.get("announcements") or []:
                if isinstance(a, dict) and a.get("id") and a.get("title"):
                    titles[str(a["id"])] = str(a["title"])
    return titles


def _artifact_index(run_doc: dict) -> dict[str, dict]:
    index = {}
    for a in run_doc.get("artifacts") or []:
        if isinstance(a, dict) and isinstance(a.get("path"), str):
            index[a["path"]] = a
    return index


def _run_view(doc: dict, tz: ZoneInfo) -> RunView | None:
    if not doc:
        return None
    try:
        artifacts = [a for a in doc.get("artifacts") or [] if isinstance(a, dict)]
        failures = tuple(f for f in doc.get("failures") or [] if isinstance(f, dict))
        skipped = tuple(s for s in doc.get("skipped") or [] if isinstance(s, dict))
        status = str(doc.get("status", ""))
        stats = doc.get("stats") or {}
        return RunView(
            status=status if status in STATUS_VI else "unknown",
            status_vi=STATUS_VI.get(status, "Không rõ"),
            week=doc.get("week"),
            engine=doc.get("engine"),
            finished=_parse_time(doc.get("finished"), tz),
            seconds=float(stats["seconds"]) if isinstance(stats.get("seconds"), (int, float)) else None,
            built=sum(1 for a in artifacts if a.get("built") is True),
            reused=sum(1 for a in artifacts if a.get("built") is False),
            skipped=len(skipped),
            failed=len(failures),
            failures=failures,
            skipped_items=skipped,
        )
    except (TypeError, ValueError, AttributeError) as exc:
        log.warning("ignoring unreadable run report: %s", exc)
        return None


def _parse_time(value, tz: ZoneInfo | None) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(tz) if tz else when


def _load_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return {}
    return value if isinstance(value, dict) else {}
