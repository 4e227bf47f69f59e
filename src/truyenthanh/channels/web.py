"""The web portal post: an HTML fragment (semantic, no scripts, no inline styles) and Markdown.

Both carry the full approved text, the validity dates, the audio link, the
hotlines and the link to the full text, ready to paste into the portal's editor.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from truyenthanh.channels.draw import nfc

_ITEM = re.compile(r"^\s*[-–•*+]\s+")


@dataclass(frozen=True)
class WebPost:
    title: str
    body: str  # rendered text: blank-line paragraphs, "- " list items
    issuer: str
    station: str
    valid_from: str  # ISO dates
    valid_until: str
    dates_vi: str
    hotlines: tuple[str, ...]
    audio_url: str | None
    link: str
    summary: str | None = None
    lead: str | None = None


def blocks(body: str) -> list[tuple[str, list[str]]]:
    """("p", [text]) and ("ul", [items]) in order; a hard-wrapped line joins its paragraph."""
    out: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        para: list[str] = []
        for line in lines:
            if _ITEM.match(line):
                if para:
                    out.append(("p", [nfc(" ".join(para))]))
                    para = []
                item = nfc(_ITEM.sub("", line))
                if out and out[-1][0] == "ul" and not para:
                    out[-1][1].append(item)
                else:
                    out.append(("ul", [item]))
            elif out and out[-1][0] == "ul" and not para and line[:1].isspace():
                out[-1][1][-1] += " " + nfc(line)
            else:
                para.append(line)
        if para:
            out.append(("p", [nfc(" ".join(para))]))
    return out


def _tel(number: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", number)


def html_fragment(post: WebPost) -> str:
    e = lambda s: html.escape(nfc(s), quote=True)  # noqa: E731
    out = ['<article class="thong-bao" lang="vi">', "  <header>"]
    if post.lead:
        out.append(f"    <p><strong>{e(post.lead)}</strong></p>")
    out += [
        f"    <h2>{e(post.title)}</h2>",
        f'    <p>{e(post.issuer)} · Hiệu lực từ <time datetime="{post.valid_from}">{e(_vi(post.valid_from))}</time>'
        f' đến <time datetime="{post.valid_until}">{e(_vi(post.valid_until))}</time></p>',
        "  </header>",
    ]
    if post.summary:
        out.append(f"  <p><strong>{e(post.summary)}</strong></p>")
    for kind, items in blocks(post.body):
        if kind == "p":
            out.append(f"  <p>{e(items[0])}</p>")
        else:
            out.append("  <ul>")
            out += [f"    <li>{e(i)}</li>" for i in items]
            out.append("  </ul>")
    if post.audio_url:
        out += [
            "  <figure>",
            f'    <audio controls="controls" preload="none" src="{e(post.audio_url)}"></audio>',
            f'    <figcaption>Nghe bản phát thanh: <a href="{e(post.audio_url)}">tải tệp MP3</a></figcaption>',
            "  </figure>",
        ]
    phones = ", ".join(f'<a href="{_tel(p)}">{e(p)}</a>' for p in post.hotlines)
    out += [
        "  <footer>",
        f"    <p>Đường dây nóng: {phones}</p>",
        f'    <p>Toàn văn: <a href="{e(post.link)}">{e(post.link)}</a></p>',
        f"    <p>{e(post.station)}</p>",
        "  </footer>",
        "</article>",
    ]
    return "\n".join(out) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", nfc(text))


def markdown(post: WebPost) -> str:
    out = []
    if post.lead:
        out += [f"**{_md(post.lead)}**", ""]
    out += [
        f"## {_md(post.title)}",
        "",
        f"*{_md(post.issuer)} · Hiệu lực {_md(post.dates_vi)}*",
        "",
    ]
    if post.summary:
        out += [f"**{_md(post.summary)}**", ""]
    for kind, items in blocks(post.body):
        if kind == "p":
            out += [_md(items[0]), ""]
        else:
            out += [f"- {_md(i)}" for i in items] + [""]
    if post.audio_url:
        out += [f"[Nghe bản phát thanh (MP3)]({post.audio_url})", ""]
    out += [
        f"Đường dây nóng: {', '.join(_md(p) for p in post.hotlines)}  ",
        f"Toàn văn: <{post.link}>  ",
        _md(post.station),
        "",
    ]
    return "\n".join(out)


def _vi(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
