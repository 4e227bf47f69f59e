"""Days, not just weeks: each day's items, playlist, rundown, schedule files and download names.

The week has items with different validity windows: one all week, one valid a single
day (Tuesday), one starting mid-week (Thursday) and an emergency valid 21–23/02. Every
day's manifest entry, playlist and operator rundown must hold exactly the items valid
that day, in the one running order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from conftest_media import AREAS, ISSUER, WEEK, build_sample_out, mp3_seconds
from truyenthanh import layout
from truyenthanh.bundle import BundleFile, bundle_bytes, verify_bundle
from truyenthanh.domain import running_order
from truyenthanh.schedule import ScheduleItem, plan_week, schedule_ics, schedule_xlsx
from truyenthanh.weeks import WEEKDAYS_VI

AREA = AREAS[2]  # Phú Phong: three slots
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK.days()
WINDOWS = {  # id: (priority, title, from, until)
    "ke-hoach": ("normal", "Kế hoạch cải cách hành chính năm 2023", MON, SUN),
    "niem-yet": ("normal", "Niêm yết thủ tục hành chính", MON, SUN),
    "mot-ngay": ("priority", "Lịch tiếp công dân thứ ba", TUE, TUE),
    "giua-tuan": ("normal", "Ngày hội chuyển đổi số", THU, SUN + dt.timedelta(days=20)),
    "khan-cap": ("emergency", "Tạm ngưng tiếp nhận hồ sơ trực tiếp", TUE, THU),
}


def items(duration: float) -> list[ScheduleItem]:
    return [
        ScheduleItem(i, t, p, a, b, 1, layout.bundle_programme_name(WEEK, AREA.id, i), duration)
        for i, (p, t, a, b) in WINDOWS.items()
    ]


def valid_on(day: dt.date) -> list[str]:
    ok = [i for i, (p, t, a, b) in WINDOWS.items() if a <= day <= b]
    return [i for i in running_order(ok, lambda i: (WINDOWS[i][0], WINDOWS[i][1], i))]


@pytest.fixture(scope="module")
def built(media, tmp_path_factory):
    folder = tmp_path_factory.mktemp("days")
    duration = mp3_seconds(media.short)
    files = [
        BundleFile(
            layout.bundle_programme_name(WEEK, AREA.id, i), media.short, "programme", None, i
        )
        for i in WINDOWS
    ]
    files += [
        BundleFile(
            layout.bundle_daily_bulletin_name(WEEK, AREA.id, d),
            media.other,
            "bulletin",
            None,
            None,
            d,
        )
        for d in WEEK.days()
    ]
    data, manifest = bundle_bytes(
        AREA, ISSUER, WEEK, files, items(duration), {i: "a" * 64 for i in WINDOWS}
    )
    path = folder / "goi.zip"
    path.write_bytes(data)
    return path, manifest


def test_each_day_holds_exactly_the_items_valid_that_day_in_the_one_order(built):
    path, manifest = built
    assert "bulletin" not in manifest
    days = {d["date"]: d for d in manifest["days"]}
    assert sorted(days) == [d.isoformat() for d in WEEK.days()]
    assert days[TUE.isoformat()]["items"] == ["khan-cap", "mot-ngay", "ke-hoach", "niem-yet"]
    assert (
        "giua-tuan" not in days[WED.isoformat()]["items"]
        and "giua-tuan" in days[THU.isoformat()]["items"]
    )
    zf = zipfile.ZipFile(path)
    for day in WEEK.days():
        entry = days[day.isoformat()]
        assert entry["items"] == valid_on(day), day
        assert entry["bulletin"] == layout.bundle_daily_bulletin_name(WEEK, AREA.id, day)
        assert entry["bulletin"] in zf.namelist()
        # The playlist plays the same items in the same order, each once.
        lines = zf.read(entry["playlist"]).decode("utf-8").splitlines()
        files = [line for line in lines if line and not line.startswith("#")]
        assert files == [layout.bundle_programme_name(WEEK, AREA.id, i) for i in entry["items"]]
        # The slots air only valid items.
        for slot, ids in entry["slots"].items():
            assert set(ids) <= set(entry["items"]), (day, slot)
    assert verify_bundle(path) == []


def test_a_day_without_valid_items_has_no_entry(media):
    only_tue = [
        ScheduleItem(
            "mot-ngay",
            "Một ngày",
            "normal",
            TUE,
            TUE,
            0,
            layout.bundle_programme_name(WEEK, AREA.id, "mot-ngay"),
            1.0,
        )
    ]
    files = [BundleFile(only_tue[0].file, media.short, "programme", 1.0, "mot-ngay")]
    _, manifest = bundle_bytes(AREA, ISSUER, WEEK, files, only_tue, {"mot-ngay": "a" * 64})
    assert [d["date"] for d in manifest["days"]] == [TUE.isoformat()]


def test_operator_rundown_lists_each_day_and_slot_with_only_valid_items():
    pypdf = pytest.importorskip("pypdf")
    from truyenthanh import printing
    from truyenthanh.config import PrintSettings
    from truyenthanh.stages.operator import RUNDOWN_VERSION  # noqa: F401  (the stage keys on it)

    plan = plan_week(AREA, WEEK, items(60.0))
    slots: dict = {}
    for p in plan.plays:
        slots.setdefault((p.day, p.slot), []).append(
            printing.RundownEntry(p.title, p.priority, p.file, p.duration_s)
        )
    rundown = tuple(printing.RundownSlot(d, s, tuple(e)) for (d, s), e in slots.items())
    ops = [
        printing.OperatorItem(
            WINDOWS[i][1],
            WINDOWS[i][0],
            WINDOWS[i][2],
            WINDOWS[i][3],
            1,
            f"Nội dung {WINDOWS[i][1]}.",
            layout.bundle_programme_name(WEEK, AREA.id, i),
        )
        for i in WINDOWS
    ]
    pdf = printing.operator_script_pdf(AREA, ISSUER, PrintSettings(), WEEK, ops, rundown)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "LỊCH PHÁT TỪNG BUỔI" in text and "NỘI DUNG ĐỌC TRỰC TIẾP" in text
    rundown_text = text[text.index("LỊCH PHÁT TỪNG BUỔI") : text.index("NỘI DUNG ĐỌC TRỰC TIẾP")]
    heads = [f"{WEEKDAYS_VI[d.weekday()]} {d:%d/%m/%Y}" for d in WEEK.days()]
    positions = [rundown_text.index(h) for h in heads]
    assert positions == sorted(positions)
    for n, day in enumerate(WEEK.days()):
        part = rundown_text[positions[n] : positions[n + 1] if n + 1 < 7 else None]
        for _i, (_, title, a, b) in WINDOWS.items():
            assert (title in part) == (a <= day <= b), (day, title)
        assert "05:30" in part and "17:00" in part
    tuesday = rundown_text[positions[1] : positions[2]]
    assert tuesday.index("Tạm ngưng tiếp nhận") < tuesday.index(
        "Lịch tiếp công dân"
    )  # emergency first
    assert "KHẨN CẤP" in tuesday and "đọc bài số" in tuesday


def test_xlsx_has_real_date_time_and_duration_cells():
    openpyxl = pytest.importorskip("openpyxl")
    plays = plan_week(AREA, WEEK, items(151.2)).plays
    data = schedule_xlsx(AREA, WEEK, plays)
    assert data == schedule_xlsx(AREA, WEEK, plays)  # deterministic bytes
    with zipfile.ZipFile(
        io.BytesIO(data)
    ) as zf:  # no time of saving inside (it would change every build)
        core = zf.read("docProps/core.xml").decode()
        assert "2023-02-20T00:00:00Z</dcterms:modified>" in core
        assert {i.date_time for i in zf.infolist()} == {(2023, 2, 20, 0, 0, 0)}
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Ngày", "Thứ", "Giờ phát"] and "Thời lượng (giây)" in header
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(plays)
    first = rows[0]
    assert isinstance(first[0], dt.datetime) and first[0].date() == MON  # a date, not text
    assert ws.cell(2, 1).number_format == "DD/MM/YYYY" and ws.cell(2, 1).is_date
    assert first[2] == dt.time(5, 30)
    assert first[8] == dt.timedelta(seconds=152) and first[9] == 152
    assert {r[0].date() for r in rows if r[4] == "mot-ngay"} == {TUE}


def test_ics_keeps_its_timezone_and_alarms_before_emergency_slots():
    plays = plan_week(AREA, WEEK, items(60.0)).plays
    text = schedule_ics(AREA, WEEK, plays, "Asia/Ho_Chi_Minh").decode("utf-8").replace("\r\n ", "")
    events = re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, re.S)
    assert "BEGIN:VTIMEZONE" in text and "TZOFFSETTO:+0700" in text
    for ev in events:
        start = re.search(r"DTSTART;TZID=Asia/Ho_Chi_Minh:(\d{8})", ev).group(1)
        day = dt.date(int(start[:4]), int(start[4:6]), int(start[6:]))
        urgent = TUE <= day <= THU  # the emergency airs in every slot of its days
        assert ("BEGIN:VALARM" in ev) == urgent, day
        if urgent:
            assert "TRIGGER:-PT10M" in ev and "ACTION:DISPLAY" in ev and "Tạm ngưng tiếp nhận" in ev


# --- names that survive a download folder ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory, media):
    return build_sample_out(tmp_path_factory.mktemp("names"), media)


def _ascii_named(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9][a-zA-Z0-9._-]*", name) is not None


def test_an_operators_whole_download_set_has_unique_descriptive_names(sample):
    """Everything one area's operator may download (page links, feed, all ZIPs unzipped)."""
    root = sample.root
    html = (root / "index.html").read_text(encoding="utf-8")
    for area in AREAS:
        block = html[
            html.index(f'id="xa-{area.id}"') : html.index(
                "</article>", html.index(f'id="xa-{area.id}"')
            )
        ]
        names = re.findall(r'download="([^"]+)"', block)
        for week in (sample.past_week, sample.week):
            with zipfile.ZipFile(root / layout.bundle_path(week, area.id)) as zf:
                names += [n for n in zf.namelist() if n != "manifest.json"]
        names.append(layout.feed_path(area.id).rsplit("/", 1)[-1])
        dupes = [n for n, c in Counter(names).items() if c > 1 and n not in _page_repeats(block)]
        assert not dupes, dupes
        distinct = set(names)
        assert all(_ascii_named(n) for n in distinct), distinct
        assert all(n.startswith(f"{area.id}_") for n in distinct)
        assert all(
            re.search(r"_2023-W0[78]_", n) for n in distinct if not n.endswith("podcast.xml")
        )
        assert f"{area.id}_2023-W08_ban-tin_thu-hai-20-02.mp3" in distinct


