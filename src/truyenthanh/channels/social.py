"""Social cards (1080x1080 and 1080x1350 PNG) and the post text for Zalo OA and Facebook pages.

A card is a digest, like a poster's: title, two or three key facts, hotline, QR
(to the full text) and the issuer. Every block drawn is returned with its lines,
size and place, so what was drawn can be checked against the approved words.

Post text limits used (the smaller wins, so one text fits both):
- Zalo Official Account, text message via the OA API: at most 2,000 characters;
- Facebook page post: at most 63,206 characters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from PIL import Image, ImageDraw

from truyenthanh.channels.draw import (
    DARK_RED,
    GREY,
    INK,
    PAPER,
    RED,
    WHITE,
    YELLOW,
    Block,
    ChannelError,
    draw_block,
    fit_block,
    font,
    nfc,
    phone_block,
    png_bytes,
    qr_image,
    text_length,
    wrap,
)

CARD_SIZES = ((1080, 1080), (1080, 1350))
ZALO_OA_MAX_CHARS = 2000
FACEBOOK_PAGE_MAX_CHARS = 63206
POST_MAX_CHARS = min(ZALO_OA_MAX_CHARS, FACEBOOK_PAGE_MAX_CHARS)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Card:
    title: str
    facts: tuple[str, ...]  # two or three, most important first
    hotlines: tuple[str, ...]
    issuer: str
    station: str
    qr_url: str
    qr_caption: str
    font: str = "BeVietnamPro"
    lead: str | None = None  # "THÔNG BÁO KHẨN"


def _placed(
    role: str, source: str, block: Block, x: float, y: float, width: float, fill, bg, align: str
) -> dict:
    return {
        "role": role,
        "source": source,
        "lines": list(block.lines),
        "size": block.size,
        "font_role": block.role,
        "x": round(x, 2),
        "y": round(y, 2),
        "width": round(width, 2),
        "fill": list(fill),
        "bg": list(bg),
        "align": align,
    }


def render_card(card: Card, w: int, h: int) -> tuple[bytes, dict]:
    """The PNG and the blocks drawn on it."""
    img = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(img)
    m = round(w * 0.06)
    spec = card.font
    drawn: list[dict] = []
    band = round(h * 0.12)
    d.rectangle([0, 0, w, band], fill=RED)
    top = fit_block(
        spec,
        "bold",
        card.issuer.upper(),
        w - 2 * m,
        band * 0.8,
        round(w * 0.034),
        round(w * 0.02),
        max_lines=2,
    )
    if top:
        y = (band - top.height) / 2
        draw_block(img, spec, top, m, y, w - 2 * m, WHITE, "center")
        drawn.append(
            _placed("issuer", card.issuer.upper(), top, m, y, w - 2 * m, WHITE, RED, "center")
        )
    foot = round(h * 0.30)
    y = band + m * 0.7
    if card.lead:
        lead = fit_block(
            spec, "heavy", card.lead, w - 2 * m, h * 0.06, round(w * 0.045), round(w * 0.03), 1
        )
        if lead:
            draw_block(img, spec, lead, m, y, w - 2 * m, RED)
            drawn.append(_placed("lead", card.lead, lead, m, y, w - 2 * m, RED, PAPER, "left"))
            y += lead.height
    room = h - foot - y - m * 0.5
    title = fit_block(
        spec, "heavy", card.title, w - 2 * m, room * 0.45, round(w * 0.075), round(w * 0.04)
    )
    if title is None:
        raise ChannelError(f"Tiêu đề “{card.title[:60]}…” quá dài cho thẻ mạng xã hội {w}×{h}.")
    draw_block(img, spec, title, m, y, w - 2 * m, DARK_RED)
    drawn.append(_placed("title", card.title, title, m, y, w - 2 * m, DARK_RED, PAPER, "left"))
    y += title.height + m * 0.4
    d.rectangle([m, y, m + w * 0.12, y + max(4, w // 200)], fill=YELLOW)
    y += m * 0.5
    facts = _fit_facts(card, spec, w - 2 * m - round(w * 0.04), h - foot - y - m * 0.3)
    for source, block in facts:
        d.ellipse(
            [m, y + block.size * 0.62, m + block.size * 0.32, y + block.size * 0.94], fill=RED
        )
        x = m + round(w * 0.04)
        draw_block(img, spec, block, x, y, w - 2 * m - round(w * 0.04), INK)
        drawn.append(
            _placed("fact", source, block, x, y, w - 2 * m - round(w * 0.04), INK, PAPER, "left")
        )
        y += block.height + block.size * 0.35
    _footer(img, card, w, h, foot, m, drawn)
    meta = {
        "width": w,
        "height": h,
        "blocks": drawn,
        "truncated": any(
            b["role"] == "fact"
            and b["lines"]
            and b["lines"][-1].endswith(ELLIPSIS)
            and not b["source"].endswith(ELLIPSIS)
            for b in drawn
        ),
    }
    return png_bytes(img), meta


def _fit_facts(card: Card, spec: str, width: float, height: float) -> list[tuple[str, Block]]:
    """All facts at the largest common size; at the smallest, the first fact is cut at a word with "…"."""
    high, low = round(width * 0.05), round(width * 0.03)
    for size in range(high, low - 1, -2):
        blocks = [
            Block(tuple(wrap(f, font(spec, "regular", size), width) or ()), size, "regular")
            for f in card.facts
        ]
        if all(b.lines for b in blocks) and sum(b.height + size * 0.35 for b in blocks) <= height:
            return list(zip(card.facts, blocks))
    rest = [
        Block(tuple(wrap(f, font(spec, "regular", low), width) or ()), low, "regular")
        for f in card.facts[1:]
    ]
    left = height - sum(b.height + low * 0.35 for b in rest) - low * 0.35
    lines = wrap(card.facts[0], font(spec, "regular", low), width) or []
    keep = max(1, int(left // (low * 1.38)))
    first = lines[:keep]
    if len(lines) > keep:
        words = first[-1].split(" ")
        while words and text_length(font(spec, "regular", low), " ".join(words) + ELLIPSIS) > width:
            words.pop()
        first[-1] = " ".join(words) + ELLIPSIS
    return [(card.facts[0], Block(tuple(first), low, "regular"))] + list(zip(card.facts[1:], rest))


def _footer(
    img: Image.Image, card: Card, w: int, h: int, foot: int, m: int, drawn: list[dict]
) -> None:
    d = ImageDraw.Draw(img)
    top = h - foot
    d.rectangle([0, top, w, h], fill=WHITE)
    d.rectangle([0, top, w, top + max(3, w // 270)], fill=RED)
    qr_side = round(foot * 0.72)
    qx, qy = w - m - qr_side, top + round(foot * 0.06)
    img.paste(qr_image(card.qr_url, qr_side), (qx, qy))
    cap = fit_block(
        card.font,
        "regular",
        card.qr_caption,
        qr_side + m,
        foot * 0.16,
        round(w * 0.022),
        round(w * 0.014),
        2,
    )
    if cap:
        draw_block(img, card.font, cap, qx - m / 2, qy + qr_side, qr_side + m, GREY, "center")
        drawn.append(
            _placed(
                "qr_caption",
                card.qr_caption,
                cap,
                qx - m / 2,
                qy + qr_side,
                qr_side + m,
                GREY,
                WHITE,
                "center",
            )
        )
    text_w = qx - 2 * m
    y = top + foot * 0.12
    for role, source, face_role, colour, high, low, box in (
        (
            "hotline_label",
            "Đường dây nóng",
            "bold",
            INK,
            round(w * 0.032),
            round(w * 0.02),
            foot * 0.16,
        ),
        (
            "hotline",
            " · ".join(card.hotlines),
            "heavy",
            RED,
            round(w * 0.062),
            round(w * 0.03),
            foot * 0.4,
        ),
        ("station", card.station, "regular", GREY, round(w * 0.026), round(w * 0.016), foot * 0.26),
    ):
        if role == "hotline":
            block = phone_block(card.font, card.hotlines, text_w, box, high, low)
        else:
            block = fit_block(card.font, face_role, source, text_w, box, high, low)
        if block:
            draw_block(img, card.font, block, m, y, text_w, colour)
            drawn.append(_placed(role, source, block, m, y, text_w, colour, WHITE, "left"))
            y += block.height + foot * 0.03


# --- post text ---------------------------------------------------------------------------------


def post_text(
    title: str,
    lead: str | None,
    paragraphs: list[str],
    dates_vi: str,
    hotlines: tuple[str, ...],
    link: str,
    station: str,
    hashtags: tuple[str, ...],
    limit: int = POST_MAX_CHARS,
) -> str:
    """Plain text: title, as many whole paragraphs as fit, the essentials, link, hashtags — within `limit`."""
    head = [nfc(f"{lead.upper()}: {title}" if lead else title.upper()), ""]
    tail = [
        "",
        f"Thời gian: {dates_vi}.",
        f"Đường dây nóng: {', '.join(hotlines)}.",
        f"Xem toàn văn: {link}",
        "",
        nfc(station),
    ]
    if hashtags:
        tail += ["", " ".join(f"#{t}" for t in hashtags)]
    body: list[str] = []
    cut = False
    for para in paragraphs:
        para = nfc(para)
        # a blank line between paragraphs; list items ("• …") stay together under their lead-in
        step = [para] if not body or para.startswith("•") else ["", para]
        if len("\n".join(head + body + step + tail)) > limit:
            cut = True
            break
        body += step
    if cut:
        note = "(Nội dung đầy đủ xem tại đường dẫn bên dưới.)"
        while body and len("\n".join(head + body + ["", note] + tail)) > limit:
            body.pop()
        while body and body[-1] == "":
            body.pop()
        body += ["", note] if body else [note]
    text = "\n".join(head + body + tail) + "\n"
    if len(text) > limit:
        raise ChannelError(
            f"Bài đăng mạng xã hội dài {len(text)} ký tự, quá giới hạn {limit} ký tự ngay cả khi "
            "bỏ phần nội dung: hãy rút ngắn tiêu đề."
        )
    return text


def card_dict(card: Card) -> dict:
    return asdict(card)
