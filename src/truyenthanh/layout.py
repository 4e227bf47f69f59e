"""The output layout: every path under OUT comes from here.

Stages, the bundle, the page and the server ask these functions; nothing else
spells a path under OUT. Paths are relative to OUT, in URL form ("/").
"""

from __future__ import annotations

import datetime as dt

from truyenthanh.domain import PRINT_KINDS
from truyenthanh.weeks import IsoWeek

INDEX = "index.html"
RUNS_DIR = "runs"
STATE_DIR = ".state"
CACHE_DIR = ".cache"
SPEECH_CACHE = f"{CACHE_DIR}/speech"
SEGMENT_CACHE = f"{CACHE_DIR}/segments"
STILL_CACHE = f"{CACHE_DIR}/stills"
AAC_CACHE = f"{CACHE_DIR}/aac"
SPOKEN_CACHE = f"{CACHE_DIR}/spoken"


def week_dir(week: IsoWeek) -> str:
    return week.label


def text_path(week: IsoWeek, announcement: str, area: str) -> str:
    return f"{week.label}/texts/{announcement}/{area}.txt"


def spoken_path(week: IsoWeek, announcement: str, area: str) -> str:
    return f"{week.label}/texts/{announcement}/{area}.spoken.txt"


def programme_path(week: IsoWeek, area: str, announcement: str) -> str:
    return f"{week.label}/audio/{area}/{bundle_programme_name(week, area, announcement)}"


def daily_bulletin_path(week: IsoWeek, area: str, day: dt.date) -> str:
    """One day's bulletin of an area (the items valid that day, one ident, one closing)."""
    return f"{week.label}/audio/{area}/{bundle_daily_bulletin_name(week, area, day)}"


def operator_path(week: IsoWeek, area: str) -> str:
    return f"{week.label}/operator/{bundle_operator_name(week, area)}"


def print_dir(week: IsoWeek, announcement: str) -> str:
    return f"{week.label}/print/{announcement}"


def print_name(
    announcement: str, kind: str, size: str | None, area: str | None, week: str = ""
) -> str:
    """`<announcement>_<week>_<kind word>[-<size>][_<area>].pdf`: unique across a shop's downloads.

    A shop downloads files of many announcements and weeks into one folder, so every
    name carries the announcement, the week, the kind (domain.PRINT_KINDS' ASCII word),
    the size and, for a variant made for one area, the area.
    """
    word = PRINT_KINDS[kind].file_word
    sized = f"{word}-{size}" if size else word
    return download_name(announcement, week, sized, area or "") + ".pdf"


def _print_path(
    week: IsoWeek, announcement: str, kind: str, size: str | None, area: str | None
) -> str:
    return (
        f"{print_dir(week, announcement)}/{print_name(announcement, kind, size, area, week.label)}"
    )


def leaflet_path(week: IsoWeek, announcement: str, area: str | None) -> str:
    return _print_path(week, announcement, "leaflet", None, area)


def poster_path(week: IsoWeek, announcement: str, paper: str, area: str | None) -> str:
    return _print_path(week, announcement, "poster", paper, area)


def banner_path(
    week: IsoWeek, announcement: str, size_label: str, scale: int, area: str | None
) -> str:
    reduced = f"-1to{scale}" if scale != 1 else ""
    return _print_path(week, announcement, "banner", f"{size_label}{reduced}", area)


def order_path(week: IsoWeek, shop: str, fmt: str) -> str:
    return f"{week.label}/print/{download_name(shop, week.label, 'phieu-dat-in')}.{fmt}"


def announcement_page_path(announcement: str) -> str:
    """The announcement's own page (full text, audio, print files), served by the page helper."""
    return f"a/{announcement}.html"


def announcement_page_url(base_url: str, announcement: str) -> str:
    """Public URL of `announcement_page_path` under the project's public base URL."""
    return f"{base_url.rstrip('/')}/{announcement_page_path(announcement)}"


def bundle_path(week: IsoWeek, area: str) -> str:
    return f"{week.label}/bundles/{download_name(area, week.label, 'goi-phat-thanh')}.zip"


def bundle_manifest_path(week: IsoWeek, area: str) -> str:
    """The bundle's manifest published beside the ZIP, for the page."""
    return bundle_path(week, area).removesuffix(".zip") + ".json"


def segment_path(key: str) -> str:
    """An encoded speech segment or sound in the segment cache (content-addressed)."""
    return f"{SEGMENT_CACHE}/{key[:2]}/{key}.seg"


def spoken_cache_path(key: str) -> str:
    """A text's spoken script as the normaliser made it (content-addressed, stages/texts.py)."""
    return f"{SPOKEN_CACHE}/{key[:2]}/{key}.json"


