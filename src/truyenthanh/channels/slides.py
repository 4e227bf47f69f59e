"""E-screen slides (Pillow): the title, the body in pages, then hotline and QR.

Sizes are relative to the screen, so the same deck renders on a 1920x1080 board,
a 1280x720 LED panel or a portrait 1080x1920 kiosk. Body text is large (about
5.6 % of the short side: ~60 px on a 1080-line screen, readable across a
one-stop-shop hall) and a page never splits a sentence unless the sentence alone
is longer than a page.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from PIL import Image, ImageDraw

from truyenthanh.channels.draw import (
    DARK_RED,
    GREY,
    INK,
    LEADING,
    PAPER,
    RED,
    WHITE,
    YELLOW,
    Block,
    ChannelError,
    draw_block,
    fit_block,
    font,
    phone_block,
    qr_image,
    wrap,
)


@dataclass(frozen=True)
class Deck:
    """Everything the slides show, in written (approved) form, NFC."""

    title: str
    paragraphs: tuple[
        tuple[str, ...], ...
    ]  # written sentences per paragraph (timeline.written_paragraphs)
    issuer: str
    station: str
    hotlines: tuple[str, ...]
    qr_url: str
    qr_caption: str
    dates_vi: str  # "Từ 20/02/2023 đến 30/06/2023"
    category: str = ""
    area_label: str | None = None  # "xã Bình Hòa" for a per-area deck
    font: str = "BeVietnamPro"
    lead: str | None = None  # "Thông báo khẩn" for emergencies


@dataclass(frozen=True)
class Piece:
    para: int
    sentence: int
    text: str


@dataclass(frozen=True)
class Page:
    pieces: tuple[Piece, ...]
    blocks: tuple[tuple[str, ...], ...]  # lines per paragraph on this page


@dataclass(frozen=True)
class Geometry:
    w: int
    h: int

    @property
    def short(self) -> int:
        return min(self.w, self.h)

    @property
    def margin(self) -> int:
        return round(self.short * 0.06)

    @property
    def band(self) -> int:  # the title band on body slides
        return round(self.short * 0.16)

    @property
    def footer(self) -> int:
        return round(self.short * 0.085)

    @property
    def body_size(self) -> int:
        return round(self.short * 0.056)

    @property
    def body_box(self) -> tuple[int, int, int, int]:
        top = self.band + round(self.margin * 0.8)
        bottom = self.h - self.footer - round(self.margin * 0.6)
        return self.margin, top, self.w - 2 * self.margin, bottom - top


PARA_GAP = 0.45  # blank space between paragraphs on one page, in lines


@functools.lru_cache(maxsize=32)
def paginate(deck: Deck, w: int, h: int) -> tuple[Page, ...]:
    """The body in pages that fit the body box, whole sentences where possible."""
    g = Geometry(w, h)
    _, _, bw, bh = g.body_box
    face = font(deck.font, "regular", g.body_size)
    pitch = g.body_size * LEADING
    pieces = _pieces(deck, face, bw, int(bh // pitch))
    pages: list[Page] = []
    current: list[Piece] = []
    for piece in pieces:
        trial = current + [piece]
        if current and _height(trial, face, bw, pitch) > bh:
            pages.append(_page(current, face, bw))
            current = [piece]
        else:
            current = trial
    if current:
        pages.append(_page(current, face, bw))
    return tuple(pages)


def _pieces(deck: Deck, face, width: float, max_lines: int) -> list[Piece]:
    out = []
    for p, sentences in enumerate(deck.paragraphs):
        for s, sentence in enumerate(sentences):
            lines = wrap(sentence, face, width)
            if lines is None:
                raise ChannelError(f"Có một từ quá dài để hiện trên màn hình: “{sentence[:60]}…”.")
            for k in range(
                0, len(lines), max_lines
            ):  # a sentence longer than a page: cut between lines
                out.append(Piece(p, s, " ".join(lines[k : k + max_lines])))
    return out


def _grouped(pieces: list[Piece]) -> list[str]:
    texts: list[str] = []
    last = None
    for piece in pieces:
        if piece.para == last:
            texts[-1] += " " + piece.text
        else:
            texts.append(piece.text)
        last = piece.para
    return texts


def _height(pieces: list[Piece], face, width: float, pitch: float) -> float:
    blocks = [wrap(t, face, width) or [] for t in _grouped(pieces)]
    return sum(len(b) for b in blocks) * pitch + (len(blocks) - 1) * PARA_GAP * pitch


def _page(pieces: list[Piece], face, width: float) -> Page:
    return Page(tuple(pieces), tuple(tuple(wrap(t, face, width) or ()) for t in _grouped(pieces)))


# --- rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideView:
    """Exactly what one slide draws: the deck with every field this kind of slide does not show
    left blank, and for a body slide its page. Rendering reads nothing else, so two views that
    are equal draw the same pixels: a video's picture is encoded once per distinct view and
    shared by every video, area and week that shows it (a per-area notice differs on its title
    slide and the page naming the commune, not on the others)."""

    deck: Deck
    w: int
    h: int
    slide: str | int  # "title" | "closing" | page index
    page: Page | None = None
    count: int = 0  # pages in the deck (the "2/5" mark)


# What each kind of slide does not draw (see _title, _chrome, _body, _closing).
_UNSHOWN: dict[str, dict] = {
    "title": dict(paragraphs=(), hotlines=(), qr_url="", qr_caption=""),
    "closing": dict(
        paragraphs=(), station="", dates_vi="", category="", area_label=None, lead=None
    ),
    "page": dict(
        paragraphs=(),
        issuer="",
        station="",
        qr_url="",
        qr_caption="",
        dates_vi="",
        category="",
        area_label=None,
        lead=None,
    ),
}


def slide_view(deck: Deck, w: int, h: int, slide: str | int) -> SlideView:
    if slide in ("title", "closing"):
        return SlideView(dataclasses.replace(deck, **_UNSHOWN[str(slide)]), w, h, slide)
    pages = paginate(deck, w, h)
    index = int(slide)
    return SlideView(
        dataclasses.replace(deck, **_UNSHOWN["page"]), w, h, index, pages[index], len(pages)
    )


def deck_views(deck: Deck, w: int, h: int) -> list[SlideView]:
    """Every slide a video of this deck at w x h can show, in order: title, pages, closing."""
    count = len(paginate(deck, w, h))
    return [slide_view(deck, w, h, slide) for slide in ("title", *range(count), "closing")]


def render(deck: Deck, w: int, h: int, slide: str | int) -> Image.Image:
    """Slide "title", "closing", or the body page with that index."""
    return render_view(slide_view(deck, w, h, slide))


def render_view(view: SlideView) -> Image.Image:
    g = Geometry(view.w, view.h)
    if view.slide == "title":
        return _title(view.deck, g)
    if view.slide == "closing":
        return _closing(view.deck, g)
    if view.page is None:
        raise ChannelError(f"Trang chiếu {view.slide} không có nội dung.")
    return _body(view.deck, g, view.page, int(view.slide), view.count)


def _title(deck: Deck, g: Geometry) -> Image.Image:
    img = Image.new("RGB", (g.w, g.h), RED)
    m = g.margin
    spec = deck.font
    top = fit_block(
        spec,
        "bold",
        deck.issuer.upper(),
        g.w - 2 * m,
        g.short * 0.14,
        round(g.short * 0.04),
        round(g.short * 0.022),
        max_lines=2,
    )
    y = m
    if top:
        y = draw_block(img, spec, top, m, y, g.w - 2 * m, WHITE, "center")
    ImageDraw.Draw(img).rectangle(
        [
            g.w / 2 - g.short * 0.08,
            y + m * 0.4,
            g.w / 2 + g.short * 0.08,
            y + m * 0.4 + max(3, g.short // 160),
        ],
        fill=YELLOW,
    )
    y += m
    lead = None
    if deck.lead:
        lead = fit_block(
            spec,
            "heavy",
            deck.lead.upper(),
            g.w - 2 * m,
            g.short * 0.1,
            round(g.short * 0.06),
            round(g.short * 0.03),
            max_lines=1,
        )
    facts = " · ".join(x for x in (deck.category, deck.dates_vi, deck.area_label) if x)
    foot = fit_block(
        spec,
        "regular",
        facts,
        g.w - 2 * m,
        g.short * 0.1,
        round(g.short * 0.038),
        round(g.short * 0.02),
    )
    station = fit_block(
        spec,
        "bold",
        deck.station,
        g.w - 2 * m,
        g.short * 0.1,
        round(g.short * 0.034),
        round(g.short * 0.018),
    )
    foot_h = (foot.height if foot else 0) + (station.height + g.short * 0.01 if station else 0)
    lead_h = lead.height if lead else 0
    box_h = (
        g.h - y - foot_h - 1.5 * m - lead_h
    )  # the footer sits on the bottom margin, by its real height
    title = fit_block(
        spec, "heavy", deck.title, g.w - 2 * m, box_h, round(g.short * 0.11), round(g.short * 0.035)
    )
    if title is None:
        raise ChannelError(
            f"Tiêu đề “{deck.title[:60]}…” quá dài để hiện trên màn hình {g.w}×{g.h}."
        )
    y += max(
        0.0, (box_h - title.height) / 2
    )  # lead + title centred between the rule and the footer
    if lead:
        y = draw_block(img, spec, lead, m, y, g.w - 2 * m, WHITE, "center")
    draw_block(img, spec, title, m, y, g.w - 2 * m, YELLOW, "center")
    y = g.h - m - foot_h
    if foot:
        y = draw_block(img, spec, foot, m, y, g.w - 2 * m, WHITE, "center")
    if station:
        draw_block(img, spec, station, m, y + g.short * 0.01, g.w - 2 * m, WHITE, "center")
    return img


def _chrome(deck: Deck, g: Geometry) -> Image.Image:
    """Paper, the title band and the footer band shared by body slides."""
    img = Image.new("RGB", (g.w, g.h), PAPER)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, g.w, g.band], fill=RED)
    d.rectangle([0, g.h - g.footer, g.w, g.h], fill=DARK_RED)
    m = g.margin
    band = fit_block(
        deck.font,
        "bold",
        deck.title,
        g.w - 2 * m,
        g.band * 0.86,
        round(g.short * 0.05),
        round(g.short * 0.022),
        max_lines=2,
    )
    if band:
        draw_block(img, deck.font, band, m, (g.band - band.height) / 2, g.w - 2 * m, YELLOW)
    hot = "Đường dây nóng: " + " · ".join(deck.hotlines)
    foot = fit_block(
        deck.font,
        "bold",
        hot,
        g.w - 2 * m,
        g.footer * 0.9,
        round(g.footer * 0.42),
        round(g.footer * 0.2),
        max_lines=1,
    )
    if foot:
        draw_block(
            img,
            deck.font,
            foot,
            m,
            g.h - g.footer + (g.footer - foot.height) / 2,
            g.w - 2 * m,
            WHITE,
        )
    return img


def _body(deck: Deck, g: Geometry, page: Page, index: int, count: int) -> Image.Image:
    img = _chrome(deck, g)
    x, y, bw, bh = g.body_box
    pitch = g.body_size * LEADING
    blocks = [Block(lines, g.body_size, "regular") for lines in page.blocks]
    total = sum(b.height for b in blocks) + (len(blocks) - 1) * PARA_GAP * pitch
    y += (
        max(0.0, (bh - total) / 2) * 0.5
    )  # a short page sits a little below the band, not floating mid-screen
    for b in blocks:
        y = draw_block(img, deck.font, b, x, y, bw, INK) + PARA_GAP * pitch
    if count > 1:  # "2/5": how far along the reading is, for someone who just looked up
        mark = f"{index + 1}/{count}"
        face = font(deck.font, "regular", max(12, round(g.footer * 0.34)))
        ImageDraw.Draw(img).text(
            (g.w - g.margin, g.h - g.footer / 2), mark, font=face, fill=(255, 210, 210), anchor="rm"
        )
    return img


def _closing(deck: Deck, g: Geometry) -> Image.Image:
    img = _chrome(deck, g)
    m = g.margin
    _, top, _, bh = g.body_box
    landscape = g.w >= g.h
    qr_side = round(min(bh * 0.86, g.short * 0.5)) if landscape else round(g.w * 0.5)
    text_w = (g.w - 3 * m - qr_side) if landscape else g.w - 2 * m
    spec = deck.font
    label = Block(("Mọi thắc mắc, xin gọi đường dây nóng:",), round(g.short * 0.045), "bold")
    label = fit_block(
        spec, "bold", label.lines[0], text_w, g.short * 0.15, label.size, round(g.short * 0.025)
    )
    phones = phone_block(
        spec, deck.hotlines, text_w, g.short * 0.3, round(g.short * 0.1), round(g.short * 0.04)
    )
    where = fit_block(
        spec,
        "regular",
        deck.issuer,
        text_w,
        g.short * 0.16,
        round(g.short * 0.04),
        round(g.short * 0.02),
    )
    blocks = [b for b in (label, phones, where) if b]
    text_h = sum(b.height + g.short * 0.02 for b in blocks)
    if landscape:
        y = top + bh * 0.08
    else:  # text, then the code below it, the whole group centred on the screen
        y = top + max(0.0, (bh - text_h - g.short * 0.04 - qr_side - g.short * 0.08) / 2)
    for block, colour in ((label, INK), (phones, RED), (where, GREY)):
        if block:
            y = draw_block(img, spec, block, m, y, text_w, colour) + g.short * 0.02
    qr = qr_image(deck.qr_url, qr_side)
    if landscape:
        qx, qy = g.w - m - qr_side, top + round((bh - qr_side - g.short * 0.06) / 2)
    else:
        qx, qy = (g.w - qr_side) // 2, round(y + g.short * 0.04)
    img.paste(qr, (qx, qy))
    cap = fit_block(
        spec,
        "regular",
        deck.qr_caption,
        qr_side + 2 * m,
        g.short * 0.08,
        round(g.short * 0.03),
        round(g.short * 0.018),
        max_lines=2,
    )
    if cap:
        draw_block(
            img, spec, cap, qx - m, qy + qr_side + g.short * 0.005, qr_side + 2 * m, INK, "center"
        )
    return img
