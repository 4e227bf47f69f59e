"""The weekly bundle ZIP: contents, manifest checksums, determinism, verification, atomic publishing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest_media import (
    APPROVALS,
    AREAS,
    ISSUER,
    WEEK,
    bundle_files,
    mp3_seconds,
    schedule_items,
    tiny_pdf,
)
from truyenthanh import __version__
from truyenthanh.bundle import (
    BundleFile,
    bundle_bytes,
    verify_bundle,
)
from truyenthanh.errors import BundleError

AREA = AREAS[0]
P = "binh-hoa_2023-W08_"  # every member names its area and week
CCHC, BAO, SCRIPT = f"{P}cchc-2023.mp3", f"{P}phong-chong-bao.mp3", f"{P}kich-ban-doc.pdf"
MON, WED = WEEK.monday, WEEK.monday + dt.timedelta(days=2)


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "kich-ban.pdf"
    path.write_bytes(tiny_pdf("kich ban"))
    return path


@pytest.fixture
def inputs(media, script):
    items = schedule_items(WEEK, mp3_seconds(media.short), AREA.id)
    files = bundle_files(media, AREA, WEEK, script, bulletin_days=(MON, WED))
    return AREA, ISSUER, WEEK, files, items, dict(APPROVALS)


@pytest.fixture
def built(inputs):
    return bundle_bytes(*inputs)


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


# --- contents ----------------------------------------------------------------------------


def test_zip_holds_files_playlist_schedule_manifest_readme(built):
    data, _ = built
    names = open_zip(data).namelist()
    assert names == sorted(names)
    days = [
        "thu-hai-20-02",
        "thu-ba-21-02",
        "thu-tu-22-02",
        "thu-nam-23-02",
        "thu-sau-24-02",
        "thu-bay-25-02",
        "chu-nhat-26-02",
    ]
    assert set(names) == {
        f"{P}huong-dan.txt",
        f"{P}ban-tin_thu-hai-20-02.mp3",
        f"{P}ban-tin_thu-tu-22-02.mp3",
        CCHC,
        BAO,
        SCRIPT,
        f"{P}lich-phat.csv",
        f"{P}lich-phat.xlsx",
        f"{P}lich-phat.ics",
        "manifest.json",
        *(f"{P}danh-sach-phat_{d}.m3u8" for d in days),
    }
    assert not any("/" in n for n in names)  # flat: names survive unzipping into one folder


def test_mp3_stored_text_deflated_fixed_time_and_mode(built):
    for info in open_zip(built[0]).infolist():
        expected = zipfile.ZIP_STORED if info.filename.endswith(".mp3") else zipfile.ZIP_DEFLATED
        assert info.compress_type == expected, info.filename
        assert info.date_time == (2023, 2, 20, 0, 0, 0)  # the week's Monday
        assert (info.external_attr >> 16) & 0o777 == 0o644


def test_files_are_byte_identical_to_their_sources(built, inputs, media):
    zf = open_zip(built[0])
    for f in inputs[3]:
        assert zf.read(f.arcname) == f.source.read_bytes()


def test_manifest_checksums_match_every_member(built):
    data, manifest = built
    zf = open_zip(data)
    inside = json.loads(zf.read("manifest.json"))
    assert inside == manifest
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(zf.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        member = zf.read(path)
        assert entry["size"] == len(member)
        assert entry["sha256"] == hashlib.sha256(member).hexdigest()


def test_manifest_describes_area_week_generator_approvals_durations(built, media):
    _, m = built
    assert m["area"]["id"] == "binh-hoa" and m["area"]["full_name"] == "xã Bình Hòa"
    assert m["area"]["slots"] == ["05:30", "17:00"]
    assert (m["week"], m["week_start"], m["week_end"]) == ("2023-W08", "2023-02-20", "2023-02-26")
    assert m["generator"] == f"truyenthanh {__version__}"
    assert {a["id"]: a["approval_sha256"] for a in m["announcements"]} == APPROVALS
    assert [a["priority"] for a in m["announcements"]] == ["emergency", "normal"]  # broadcast order
    audio = {f["path"]: f for f in m["files"] if f["path"].endswith(".mp3")}
    for entry in audio.values():
        assert entry["duration_s"] == pytest.approx(mp3_seconds(media.short), abs=0.01)
    assert "duration_s" not in next(f for f in m["files"] if f["path"].endswith(".pdf"))
    assert "bulletin" not in m  # no weekly bulletin: it would mix days
    assert m["days"][0] == {
        "date": "2023-02-20",
        "items": ["cchc-2023"],
        "bulletin": f"{P}ban-tin_thu-hai-20-02.mp3",
        "playlist": f"{P}danh-sach-phat_thu-hai-20-02.m3u8",
        "slots": {"05:30": ["cchc-2023"], "17:00": ["cchc-2023"]},
    }
    assert m["days"][1]["bulletin"] is None  # no record of Tuesday's bulletin: nothing to name
    assert m["days"][2]["items"] == ["phong-chong-bao", "cchc-2023"]
    assert m["programmes_duration_s"] == pytest.approx(2 * mp3_seconds(media.short), abs=0.02)
    assert m["schedule"]["plays"] > 0 and m["schedule"]["dropped"] == []


def test_daily_playlists_hold_the_days_items_in_running_order(built):
    zf = open_zip(built[0])
    monday = zf.read(f"{P}danh-sach-phat_thu-hai-20-02.m3u8").decode("utf-8").splitlines()
    assert monday[0] == "#EXTM3U"
    assert [line for line in monday if line and not line.startswith("#")] == [
        CCHC
    ]  # the storm starts Wednesday
    wednesday = zf.read(f"{P}danh-sach-phat_thu-tu-22-02.m3u8").decode("utf-8").splitlines()
    paths = [line for line in wednesday if line and not line.startswith("#")]
    assert paths == [BAO, CCHC]
    assert all(p in zf.namelist() for p in paths)
    assert any(line.startswith("#EXTINF:2,Chủ động phòng, chống bão số 1") for line in wednesday)


def test_schedule_inside_follows_validity(built):
    zf = open_zip(built[0])
    csv_text = zf.read(f"{P}lich-phat.csv").decode("utf-8-sig")
    storm_days = {line.split(",")[0] for line in csv_text.splitlines() if "phong-chong-bao" in line}
    assert storm_days == {f"2023-02-{d}" for d in range(22, 27)}  # valid from Wednesday
    assert zf.read(f"{P}lich-phat.ics").startswith(b"BEGIN:VCALENDAR\r\n")


def test_readme_is_vietnamese_for_notepad(built):
    raw = open_zip(built[0]).read(f"{P}huong-dan.txt")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text == unicodedata.normalize("NFC", text)
    assert text.count("\n") == text.count("\r\n")
    assert "GÓI PHÁT THANH TUẦN 8/2023" in text and "xã Bình Hòa" in text
    assert f"{P}lich-phat.xlsx" in text and f"{P}lich-phat.csv" in text and SCRIPT in text
    assert (
        f"{P}danh-sach-phat_thu-tu-22-02.m3u8" in text and f"{P}ban-tin_thu-hai-20-02.mp3" in text
    )
    assert "0256 3880 123" in text


def test_duration_given_by_the_build_is_used(inputs):
    area, issuer, week, files, items, approvals = inputs
    files = [dataclasses.replace(f, duration_s=99.5) if f.kind == "bulletin" else f for f in files]
    _, m = bundle_bytes(area, issuer, week, files, items, approvals)
    assert next(f for f in m["files"] if f["kind"] == "bulletin")["duration_s"] == 99.5


# --- determinism ---------------------------------------------------------------------------


def test_the_manifest_lists_the_digest_the_builder_recorded(inputs, media, tmp_path):
    """A member's recorded SHA-256 is listed as is (no second hash of its bytes). A file damaged
    on disk since it was published then no longer matches the manifest, and a station's check
    of the downloaded bundle says which member."""
    area, issuer, week, files, items, approvals = inputs
    recorded = [
        dataclasses.replace(f, sha256=hashlib.sha256(f.source.read_bytes()).hexdigest())
        for f in files
    ]
    assert bundle_bytes(area, issuer, week, recorded, items, approvals) == bundle_bytes(*inputs)

    damaged = tmp_path / "hong.mp3"
    damaged.write_bytes(media.short.read_bytes()[:-1] + b"\0")
    recorded = [
        dataclasses.replace(f, source=damaged) if f.arcname == CCHC else f for f in recorded
    ]
    data, manifest = bundle_bytes(area, issuer, week, recorded, items, approvals)
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    assert listed[CCHC] == hashlib.sha256(media.short.read_bytes()).hexdigest()
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    problems = verify_bundle(path)
    assert len(problems) == 1 and CCHC in problems[0] and "sha256" in problems[0], problems


def test_identical_inputs_give_identical_bytes(inputs):
    first = bundle_bytes(*inputs)
    area, issuer, week, files, items, approvals = inputs
    again = bundle_bytes(
        area, issuer, week, list(reversed(files)), list(reversed(items)), dict(approvals)
    )
    assert first[0] == again[0]
    assert first[1] == again[1]


def test_a_changed_input_changes_bytes_and_key(inputs, tmp_path, media):
    area, issuer, week, files, items, approvals = inputs
    other = tmp_path / "other.mp3"
    other.write_bytes(media.other.read_bytes())
    changed = [dataclasses.replace(f, source=other) if f.kind == "bulletin" else f for f in files]
    assert (
        bundle_bytes(*inputs)[0] != bundle_bytes(area, issuer, week, changed, items, approvals)[0]
    )
    approvals2 = {**approvals, "cchc-2023": "c" * 64}
    assert bundle_bytes(*inputs)[0] != bundle_bytes(area, issuer, week, files, items, approvals2)[0]


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arcname",
    [
        "../ra-ngoai.mp3",
        "/tuyet-doi.mp3",
        "a/../../b.mp3",
        ".an.mp3",
        "a\\b.mp3",
        "chương-trình.mp3",
        "manifest.json",
        "",
    ],
)
def test_unsafe_or_reserved_arcnames_are_refused(inputs, media, arcname):
    area, issuer, week, files, items, approvals = inputs
    with pytest.raises(BundleError):
        bundle_bytes(
            area,
            issuer,
            week,
            files + [BundleFile(arcname, media.short, "extra")],
            items,
            approvals,
        )


def test_duplicate_arcname_is_refused(inputs):
    area, issuer, week, files, items, approvals = inputs
    with pytest.raises(BundleError, match="hai lần"):
        bundle_bytes(area, issuer, week, files + [files[0]], items, approvals)


def test_schedule_item_without_its_file_is_refused(inputs):
    area, issuer, week, files, items, approvals = inputs
    with pytest.raises(BundleError, match="không có trong gói"):
        bundle_bytes(
            area, issuer, week, [f for f in files if f.kind != "programme"], items, approvals
        )


def test_unapproved_announcement_is_refused(inputs):
    area, issuer, week, files, items, approvals = inputs
    with pytest.raises(BundleError, match="chưa được phê duyệt"):
        bundle_bytes(area, issuer, week, files, items, {"cchc-2023": approvals["cchc-2023"]})


def test_missing_source_is_a_bundle_error(inputs, tmp_path):
    area, issuer, week, files, items, approvals = inputs
    gone = BundleFile("them.mp3", tmp_path / "khong-co.mp3", "extra")
    with pytest.raises(BundleError, match="Không đọc được"):
        bundle_bytes(area, issuer, week, files + [gone], items, approvals)


def test_broken_mp3_without_duration_is_a_bundle_error(inputs, tmp_path):
    area, issuer, week, files, items, approvals = inputs
    bad = tmp_path / "hong.mp3"
    bad.write_bytes(b"not an mp3 at all" * 10)
    with pytest.raises(BundleError, match="không đọc được"):
        bundle_bytes(
            area, issuer, week, files + [BundleFile("hong.mp3", bad, "extra")], items, approvals
        )


# --- verify_bundle -----------------------------------------------------------------------------


def rewrite(data: bytes, change) -> bytes:
    """Copy a ZIP member by member, letting `change(name, bytes)` alter or drop (None) members."""
    src = open_zip(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info, content)
    return out.getvalue()


def test_verify_accepts_a_good_bundle(built, tmp_path):
    path = tmp_path / "goi.zip"
    path.write_bytes(built[0])
    assert verify_bundle(path) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda n, b: b[:-1] + b"\0" if n == CCHC else b, "sha256"),
        (lambda n, b: b + b"x" if n == SCRIPT else b, "kích thước"),
        (lambda n, b: None if n == f"{P}ban-tin_thu-hai-20-02.mp3" else b, "không có trong gói"),
        (lambda n, b: None if n == "manifest.json" else b, "thiếu manifest"),
        (lambda n, b: b"{not json" if n == "manifest.json" else b, "không đọc được"),
        (
            lambda n, b: (
                b.replace(CCHC.encode() + b"\n", b"khac.mp3\n") if n.endswith(".m3u8") else b
            ),
            "trỏ tới “khac.mp3”",
        ),
        (lambda n, b: None if n.endswith(".ics") else b, "lich-phat.ics"),
    ],
)
def test_verify_finds_problems(built, tmp_path, change, expected):
    path = tmp_path / "goi.zip"
    path.write_bytes(rewrite(built[0], change))
    problems = verify_bundle(path)
    assert problems and any(expected in p for p in problems), problems


def test_verify_reports_an_extra_member(built, tmp_path):
    data = rewrite(built[0], lambda n, b: b)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("la.txt", b"?")
    path = tmp_path / "goi.zip"
    path.write_bytes(out.getvalue())
    assert any("la.txt" in p for p in verify_bundle(path))


def test_verify_reports_a_playlist_escaping_the_zip(built, tmp_path):
    monday = f"{P}danh-sach-phat_thu-hai-20-02.m3u8"
    data = rewrite(built[0], lambda n, b: b + b"../../etc/passwd\n" if n == monday else b)
    # keep the manifest honest about the new playlist so only the path is wrong
    m = json.loads(open_zip(data).read("manifest.json"))
    pl = open_zip(data).read(monday)
    for f in m["files"]:
        if f["path"] == monday:
            f["size"], f["sha256"] = len(pl), hashlib.sha256(pl).hexdigest()
    data = rewrite(data, lambda n, b: json.dumps(m).encode() if n == "manifest.json" else b)
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    assert verify_bundle(path) == [
        f"Danh sách phát {monday} trỏ tới “../../etc/passwd”, không có trong gói."
    ]


def test_verify_rejects_a_non_zip(tmp_path):
    path = tmp_path / "goi.zip"
    path.write_bytes(b"<html>not a zip</html>")
    assert verify_bundle(path)[0].startswith("Không mở được gói")
