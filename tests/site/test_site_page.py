"""The download page: content from OUT, Vietnamese, self-contained, accessible, robust."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest_media import AREAS, ISSUER, SHOPS, build_sample_out
from truyenthanh.site import publish_index, render_index, size_vi
from truyenthanh.site.scan import fold

HERE = Path(__file__).resolve()
CSS = HERE.parents[2] / "src" / "truyenthanh" / "site" / "static" / "site.css"


class Page(HTMLParser):
    """Collects tags, attributes and text sections by element id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def html(sample_out) -> str:
    return (sample_out.root / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html) -> Page:
    return Page(html)


def area_block(html: str, area_id: str) -> str:
    start = html.index(f'<article class="area" id="xa-{area_id}"')
    return html[start : html.index("</article>", start)]


def shop_block(html: str, shop_id: str) -> str:
    start = html.index(f'<article class="shop" id="coso-{shop_id}"')
    return html[start : html.index("</article>", start)]


# --- what the page says ----------------------------------------------------------------


def test_page_is_vietnamese_nfc_and_has_structure(html, page):
    assert html.startswith("<!doctype html>")
    assert page.all("html") == [{"lang": "vi"}]
    assert html == unicodedata.normalize("NFC", html)
    assert len(page.all("h1")) == 1
    assert "Gói phát thanh hằng tuần và tài liệu in" in page.plain
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))
    assert {"viewport", "generator"} <= {m.get("name") for m in page.all("meta")}


def test_every_area_is_listed_with_current_week_first_and_an_archive(html):
    for area in AREAS:
        block = area_block(html, area.id)
        assert f">{area.full_name} <span" in block
        cur = block.index("Tuần 8/2023")
        past = block.index("Tuần 7/2023")
        assert cur < past
        name = f"{area.id}_2023-W08_goi-phat-thanh.zip"
        assert f'href="2023-W08/bundles/{name}" download="{name}"' in block
        assert f'href="2023-W07/bundles/{area.id}_2023-W07_goi-phat-thanh.zip"' in block
        assert "Lưu trữ các tuần trước (1)" in block


def test_cards_speak_to_people_and_keep_checksums_in_details(html, sample_out):
    doc = json.loads(
        (sample_out.root / "2023-W08/bundles/binh-hoa_2023-W08_goi-phat-thanh.json").read_text()
    )
    block = area_block(html, "binh-hoa")
    details = block.index('<details class="tech">')
    assert (
        doc["bundle"]["sha256"] in block[details:]
        and doc["bundle"]["sha256"] not in block[:details]
    )
    assert f"ZIP, {size_vi(doc['bundle']['size'])}" in block
    assert (
        "02:15 ngày 20/02/2023" in block[details:]
    )  # built_at 19:15 UTC on Sunday, in Vietnam time
    cards = re.sub(
        r'<details class="tech">.*?</details>', "", html[: html.index('id="cap-nhat"')], flags=re.S
    )
    for word in ("Dựng lúc", "dựng", "espeak", "bộ đọc", "SHA-256", "truyenthanh build"):
        assert word not in cards, word


def test_per_programme_links_with_dates_durations_and_emergency_badge(html, page):
    block = area_block(html, "binh-hoa")
    assert '<span class="badge-urgent">Có tin khẩn cấp</span>' in block
    progs = block[
        block.index('<ul class="progs">') : block.index("</ul>", block.index('<ul class="progs">'))
    ]
    name = "binh-hoa_2023-W08_phong-chong-bao.mp3"
    assert (
        f'href="2023-W08/audio/binh-hoa/{name}" download="{name}">Chủ động phòng, chống bão số 1</a>'
        in progs
    )
    assert progs.index("phong-chong-bao") < progs.index("cchc-2023")  # the one running order
    assert "Phát từ 22/02 đến 26/02/2023 · 2 giây · MP3, 8,6 KB" in progs
    assert "Phát từ 20/02 đến 26/02/2023" in progs
    assert 'href="2023-W08/operator/binh-hoa_2023-W08_kich-ban-doc.pdf"' in block
    assert 'href="feeds/binh-hoa_podcast.xml"' in block
    # No weekly bulletin anywhere: it would air items outside their dates.
    assert not page.all("audio") and "bulletin.mp3" not in html


