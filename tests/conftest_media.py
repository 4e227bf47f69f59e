"""Shared fixtures for the bundle, site, serve and browser tests.

Real media, made offline: MP3s are sines encoded by the ffmpeg that
`imageio-ffmpeg` ships; PDFs are minimal hand-written one-page files. A small
OUT tree (two weeks of bundles, print files, a run report, the page) is built
with the project's own `bundle_bytes`/`page_manifest_bytes`/`publish_index`, written
as the builder writes them (`publish_bundle` below).

Each test folder's conftest.py imports from here (pytest only auto-loads files
named conftest.py).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from truyenthanh import layout
from truyenthanh.atomic import atomic_write_bytes
from truyenthanh.bundle import BundleFile, bundle_bytes, page_manifest_bytes
from truyenthanh.config import Area, Issuer, PrintShop
from truyenthanh.keys import sha256_bytes
from truyenthanh.schedule import ScheduleItem
from truyenthanh.weeks import IsoWeek

WEEK = IsoWeek(2023, 8)
PAST_WEEK = IsoWeek(2023, 7)


def ffmpeg_exe() -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    return imageio_ffmpeg.get_ffmpeg_exe()


def make_mp3(path: Path, seconds: float = 1.0, freq: int = 440, bitrate: str = "64k") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:duration={seconds}:sample_rate=22050",
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            bitrate,
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path


def mp3_seconds(path: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length)


def tiny_pdf(text: str = "truyenthanh") -> bytes:
    """A valid one-page PDF (hand-built, correct xref offsets)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


@dataclass(frozen=True)
class Media:
    folder: Path
    short: Path  # 1 s, 440 Hz
    other: Path  # 1 s, 660 Hz
    large: Path  # 60 s, 128 kbit/s (~1 MB) for range requests


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> Media:
    folder = tmp_path_factory.mktemp("media")
    return Media(
        folder=folder,
        short=make_mp3(folder / "short.mp3", 1.0, 440),
        other=make_mp3(folder / "other.mp3", 1.0, 660),
        large=make_mp3(folder / "large.mp3", 60.0, 330, bitrate="128k"),
    )


# --- sample configuration -----------------------------------------------------------------

ISSUER = Issuer(
    name="Ủy ban nhân dân huyện Tây Sơn",
    short_name="UBND huyện Tây Sơn",
    level="huyện",
    province="Bình Định",
    station="Trung tâm Văn hóa – Thông tin và Thể thao huyện Tây Sơn",
    hotlines=("0256 3880 123",),
    one_stop_address="Bộ phận Một cửa, số 01 Quang Trung, thị trấn Phú Phong",
)
AREAS = [
    Area(
        id="binh-hoa",
        name="Bình Hòa",
        kind="xã",
        station="Đài truyền thanh xã Bình Hòa",
        slots=("05:30", "17:00"),
    ),
    Area(
        id="tay-vinh",
        name="Tây Vinh",
        kind="xã",
        station="Đài truyền thanh xã Tây Vinh",
        slots=("05:30", "17:00"),
    ),
    Area(
        id="phu-phong",
        name="Phú Phong",
        kind="thị trấn",
        station="Đài truyền thanh thị trấn Phú Phong",
        slots=("05:30", "11:00", "17:00"),
        max_slot_minutes=15,
    ),
]
SHOPS = [
    PrintShop(
        id="in-tay-son", name="Xí nghiệp in Tây Sơn", address="Phú Phong", phone="0256 3880 456"
    ),
    PrintShop(id="in-phu-phong", name="Cơ sở in Phú Phong", areas=("phu-phong",)),
]
APPROVALS = {"cchc-2023": "a" * 64, "phong-chong-bao": "b" * 64}


def schedule_items(week: IsoWeek, duration: float, area: str = "phu-phong") -> list[ScheduleItem]:
    """Two items with different windows: one all week, one from Wednesday (mid-week)."""
    return [
        ScheduleItem(
            "cchc-2023",
            "Tuyên truyền cải cách hành chính năm 2023",
            "normal",
            week.monday,
            week.sunday,
            1,
            layout.bundle_programme_name(week, area, "cchc-2023"),
            duration,
        ),
        ScheduleItem(
            "phong-chong-bao",
            "Chủ động phòng, chống bão số 1",
            "emergency",
            week.monday + dt.timedelta(days=2),
            week.sunday,
            1,
            layout.bundle_programme_name(week, area, "phong-chong-bao"),
            duration,
        ),
    ]