def _page_repeats(block: str) -> set[str]:
    # The same file linked twice on the page (today box, week list, programme list) is one file.
    return set(re.findall(r'download="([^"]+)"', block))


def test_a_shops_whole_download_set_has_unique_names(sample):
    from truyenthanh.state import BuildState

    with BuildState(sample.root) as state:
        printed = [
            e.path
            for e in state.artifacts()
            if e.kind in ("leaflet", "banner", "poster", "print_order")
        ]
    for shop in sample.shops:
        mine = [
            p
            for p in printed
            if "phieu-dat-in" not in p or p.rsplit("/", 1)[-1].startswith(f"{shop.id}_")
        ]
        names = [p.rsplit("/", 1)[-1] for p in mine]
        assert len(names) == len(set(names)), Counter(names).most_common(3)
        assert all(_ascii_named(n) and "_2023-W0" in n for n in names)


def test_names_of_two_weeks_and_two_announcements_never_collide():
    from truyenthanh.weeks import IsoWeek

    paths = [layout.leaflet_path(w, a, None) for w in (WEEK, IsoWeek(2023, 9)) for a in ("a", "b")]
    paths += [
        layout.programme_path(WEEK, "x", "a"),
        layout.daily_bulletin_path(WEEK, "x", MON),
        layout.operator_path(WEEK, "x"),
        layout.bundle_path(WEEK, "x"),
    ]
    basenames = [Path(p).name for p in paths]
    assert len(set(basenames)) == len(set(paths))
    assert layout.daily_bulletin_path(WEEK, "phu-phong", MON).endswith(
        "/phu-phong_2023-W08_ban-tin_thu-hai-20-02.mp3"
    )


def test_manifest_days_match_the_published_page_manifest(sample):
    doc = json.loads(
        (sample.root / layout.bundle_manifest_path(WEEK, "phu-phong")).read_text(encoding="utf-8")
    )
    assert [d["date"] for d in doc["days"]] == [d.isoformat() for d in WEEK.days()]
    assert all(d["bulletin"] and d["playlist"].endswith(".m3u8") for d in doc["days"])