def test_week_by_day_without_js_lists_only_items_valid_that_day(html):
    block = area_block(html, "binh-hoa")
    days = re.findall(r'<details class="day" data-date="([\d-]+)">(.*?)</details>', block, re.S)
    assert [d for d, _ in days] == [f"2023-02-{n}" for n in range(20, 27)]
    for date, body in days:
        storm = "phong-chong-bao" in body
        assert storm == (date >= "2023-02-22"), date
        assert "binh-hoa_2023-W08_ban-tin_" in body  # that day's bulletin
    monday = days[0][1]
    assert "Thứ hai 20/02/2023 – 1 tin" in monday and "<strong>05:30</strong>" in monday


def test_today_data_is_embedded_for_the_browser(html):
    block = area_block(html, "phu-phong")
    raw = re.search(r'data-today="([^"]*)"', block).group(1)
    import html as html_mod

    data = json.loads(html_mod.unescape(raw))
    wed = data["days"]["2023-02-22"]
    assert wed["label"] == "Thứ tư 22/02/2023"
    assert [slot for slot, _ in wed["slots"]] == ["05:30", "11:00", "17:00"]
    first = wed["slots"][0][1][0]
    assert first["t"] == "Chủ động phòng, chống bão số 1" and first["e"] is True
    assert (
        "2023-02-20" in data["days"] and "2023-02-13" in data["days"]
    )  # last week too (early Monday)
    assert all(
        it["t"] != "Chủ động phòng, chống bão số 1"
        for _, items in data["days"]["2023-02-20"]["slots"]
        for it in items
    )


def test_print_section_per_shop(html):
    everyone = shop_block(html, "in-tay-son")
    assert "Xí nghiệp in Tây Sơn" in everyone and "0256 3880 456" in everyone
    assert 'href="2023-W08/print/in-tay-son_2023-W08_phieu-dat-in.pdf"' in everyone
    assert 'href="2023-W08/print/in-tay-son_2023-W08_phieu-dat-in.csv"' in everyone
    for name in ("to-gap_binh-hoa", "to-gap_phu-phong", "bang-ron-0.8x5m", "ap-phich-A3"):
        assert f'2023-W08/print/cchc-2023/cchc-2023_2023-W08_{name}.pdf"' in everyone
    assert "<h5>Tuyên truyền cải cách hành chính năm 2023</h5>" in everyone
    assert (
        ">Tờ gấp – xã Bình Hòa</a>" in everyone and ">Tờ gấp – thị trấn Phú Phong</a>" in everyone
    )
    assert ">Băng rôn 0,8 × 5 m</a>" in everyone and ">Áp phích A3</a>" in everyone
    assert everyone.index("Tuần 8/2023") < everyone.index("Tuần 7/2023")

    one_town = shop_block(html, "in-phu-phong")
    assert "in-phu-phong_2023-W08_phieu-dat-in.pdf" in one_town and "in-tay-son" not in one_town
    assert "to-gap_phu-phong.pdf" in one_town and "bang-ron-0.8x5m.pdf" in one_town
    assert "to-gap_binh-hoa.pdf" not in one_town  # another area's leaflet


def test_run_status_and_the_one_count(html, sample_out):
    top = html[html.index("<main>") : html.index('id="dia-ban"')]
    assert "Cập nhật lúc 09:15 ngày 20/02/2023" in top and 'href="#cap-nhat"' in top
    start = html.index('id="cap-nhat"')
    run = html[start : html.index("</section>", start)]
    report = json.loads((sample_out.root / "runs" / "latest.json").read_text())
    counts = report["counts"]
    assert counts["built"] > 0 and counts["reused"] > 0
    assert f'<span class="n">{counts["built"]}</span> tệp mới hoặc đã sửa' in run
    assert f'<span class="n">{counts["reused"]}</span> tệp giữ nguyên' in run
    assert '<span class="n">1</span> thông báo chưa phát hành' in run
    assert '<span class="n">1</span> mục bị lỗi' in run
    assert "Bộ đọc không đọc được đoạn văn bản." in run
    assert "Thông báo chưa được phê duyệt." in run


