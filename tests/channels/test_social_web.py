"""Social cards, post text and the web portal post."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from lxml import etree, html
from PIL import Image

from tests.channels.conftest import WEEK
from truyenthanh import layout
from truyenthanh.channels.draw import Block, draw_block
from truyenthanh.channels.social import (
    FACEBOOK_PAGE_MAX_CHARS,
    POST_MAX_CHARS,
    ZALO_OA_MAX_CHARS,
    post_text,
)
from truyenthanh.weeks import IsoWeek

W = IsoWeek.parse(WEEK)
HOTLINE = "0269 3880 111"
LINK = "https://dichvucong.gov.vn"


def _art(report: dict, path: str) -> dict:
    return next(a for a in report["artifacts"] if a["path"] == path)


@pytest.mark.parametrize("size", [(1080, 1080), (1080, 1350)])
def test_cards_have_the_exact_size(built, size):
    _, out, report = built
    path = layout.social_card_path(W, "dich-vu-cong", *size, None)
    assert _art(report, path)["kind"] == "social_card"
    with Image.open(out / path) as img:
        assert img.size == size and img.format == "PNG"


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).replace("·", " ").split()


def _strip_marks(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def _crop_diff(card: Image.Image, block: dict, lines: tuple[str, ...]) -> int:
    """Draw `lines` as the card says it drew them on a blank of the block's ground; compare the crop."""
    blank = Image.new("RGB", card.size, tuple(block["bg"]))
    b = Block(lines, block["size"], block["font_role"])
    draw_block(
        blank,
        "BeVietnamPro",
        b,
        block["x"],
        block["y"],
        block["width"],
        tuple(block["fill"]),
        block["align"],
    )
    box = (
        int(block["x"]),
        int(block["y"]),
        int(block["x"] + block["width"]),
        int(block["y"] + b.height),
    )
    got = np.asarray(card.crop(box), dtype=np.int16)
    want = np.asarray(blank.crop(box), dtype=np.int16)
    return int((np.abs(got - want).max(axis=2) > 60).sum())  # pixels that clearly differ


@pytest.mark.parametrize("size", [(1080, 1080), (1080, 1350)])
def test_card_text_is_the_approved_words_with_every_diacritic(built, size):
    _, out, report = built
    path = layout.social_card_path(W, "dich-vu-cong", *size, None)
    meta = _art(report, path)
    card = Image.open(out / path).convert("RGB")
    roles = {b["role"] for b in meta["blocks"]}
    assert {"title", "fact", "hotline", "station", "issuer"} <= roles
    assert sum(b["role"] == "fact" for b in meta["blocks"]) in (2, 3)
    for block in meta["blocks"]:
        drawn = " ".join(block["lines"])
        assert drawn == unicodedata.normalize("NFC", drawn)
        if block["lines"][-1].endswith("…") and not block["source"].endswith("…"):
            assert (
                _words(block["source"])[: len(_words(drawn)) - 1] == _words(drawn)[:-1]
            )  # a cut digest
        else:
            assert _words(drawn) == _words(block["source"]), block["role"]
        # The pixels are those lines: re-drawing them matches; without diacritics it does not.
        same = _crop_diff(card, block, tuple(block["lines"]))
        bare = tuple(_strip_marks(line) for line in block["lines"])
        assert same == 0, (block["role"], same)
        if bare != tuple(block["lines"]):  # every mark is tens of pixels: dropping them shows
            assert _crop_diff(card, block, bare) > 40, block["role"]
    title = next(b for b in meta["blocks"] if b["role"] == "title")
    assert " ".join(title["lines"]) == "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở"
    hot = next(b for b in meta["blocks"] if b["role"] == "hotline")
    assert HOTLINE in hot["lines"]  # one number never split across lines


def test_post_text_is_within_the_limits_and_has_the_hotline_and_the_link(built):
    _, out, _ = built
    text = (out / layout.post_text_path(W, "dich-vu-cong", None)).read_text(encoding="utf-8")
    assert len(text) <= ZALO_OA_MAX_CHARS and len(text) <= FACEBOOK_PAGE_MAX_CHARS
    assert HOTLINE in text and LINK in text
    assert text == unicodedata.normalize("NFC", text)
    assert "#CaiCachHanhChinh" in text
    assert "Kết quả được trả ngay trên điện thoại." in text  # the body, not only the title
    assert "<" not in text and "**" not in text  # plain text


