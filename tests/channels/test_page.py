"""The download page's "Màn hình & mạng xã hội" section."""

from __future__ import annotations

from urllib.parse import unquote

from lxml import html

CHANNEL_KINDS = {"screen_video", "social_card", "post_text", "web_post"}


def test_page_offers_every_channel_file_with_previews(built):
    _, out, report = built
    doc = html.fromstring((out / "index.html").read_bytes())
    section = doc.get_element_by_id("man-hinh")
    assert section.xpath("./h2")[0].text_content() == "Màn hình & mạng xã hội"
    shared = section.get_element_by_id("mh-dich-vu-cong")
    assert (
        shared.xpath(".//h3")[0].text_content()
        == "Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở"
    )
    thumb = shared.xpath(".//img/@src")[0]
    assert thumb.endswith("_the-vuong-1080x1080.png") and (out / unquote(thumb)).is_file()
    video = shared.xpath(".//video/@src")[0]
    assert video.endswith("_man-hinh-1920x1080.mp4") and (out / unquote(video)).is_file()
    linked = {unquote(h) for h in section.xpath(".//a[@download]/@href")}
    expected = {a["path"] for a in report["artifacts"] if a["kind"] in CHANNEL_KINDS}
    assert linked == expected
    per_area = section.get_element_by_id("mh-hop-dan")
    assert [h.text_content() for h in per_area.xpath(".//details//h4")] == [
        "thôn Thôn Một",
        "thôn Thôn Hai",
    ]
    assert "Video màn hình 1920×1080 (không tiếng, cho bảng không loa)" in per_area.text_content()