def bundle_files(
    media: Media,
    area: Area,
    week: IsoWeek = WEEK,
    script: Path | None = None,
    bulletin_days: tuple[dt.date, ...] = (),
) -> list[BundleFile]:
    files = [
        BundleFile(
            layout.bundle_programme_name(week, area.id, "cchc-2023"),
            media.short,
            "programme",
            None,
            "cchc-2023",
        ),
        BundleFile(
            layout.bundle_programme_name(week, area.id, "phong-chong-bao"),
            media.other,
            "programme",
            None,
            "phong-chong-bao",
        ),
    ]
    for day in bulletin_days:
        files.append(
            BundleFile(
                layout.bundle_daily_bulletin_name(week, area.id, day),
                media.short,
                "bulletin",
                None,
                None,
                day,
            )
        )
    if script is not None:
        files.append(
            BundleFile(
                layout.bundle_operator_name(week, area.id), script, "operator_script", None, None
            )
        )
    return files


@dataclass(frozen=True)
class SampleOut:
    root: Path
    week: IsoWeek
    past_week: IsoWeek
    issuer: Issuer
    areas: list[Area]
    shops: list[PrintShop]


@dataclass(frozen=True)
class Published:
    zip_path: Path
    sha256: str


class Recorder:
    """Writes files under OUT and records them in the build state, as the builder does."""

    def __init__(self, root: Path):
        from truyenthanh.state import BuildState

        self.root = root
        self.state = BuildState(root)
        self.artifacts: list[dict] = []

    def put(
        self,
        rel: str,
        data: bytes,
        kind: str,
        area: str | None = None,
        announcement: str | None = None,
        meta: dict | None = None,
        built: bool = True,
        internal: bool = False,
    ) -> str:
        digest = sha256_bytes(data)
        atomic_write_bytes(self.root / rel, data)
        self.state.record(
            rel,
            f"key:{digest}",
            digest,
            meta or {},
            kind=kind,
            area=area,
            announcement=announcement,
            week=layout.week_of(rel),
        )
        if not internal:
            self.artifacts.append(
                {
                    "kind": kind,
                    "path": rel,
                    "sha256": digest,
                    "area": area,
                    "announcement": announcement,
                    "built": built,
                }
            )
        return digest


def publish_bundle(
    root: Path,
    area: Area,
    week: IsoWeek,
    data: bytes,
    manifest: dict,
    now: dt.datetime,
    rec: Recorder | None = None,
) -> Published:
    """The ZIP and its page manifest, as the builder and the page stage publish them."""
    rel = layout.bundle_path(week, area.id)
    digest = sha256_bytes(data)
    built_at = now.astimezone(dt.UTC).isoformat(timespec="seconds")
    page = page_manifest_bytes(manifest, rel, digest, len(data), built_at)
    if rec is not None:
        rec.put(rel, data, "bundle", area.id, built=week == WEEK)
        rec.put(
            layout.bundle_manifest_path(week, area.id),
            page,
            "bundle_manifest",
            area.id,
            internal=True,
        )
    else:
        atomic_write_bytes(root / rel, data)
        atomic_write_bytes(root / layout.bundle_manifest_path(week, area.id), page)
    return Published(root / rel, digest)


