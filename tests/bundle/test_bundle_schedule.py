"""The week's schedule: validity windows, slots, priorities, repeats, slot length; CSV/ICS/M3U8."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections import Counter

import pytest

from truyenthanh.config import Area
from truyenthanh.schedule import (
    ScheduleItem,
    fold,
    plan_week,
    playlist_m3u8,
    schedule_csv,
    schedule_ics,
    week_schedule,
)
from truyenthanh.weeks import IsoWeek

WEEK = IsoWeek(2023, 8)  # Monday 20/02/2023 … Sunday 26/02/2023
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK.days()


def area(slots=("05:30", "17:00"), max_minutes=45) -> Area:
    return Area(
        id="binh-hoa",
        name="Bình Hòa",
        kind="xã",
        station="Đài truyền thanh xã Bình Hòa",
        slots=slots,
        max_slot_minutes=max_minutes,
    )


def item(
    id_, priority="normal", repeat=1, start=MON, end=SUN, title=None, seconds=60.0
) -> ScheduleItem:
    return ScheduleItem(
        id_, title or id_.upper(), priority, start, end, repeat, f"chuong-trinh/{id_}.mp3", seconds
    )


def slots_of(plays, id_):
    return [(p.day, p.slot) for p in plays if p.announcement_id == id_]


# --- validity windows -----------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, days",
    [
        (MON, SUN, [MON, TUE, WED, THU, FRI, SAT, SUN]),
        (WED, FRI, [WED, THU, FRI]),
        (MON - dt.timedelta(days=30), TUE, [MON, TUE]),  # started before the week
        (SAT, SUN + dt.timedelta(days=30), [SAT, SUN]),  # ends after the week
        (SUN, SUN, [SUN]),
        (SUN + dt.timedelta(days=1), SUN + dt.timedelta(days=9), []),  # next week only
        (MON - dt.timedelta(days=9), MON - dt.timedelta(days=1), []),  # expired
    ],
)
def test_items_play_only_on_days_they_are_valid(start, end, days):
    plays = week_schedule(area(), WEEK, [item("a", start=start, end=end)])
    assert sorted({p.day for p in plays}) == days


# --- slots and repeats --------------------------------------------------------------------


@pytest.mark.parametrize(
    "slots, repeat, per_day",
    [
        (("05:30", "17:00"), 0, 1),
        (("05:30", "17:00"), 1, 2),
        (("05:30", "17:00"), 5, 2),  # never more than once a slot
        (("05:30", "11:00", "17:00"), 1, 2),
        (("05:30", "11:00", "17:00"), 2, 3),
        (("06:00",), 3, 1),
    ],
)
def test_repeat_sets_airings_per_day_capped_by_slots(slots, repeat, per_day):
    plays = week_schedule(area(slots), WEEK, [item("a", repeat=repeat)])
    per = Counter(p.day for p in plays)
    assert set(per.values()) == {per_day} and len(per) == 7
    assert all(count == 1 for count in Counter((p.day, p.slot) for p in plays).values())
    # reading numbers the airings of the day: 1, 2, … in slot order
    for day in WEEK.days():
        assert [p.reading for p in plays if p.day == day] == list(range(1, per_day + 1))


def test_two_airings_in_three_slots_are_morning_and_evening():
    plays = week_schedule(area(("05:30", "11:00", "17:00")), WEEK, [item("a", repeat=1)])
    assert {p.slot for p in plays} == {"05:30", "17:00"}
    assert all(slots_of(plays, "a").count((d, "05:30")) == 1 for d in WEEK.days())


def test_once_a_day_items_rotate_through_the_slots():
    plays = week_schedule(area(("05:30", "17:00")), WEEK, [item("a", repeat=0)])
    slots = [p.slot for p in plays]
    assert len(slots) == 7
    assert all(a != b for a, b in zip(slots, slots[1:]))  # alternates day by day
    three = week_schedule(area(("05:30", "11:00", "17:00")), WEEK, [item("a", repeat=0)])
    assert {p.slot for p in three} == {"05:30", "11:00", "17:00"}


def test_schedule_is_stable_across_weeks_for_the_same_day():
    # Rotation is keyed on the date, so a window that spans two weeks does not jump.
    a = area()
    sunday = week_schedule(a, WEEK, [item("a", repeat=0)])[-1]
    monday = week_schedule(
        a, IsoWeek(2023, 9), [item("a", repeat=0, end=SUN + dt.timedelta(days=7))]
    )[0]
    assert sunday.slot != monday.slot


def test_emergency_airs_in_every_slot_first():
    items = [item("thuong"), item("khan", "emergency", repeat=0), item("uu-tien", "priority")]
    plays = week_schedule(area(("05:30", "11:00", "17:00")), WEEK, items)
    assert len(slots_of(plays, "khan")) == 21
    for p in plays:
        if p.announcement_id == "khan":
            assert p.order == 1


# --- order within a slot -------------------------------------------------------------------


def test_order_is_emergency_priority_normal_then_title_then_id():
    items = [
        item("n-b", title="Bản tin B"),
        item("n-a2", title="Bản tin A"),
        item("p", "priority", title="Zzz ưu tiên"),
        item("n-a1", title="Bản tin A"),
        item("e", "emergency", title="Zzz khẩn"),
    ]
    plays = week_schedule(area(), WEEK, items)
    first_slot = [p.announcement_id for p in plays if (p.day, p.slot) == (MON, "05:30")]
    assert first_slot == ["e", "p", "n-a1", "n-a2", "n-b"]
    assert [p.order for p in plays if (p.day, p.slot) == (MON, "05:30")] == [1, 2, 3, 4, 5]


def test_input_order_does_not_change_the_schedule():
    items = [
        item("a"),
        item("b", "priority"),
        item("c", repeat=0),
        item("d", "emergency", start=WED),
    ]
    assert week_schedule(area(), WEEK, items) == week_schedule(area(), WEEK, list(reversed(items)))


# --- slot length -------------------------------------------------------------------------


def test_overflow_moves_lower_priority_to_the_next_slot():
    # Once-a-day items air at 05:30 on days with an even ordinal (Tuesday here).
    assert TUE.toordinal() % 2 == 0
    # 1-minute slots, 40-second items: only one fits per slot.
    items = [
        item("p", "priority", repeat=0, start=TUE, end=TUE, seconds=40),
        item("n", "normal", repeat=0, start=TUE, end=WED, seconds=40),
    ]
    plan = plan_week(area(max_minutes=1), WEEK, items)
    assert [(p.day, p.slot, p.announcement_id, p.moved_from) for p in plan.plays] == [
        (TUE, "05:30", "p", None),
        (TUE, "17:00", "n", "2023-02-21 05:30"),
        (WED, "17:00", "n", None),
    ]
    assert not plan.dropped and not plan.overfull


def test_carried_airing_merges_with_the_same_item_due_next():
    items = [
        item("p", "priority", start=MON, end=MON, seconds=40),
        item("n", "normal", start=MON, end=TUE, seconds=40),
    ]
    plan = plan_week(area(slots=("06:00",), max_minutes=1), WEEK, items)
    assert [(p.day, p.announcement_id, p.moved_from) for p in plan.plays] == [
        (MON, "p", None),
        (TUE, "n", "2023-02-20 06:00"),
    ]
    assert [(d.announcement_id, d.day, d.slot) for d in plan.dropped] == [("n", MON, "06:00")]


def test_slot_budget_holds_priority_stays_ahead_and_nobody_starves():
    items = [item(f"n{i}", seconds=10 * 60) for i in range(4)] + [
        item("p", "priority", seconds=10 * 60)
    ]
    plan = plan_week(area(max_minutes=30), WEEK, items)
    by_slot: dict = {}
    for p in plan.plays:
        by_slot.setdefault((p.day, p.slot), []).append(p)
    assert len(by_slot) == 14
    for plays in by_slot.values():
        assert sum(p.duration_s for p in plays) <= 30 * 60
        assert plays[0].announcement_id == "p"
    assert not plan.overfull
    # Demand is 5 × 2 airings a day for 3 places a slot: the normal items share what is left.
    counts = Counter(p.announcement_id for p in plan.plays)
    assert counts["p"] == 14 and {counts[f"n{i}"] for i in range(4)} == {7}
    assert len(plan.dropped) == 4 * 14 - 4 * 7
    assert all(d.announcement_id != "p" for d in plan.dropped)


def test_emergency_is_never_moved_and_overfull_is_reported():
    items = [item("e1", "emergency", seconds=50 * 60), item("n", seconds=60)]
    plan = plan_week(area(max_minutes=45), WEEK, items)
    assert len(slots_of(plan.plays, "e1")) == 14
    assert all(p.moved_from is None for p in plan.plays if p.announcement_id == "e1")
    assert len(plan.overfull) == 14 and plan.overfull[0].limit_seconds == 45 * 60
    assert not slots_of(plan.plays, "n")  # never fits next to a 50-minute emergency
    assert len(plan.dropped) >= 1


def test_a_single_over_long_item_still_plays():
    plan = plan_week(area(max_minutes=5), WEEK, [item("long", repeat=0, seconds=6 * 60)])
    assert len(plan.plays) == 7
    assert len(plan.overfull) == 7 and not plan.dropped


def test_carried_airing_is_dropped_when_the_item_expires():
    # Monday only; both slots are taken by a longer priority item, so "n" cannot air.
    items = [
        item("p", "priority", repeat=1, start=MON, end=MON, seconds=50),
        item("n", "normal", repeat=0, start=MON, end=MON, seconds=50),
    ]
    plan = plan_week(area(max_minutes=1), WEEK, items)
    assert not slots_of(plan.plays, "n")
    assert [(d.announcement_id, d.day) for d in plan.dropped] == [("n", MON)]


# --- CSV ----------------------------------------------------------------------------------


def test_csv_has_bom_iso_dates_and_seconds():
    items = [
        item("cchc", title="Cải cách hành chính, năm 2023", seconds=754.2),
        item("bao", "priority"),
    ]
    plays = week_schedule(area(), WEEK, items)
    data = schedule_csv(area(), WEEK, plays)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text == unicodedata.normalize("NFC", text)
    assert "\r\n" in text and text.count("\n") == text.count("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Ngày", "Thứ", "Giờ phát", "Thứ tự"]
    assert len(rows) == 1 + len(plays)
    first = dict(zip(rows[0], rows[1]))
    # ISO dates: no locale reads 2023-02-03 as 2 March; seconds: "2:32" would become a time of day.
    assert (
        first["Ngày"] == "2023-02-20" and first["Thứ"] == "Thứ hai" and first["Giờ phát"] == "05:30"
    )
    assert first["Mức ưu tiên"] == "ưu tiên"
    cchc = next(dict(zip(rows[0], r)) for r in rows[1:] if r[4] == "cchc")
    assert cchc["Tiêu đề"] == "Cải cách hành chính, năm 2023" and cchc["Thời lượng (giây)"] == "755"


def test_csv_notes_moved_items():
    items = [
        item("p", "priority", repeat=0, start=TUE, end=TUE, seconds=40),
        item("n", repeat=0, start=TUE, end=TUE, seconds=40),
    ]
    plays = week_schedule(area(max_minutes=1), WEEK, items)
    text = schedule_csv(area(max_minutes=1), WEEK, plays).decode("utf-8-sig")
    assert "chuyển từ 05:30 ngày 21/02 do quá giờ" in text


# --- iCalendar ----------------------------------------------------------------------------


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_is_rfc5545_shaped():
    items = [
        item("cchc", title="Tuyên truyền cải cách hành chính; năm 2023, huyện Tây Sơn " * 3),
        item("bao", "priority", start=WED),
    ]
    plays = week_schedule(area(), WEEK, items)
    data = schedule_ics(area(), WEEK, plays)
    assert data.endswith(b"\r\n")
    raw_lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line for line in raw_lines)
    assert max(len(line) for line in raw_lines) <= 75
    for line in raw_lines:
        line.decode("utf-8")  # folding never splits a character
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert (
        "BEGIN:VTIMEZONE" in lines
        and "TZID:Asia/Ho_Chi_Minh" in lines
        and "TZOFFSETTO:+0700" in lines
    )
    events = lines.count("BEGIN:VEVENT")
    assert events == len({(p.day, p.slot) for p in plays}) == 14
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == events
    assert "UID:2023-W08-binh-hoa-20230220-0530@truyenthanh" in uids
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20230220T053000" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    desc = next(line for line in lines if line.startswith("DESCRIPTION:") and "\\n" in line)
    assert "\\;" in desc and "\\," in desc and "1. " in desc and "2. " in desc


def test_ics_is_deterministic_and_uids_stable():
    plays = week_schedule(area(), WEEK, [item("a")])
    first = schedule_ics(area(), WEEK, plays)
    assert first == schedule_ics(area(), WEEK, plays)
    more = week_schedule(area(), WEEK, [item("a"), item("b", title="B mới")])
    uids = lambda d: {line for line in unfold(d) if line.startswith("UID:")}  # noqa: E731
    assert uids(first) == uids(schedule_ics(area(), WEEK, more))


def test_ics_uses_utc_when_the_week_changes_offset():
    # Europe/Berlin switches to summer time on 26/03/2023 (week 12, Sunday).
    week = IsoWeek(2023, 12)
    it = item("a", start=week.monday, end=week.sunday)
    plays = week_schedule(area(), week, [it])
    lines = unfold(schedule_ics(area(), week, plays, timezone="Europe/Berlin"))
    assert "BEGIN:VTIMEZONE" not in lines
    assert "DTSTART:20230320T043000Z" in lines  # 05:30 CET
    assert "DTSTART:20230326T033000Z" in lines  # 05:30 CEST


@pytest.mark.parametrize(
    "line, pieces",
    [
        ("A" * 75, 1),
        ("A" * 76, 2),
        ("Đ" * 37 + "A", 1),  # 75 octets exactly
        ("Đ" * 38, 2),
        ("Ủy ban " * 40, None),
    ],
)
def test_fold_limits_octets_and_keeps_characters(line, pieces):
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line
    if pieces is not None:
        assert len(parts) == pieces


# --- playlist -----------------------------------------------------------------------------


def test_playlist_m3u8():
    data = playlist_m3u8(
        [("chuong-trinh/a.mp3", 61.2, "Cải cách\nhành chính"), ("ban-tin.mp3", 5.0, "Bản tin")],
        title="xã Bình Hòa",
    )
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert text.splitlines() == [
        "#EXTM3U",
        "#PLAYLIST:xã Bình Hòa",
        "#EXTINF:62,Cải cách hành chính",
        "chuong-trinh/a.mp3",
        "#EXTINF:5,Bản tin",
        "ban-tin.mp3",
    ]


@pytest.mark.parametrize("path", ["/etc/passwd", "a\\b.mp3", "a\nb.mp3"])
def test_playlist_refuses_non_relative_paths(path):
    with pytest.raises(ValueError):
        playlist_m3u8([(path, 1.0, "x")])


@pytest.mark.parametrize("limit", [75, 12, 4, 3])
def test_folding_cuts_at_the_octet_limit_between_characters(limit):
    from truyenthanh.schedule import fold

    line = "DESCRIPTION:Thông báo 😀 lịch tiêm chủng, xã Bình Hòa; " * 5
    folded = fold(line, limit)
    assert folded.replace("\r\n ", "") == line  # nothing lost, nothing added
    lines = folded.split("\r\n ")
    widest = max(len(ch.encode("utf-8")) for ch in line)
    assert len(lines[0].encode("utf-8")) <= max(limit, widest)
    assert all(len(cont.encode("utf-8")) <= max(limit - 1, widest) for cont in lines[1:])
    assert fold("ngắn", limit) == "ngắn" or len("ngắn".encode()) > limit
