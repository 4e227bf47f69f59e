"""Podcast feeds: RSS 2.0 parsed by a real parser (feedparser); enclosures answer 200 from serve."""

from __future__ import annotations

import threading
import urllib.request
from urllib.parse import urljoin

import pytest

from truyenthanh import layout
from truyenthanh.serve import make_server

feedparser = pytest.importorskip("feedparser")


@pytest.fixture(scope="module")
def base(sample_out):
    server = make_server(sample_out.root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_parses_and_every_enclosure_answers_200(base, sample_out):
    for area in sample_out.areas:
        url = f"{base}/{layout.feed_path(area.id)}"
        with urllib.request.urlopen(url, timeout=10) as rsp:
            assert rsp.status == 200 and rsp.headers["Content-Type"].startswith(
                "application/rss+xml"
            )
            rsp.read()
        feed = feedparser.parse(url)  # fetched as a podcast client would, from truyenthanh serve
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "rss20"
        assert (
            feed.feed.title == f"Đài truyền thanh {area.full_name}" and feed.feed.language == "vi"
        )
        # two weeks: 2 programmes + 7 daily bulletins each
        assert len(feed.entries) == 18
        titles = [e.title for e in feed.entries]
        assert "Bản tin chủ nhật 26/02/2023" == titles[0]  # newest first
        assert "[KHẨN CẤP] Chủ động phòng, chống bão số 1" in titles
        assert len({e.id for e in feed.entries}) == len(feed.entries)
        for entry in feed.entries:
            (enc,) = entry.enclosures
            assert enc.type == "audio/mpeg"
            assert enc.href.startswith(
                "../20"
            )  # relative to the feed: the same OUT works on any host
            href = urljoin(url, enc.href)  # as RFC 3986 clients resolve it
            with urllib.request.urlopen(href, timeout=10) as rsp:
                data = rsp.read()
                assert rsp.status == 200 and rsp.headers["Content-Type"] == "audio/mpeg"
            assert len(data) == int(enc.length)
            assert entry.published_parsed is not None


def test_feed_lists_only_this_areas_files(sample_out):
    body = (sample_out.root / layout.feed_path("binh-hoa")).read_text(encoding="utf-8")
    parsed = feedparser.parse(body)
    hrefs = [e.enclosures[0].href for e in parsed.entries]
    assert hrefs and all("/binh-hoa/binh-hoa_" in h for h in hrefs)
    assert not any("bulletin.mp3" in h for h in hrefs)  # never a weekly bulletin that mixes days


def test_with_a_public_address_enclosures_are_absolute_and_answer_200(base, sample_out, tmp_path):
    from truyenthanh import catalog
    from truyenthanh.feed import feed_xml
    from truyenthanh.stages.feeds import entries

    area = sample_out.areas[2]
    weeks = catalog.area_weeks(sample_out.root, [area.id])
    data = feed_xml(
        area,
        sample_out.issuer,
        layout.feed_path(area.id),
        entries(weeks[area.id]),
        layout.INDEX,
        base_url=base + "/",
    )
    feed = feedparser.parse(data)
    assert not feed.bozo and len(feed.entries) == 18
    for entry in feed.entries[:4]:
        href = entry.enclosures[0].href
        assert href.startswith(f"{base}/2023-W08/audio/phu-phong/phu-phong_2023-W08_")
        with urllib.request.urlopen(href, timeout=10) as rsp:
            assert rsp.status == 200
