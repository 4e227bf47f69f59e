"""The week's broadcast schedule of one area, and its CSV, iCalendar and playlist forms.

Schedule semantics (also in the operator README inside each bundle):

* **Airings, not readings.** A programme MP3 already holds its in-programme
  readings (the text read ``1 + repeat`` times with gaps). The schedule never
  plays the same file twice in one slot: that would double the repeats and eat
  the slot's time.
* **``repeat`` spreads airings over the day.** An item valid on a day airs in
  ``min(1 + repeat, len(area.slots))`` of that day's slots, spread evenly over
  the day (with slots 05:30/11:00/17:00 and ``repeat=1``: morning and evening).
  An item that airs once a day (``repeat=0``, or an area with one slot) rotates
  through the slots day by day, so listeners of every slot hear it during the
  week (with 05:30/17:00: Monday morning, Tuesday evening, …).
* **Emergency items air in every slot** of every day they are valid, first.
* **Order within a slot:** emergency, then priority, then normal; airings carried
  over from an earlier slot go first within their priority; then by title, then id.
* **Slot length:** the slot's items must fit ``area.max_slot_minutes``. Filling
  in order, the first item that does not fit and everything after it are carried
  to the next slot (same day or the next). Carried airings go first within their
  priority there, so no item starves behind items with earlier titles. If the
  item is due in that slot anyway, the two airings merge into one and one airing
  is reported as dropped; an airing still waiting when the item expires or the
  week ends is dropped too. Emergency items are never carried; a slot always takes
  at least its first item, even an over-long one; such slots are reported as
  over-full.
* ``Play.reading`` numbers the item's airings on that day (1 = first airing).

The schedule is a pure function of (area, week, items): the same inputs give the
same plays, so the files built from it are byte-identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from truyenthanh.config import Area
from truyenthanh.domain import PRIORITY_VI, priority_rank, running_key, running_order
from truyenthanh.weeks import WEEKDAYS_VI, IsoWeek
from truyenthanh.xlsx import Cell, Sheet, workbook_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduleItem:
    """One programme of the week, as the schedule sees it."""

    announcement_id: str
    title: str
    priority: str  # "normal" | "priority" | "emergency"
    valid_from: dt.date
    valid_until: dt.date
    repeat: int  # the announcement's extra readings (0..5); here: extra airings per day
    file: str  # arcname of the programme MP3 inside the bundle
    duration_s: float

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until

    @property
    def rank(self) -> int:
        return priority_rank(self.priority)


@dataclass(frozen=True)
class Play:
    """One airing of one programme in one slot."""

    day: dt.date
    slot: str  # "05:30"
    order: int  # 1-based position within the slot
    announcement_id: str
    title: str
    priority: str
    file: str
    duration_s: float
    reading: int  # 1-based number of this item's airing on this day
    moved_from: str | None = None  # "2023-02-20 05:30" when carried over from a full slot


@dataclass(frozen=True)
class Dropped:
    """An airing that found no slot before the week ended or the item expired."""

    announcement_id: str
    title: str
    day: dt.date
    slot: str


@dataclass(frozen=True)
class Overfull:
    """A slot longer than `area.max_slot_minutes` (emergency items or one over-long item)."""

    day: dt.date
    slot: str
    seconds: float
    limit_seconds: float


@dataclass(frozen=True)
class WeekPlan:
    plays: list[Play] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    overfull: list[Overfull] = field(default_factory=list)


def week_schedule(area: Area, week: IsoWeek, items: list[ScheduleItem]) -> list[Play]:
    """The plays of `area` in `week`, in broadcast order (see the module docstring)."""
    return plan_week(area, week, items).plays


def plan_week(area: Area, week: IsoWeek, items: list[ScheduleItem]) -> WeekPlan:
    """Like `week_schedule`, plus what did not fit (dropped airings, over-full slots)."""
    slots = list(area.slots)
    limit = area.max_slot_minutes * 60.0
    placed: list[tuple[dt.date, str, list[tuple[ScheduleItem, str | None]]]] = []
    carry: list[tuple[ScheduleItem, str]] = []  # (item, "YYYY-MM-DD HH:MM" it was due)
    dropped: list[Dropped] = []
    overfull: list[Overfull] = []

    for day in week.days():
        for index, slot in enumerate(slots):
            due_here = {
                it.announcement_id: (it, None)
                for it in items
                if it.valid_on(day) and index in _slot_indices(it, day, len(slots))
            }
            candidates: dict[str, tuple[ScheduleItem, str | None]] = dict(due_here)
            for it, due in carry:
                if not it.valid_on(day):
                    dropped.append(_dropped(it, due))  # expired before a slot was free
                elif it.announcement_id in candidates:
                    # Also due here: it airs once, ahead as a carried item; one airing is lost.
                    older = candidates[it.announcement_id][1]
                    candidates[it.announcement_id] = (it, due if older is None else min(older, due))
                    dropped.append(_dropped(it, due if older is None else max(older, due)))
                else:
                    candidates[it.announcement_id] = (it, due)
            taken, moved = _fill(sorted(candidates.values(), key=_order_key), limit)
            total = sum(it.duration_s for it, _ in taken)
            if total > limit + 1e-6:
                overfull.append(Overfull(day, slot, round(total, 3), limit))
            here = f"{day.isoformat()} {slot}"
            carry = [(it, due or here) for it, due in moved]
            placed.append((day, slot, taken))

    dropped.extend(_dropped(it, due) for it, due in carry)
    return WeekPlan(_number(placed), dropped, overfull)


def _slot_indices(item: ScheduleItem, day: dt.date, n_slots: int) -> set[int]:
    """Which of the day's slots an item airs in: spread evenly; once-a-day items rotate."""
    if item.rank == 0:
        return set(range(n_slots))
    n = max(1, min(1 + max(item.repeat, 0), n_slots))
    # k * n_slots / n rounded half up: n=1 → {0}; 2 of 3 → {0, 2}; 3 of 4 → {0, 1, 3}.
    base = [(2 * k * n_slots + n) // (2 * n) for k in range(n)]
    # Only a once-a-day item rotates: rotating a spread pattern would bunch it up.
    shift = day.toordinal() % n_slots if n == 1 else 0
    return {(b + shift) % n_slots for b in base}


def _order_key(entry: tuple[ScheduleItem, str | None]) -> tuple:
    """The running order, except that airings carried from a full slot go first in their rank."""
    item, due = entry
    rank, *rest = running_key(item.priority, item.title, item.announcement_id)
    return (rank, 0 if due else 1, due or "", *rest)


def _fill(candidates: list, limit: float) -> tuple[list, list]:
    """Take candidates in order while they fit; emergency items always; at least one."""
    taken: list = []
    moved: list = []
    used = 0.0
    blocked = False
    for item, due in candidates:
        fits = used + item.duration_s <= limit + 1e-6
        if item.rank == 0 or not taken or (fits and not blocked):
            taken.append((item, due))
            used += item.duration_s
        else:
            blocked = True
            moved.append((item, due))
    return taken, moved


def _dropped(item: ScheduleItem, due: str) -> Dropped:
    day, slot = due.split(" ")
    return Dropped(item.announcement_id, item.title, dt.date.fromisoformat(day), slot)


def _number(placed: list) -> list[Play]:
    plays: list[Play] = []
    per_day: dict[tuple[dt.date, str], int] = {}
    for day, slot, taken in placed:
        for order, (item, due) in enumerate(taken, start=1):
            key = (day, item.announcement_id)
            per_day[key] = per_day.get(key, 0) + 1
            plays.append(
                Play(
                    day=day,
                    slot=slot,
                    order=order,
                    announcement_id=item.announcement_id,
                    title=item.title,
                    priority=item.priority,
                    file=item.file,
                    duration_s=item.duration_s,
                    reading=per_day[key],
                    moved_from=due,
                )
            )
    return plays


@dataclass(frozen=True)
class Day:
    """One day of the week as the operator lives it: the items valid that day, in the one
    running order, and what airs in each slot."""

    date: dt.date
    items: list[ScheduleItem]
    slots: dict[str, list[Play]]


def days_of(week: IsoWeek, items: list[ScheduleItem], plays: list[Play]) -> list[Day]:
    """Each day of `week` with at least one valid item; an item is never outside its dates."""
    out = []
    for day in week.days():
        valid = running_order([it for it in items if it.valid_on(day)])
        if not valid:
            continue
        slots: dict[str, list[Play]] = {}
        for p in plays:
            if p.day == day:
                slots.setdefault(p.slot, []).append(p)
        out.append(Day(day, valid, slots))
    return out


def broadcast_order(items: list[ScheduleItem]) -> list[ScheduleItem]:
    """Items in the order a slot would air them (the playlist order): the one running order."""
    return running_order(items)


# --- CSV -----------------------------------------------------------------------------

CSV_HEADER = (
    "Ngày",  # ISO 8601 (YYYY-MM-DD): no locale reads it as month/day
    "Thứ",
    "Giờ phát",
    "Thứ tự",
    "Mã thông báo",
    "Tiêu đề",
    "Mức ưu tiên",
    "Lần phát trong ngày",
    "Thời lượng (giây)",  # a plain number: "2:32" would become a time of day in Excel
    "Tệp",
    "Ghi chú",
)


def _rows(plays: list[Play]):
    for p in plays:
        note = f"chuyển từ {_when_vi(p.moved_from)} do quá giờ" if p.moved_from else ""
        yield (
            p.day,
            WEEKDAYS_VI[p.day.weekday()],
            p.slot,
            p.order,
            p.announcement_id,
            p.title,
            PRIORITY_VI.get(p.priority, p.priority),
            p.reading,
            seconds(p.duration_s),
            p.file,
            note,
        )


def seconds(duration_s: float) -> int:
    """Whole seconds, rounded up (a slot is never shorter than what it plays)."""
    return int(math.ceil(max(duration_s, 0.0) - 1e-9))


def schedule_csv(area: Area, week: IsoWeek, plays: list[Play]) -> bytes:
    """The schedule as CSV for machines and spreadsheets: UTF-8 with BOM, CRLF, ISO dates,
    durations in seconds. For people in any Excel locale the `.xlsx` is the safe one."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in _rows(plays):
        writer.writerow((row[0].isoformat(), *row[1:]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def schedule_xlsx(area: Area, week: IsoWeek, plays: list[Play]) -> bytes:
    """The schedule as an Excel workbook: real date, time and duration cells, so it opens the
    same in a Vietnamese, US or any other locale. Deterministic bytes (dated the week's Monday)."""
    header = [*CSV_HEADER[:8], "Thời lượng", *CSV_HEADER[8:]]
    rows: list[list[object]] = [[Cell(name, bold=True) for name in header]]
    for row in _rows(plays):
        day, weekday, slot, order, ann, title, level, reading, secs, file, note = row
        hour, minute = (int(x) for x in slot.split(":"))
        rows.append(
            [
                day,
                weekday,
                dt.time(hour, minute),
                order,
                ann,
                title,
                level,
                reading,
                dt.timedelta(seconds=secs),
                secs,
                file,
                note,
            ]
        )
    sheet = Sheet(
        "Lịch phát",
        rows,
        widths=(12, 10, 9, 7, 22, 48, 13, 10, 11, 10, 40, 30),
        frozen_rows=1,
    )
    stamp = dt.datetime.combine(week.monday, dt.time())
    return workbook_bytes(sheet, stamp, title=f"Lịch phát thanh {area.full_name} – {week.title_vi}")


def _when_vi(due: str) -> str:
    day, slot = due.split(" ")
    return f"{slot} ngày {dt.date.fromisoformat(day):%d/%m}"


def format_duration(seconds: float) -> str:
    """`754.2` → "12:34" (minutes:seconds, rounded up to the second)."""
    total = int(math.ceil(max(seconds, 0.0) - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_vi(seconds: float) -> str:
    """`754.2` → "12 phút 35 giây" (for people, not machines)."""
    total = int(math.ceil(max(seconds, 0.0) - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} giờ")
    if minutes:
        parts.append(f"{minutes} phút")
    if secs or not parts:
        parts.append(f"{secs} giây")
    return " ".join(parts)


# --- iCalendar (RFC 5545) --------------------------------------------------------------

PRODID = "-//truyenthanh//Lich phat thanh//VI"


def schedule_ics(
    area: Area, week: IsoWeek, plays: list[Play], timezone: str = "Asia/Ho_Chi_Minh"
) -> bytes:
    """One VEVENT per slot that has plays, listing the items; CRLF, folded ≤ 75 octets.

    UIDs are built from week, area, day and slot, so re-importing a rebuilt week
    updates the same events. DTSTAMP is fixed (the week's Monday, UTC) to keep the
    bytes deterministic.
    """
    tz = ZoneInfo(timezone)
    slots: dict[tuple[dt.date, str], list[Play]] = {}
    for p in plays:
        slots.setdefault((p.day, p.slot), []).append(p)
    offsets = {_start(day, slot, tz).utcoffset() for day, slot in slots} or {
        dt.datetime.combine(week.monday, dt.time(12), tz).utcoffset()
    }
    fixed = len(offsets) == 1
    stamp = f"{week.monday:%Y%m%d}T000000Z"

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(f'Lịch phát thanh {area.full_name} – {week.title_vi}')}",
    ]
    if fixed:
        lines += [f"X-WR-TIMEZONE:{timezone}", *_vtimezone(timezone, next(iter(offsets)))]
    for (day, slot), items in sorted(slots.items()):
        start = _start(day, slot, tz)
        end = start + dt.timedelta(seconds=math.ceil(sum(p.duration_s for p in items)))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{week.label}-{area.id}-{day:%Y%m%d}-{slot.replace(':', '')}@truyenthanh",
            f"DTSTAMP:{stamp}",
            _dt_line("DTSTART", start, timezone, fixed),
            _dt_line("DTEND", end, timezone, fixed),
            f"SUMMARY:{_text(f'Phát thanh {slot}: {len(items)} tin – {area.full_name}')}",
            f"LOCATION:{_text(area.station)}",
            f"DESCRIPTION:{_text(_describe(items))}",
            "TRANSP:OPAQUE",
            *_alarm(items),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


ALARM_MINUTES = 10  # time to switch the station on before an emergency slot


def _alarm(items: list[Play]) -> list[str]:
    """A reminder before a slot that carries an emergency item (RFC 5545 VALARM)."""
    urgent = [p for p in items if p.priority == "emergency"]
    if not urgent:
        return []
    titles = "; ".join(p.title for p in urgent)
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:-PT{ALARM_MINUTES}M",
        f"DESCRIPTION:{_text(f'Tin khẩn cấp phải phát lúc {items[0].slot}: {titles}')}",
        "END:VALARM",
    ]


def _start(day: dt.date, slot: str, tz: ZoneInfo) -> dt.datetime:
    hour, minute = (int(x) for x in slot.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tz)


def _dt_line(name: str, when: dt.datetime, timezone: str, fixed: bool) -> str:
    if fixed:
        return f"{name};TZID={timezone}:{when:%Y%m%dT%H%M%S}"
    return f"{name}:{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def _vtimezone(timezone: str, offset: dt.timedelta | None) -> list[str]:
    # The week has one UTC offset, so one STANDARD observance describes it exactly.
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hhmm = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    name = hhmm[:3] if minutes % 60 == 0 else hhmm
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{timezone}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{hhmm}",
        f"TZOFFSETTO:{hhmm}",
        f"TZNAME:{name}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def _describe(items: list[Play]) -> str:
    rows = []
    for p in items:
        extra = f", {PRIORITY_VI[p.priority]}" if p.priority in ("emergency", "priority") else ""
        moved = f" (chuyển từ {_when_vi(p.moved_from)})" if p.moved_from else ""
        rows.append(
            f"{p.order}. {p.title} ({format_duration(p.duration_s)}{extra}) – tệp {p.file}{moved}"
        )
    return "\n".join(rows)


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at ≤ `limit` octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    out, start, room = [], 0, limit  # continuation lines start with a space: one octet less
    while len(data) - start > room:
        cut = start + room
        while cut > start and data[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if cut == start:  # one character wider than the room: it goes whole
            cut += 1
            while cut < len(data) and data[cut] & 0xC0 == 0x80:
                cut += 1
        out.append(data[start:cut])
        start, room = cut, limit - 1
    out.append(data[start:])
    return b"\r\n ".join(out).decode("utf-8")


# --- Playlist ----------------------------------------------------------------------


def playlist_m3u8(entries: list[tuple[str, float, str]], title: str | None = None) -> bytes:
    """Extended M3U in UTF-8: `(relative path, duration in seconds, title)` per entry."""
    lines = ["#EXTM3U"]
    if title:
        lines.append(f"#PLAYLIST:{_one_line(title)}")
    for path, duration, name in entries:
        if path.startswith("/") or "\\" in path or "\n" in path:
            raise ValueError(f"playlist path must be relative POSIX: {path!r}")
        seconds = int(math.ceil(duration - 1e-9)) if duration is not None and duration >= 0 else -1
        lines.append(f"#EXTINF:{seconds},{_one_line(name)}")
        lines.append(path)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