@pytest.mark.parametrize(
    "status, text",
    [
        ("ok", "Đã cập nhật đầy đủ"),
        ("failed", "Cập nhật không thành công"),
        ("partial", "Đã cập nhật, một số mục bị lỗi"),
    ],
)
def test_each_status_has_its_words(tmp_path, media, status, text):
    out = build_sample_out(tmp_path / "out", media, status=status)
    html = render_index(out.root, ISSUER, AREAS, SHOPS).decode()
    assert f'class="status status-{status}"><strong>{text}</strong>' in html
    assert (
        f'class="status status-{status} status-top"><strong>Cập nhật lúc 09:15 ngày 20/02/2023</strong> · {text}'
        in html
    )


# --- self-contained and static ---------------------------------------------------------------


def test_no_external_resources(html, page):
    for tag, attrs in page.tags:
        for key in ("src", "href", "action", "data", "poster"):
            value = attrs.get(key)
            if value is not None:
                assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I), (tag, key, value)
    assert not page.all("link")  # CSS is inline
    assert all("src" not in s for s in page.all("script"))
    assert "@import" not in html and "url(" not in html
    assert "http://" not in html and "https://" not in html


def test_every_relative_link_points_at_a_file(page, sample_out):
    for attrs in page.all("a") + page.all("audio"):
        target = attrs.get("href") or attrs.get("src")
        if not target or target.startswith("#"):
            continue
        assert (sample_out.root / unquote(target)).is_file(), target


def test_filter_is_hidden_without_js_and_labelled(html, page):
    box = next(a for a in page.all("div") if a.get("id") == "loc-box")
    assert "hidden" in box
    assert next(a for a in page.all("label") if a.get("for") == "loc")
    inp = next(a for a in page.all("input") if a.get("id") == "loc")
    assert inp["type"] == "search"
    # Without JS every area is shown and reachable from the list of anchors.
    for area in AREAS:
        assert f'href="#xa-{area.id}"' in html
    assert all("hidden" not in a for a in page.all("article"))


@pytest.mark.parametrize(
    "text, key",
    [
        ("Bình Hòa", "binh hoa"),
        ("thị trấn Phú Phong", "thi tran phu phong"),
        ("Đập Đá", "dap da"),
        ("  Tây   Vinh ", "tay vinh"),
        ("Bình Hòa", "binh hoa"),
    ],
)
def test_fold_matches_the_page_filter(text, key):
    assert fold(text) == key


def test_search_keys_are_folded(html):
    assert 'data-search="xa binh hoa binh hoa binh-hoa dai truyen thanh xa binh hoa"' in html


