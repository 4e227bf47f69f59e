"""The page's account of the last run, and the page brought up to date for a run that built nothing.

The download page shows how the last nightly run went (at the top, and in its
"Lần cập nhật gần nhất" section); everything else on it comes from the build records.
A run whose inputs did not change (`uptodate.py`) reuses every file, so of the page
only those two run parts change. They are templates of their own
(`run_top.html.j2`, `run_details.html.j2`), included between marker comments, and
`respliced` renders just them again into the last page: the same bytes a full
render gives (`tests/spine/test_uptodate.py`), without loading the project's
settings or reading the records (~0.3 s of a ~0.6 s warm run). This module imports
neither pydantic nor the catalogue for that reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
# (opening marker, closing marker, template) of each part of the page that shows the run
RUN_PARTS = (
    ("<!--run-top-->\n", "<!--/run-top-->", "run_top.html.j2"),
    ("<!--run-details-->\n", "<!--/run-details-->", "run_details.html.j2"),
)


def environment() -> Environment:
    """The page's Jinja2 environment; `site.render_index` adds the filters only the rest uses."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["time_vi"] = time_vi
    return env


def time_vi(when: dt.datetime | None) -> str:
    return "không rõ" if when is None else f"{when:%H:%M} ngày {when:%d/%m/%Y}"


def respliced(page: bytes, run_doc: dict, timezone: str) -> bytes | None:
    """`page` with its run parts rendered again for `run_doc`; None when the page does not hold
    each marked part exactly once (a page from an older version: render it whole)."""
    try:
        text = page.decode("utf-8")
    except UnicodeDecodeError:
        return None
    env = environment()
    context = {"data": {"run": run_view(run_doc, ZoneInfo(timezone))}}
    for opening, closing, template in RUN_PARTS:
        if text.count(opening) != 1 or text.count(closing) != 1:
            return None
        start, end = text.index(opening) + len(opening), text.index(closing)
        if end < start:
            return None
        text = text[:start] + env.get_template(template).render(context) + text[end:]
    return text.encode("utf-8")


STATUS_VI = {
    "ok": "Đã cập nhật đầy đủ",
    "partial": "Đã cập nhật, một số mục bị lỗi",
    "failed": "Cập nhật không thành công",
}


@dataclass(frozen=True)
class RunView:
    status: str
    status_vi: str
    week: str | None
    finished: dt.datetime | None
    seconds: float | None
    counts: dict  # RunReport.counts(): the one count shared with the CLI and the report
    failures: tuple[dict, ...] = ()
    skipped_items: tuple[dict, ...] = ()


def run_view(doc: dict, tz: ZoneInfo) -> RunView | None:
    if not doc:
        return None
    try:
        status = str(doc.get("status", ""))
        stats = doc.get("stats") or {}
        counts = doc.get("counts")
        if not isinstance(counts, dict):  # a report from before counts were written
            arts = [
                a
                for a in doc.get("artifacts") or []
                if isinstance(a, dict) and a.get("kind") != "index"
            ]
            counts = {
                "built": sum(1 for a in arts if a.get("built") is True),
                "reused": sum(1 for a in arts if a.get("built") is False),
                "skipped": len(doc.get("skipped") or []),
                "failed": len(doc.get("failures") or []),
            }
        return RunView(
            status=status if status in STATUS_VI else "unknown",
            status_vi=STATUS_VI.get(status, "Không rõ"),
            week=doc.get("week"),
            finished=parse_time(doc.get("finished"), tz),
            seconds=float(stats["seconds"])
            if isinstance(stats.get("seconds"), (int, float))
            else None,
            counts=counts,
            failures=tuple(f for f in doc.get("failures") or [] if isinstance(f, dict)),
            skipped_items=tuple(
                {**s, "reason": _for_people(str(s.get("reason", "")))}
                for s in doc.get("skipped") or []
                if isinstance(s, dict)
            ),
        )
    except (TypeError, ValueError, AttributeError) as exc:
        log.warning("bỏ qua báo cáo lần chạy không đọc được: %s", exc)
        return None


def _for_people(reason: str) -> str:
    """A reason without the terminal command the CLI adds for officers ("; chạy: truyenthanh …")."""
    return re.split(r";\s*chạy:", reason, maxsplit=1)[0].rstrip(" ;")


def parse_time(value, tz: ZoneInfo | None) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(tz) if tz else when
