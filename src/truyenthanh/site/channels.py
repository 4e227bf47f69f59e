"""The page's "Màn hình & mạng xã hội" section: per announcement, previews and downloads of the
e-screen videos, social cards, post text and portal post — read from the build records."""

from __future__ import annotations

from dataclasses import dataclass

from truyenthanh.weeks import IsoWeek

KINDS = ("screen_video", "social_card", "post_text", "web_post")
_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class ChannelFile:
    href: str
    name: str
    kind: str
    label: str  # "Video màn hình 1920×1080 (có tiếng)"
    size: int
    area: str | None


@dataclass(frozen=True)
class ChannelAnnouncement:
    id: str
    title: str
    thumbnail: str | None  # the square card
    video: str | None  # the video with sound, for an in-page preview
    files: tuple[ChannelFile, ...]  # for everywhere
    by_area: tuple[
        tuple[str, tuple[ChannelFile, ...]], ...
    ]  # (area name, files) where the text is per area


@dataclass(frozen=True)
class ChannelWeek:
    week: IsoWeek
    announcements: tuple[ChannelAnnouncement, ...]


def label(kind: str, meta: dict) -> str:
    if kind == "screen_video":
        sound = "không tiếng, cho bảng không loa" if meta.get("silent") else "có tiếng"
        return f"Video màn hình {meta.get('width')}×{meta.get('height')} ({sound})"
    if kind == "social_card":
        w, h = meta.get("width"), meta.get("height")
        return f"Thẻ {'vuông' if w == h else 'dọc'} {w}×{h} (PNG)"
    if kind == "post_text":
        return "Bài đăng Zalo, Facebook (văn bản)"
    return (
        "Bài cổng thông tin (HTML)"
        if meta.get("format") == "html"
        else "Bài cổng thông tin (Markdown)"
    )


def channel_week(files: list, titles: dict, area_names: dict) -> ChannelWeek | None:
    """The newest week with channel files, per announcement (`files`: catalog.Published)."""
    mine = [f for f in files if f.kind in KINDS and f.week]
    if not mine:
        return None
    week = max(IsoWeek.parse(f.week) for f in mine)
    current = [f for f in mine if f.week == week.label]
    out = []
    for ann in sorted({f.announcement or "" for f in current}):
        own = sorted(
            (f for f in current if f.announcement == ann),
            key=lambda f: (f.area or "", _ORDER[f.kind], f.path),
        )
        views = [
            ChannelFile(
                f.path, f.path.rsplit("/", 1)[-1], f.kind, label(f.kind, f.meta), f.size, f.area
            )
            for f in own
        ]
        shared = tuple(v for v in views if v.area is None)
        order = {
            a: i for i, a in enumerate(area_names)
        }  # the project's order, as everywhere on the page
        areas = sorted(
            {v.area for v in views if v.area}, key=lambda a: (order.get(a, len(order)), a)
        )
        by_area = tuple(
            (area_names.get(a, a), tuple(v for v in views if v.area == a)) for a in areas
        )
        first = shared or (by_area[0][1] if by_area else ())
        thumb = next(
            (v.href for v in first if v.kind == "social_card" and "the-vuong" in v.name), None
        )
        video = next(
            (
                f.path
                for f in own
                if f.kind == "screen_video"
                and not f.meta.get("silent")
                and (f.area is None or not shared)
            ),
            None,
        )
        out.append(
            ChannelAnnouncement(
                ann, titles.get(ann) or _card_title(own) or ann, thumb, video, shared, by_area
            )
        )
    return ChannelWeek(week, tuple(out))


def _card_title(files: list) -> str | None:
    for f in files:
        for block in f.meta.get("blocks") or []:
            if isinstance(block, dict) and block.get("role") == "title":
                return str(block.get("source"))
    return None
