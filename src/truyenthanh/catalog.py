"""What has been published, per area and week, read from the build records.

The page and the feeds ask this module, never the file names: kinds, areas,
announcements, sizes and checksums come from the build state (every week) and,
for the week being built, only from the records of this run (so a file that
this week no longer makes is not offered). Titles, validity and the days come
from the bundle's manifest (the build's own record of what the week holds).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from truyenthanh import layout
from truyenthanh.domain import ARTIFACT_KINDS
from truyenthanh.state import BuildState
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """One published artifact as the build recorded it."""

    path: str
    kind: str
    area: str | None
    announcement: str | None
    week: str | None
    sha256: str
    size: int
    meta: dict

    @property
    def duration_s(self) -> float | None:
        value = self.meta.get("duration_s")
        return float(value) if isinstance(value, (int, float)) else None


@dataclass(frozen=True)
class Programme:
    file: Published
    title: str
    priority: str
    valid_from: dt.date
    valid_until: dt.date


@dataclass(frozen=True)
class DayFiles:
    date: dt.date
    items: tuple[str, ...]  # announcement ids in running order
    slots: dict  # slot -> [announcement ids]
    bulletin: Published | None


@dataclass
class AreaWeek:
    area: str
    week: IsoWeek
    bundle: Published | None = None
    script: Published | None = None
    programmes: list[Programme] = field(default_factory=list)  # running order
    days: list[DayFiles] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def published(
    out: Path, records: Mapping | None = None, week: IsoWeek | None = None
) -> list[Published]:
    """Every artifact of the state that the report lists (not the build's cache entries); for
    `week`, only those in this run's `records`."""
    found = []
    with BuildState(out) as state:
        entries = state.artifacts(kinds=ARTIFACT_KINDS)
    for e in entries:
        this_run = records is not None and week is not None and e.week == week.label
        if this_run and e.path not in records:
            continue
        if this_run and e.size is not None:
            size = e.size  # published or checked intact by this very run
        else:
            size = _size(out / e.path)  # the file as it is now; the record could outlive it
        if size is None:
            continue  # recorded but gone: nothing to offer
        found.append(
            Published(e.path, e.kind or "", e.area, e.announcement, e.week, e.sha256, size, e.meta)
        )
    return found


def area_weeks(
    out: Path,
    area_ids: list[str],
    records: Mapping | None = None,
    week: IsoWeek | None = None,
    manifests: Mapping[str, dict] | None = None,
) -> dict[str, list[AreaWeek]]:
    """Per area, its weeks with a bundle, newest first. `manifests` (bundle path -> manifest)
    overrides the published copies (a bundle built in this very run)."""
    by_path = {p.path: p for p in published(out, records, week)}
    result: dict[str, list[AreaWeek]] = {a: [] for a in area_ids}
    weeks = sorted(
        {IsoWeek.parse(p.week) for p in by_path.values() if p.kind == "bundle" and p.week},
        reverse=True,
    )
    for w in weeks:
        for area in area_ids:
            bundle = by_path.get(layout.bundle_path(w, area))
            if bundle is None:
                continue
            doc = (manifests or {}).get(bundle.path) or load_json_object(
                out / layout.bundle_manifest_path(w, area)
            )
            result[area].append(_area_week(w, area, bundle, doc, by_path))
    return result


def _area_week(w: IsoWeek, area: str, bundle: Published, doc: dict, by_path: dict) -> AreaWeek:
    aw = AreaWeek(area, w, bundle, by_path.get(layout.operator_path(w, area)), manifest=doc)
    for a in doc.get("announcements") or []:
        try:
            rec = by_path.get(layout.programme_path(w, area, a["id"]))
            if rec is None:
                continue
            aw.programmes.append(
                Programme(
                    rec,
                    str(a["title"]),
                    str(a.get("priority", "normal")),
                    dt.date.fromisoformat(a["valid_from"]),
                    dt.date.fromisoformat(a["valid_until"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning(
                "bỏ qua mục thông báo không đọc được trong manifest của %s %s: %s",
                area,
                w.label,
                exc,
            )
    for d in doc.get("days") or []:
        try:
            day = dt.date.fromisoformat(d["date"])
            aw.days.append(
                DayFiles(
                    day,
                    tuple(d.get("items") or ()),
                    dict(d.get("slots") or {}),
                    by_path.get(layout.daily_bulletin_path(w, area, day)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning(
                "bỏ qua mục ngày không đọc được trong manifest của %s %s: %s", area, w.label, exc
            )
    return aw


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def load_json_object(path: Path) -> dict:
    """The JSON object in `path` (a bundle manifest, a run report); {} when it is missing, is
    not an object or cannot be read (logged: the page then shows less, it does not fail)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("bỏ qua tệp không đọc được %s: %s", path, exc)
        return {}
    return value if isinstance(value, dict) else {}
