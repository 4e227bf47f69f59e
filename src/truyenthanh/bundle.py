"""The weekly bundle of one area: one deterministic ZIP plus its manifest.

`bundle_bytes` is a pure function of its inputs (file contents, config, the
week): fixed timestamps (the week's Monday), sorted entries, fixed permissions
and compression, no build time inside. Identical inputs give identical bytes,
so the build can leave a published bundle untouched when nothing changed.

The builder publishes the ZIP; the page stage publishes, next to it, the
manifest copy the download page reads (`page_manifest_bytes`: the manifest with
the ZIP's size, sha256 and build time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from truyenthanh import __version__
from truyenthanh.atomic import atomic_writer
from truyenthanh.config import Area, Issuer
from truyenthanh.domain import PRIORITY_VI
from truyenthanh.errors import BundleError
from truyenthanh.keys import sha256_bytes, sha256_file
from truyenthanh.schedule import (
    ScheduleItem,
    WeekPlan,
    broadcast_order,
    duration_vi,
    plan_week,
    playlist_m3u8,
    schedule_csv,
    schedule_ics,
)
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

MANIFEST_FORMAT = 1
MANIFEST = "manifest.json"
PLAYLIST = "playlist.m3u8"
SCHEDULE_CSV = "lich-phat.csv"
SCHEDULE_ICS = "lich-phat.ics"
README = "DOC-DOC/README.txt"
GENERATED = (MANIFEST, PLAYLIST, SCHEDULE_CSV, SCHEDULE_ICS, README)
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


def bundle_bytes(
    area: Area,
    issuer: Issuer,
    week: IsoWeek,
    files: list[BundleFile],
    schedule_items: list[ScheduleItem],
    approvals: dict[str, str],
) -> tuple[bytes, dict]:
    """Build the ZIP of one area's week and return `(zip bytes, manifest dict)`.

    `approvals` maps announcement id → sha256 of the approved content; every
    scheduled announcement must have one. Raises `BundleError` (Vietnamese) for
    unreadable files, unsafe or duplicate arcnames, a schedule item whose file is
    not in the bundle, or a missing approval.
    """
    _check_arcnames(files)
    contents = {f.arcname: _read(f) for f in files}
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
    durations = {f.arcname: _duration(f, contents[f.arcname]) for f in files}
    ordered = broadcast_order(schedule_items)
    entries = [(it.file, it.duration_s, it.title) for it in ordered]
    generated = {
        PLAYLIST: playlist_m3u8(entries, title=f"{area.full_name} – {week.title_vi}"),
        SCHEDULE_CSV: schedule_csv(area, week, plan.plays),
        SCHEDULE_ICS: schedule_ics(area, week, plan.plays, issuer.timezone),
    }
    generated[README] = _readme(area, issuer, week, files, ordered, plan, durations)

    manifest = _manifest(area, issuer, week, files, contents, durations, generated, schedule_items, approvals, plan)
    generated[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")

    everything = {**contents, **generated}
    return _zip(everything, week), manifest


def page_manifest_bytes(manifest: dict, zip_rel: str, digest: str, size: int, built_at: str) -> bytes:
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
                problems.append(f"Tệp “{path}”: kích thước {len(data)} khác manifest ({entry.get('size')}).")
            if sha256_bytes(data) != entry.get("sha256"):
                problems.append(f"Tệp “{path}”: mã kiểm tra sha256 không khớp manifest.")
        for name in names:
            if name != MANIFEST and name not in listed:
                problems.append(f"Tệp “{name}” có trong gói nhưng không có trong manifest.")

        if PLAYLIST not in names:
            problems.append("Gói thiếu playlist.m3u8.")
        else:
            for target in _playlist_paths(zf.read(PLAYLIST)):
                resolved = posixpath.normpath(target)
                if not _safe_arcname(target) or resolved not in names:
                    problems.append(f"Danh sách phát trỏ tới “{target}”, không có trong gói.")
        for needed in (SCHEDULE_CSV, SCHEDULE_ICS, README):
            if needed not in names:
                problems.append(f"Gói thiếu {needed}.")
    return problems


# --- internals -------------------------------------------------------------------------

def _check_arcnames(files: list[BundleFile]) -> None:
    seen: set[str] = set()
    for f in files:
        if not _safe_arcname(f.arcname):
            raise BundleError(
                f"Tên tệp trong gói “{f.arcname}” không hợp lệ: dùng đường dẫn tương đối, chữ không dấu, "
                "không “..”, không bắt đầu bằng “/”."
            )
        if f.arcname in GENERATED:
            raise BundleError(f"Tên tệp “{f.arcname}” trùng với tệp do gói tự tạo.")
        if f.arcname in seen:
            raise BundleError(f"Tệp “{f.arcname}” xuất hiện hai lần trong gói.")
        seen.add(f.arcname)


def _safe_arcname(name: str) -> bool:
    if name in GENERATED:
        return True
    parts = PurePosixPath(name).parts
    return bool(_ARCNAME.match(name)) and ".." not in parts and all(not p.startswith(".") for p in parts)


def _read(f: BundleFile) -> bytes:
    try:
        return Path(f.source).read_bytes()
    except OSError as exc:
        raise BundleError(
            f"Không đọc được tệp {f.source} để đóng gói ({exc.strerror or exc}); hãy chạy lại bản dựng."
        ) from None


def _duration(f: BundleFile, data: bytes) -> float | None:
    if f.duration_s is not None:
        return round(float(f.duration_s), 3)
    if not f.arcname.lower().endswith(".mp3"):
        return None
    try:
        from mutagen.mp3 import MP3

        return round(float(MP3(io.BytesIO(data)).info.length), 3)
    except Exception as exc:  # mutagen raises several unrelated types for bad MP3s
        raise BundleError(f"Tệp âm thanh {f.source} không đọc được ({exc}); hãy dựng lại chương trình.") from None


def _manifest(area, issuer, week, files, contents, durations, generated, items, approvals, plan: WeekPlan) -> dict:
    listed = []
    for f in sorted(files, key=lambda f: f.arcname):
        data = contents[f.arcname]
        entry = {
            "path": f.arcname,
            "size": len(data),
            "sha256": sha256_bytes(data),
            "kind": f.kind,
            "announcement": f.announcement,
        }
        if durations[f.arcname] is not None:
            entry["duration_s"] = durations[f.arcname]
        listed.append(entry)
    for name in sorted(generated):
        data = generated[name]
        listed.append({"path": name, "size": len(data), "sha256": sha256_bytes(data), "kind": _generated_kind(name)})
    listed.sort(key=lambda e: e["path"])

    bulletin = [f for f in files if f.kind == "bulletin"]
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
            {**_item_json(it), "approval_sha256": approvals[it.announcement_id]} for it in broadcast_order(items)
        ],
        "bulletin": bulletin[0].arcname if bulletin else None,
        "programmes_duration_s": round(sum(durations[f.arcname] or 0.0 for f in programmes), 3),
        "audio_duration_s": round(sum(d for d in durations.values() if d is not None), 3),
        "schedule": {
            "plays": len(plan.plays),
            "airtime_s": round(sum(p.duration_s for p in plan.plays), 3),
            "dropped": [
                {"announcement": d.announcement_id, "day": d.day.isoformat(), "slot": d.slot} for d in plan.dropped
            ],
            "overfull": [
                {"day": o.day.isoformat(), "slot": o.slot, "seconds": o.seconds, "limit_seconds": o.limit_seconds}
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


def _generated_kind(name: str) -> str:
    return {PLAYLIST: "playlist", SCHEDULE_CSV: "schedule_csv", SCHEDULE_ICS: "schedule_ics", README: "readme"}[name]


def _readme(area, issuer, week, files, ordered, plan: WeekPlan, durations) -> bytes:
    bulletin = next((f for f in files if f.kind == "bulletin"), None)
    script = next((f for f in files if f.kind == "operator_script"), None)
    lines = [
        f"GÓI PHÁT THANH {week.title_vi.upper()}",
        f"{area.full_name} – {area.station}",
        f"Đơn vị phát hành: {issuer.name} ({issuer.station})",
        "",
        "TRONG GÓI NÀY",
        f"- {PLAYLIST}: danh sách phát các chương trình theo thứ tự phát (mở bằng VLC, Winamp…).",
        f"- {SCHEDULE_CSV}: lịch phát từng ngày, từng giờ (mở bằng Excel hoặc LibreOffice).",
        f"- {SCHEDULE_ICS}: cùng lịch phát, để nhập vào lịch điện thoại hoặc máy tính.",
    ]
    if bulletin:
        lines.append(f"- {bulletin.arcname}: bản tin cả tuần trong một tệp.")
    if script:
        lines.append(f"- {script.arcname}: kịch bản để đọc trực tiếp khi tệp âm thanh gặp sự cố.")
    lines += [
        f"- {MANIFEST}: danh mục tệp kèm mã kiểm tra sha256 (để kiểm tra gói tải về đủ và đúng).",
        "",
        f"CÁC CHƯƠNG TRÌNH ({len(ordered)})",
    ]
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
        f"  trong {SCHEDULE_CSV}).",
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


def _zip(entries: dict[str, bytes], week: IsoWeek) -> bytes:
    stamp = (week.monday.year, week.monday.month, week.monday.day, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            if name.lower().endswith(STORED_SUFFIXES):
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def _playlist_paths(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _crc_problem(zf: zipfile.ZipFile) -> str | None:
    try:
        return zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return str(exc)


def _load_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