def test_rendering_is_deterministic_and_publish_skips_unchanged(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    a = render_index(root, ISSUER, AREAS, SHOPS)
    assert a == render_index(root, ISSUER, AREAS, SHOPS)
    path, written = publish_index(root, ISSUER, AREAS, SHOPS)
    assert path == root / "index.html" and not written


def test_contrast_of_declared_colour_pairs():
    css = CSS.read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        ("ink", "paper"),
        ("ink", "card"),
        ("muted", "card"),
        ("muted", "paper"),
        ("link", "card"),
        ("link", "paper"),
        ("on-brand", "brand"),
        ("on-go", "go"),
        ("tag-ink", "tag-bg"),
        ("ok-ink", "ok-bg"),
        ("partial-ink", "partial-bg"),
        ("failed-ink", "failed-bg"),
        ("unknown-ink", "unknown-bg"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, contrast(var[fg], var[bg]))


def contrast(a: str, b: str) -> float:
    def lum(hex_: str) -> float:
        chans = [int(hex_[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chans]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- robustness ---------------------------------------------------------------------------


def test_empty_out_renders(tmp_path):
    html = render_index(tmp_path, ISSUER, AREAS, SHOPS).decode()
    assert html.count("Trang chưa được cập nhật lần nào.") == 2
    assert html.count("Chưa có gói phát thanh nào cho địa bàn này.") == len(AREAS)
    assert html.count("Chưa có tệp in nào cho cơ sở này.") == len(SHOPS)


def test_corrupt_files_are_skipped_not_fatal(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    (root / "runs" / "latest.json").write_text("{ half a report", encoding="utf-8")
    (root / "2023-W08/bundles/binh-hoa_2023-W08_goi-phat-thanh.json").write_text(
        "[]", encoding="utf-8"
    )
    (root / "2023-W08/bundles/tay-vinh_2023-W08_goi-phat-thanh.zip").unlink()  # recorded, but gone
    (root / "2023-W99").mkdir()  # not a real week
    (root / "notes").mkdir()
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert "Trang chưa được cập nhật lần nào." in html
    binh_hoa = area_block(html, "binh-hoa")
    # A manifest that cannot be read leaves the ZIP downloadable, without programmes or days.
    assert "2023-W08/bundles/binh-hoa_2023-W08_goi-phat-thanh.zip" in binh_hoa
    assert "2023-W08/bundles/tay-vinh" not in area_block(html, "tay-vinh")
    assert "2023-W08/bundles/phu-phong_2023-W08_goi-phat-thanh.zip" in area_block(html, "phu-phong")


def test_the_page_reads_records_not_file_names(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    # A stray file that looks like a leaflet is not offered: no build record says it is one.
    (root / "2023-W08/print/cchc-2023/cchc-2023_2023-W08_to-gap_tay-vinh.pdf").write_bytes(
        b"%PDF-1.4\n"
    )
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert "to-gap_tay-vinh" not in html
    # This run's records alone speak for the week being built.
    from truyenthanh.state import BuildState
    from truyenthanh.weeks import IsoWeek

    with BuildState(root) as state:
        records = {e.path: e for e in state.artifacts() if "phong-chong-bao" not in e.path}
    html = render_index(root, ISSUER, AREAS, SHOPS, records, IsoWeek(2023, 8)).decode()
    week8 = area_block(html, "binh-hoa")
    assert "binh-hoa_2023-W08_phong-chong-bao.mp3" not in week8
    assert "binh-hoa_2023-W08_cchc-2023.mp3" in week8


def test_untrusted_text_is_escaped(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    report = json.loads((root / "runs" / "latest.json").read_text())
    report["failures"][0]["error"] = "<script>alert(1)</script>"
    (root / "runs" / "latest.json").write_text(json.dumps(report), encoding="utf-8")
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert (
        "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    )


@pytest.mark.parametrize(
    "size, text",
    [
        (0, "0 byte"),
        (1023, "1023 byte"),
        (1024, "1,0 KB"),
        (31_500, "31 KB"),
        (1_450_000, "1,4 MB"),
        (250 * 1024**2, "250 MB"),
        (3 * 1024**3, "3,0 GB"),
    ],
)
def test_size_vi(size, text):
    assert size_vi(size) == text


def test_no_terminal_command_is_shown_to_communes(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    report = json.loads((root / "runs" / "latest.json").read_text())
    report["skipped"][0]["reason"] = (
        "Thông báo “tiem-chung” chưa được phê duyệt; chạy: truyenthanh approve "
        'tiem-chung --by "Họ tên"'
    )
    (root / "runs" / "latest.json").write_text(
        json.dumps(report, ensure_ascii=False), encoding="utf-8"
    )
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert "Thông báo “tiem-chung” chưa được phê duyệt" in html
    assert "truyenthanh approve" not in html and "chạy:" not in html
