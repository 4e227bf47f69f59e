"""A podcast feed (RSS 2.0 with enclosures) per area: its programmes and daily bulletins.

A station PC or an IP receiver subscribes once (VLC, gPodder, any podcast client)
and gets each week's files as they are published. The feed lives at one stable
address (`layout.feed_path`); enclosure URLs are relative to it, so the same OUT
works from any host (clients resolve them against the feed's own URL), or
absolute when a public base URL is given.

`feed_xml` is a pure function of its entries: same inputs, same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from dataclasses import dataclass
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from truyenthanh.config import Area, Issuer

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
MAX_ITEMS = 200  # a year of a busy commune; older files stay on the page's archive


def escape(text: str) -> str:
    """XML character data. html.escape, not xml.sax.saxutils: that module imports
    urllib.request and ssl, 35 ms of every build's start."""
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    """An XML attribute value with its double quotes."""
    return f'"{html.escape(text, quote=True)}"'


@dataclass(frozen=True)
class FeedEntry:
    path: str  # relative to OUT
    title: str
    description: str
    day: dt.date  # the first day it may air (programme) or the day it is for (bulletin)
    size: int
    sha256: str
    duration_s: float | None
    emergency: bool = False


def feed_xml(
    area: Area,
    issuer: Issuer,
    feed_rel: str,
    entries: list[FeedEntry],
    page_rel: str = "index.html",
    base_url: str | None = None,
) -> bytes:
    """RSS 2.0: newest first; guid = path + sha256 prefix (a changed file is a new episode)."""
    tz = ZoneInfo(issuer.timezone)
    ordered = sorted(entries, key=lambda e: (e.day, not e.emergency, e.path), reverse=True)[
        :MAX_ITEMS
    ]
    title = f"Đài truyền thanh {area.full_name}"
    link = _url(page_rel, feed_rel, base_url)
    last = max((e.day for e in ordered), default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0" xmlns:itunes="{ITUNES}">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(link)}</link>",
        f"<description>{escape(f'Chương trình và bản tin phát thanh của {area.station} – {issuer.station}')}"
        "</description>",
        "<language>vi</language>",
        "<generator>truyenthanh</generator>",
        f"<itunes:author>{escape(issuer.station)}</itunes:author>",
    ]
    if last is not None:
        lines.append(f"<lastBuildDate>{_rfc822(last, tz)}</lastBuildDate>")
    for e in ordered:
        url = _url(e.path, feed_rel, base_url)
        lines += [
            "<item>",
            f"<title>{escape(('[KHẨN CẤP] ' if e.emergency else '') + e.title)}</title>",
            f"<description>{escape(e.description)}</description>",
            f"<pubDate>{_rfc822(e.day, tz)}</pubDate>",
            f'<guid isPermaLink="false">{escape(e.path)}#{e.sha256[:16]}</guid>',
            f'<enclosure url={quoteattr(url)} length="{e.size}" type="audio/mpeg"/>',
        ]
        if e.duration_s is not None:
            lines.append(f"<itunes:duration>{int(round(e.duration_s))}</itunes:duration>")
        lines.append("</item>")
    lines += ["</channel>", "</rss>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rfc822(day: dt.date, tz: ZoneInfo) -> str:
    return format_datetime(dt.datetime.combine(day, dt.time(0, 0), tz))


def _url(target_rel: str, feed_rel: str, base_url: str | None) -> str:
    from urllib.parse import quote

    if base_url:
        return base_url.rstrip("/") + "/" + quote(target_rel)
    return quote(posixpath.relpath(target_rel, posixpath.dirname(feed_rel) or "."))
