"""The output layout: every path under OUT comes from here.

Stages, the bundle, the page and the server ask these functions; nothing else
spells a path under OUT. Paths are relative to OUT, in URL form ("/").
"""

from __future__ import annotations

from truyenthanh.domain import PRINT_KINDS
from truyenthanh.weeks import IsoWeek

INDEX = "index.html"
RUNS_DIR = "runs"
STATE_DIR = ".state"
CACHE_DIR = ".cache"
SPEECH_CACHE = f"{CACHE_DIR}/speech"
SEGMENT_CACHE = f"{CACHE_DIR}/segments"


def week_dir(week: IsoWeek) -> str:
    return week.label


def text_path(week: IsoWeek, announcement: str, area: str) -> str:
    return f"{week.label}/texts/{announcement}/{area}.txt"


def spoken_path(week: IsoWeek, announcement: str, area: str) -> str:
    return f"{week.label}/texts/{announcement}/{area}.spoken.txt"


def programme_path(week: IsoWeek, area: str, announcement: str) -> str:
    return f"{week.label}/audio/{area}/{announcement}.mp3"


def bulletin_path(week: IsoWeek, area: str) -> str:
    return f"{week.label}/audio/{area}/bulletin.mp3"


def operator_path(week: IsoWeek, area: str) -> str:
    return f"{week.label}/operator/{area}.pdf"


def print_dir(week: IsoWeek, announcement: str) -> str:
    return f"{week.label}/print/{announcement}"


def _print_name(announcement: str, kind: str, size: str | None, area: str | None) -> str:
    """`<announcement>_<kind word>[-<size>][_<area>].pdf`: unique across a shop's whole download set.

    A shop downloads files of many announcements into one folder, so every name
    carries the announcement, the kind (domain.PRINT_KINDS' ASCII word), the size
    and, for a variant made for one area, the area.
    """
    word = PRINT_KINDS[kind].file_word
    sized = f"{word}-{size}" if size else word
    return f"{announcement}_{sized}{f'_{area}' if area else ''}.pdf"


def leaflet_name(announcement: str, area: str | None) -> str:
    return _print_name(announcement, "leaflet", None, area)


def poster_name(announcement: str, paper: str, area: str | None) -> str:
    return _print_name(announcement, "poster", paper, area)


def banner_name(announcement: str, size_label: str, scale: int, area: str | None) -> str:
    reduced = f"-1to{scale}" if scale != 1 else ""
    return _print_name(announcement, "banner", f"{size_label}{reduced}", area)


def leaflet_path(week: IsoWeek, announcement: str, area: str | None) -> str:
    return f"{print_dir(week, announcement)}/{leaflet_name(announcement, area)}"


def poster_path(week: IsoWeek, announcement: str, paper: str, area: str | None) -> str:
    return f"{print_dir(week, announcement)}/{poster_name(announcement, paper, area)}"


def banner_path(week: IsoWeek, announcement: str, size_label: str, scale: int, area: str | None) -> str:
    return f"{print_dir(week, announcement)}/{banner_name(announcement, size_label, scale, area)}"


def order_path(week: IsoWeek, shop: str, fmt: str) -> str:
    return f"{week.label}/print/order-{shop}.{fmt}"


def announcement_page_path(announcement: str) -> str:
    """The announcement's own page (full text, audio, print files), served by the page helper."""
    return f"a/{announcement}.html"


def announcement_page_url(base_url: str, announcement: str) -> str:
    """Public URL of `announcement_page_path` under the project's public base URL."""
    return f"{base_url.rstrip('/')}/{announcement_page_path(announcement)}"


def bundle_path(week: IsoWeek, area: str) -> str:
    return f"{week.label}/bundles/{area}-{week.label}.zip"


def bundle_manifest_path(week: IsoWeek, area: str) -> str:
    """The bundle's manifest published beside the ZIP, for the page."""
    return bundle_path(week, area).removesuffix(".zip") + ".json"


def segment_path(key: str) -> str:
    """An encoded speech segment or sound in the segment cache (content-addressed)."""
    return f"{SEGMENT_CACHE}/{key[:2]}/{key}.seg"


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


# --- inside a bundle ZIP ---------------------------------------------------------------------


def bundle_programme_name(announcement: str) -> str:
    return f"{announcement}.mp3"


def bundle_bulletin_name(week: IsoWeek) -> str:
    return f"ban-tin-{week.label}.mp3"


def bundle_operator_name(week: IsoWeek) -> str:
    return f"kich-ban-doc-{week.label}.pdf"
