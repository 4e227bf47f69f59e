"""What each channel shows, taken from the approved, rendered text and the project settings.

One place decides the title, the lead, the dates, the QR target, the key facts
and the links, so the screens, cards and posts of one announcement never disagree.
"""

from __future__ import annotations

import os

from truyenthanh import layout
from truyenthanh.channels.draw import nfc
from truyenthanh.channels.slides import Deck
from truyenthanh.channels.social import Card
from truyenthanh.channels.timeline import written_paragraphs
from truyenthanh.channels.web import WebPost
from truyenthanh.config import Area, ProjectConfig
from truyenthanh.render import RenderedText

SITE_URL_ENV = "TRUYENTHANH_SITE_URL"  # the public address of OUT (also used by the feeds)
LEADS = {"emergency": "Thông báo khẩn", "priority": "Thông báo quan trọng"}


def dates_vi(text: RenderedText) -> str:
    return f"từ {text.valid_from:%d/%m/%Y} đến {text.valid_until:%d/%m/%Y}"


def qr(text: RenderedText, cfg: ProjectConfig) -> tuple[str, str]:
    """The print rule (`printing.qr.qr_target`): own page, else the announcement's url, else the portal."""
    from truyenthanh.printing.qr import qr_target

    target = qr_target(text, cfg.issuer, cfg.print)
    return target.url, target.caption_vi


def deck(text: RenderedText, cfg: ProjectConfig, area: Area | None) -> Deck:
    url, caption = qr(text, cfg)
    return Deck(
        title=nfc(text.title),
        paragraphs=written_paragraphs(text.body),
        issuer=nfc(cfg.issuer.name),
        station=nfc(cfg.issuer.station),
        hotlines=tuple(cfg.issuer.hotlines),
        qr_url=url,
        qr_caption=caption,
        dates_vi=dates_vi(text)[:1].upper() + dates_vi(text)[1:],
        category=nfc(text.category),
        area_label=area.full_name if area else None,
        font=cfg.print.font,
        lead=LEADS.get(text.priority),
    )


def key_facts(text: RenderedText, cfg: ProjectConfig) -> tuple[str, ...]:
    """Two or three: the summary (or the body's first sentence), the dates, then a slogan or where to go."""
    first = nfc(text.summary) if text.summary else written_paragraphs(text.body)[0][0].lstrip("• ")
    third = (
        nfc(text.slogans[0].replace(" | ", " "))
        if text.slogans
        else f"Nơi tiếp nhận: {nfc(cfg.issuer.one_stop_address)}"
    )
    return (first, f"Thời gian: {dates_vi(text)}", third)


def card(text: RenderedText, cfg: ProjectConfig) -> Card:
    url, caption = qr(text, cfg)
    lead = LEADS.get(text.priority)
    return Card(
        title=nfc(text.title),
        facts=key_facts(text, cfg),
        hotlines=tuple(cfg.issuer.hotlines),
        issuer=nfc(cfg.issuer.name),
        station=nfc(cfg.issuer.station),
        qr_url=url,
        qr_caption=caption,
        font=cfg.print.font,
        lead=lead.upper() if lead else None,
    )


def public_base(cfg: ProjectConfig) -> str | None:
    base = cfg.print.public_base_url or os.environ.get(SITE_URL_ENV) or None
    return base.rstrip("/") if base else None


def audio_link(cfg: ProjectConfig, programme_path: str | None) -> tuple[str | None, bool]:
    """(link to the programme MP3, absolute?) — relative to OUT when no public address is set."""
    if programme_path is None:
        return None, True
    base = public_base(cfg)
    return (f"{base}/{programme_path}", True) if base else (programme_path, False)


def web_post(text: RenderedText, cfg: ProjectConfig, audio: str | None) -> WebPost:
    url, _ = qr(text, cfg)
    return WebPost(
        title=nfc(text.title),
        body=text.body,
        issuer=nfc(cfg.issuer.name),
        station=nfc(cfg.issuer.station),
        valid_from=text.valid_from.isoformat(),
        valid_until=text.valid_until.isoformat(),
        dates_vi=dates_vi(text),
        hotlines=tuple(cfg.issuer.hotlines),
        audio_url=audio,
        link=url,
        summary=nfc(text.summary) if text.summary else None,
        lead=LEADS.get(text.priority),
    )


def programme_for(
    week, ann_id: str, group: list[RenderedText], records
) -> tuple[str | None, str | None]:
    """(area, programme path) of the first area in `group` whose programme was published this run."""
    for text in group:
        if text.area_id is None:
            continue
        path = layout.programme_path(week, text.area_id, ann_id)
        if path in records:
            return text.area_id, path
    return None, None