def build_sample_out(root: Path, media: Media, status: str = "partial") -> SampleOut:
    """Two weeks of OUT as the build would leave it (files + build state + run report), then
    the feeds and the page."""
    from truyenthanh import catalog
    from truyenthanh.feed import feed_xml
    from truyenthanh.report import ArtifactRecord, RunReport
    from truyenthanh.site import publish_index
    from truyenthanh.stages.feeds import entries

    root.mkdir(parents=True, exist_ok=True)
    rec = Recorder(root)
    duration = mp3_seconds(media.short)
    for week in (PAST_WEEK, WEEK):
        for area in AREAS:
            items = schedule_items(week, duration, area.id)
            for item, src in zip(items, (media.short, media.other)):
                rec.put(
                    layout.programme_path(week, area.id, item.announcement_id),
                    src.read_bytes(),
                    "audio",
                    area.id,
                    item.announcement_id,
                    {"duration_s": duration},
                    built=week == WEEK,
                )
            days = week.days()
            for day in days:  # the daily bulletins the lead's stage will make
                rec.put(
                    layout.daily_bulletin_path(week, area.id, day),
                    media.short.read_bytes(),
                    "bulletin",
                    area.id,
                    None,
                    {"duration_s": duration, "date": day.isoformat()},
                    built=week == WEEK,
                )
            script = root / layout.operator_path(week, area.id)
            rec.put(
                layout.operator_path(week, area.id),
                tiny_pdf(f"kich ban {area.id}"),
                "operator_script",
                area.id,
                built=week == WEEK,
            )
            data, manifest = bundle_bytes(
                area,
                ISSUER,
                week,
                bundle_files(media, area, week, script, tuple(days)),
                items,
                APPROVALS,
            )
            built = dt.datetime.combine(week.monday, dt.time(19, 15), dt.UTC) - dt.timedelta(days=1)
            publish_bundle(root, area, week, data, manifest, now=built, rec=rec)
        prints = [
            (
                layout.leaflet_path(week, "cchc-2023", "binh-hoa"),
                "leaflet",
                "binh-hoa",
                {"finished_mm": [297, 210]},
            ),
            (
                layout.leaflet_path(week, "cchc-2023", "phu-phong"),
                "leaflet",
                "phu-phong",
                {"finished_mm": [297, 210]},
            ),
            (
                layout.banner_path(week, "cchc-2023", "0.8x5m", 1, None),
                "banner",
                None,
                {"finished_mm": [5000, 800], "scale": 1},
            ),
            (
                layout.poster_path(week, "cchc-2023", "A3", None),
                "poster",
                None,
                {"paper": "A3", "finished_mm": [297, 420]},
            ),
        ]
        for rel, kind, area_id, meta in prints:
            rec.put(
                rel,
                tiny_pdf(rel.rsplit("/", 1)[-1]),
                kind,
                area_id,
                "cchc-2023",
                meta,
                built=week == WEEK,
            )
        for shop in SHOPS:
            rec.put(
                layout.order_path(week, shop.id, "pdf"),
                tiny_pdf(f"phieu dat in {shop.id}"),
                "print_order",
                meta={"shop": shop.id},
                built=week == WEEK,
            )
            rec.put(
                layout.order_path(week, shop.id, "csv"),
                "\ufeffMục,Số lượng\r\nTờ gấp,500\r\n".encode(),
                "print_order",
                meta={"shop": shop.id, "format": "csv"},
                built=week == WEEK,
            )
    weeks = catalog.area_weeks(root, [a.id for a in AREAS])
    for area in AREAS:
        rel = layout.feed_path(area.id)
        rec.put(
            rel, feed_xml(area, ISSUER, rel, entries(weeks[area.id]), layout.INDEX), "feed", area.id
        )
    # Things the server must never show, and the page must ignore.
    atomic_write_bytes(root / ".state" / "build.json", b'{"secret": true}')
    atomic_write_bytes(root / ".cache" / "speech" / "x.mp3", media.short.read_bytes())
    report = RunReport(
        run_id="20230220T021500Z",
        started="2023-02-20T02:10:00+00:00",
        week=WEEK.label,
        engine="espeak",
        finished="2023-02-20T02:15:00+00:00",
        status=status,
        artifacts=[
            ArtifactRecord(
                a["kind"], a["path"], a["sha256"], a["area"], a["announcement"], a["built"]
            )
            for a in rec.artifacts
        ],
        skipped=[{"announcement": "tiem-chung", "reason": "Thông báo chưa được phê duyệt."}],
        failures=[
            {
                "announcement": "le-hoi",
                "area": "tay-vinh",
                "stage": "speech",
                "error": "Bộ đọc không đọc được đoạn văn bản.",
            }
        ]
        if status != "ok"
        else [],
        stats={"seconds": 12.5, "tts_requests": 0, "tts_cache_hits": 4},
    )
    rec.state.close()
    report.write(root)
    publish_index(root, ISSUER, AREAS, SHOPS)
    return SampleOut(root, WEEK, PAST_WEEK, ISSUER, list(AREAS), list(SHOPS))


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory, media) -> SampleOut:
    return build_sample_out(tmp_path_factory.mktemp("out"), media)
