"""The weekly bundle of one area: one deterministic ZIP plus its manifest.

`bundle_pieces` (and `bundle_bytes`, the same joined) is a pure function of its inputs (file contents, config, the
week): fixed timestamps (the week's Monday), sorted entries, fixed permissions
and compression, no build time inside. Identical inputs give identical bytes,
so the build can leave a published bundle untouched when nothing changed.

The builder publishes the ZIP; the page stage publishes, next to it, the
manifest copy the download page reads (`page_manifest_bytes`: the manifest with
the ZIP's size, sha256 and build time).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from truyenthanh import __version__, layout
from truyenthanh.atomic import Pieces
from truyenthanh.config import Area, Issuer
from truyenthanh.domain import PRIORITY_VI
from truyenthanh.errors import BundleError, os_reason
from truyenthanh.keys import sha256_bytes
from truyenthanh.schedule import (
    Day,
    ScheduleItem,
    WeekPlan,
    broadcast_order,
    days_of,
    duration_vi,
    plan_week,
    playlist_m3u8,
    schedule_csv,
    schedule_ics,
    schedule_xlsx,
)
from truyenthanh.weeks import WEEKDAYS_VI, IsoWeek
from truyenthanh.ziparchive import ZipPieces

log = logging.getLogger(__name__)

MANIFEST_FORMAT = 2  # 2: daily bulletins and playlists ("days"), no weekly bulletin
MANIFEST = "manifest.json"
# Already-compressed formats gain nothing from deflate; storing them keeps the
# MP3s seekable inside the ZIP and the build fast.
STORED_SUFFIXES = (".mp3", ".zip", ".png", ".jpg", ".jpeg", ".ogg", ".m4a", ".opus")
_ARCNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


@dataclass(frozen=True)
class BundleFile:
    """One file of the bundle: where it is on disk and where it goes in the ZIP."""

    arcname: str  # e.g. "chuong-trinh/cchc-2023.mp3"
    source: Path
    kind: str  # "programme" | "bulletin" | "operator_script" | …
    duration_s: float | None = None  # audio only; read from the MP3 when None
    announcement: str | None = None
    day: dt.date | None = None  # a daily bulletin's date
    # The SHA-256 the builder recorded when it published the file (hashed as it was written):
    # the manifest lists it instead of hashing 27 MB of members again in every bundle. Should the
    # file on disk have been damaged since, the manifest still names the approved bytes, so a
    # radio station's check of the bundle (verify_bundle) reports that member.
    sha256: str | None = None
    # Its CRC-32, when the worker that made it in this run computed it while writing it
    # (job.made): the ZIP entry needs it, and reading the member for it again cost ~10 ms a
    # bundle. Like the SHA-256, it names the bytes that were published.
    crc32: int | None = None


def generated_names(area_id: str, week: IsoWeek) -> dict[str, str]:
    """The files the bundle writes itself, by kind (daily playlists are named per day)."""
    return {
        "schedule_csv": layout.bundle_schedule_name(week, area_id, "csv"),
        "schedule_xlsx": layout.bundle_schedule_name(week, area_id, "xlsx"),
        "schedule_ics": layout.bundle_schedule_name(week, area_id, "ics"),
        "readme": layout.bundle_readme_name(week, area_id),
    }


def bundle_bytes(*inputs, **named) -> tuple[bytes, dict]:
    """`bundle_pieces(...)` (same arguments) with the ZIP as one bytes object."""
    pieces, manifest = bundle_pieces(*inputs, **named)
    return bytes(pieces), manifest


def bundle_pieces(
    area: Area,
    issuer: Issuer,
    week: IsoWeek,
    files: list[BundleFile],
    schedule_items: list[ScheduleItem],
    approvals: dict[str, str],
) -> tuple[Pieces, dict]:
    """Build the ZIP of one area's week and return `(zip as pieces, manifest dict)`: the builder
    writes and hashes the pieces in order (atomic.Pieces), without joining 27 MB of them.

    `approvals` maps announcement id → sha256 of the approved content; every
    scheduled announcement must have one. Raises `BundleError` (Vietnamese) for
    unreadable files, unsafe or duplicate arcnames, a schedule item whose file is
    not in the bundle, or a missing approval.
    """
    names = generated_names(area.id, week)
    _check_arcnames(files, set(names.values()))
    archive = ZipPieces(_zip_time(week))
    contents = _read_members(archive, files)
    arcnames = set(contents)
    for item in schedule_items:
        if item.file not in arcnames:
            raise BundleError(
                f"Gói của {area.full_name}: tệp “{item.file}” của thông báo {item.announcement_id} "
                "không có trong gói."
            )
        if item.announcement_id not in approvals:
            raise BundleError(
                f"Gói của {area.full_name}: thông báo {item.announcement_id} chưa được phê duyệt; "
                "không đóng gói nội dung chưa duyệt."
            )

    plan = plan_week(area, week, schedule_items)
    days = days_of(week, schedule_items, plan.plays)
    durations = {f.arcname: _duration(f, contents[f.arcname]) for f in files}
    bulletins = {f.day: f for f in files if f.kind == "bulletin" and f.day is not None}
    generated: dict[str, bytes] = {
        names["schedule_csv"]: schedule_csv(area, week, plan.plays),
        names["schedule_xlsx"]: schedule_xlsx(area, week, plan.plays),
        names["schedule_ics"]: schedule_ics(area, week, plan.plays, issuer.timezone),
    }
    kinds = {v: k for k, v in names.items()}
    for day in days:
        name = layout.bundle_daily_playlist_name(week, area.id, day.date)
        title = f"{area.full_name} – {WEEKDAYS_VI[day.date.weekday()]} {day.date:%d/%m/%Y}"
        generated[name] = playlist_m3u8(
            [(it.file, it.duration_s, it.title) for it in day.items], title=title
        )
        kinds[name] = "playlist"
    generated[names["readme"]] = _readme(
        area, issuer, week, files, broadcast_order(schedule_items), plan, days, bulletins
    )
    day_entries = [
        {
            "date": day.date.isoformat(),
            "items": [it.announcement_id for it in day.items],
            "bulletin": bulletins[day.date].arcname if day.date in bulletins else None,
            "playlist": layout.bundle_daily_playlist_name(week, area.id, day.date),
            # Extra: what airs in each slot that day (the page's "Hôm nay phát").
            "slots": {
                slot: [p.announcement_id for p in plays] for slot, plays in day.slots.items()
            },
        }
        for day in days
    ]
    manifest = _manifest(
        area,
        issuer,
        week,
        files,
        contents,
        durations,
        generated,
        kinds,
        schedule_items,
        approvals,
        plan,
        day_entries,
    )
    generated[MANIFEST] = (
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    deflated = {name: data for name, data in contents.items() if not _stored(name)}
    return _finish(archive, {**deflated, **generated}), manifest


def page_manifest_bytes(
    manifest: dict, zip_rel: str, digest: str, size: int, built_at: str
) -> bytes:
    """The manifest copy the page reads: the bundle's own manifest plus its path, size,
    sha256 and build time (published beside the ZIP by the builder)."""
    page = dict(manifest)
    page["bundle"] = {"path": zip_rel, "size": size, "sha256": digest, "built_at": built_at}
    return (json.dumps(page, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def verify_bundle(zip_path: Path) -> list[str]:
    """Check a bundle against its own manifest; return the problems (Vietnamese), [] when good."""
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"Không mở được gói {Path(zip_path).name}: {exc}"]
    with zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        for name in names:
            if not _safe_arcname(name):
                problems.append(f"Đường dẫn không an toàn trong gói: “{name}”.")
        if len(set(names)) != len(names):
            problems.append("Gói có tệp trùng tên.")
        bad = _crc_problem(zf)
        if bad:
            problems.append(f"Tệp “{bad}” trong gói bị hỏng (sai CRC).")
        if MANIFEST not in names:
            return problems + ["Gói thiếu manifest.json."]
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            listed = {f["path"]: f for f in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            return problems + [f"manifest.json không đọc được: {exc}"]

        for path, entry in sorted(listed.items()):
            if path not in names:
                problems.append(f"Tệp “{path}” có trong manifest nhưng không có trong gói.")
                continue
            data = zf.read(path)
            if len(data) != entry.get("size"):
                problems.append(
                    f"Tệp “{path}”: kích thước {len(data)} khác manifest ({entry.get('size')})."
                )
            if sha256_bytes(data) != entry.get("sha256"):
                problems.append(f"Tệp “{path}”: mã kiểm tra sha256 không khớp manifest.")
        for name in names:
            if name != MANIFEST and name not in listed:
                problems.append(f"Tệp “{name}” có trong gói nhưng không có trong manifest.")

        playlists = [p for p, e in listed.items() if e.get("kind") == "playlist"]
        if not playlists:
            problems.append("Gói thiếu danh sách phát theo ngày.")
        for playlist in playlists:
            if playlist not in names:
                continue
            for target in _playlist_paths(zf.read(playlist)):
                resolved = posixpath.normpath(target)
                if not _safe_arcname(target) or resolved not in names:
                    problems.append(
                        f"Danh sách phát {playlist} trỏ tới “{target}”, không có trong gói."
                    )
        present = {e.get("kind") for e in listed.values()}
        for needed, label in (
            ("schedule_csv", "lịch phát CSV"),
            ("schedule_xlsx", "lịch phát Excel"),
            ("schedule_ics", "lịch phát ICS"),
            ("readme", "tệp hướng dẫn"),
        ):
            if needed not in present:
                problems.append(f"Gói thiếu {label}.")
    return problems


# --- internals -------------------------------------------------------------------------


def _check_arcnames(files: list[BundleFile], generated: set[str]) -> None:
    seen: set[str] = set()
    for f in files:
        if not _safe_arcname(f.arcname):
            raise BundleError(
                f"Tên tệp trong gói “{f.arcname}” không hợp lệ: dùng đường dẫn tương đối, chữ không dấu, "
                "không “..”, không bắt đầu bằng “/”."
            )
        if f.arcname in generated or f.arcname == MANIFEST:
            raise BundleError(f"Tên tệp “{f.arcname}” trùng với tệp do gói tự tạo.")
        if f.arcname in seen:
            raise BundleError(f"Tệp “{f.arcname}” xuất hiện hai lần trong gói.")
        seen.add(f.arcname)


def _safe_arcname(name: str) -> bool:
    if name == MANIFEST:
        return True
    parts = PurePosixPath(name).parts
    return (
        bool(_ARCNAME.match(name))
        and ".." not in parts
        and all(not p.startswith(".") for p in parts)
    )


def _read_members(archive: ZipPieces, files: list[BundleFile]) -> dict[str, bytes]:
    """The published files, each read once. The audio is stored first in the archive, in name
    order; the rest (the operator script) is deflated with the generated files (`_finish`).
    The bundle is their last reader in a build: the builder then puts them in the page-cache
    budget (the bundles stage names them in `Job.done_with`)."""
    stored = sorted((f for f in files if _stored(f.arcname)), key=lambda f: f.arcname)
    try:
        contents: dict[str, bytes] = dict(
            archive.read_stored(
                {f.arcname: Path(f.source) for f in stored},
                {f.arcname: f.crc32 for f in stored if f.crc32 is not None},
            )
        )
        for f in files:
            if not _stored(f.arcname):
                with open(f.source, "rb") as fh:
                    contents[f.arcname] = fh.read()
    except OSError as exc:
        raise BundleError(
            f"Không đọc được tệp {exc.filename or ''} để đóng gói ({os_reason(exc)}); "
            "hãy chạy lại bản dựng."
        ) from None
    return contents


def _finish(archive: ZipPieces, rest: dict[str, bytes]) -> Pieces:
    """Add what is not stored yet (generated files, deflated unless already compressed)."""
    for name in sorted(rest):
        archive.add(name, rest[name], deflate=not _stored(name))
    return archive.finish()


def _stored(name: str) -> bool:
    return name.lower().endswith(STORED_SUFFIXES)


def _duration(f: BundleFile, data: bytes) -> float | None:
    if f.duration_s is not None:
        return round(float(f.duration_s), 3)
    if not f.arcname.lower().endswith(".mp3"):
        return None
    try:
        from mutagen.mp3 import MP3

        return round(float(MP3(io.BytesIO(data)).info.length), 3)
    except Exception as exc:  # mutagen raises several unrelated types for bad MP3s
        raise BundleError(
            f"Tệp âm thanh {f.source} không đọc được ({exc}); hãy dựng lại chương trình."
        ) from None


def _manifest(
    area,
    issuer,
    week,
    files,
    contents,
    durations,
    generated,
    kinds,
    items,
    approvals,
    plan: WeekPlan,
    days: list[dict],
) -> dict:
    listed = []
    for f in sorted(files, key=lambda f: f.arcname):
        data = contents[f.arcname]
        entry = {
            "path": f.arcname,
            "size": len(data),
            "sha256": f.sha256 or sha256_bytes(data),
            "kind": f.kind,
            "announcement": f.announcement,
        }
        if durations[f.arcname] is not None:
            entry["duration_s"] = durations[f.arcname]
        listed.append(entry)
    for name in sorted(generated):
        data = generated[name]
        listed.append(
            {"path": name, "size": len(data), "sha256": sha256_bytes(data), "kind": kinds[name]}
        )
    listed.sort(key=lambda e: e["path"])

    programmes = [f for f in files if f.kind == "programme"]
    return {
        "format": MANIFEST_FORMAT,
        "generator": f"truyenthanh {__version__}",
        "week": week.label,
        "week_start": week.monday.isoformat(),
        "week_end": week.sunday.isoformat(),
        "area": {
            "id": area.id,
            "name": area.name,
            "kind": area.kind,
            "full_name": area.full_name,
            "station": area.station,
            "slots": list(area.slots),
            "max_slot_minutes": area.max_slot_minutes,
        },
        "issuer": {"name": issuer.name, "station": issuer.station, "timezone": issuer.timezone},
        "files": listed,
        "announcements": [
            {**_item_json(it), "approval_sha256": approvals[it.announcement_id]}
            for it in broadcast_order(items)
        ],
        "days": days,
        "programmes_duration_s": round(sum(durations[f.arcname] or 0.0 for f in programmes), 3),
        "audio_duration_s": round(sum(d for d in durations.values() if d is not None), 3),
        "schedule": {
            "plays": len(plan.plays),
            "airtime_s": round(sum(p.duration_s for p in plan.plays), 3),
            "dropped": [
                {"announcement": d.announcement_id, "day": d.day.isoformat(), "slot": d.slot}
                for d in plan.dropped
            ],
            "overfull": [
                {
                    "day": o.day.isoformat(),
                    "slot": o.slot,
                    "seconds": o.seconds,
                    "limit_seconds": o.limit_seconds,
                }
                for o in plan.overfull
            ],
        },
    }


def _item_json(it: ScheduleItem) -> dict:
    return {
        "id": it.announcement_id,
        "title": it.title,
        "priority": it.priority,
        "valid_from": it.valid_from.isoformat(),
        "valid_until": it.valid_until.isoformat(),
        "repeat": it.repeat,
        "file": it.file,
        "duration_s": round(float(it.duration_s), 3),
    }


def _readme(
    area, issuer, week, files, ordered, plan: WeekPlan, days: list[Day], bulletins: dict
) -> bytes:
    names = generated_names(area.id, week)
    script = next((f for f in files if f.kind == "operator_script"), None)
    lines = [
        f"GÓI PHÁT THANH {week.title_vi.upper()}",
        f"{area.full_name} – {area.station}",
        f"Đơn vị phát hành: {issuer.name} ({issuer.station})",
        "",
        "TRONG GÓI NÀY",
        "- Mỗi ngày một danh sách phát (…_danh-sach-phat_<thứ>-<ngày>-<tháng>.m3u8, mở bằng VLC, Winamp…)",
        "  chỉ gồm các tin còn hiệu lực trong ngày đó; có bản tin ngày (…_ban-tin_….mp3) thì phát một tệp là đủ.",
        f"- {names['schedule_xlsx']}: lịch phát từng ngày, từng giờ (mở bằng Excel hoặc LibreOffice).",
        f"- {names['schedule_csv']}: cùng lịch phát dạng CSV (ngày dạng năm-tháng-ngày, thời lượng tính bằng giây).",
        f"- {names['schedule_ics']}: cùng lịch phát, để nhập vào lịch điện thoại hoặc máy tính"
        " (có nhắc trước các buổi có tin khẩn cấp).",
    ]
    if script:
        lines.append(
            f"- {script.arcname}: kịch bản đọc trực tiếp, có lịch từng buổi, khi tệp âm thanh gặp sự cố."
        )
    lines += [
        f"- {MANIFEST}: danh mục tệp kèm mã kiểm tra sha256 (để kiểm tra gói tải về đủ và đúng).",
        "",
        "PHÁT NGÀY NÀO, TIN GÌ",
    ]
    for day in days:
        label = f"{WEEKDAYS_VI[day.date.weekday()]} {day.date:%d/%m/%Y}"
        lines.append(
            f"- {label}: {len(day.items)} tin – "
            + ", ".join(
                it.title + (" (KHẨN CẤP)" if it.priority == "emergency" else "") for it in day.items
            )
        )
        bulletin = bulletins.get(day.date)
        lines.append(
            f"  danh sách phát {layout.bundle_daily_playlist_name(week, area.id, day.date)}"
            + (f"; bản tin {bulletin.arcname}" if bulletin else "")
        )
    lines += ["", f"CÁC CHƯƠNG TRÌNH ({len(ordered)})"]
    for n, it in enumerate(ordered, start=1):
        lines.append(
            f"{n}. {it.title} – {PRIORITY_VI.get(it.priority, it.priority)}, {duration_vi(it.duration_s)}, "
            f"hiệu lực {it.valid_from:%d/%m/%Y} – {it.valid_until:%d/%m/%Y} – tệp {it.file}"
        )
    slots = ", ".join(area.slots)
    lines += [
        "",
        "CÁCH PHÁT",
        f"- Giờ phát: {slots}; mỗi buổi không quá {area.max_slot_minutes} phút.",
        "- Mỗi tệp chương trình đã có sẵn phần đọc lại; mỗi buổi chỉ phát mỗi tệp một lần.",
        "- Tin khẩn cấp phát ở mọi buổi và phát trước; sau đó đến tin ưu tiên, rồi tin thông thường.",
        "- Tin được nhắc lại nhiều lần trong ngày sẽ được chia đều cho các buổi phát; tin chỉ phát một",
        "  lần trong ngày sẽ đổi buổi theo ngày để người nghe buổi nào cũng được nghe.",
        "- Buổi nào quá thời lượng thì tin ít ưu tiên hơn được chuyển sang buổi sau (xem cột “Ghi chú”",
        f"  trong {names['schedule_xlsx']}).",
        "- Không phát tin nào ngoài thời gian hiệu lực của nó: hãy dùng danh sách phát hoặc bản tin của đúng ngày.",
    ]
    if plan.dropped:
        lines += ["", "CẦN LƯU Ý: các lượt phát không xếp được vì hết giờ phát trong tuần:"]
        lines += [f"- {d.title}: buổi {d.slot} ngày {d.day:%d/%m/%Y}" for d in plan.dropped]
    if plan.overfull:
        lines += ["", "CẦN LƯU Ý: các buổi dài quá quy định:"]
        lines += [
            f"- {o.slot} ngày {o.day:%d/%m/%Y}: {duration_vi(o.seconds)} (quy định {area.max_slot_minutes} phút)"
            for o in plan.overfull
        ]
    lines += [
        "",
        "Nếu tệp âm thanh không phát được, hãy đọc trực tiếp theo kịch bản và báo cho "
        f"{issuer.station} (đường dây nóng {issuer.hotline}).",
    ]
    # BOM and CRLF so that Notepad on old Windows shows the diacritics and the line breaks.
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _zip_time(week: IsoWeek) -> tuple[int, int, int, int, int, int]:
    """Every entry is dated the week's Monday: no build time inside, same inputs same bytes."""
    return (week.monday.year, week.monday.month, week.monday.day, 0, 0, 0)


def _playlist_paths(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _crc_problem(zf: zipfile.ZipFile) -> str | None:
    try:
        return zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return str(exc)