def test_a_long_body_is_cut_at_a_paragraph_and_keeps_the_essentials():
    paragraphs = [
        f"Đoạn thứ {i}: " + " ".join(["nội dung dài của thông báo"] * 12) for i in range(40)
    ]
    text = post_text(
        "Tiêu đề",
        None,
        paragraphs,
        "từ 01/02/2023 đến 31/03/2023",
        (HOTLINE,),
        LINK,
        "Đài truyền thanh xã",
        ("CaiCachHanhChinh",),
    )
    assert len(text) <= POST_MAX_CHARS
    assert HOTLINE in text and LINK in text and "Nội dung đầy đủ xem tại đường dẫn" in text
    kept = [p for p in paragraphs if p in text]
    assert kept == paragraphs[: len(kept)] and 0 < len(kept) < len(
        paragraphs
    )  # whole paragraphs, in order


def test_web_fragment_parses_has_no_script_and_carries_the_whole_text(built):
    _, out, _ = built
    source = (out / layout.web_post_path(W, "dich-vu-cong", None, "html")).read_text(
        encoding="utf-8"
    )
    # A strict parse first: the fragment is well-formed markup, not tag soup a browser repairs.
    root = etree.fromstring(source.encode("utf-8"), etree.XMLParser())
    assert root.tag == "article"
    doc = html.fragment_fromstring(source)
    assert not doc.xpath("//script | //style | //iframe")
    assert not [
        a for el in doc.iter() for a in el.attrib if a.lower().startswith("on") or a == "style"
    ]
    assert not [
        el for el in doc.xpath("//a") if el.get("href", "").lower().startswith("javascript:")
    ]
    assert (
        doc.xpath("//h2")[0].text_content()
        == "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở"
    )
    assert len(doc.xpath("//ul/li")) == 2
    text = " ".join(doc.text_content().split())
    assert "Cán bộ sẽ giúp bà con đăng ký tài khoản và nộp thử một hồ sơ." in text
    audio = doc.xpath("//audio/@src")[0]
    assert (
        audio.endswith(".mp3") and (out / audio).is_file()
    )  # relative to OUT without a public address
    assert doc.xpath("//a[starts-with(@href, 'tel:')]/@href") == ["tel:02693880111"]
    assert doc.xpath("//time/@datetime") == ["2023-02-01", "2023-03-31"]


def test_markdown_has_the_title_text_and_audio_link(built):
    _, out, report = built
    path = layout.web_post_path(W, "dich-vu-cong", None, "md")
    md = (out / path).read_text(encoding="utf-8")
    assert md.startswith(
        "**Thông báo quan trọng**\n\n## Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở"
    )
    assert "- Nhận kết quả tại nhà qua bưu điện." in md
    assert "[Nghe bản phát thanh (MP3)](2023-W08/audio/" in md
    assert (
        "relative" not in _art(report, path).get("note", "")
        and "đường dẫn tương đối" in _art(report, path)["note"]
    )
    assert any(path in n for n in report["notes"])  # the officer is told the link is relative


def test_a_public_address_makes_the_audio_link_absolute(tmp_path, monkeypatch):
    from tests.buildutil import build
    from tests.channels.conftest import write_project

    monkeypatch.setenv("TRUYENTHANH_SITE_URL", "https://tt.example.vn/")
    project = write_project(tmp_path / "p")
    yaml = project / "truyenthanh.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(
            "screens: true", "screens: false\n  social: false"
        ),
        encoding="utf-8",
    )
    code, report, output = build(project, tmp_path / "out")
    assert code == 0, output
    kinds = {a["kind"] for a in report["artifacts"]}
    assert "web_post" in kinds and not kinds & {"screen_video", "social_card", "post_text"}
    md = (tmp_path / "out" / layout.web_post_path(W, "dich-vu-cong", None, "md")).read_text(
        encoding="utf-8"
    )
    assert "(https://tt.example.vn/2023-W08/audio/thon-1/thon-1_2023-W08_dich-vu-cong.mp3)" in md