def aac_path(key: str) -> str:
    """A segment encoded to AAC once, for the e-screen soundtracks (content-addressed)."""
    return f"{AAC_CACHE}/{key[:2]}/{key}.aacseg"


def still_path(key: str) -> str:
    """One slide encoded as a GOP of H.264 in the still cache (content-addressed)."""
    return f"{STILL_CACHE}/{key[:2]}/{key}.h264"


FEEDS_DIR = "feeds"


def feed_path(area: str) -> str:
    """An area's podcast feed: one stable address across weeks, for subscribing once."""
    return f"{FEEDS_DIR}/{download_name(area, 'podcast')}.xml"


def run_report_path(run_id: str) -> str:
    return f"{RUNS_DIR}/{run_id}.json"


def latest_report_path() -> str:
    return f"{RUNS_DIR}/latest.json"


def run_log_path(run_id: str) -> str:
    return f"{RUNS_DIR}/{run_id}.log"


def week_of(path: str) -> str | None:
    """The ISO week label a published path belongs to, or None (index, runs, caches)."""
    head = path.split("/", 1)[0]
    try:
        return IsoWeek.parse(head).label
    except ValueError:
        return None


# --- names that survive a download folder -------------------------------------------------
#
# Every file a person downloads (page, feed, bundle members once unzipped) names its area,
# its week or date and what it is, in ASCII, joined by "_":
#     phu-phong_2023-W08_ban-tin_thu-hai-20-02.mp3
# so two files an operator or a shop downloads together never share a name, and a file
# found in a download folder months later still says what it is.

WEEKDAY_SLUGS = ("thu-hai", "thu-ba", "thu-tu", "thu-nam", "thu-sau", "thu-bay", "chu-nhat")


def download_name(*parts: str) -> str:
    return "_".join(p for p in parts if p)


def day_slug(day: dt.date) -> str:
    """2023-02-20 -> "thu-hai-20-02" (weekday and date, as an operator says it)."""
    return f"{WEEKDAY_SLUGS[day.weekday()]}-{day:%d-%m}"


# --- inside a bundle ZIP (flat: members keep their download names once unzipped) ------------


def bundle_programme_name(week: IsoWeek, area: str, announcement: str) -> str:
    return download_name(area, week.label, announcement) + ".mp3"


def bundle_daily_bulletin_name(week: IsoWeek, area: str, day: dt.date) -> str:
    return download_name(area, week.label, "ban-tin", day_slug(day)) + ".mp3"


def bundle_daily_playlist_name(week: IsoWeek, area: str, day: dt.date) -> str:
    return download_name(area, week.label, "danh-sach-phat", day_slug(day)) + ".m3u8"


def bundle_operator_name(week: IsoWeek, area: str) -> str:
    return download_name(area, week.label, "kich-ban-doc") + ".pdf"


def bundle_schedule_name(week: IsoWeek, area: str, ext: str) -> str:
    """The broadcast schedule: ext "csv", "xlsx" or "ics"."""
    return download_name(area, week.label, "lich-phat") + f".{ext}"


def bundle_readme_name(week: IsoWeek, area: str) -> str:
    return download_name(area, week.label, "huong-dan") + ".txt"


# --- the plan's other channels: e-screens, social posts, the web portal -----------------------
#
# `<announcement>_<week>_<what>[_<area>].<ext>` like the print files: an officer downloads
# several announcements' cards and videos into one folder.


def channels_dir(week: IsoWeek, announcement: str) -> str:
    return f"{week.label}/channels/{announcement}"


def _channel_path(week: IsoWeek, announcement: str, what: str, area: str | None, ext: str) -> str:
    name = download_name(announcement, week.label, what, area or "")
    return f"{channels_dir(week, announcement)}/{name}.{ext}"


def screen_video_path(
    week: IsoWeek,
    announcement: str,
    width: int,
    height: int,
    area: str | None,
    silent: bool = False,
) -> str:
    """E-screen video: `…_man-hinh-1920x1080[-khong-tieng][_<area>].mp4` (silent: boards without speakers)."""
    what = f"man-hinh-{width}x{height}" + ("-khong-tieng" if silent else "")
    return _channel_path(week, announcement, what, area, "mp4")


def social_card_path(
    week: IsoWeek, announcement: str, width: int, height: int, area: str | None
) -> str:
    shape = "vuong" if width == height else "doc"
    return _channel_path(week, announcement, f"the-{shape}-{width}x{height}", area, "png")


def post_text_path(week: IsoWeek, announcement: str, area: str | None) -> str:
    return _channel_path(week, announcement, "bai-dang-mxh", area, "txt")


def web_post_path(week: IsoWeek, announcement: str, area: str | None, ext: str) -> str:
    """The portal post: ext "html" (fragment) or "md"."""
    return _channel_path(week, announcement, "bai-cong-thong-tin", area, ext)
