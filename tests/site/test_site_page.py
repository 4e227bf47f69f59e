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


def test_every_area_is_listed_with_current_week_first(html):
    for area in AREAS:
        block = area_block(html, area.id)
        assert f">{area.full_name}</h3>" in block
        cur = block.index("Tuần 8/2023")
        past = block.index("Tuần 7/2023")
        assert cur < past
        assert f'href="2023-W08/bundles/{area.id}-2023-W08.zip" download' in block
        assert f'href="2023-W07/bundles/{area.id}-2023-W07.zip" download' in block
        assert "mới nhất" in block[:past]
        assert "Các tuần trước (1)" in block


def test_bundle_facts_match_the_published_manifest(html, sample_out):
    doc = json.loads((sample_out.root / "2023-W08/bundles/binh-hoa-2023-W08.json").read_text())
    block = area_block(html, "binh-hoa")
    assert doc["bundle"]["sha256"] in block
    assert f"ZIP, {size_vi(doc['bundle']['size'])}" in block
    assert "2 chương trình, tổng 3 giây" in block
    assert "02:15 ngày 20/02/2023" in block  # built_at 19:15 UTC on Sunday, shown in Vietnam time
    assert "Chủ động phòng, chống bão số 1" in block


def test_bulletin_preview_and_operator_script(html, page):
    audios = page.all("audio")
    assert len(audios) == len(AREAS)
    for a in audios:
        assert a["preload"] == "none" and "controls" in a
        assert re.fullmatch(r"2023-W08/audio/[a-z-]+/bulletin\.mp3", a["src"])
        labels = a["aria-labelledby"].split()
        assert all(f'id="{x}"' in html for x in labels)
    assert 'href="2023-W08/operator/binh-hoa.pdf"' in area_block(html, "binh-hoa")


def test_print_section_per_shop(html):
    everyone = shop_block(html, "in-tay-son")
    assert "Xí nghiệp in Tây Sơn" in everyone and "0256 3880 456" in everyone
    assert 'href="2023-W08/print/order-in-tay-son.pdf"' in everyone
    assert 'href="2023-W08/print/order-in-tay-son.csv"' in everyone
    for name in ("leaflet-binh-hoa.pdf", "leaflet-phu-phong.pdf", "banner-0.8x5m.pdf", "poster-A3.pdf"):
        assert f'2023-W08/print/cchc-2023/{name}"' in everyone
    assert "<h5>Tuyên truyền cải cách hành chính năm 2023</h5>" in everyone
    assert ">Tờ gấp – xã Bình Hòa</a>" in everyone and ">Tờ gấp – thị trấn Phú Phong</a>" in everyone
    assert ">Băng rôn 0,8 × 5 m</a>" in everyone and ">Áp phích A3</a>" in everyone
    assert everyone.index("Tuần 8/2023") < everyone.index("Tuần 7/2023")

    one_town = shop_block(html, "in-phu-phong")
    assert "order-in-phu-phong.pdf" in one_town and "order-in-tay-son" not in one_town
    assert "leaflet-phu-phong.pdf" in one_town and "banner-0.8x5m.pdf" in one_town
    assert "leaflet-binh-hoa.pdf" not in one_town  # another area's leaflet


def test_run_status_in_vietnamese(html):
    top = html[html.index("<main>") : html.index('id="dia-ban"')]
    assert "Lần dựng gần nhất: Hoàn tất một phần (có mục bị lỗi)" in top and 'href="#lan-dung"' in top
    start = html.index('id="lan-dung"')
    run = html[start : html.index("</section>", start)]
    assert "Hoàn tất một phần" in run
    assert '<span class="n">4</span> tệp dựng mới' in run  # 3 bundles this week + 1 leaflet
    assert '<span class="n">3</span> tệp dùng lại' in run
    assert '<span class="n">1</span> thông báo bỏ qua' in run
    assert '<span class="n">1</span> mục lỗi' in run
    assert "Bộ đọc espeak không đọc được đoạn văn bản." in run
    assert "Thông báo chưa được phê duyệt." in run
    assert "09:15 ngày 20/02/2023" in run  # finished 02:15 UTC


@pytest.mark.parametrize(
    "status, text", [("ok", "Hoàn tất"), ("failed", "Thất bại"), ("partial", "Hoàn tất một phần (có mục bị lỗi)")]
)
def test_each_status_has_its_words(tmp_path, media, status, text):
    out = build_sample_out(tmp_path / "out", media, status=status)
    html = render_index(out.root, ISSUER, AREAS, SHOPS).decode()
    assert f'class="status status-{status}"><strong>{text}</strong>' in html
    assert f'class="status status-{status} status-top"><strong>Lần dựng gần nhất: {text}</strong>' in html


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
    "text, key", [("Bình Hòa", "binh hoa"), ("thị trấn Phú Phong", "thi tran phu phong"), ("Đập Đá", "dap da"),
                  ("  Tây   Vinh ", "tay vinh"), ("Bình Hòa", "binh hoa")],
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
        ("ink", "paper"), ("ink", "card"), ("muted", "card"), ("muted", "paper"), ("link", "card"),
        ("link", "paper"), ("on-brand", "brand"), ("on-go", "go"), ("tag-ink", "tag-bg"),
        ("ok-ink", "ok-bg"), ("partial-ink", "partial-bg"), ("failed-ink", "failed-bg"),
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
    assert html.count("Chưa có báo cáo lần dựng nào.") == 2
    assert html.count("Chưa có gói phát thanh nào cho địa bàn này.") == len(AREAS)
    assert html.count("Chưa có tệp in nào cho cơ sở này.") == len(SHOPS)


def test_corrupt_files_are_skipped_not_fatal(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    (root / "runs" / "latest.json").write_text("{ half a report", encoding="utf-8")
    (root / "2023-W08/bundles/binh-hoa-2023-W08.json").write_text("[]", encoding="utf-8")
    (root / "2023-W08/bundles/tay-vinh-2023-W08.zip").unlink()  # manifest without its ZIP
    (root / "2023-W99").mkdir()  # not a real week
    (root / "notes").mkdir()
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert "Chưa có báo cáo lần dựng nào." in html
    binh_hoa = area_block(html, "binh-hoa")
    assert "2023-W08/bundles/binh-hoa" not in binh_hoa and "2023-W07/bundles/binh-hoa" in binh_hoa
    assert "2023-W08/bundles/tay-vinh" not in area_block(html, "tay-vinh")
    assert "2023-W08/bundles/phu-phong-2023-W08.zip" in area_block(html, "phu-phong")


def test_untrusted_text_is_escaped(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    report = json.loads((root / "runs" / "latest.json").read_text())
    report["failures"][0]["error"] = "<script>alert(1)</script>"
    (root / "runs" / "latest.json").write_text(json.dumps(report), encoding="utf-8")
    html = render_index(root, ISSUER, AREAS, SHOPS).decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "size, text", [(0, "0 byte"), (1023, "1023 byte"), (1024, "1,0 KB"), (31_500, "31 KB"),
                   (1_450_000, "1,4 MB"), (250 * 1024**2, "250 MB"), (3 * 1024**3, "3,0 GB")],
)
def test_size_vi(size, text):
    assert size_vi(size) == text


def test_manifest_without_bundle_block_uses_the_zip_on_disk(sample_out, tmp_path):
    # The build may write the page manifest itself (the bundle's own manifest, no "bundle" block).
    import datetime as dt
    import hashlib
    import os

    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    page_json = root / "2023-W08/bundles/tay-vinh-2023-W08.json"
    doc = json.loads(page_json.read_text())
    del doc["bundle"]
    page_json.write_text(json.dumps(doc, ensure_ascii=False))
    zip_path = root / "2023-W08/bundles/tay-vinh-2023-W08.zip"
    when = dt.datetime(2023, 2, 19, 20, 30, tzinfo=dt.UTC).timestamp()
    os.utime(zip_path, (when, when))
    block = area_block(render_index(root, ISSUER, AREAS, SHOPS).decode(), "tay-vinh")
    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() in block
    assert f"ZIP, {size_vi(zip_path.stat().st_size)}" in block
    assert "03:30 ngày 20/02/2023" in block


def test_a_shop_lists_only_what_its_order_sheet_orders(sample_out, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(sample_out.root, root, symlinks=True)
    sheet = root / "2023-W08" / "print" / "order-in-tay-son.csv"
    sheet.write_bytes("\ufeffSTT,Tệp,Loại\r\n1,2023-W08/print/cchc-2023/poster-A3.pdf,Áp phích\r\n".encode())
    shop = shop_block(render_index(root, ISSUER, AREAS, SHOPS).decode(), "in-tay-son")
    week8 = shop[: shop.index("Tuần 7/2023")]
    assert "poster-A3.pdf" in week8
    assert "banner-0.8x5m.pdf" not in week8 and "leaflet-binh-hoa.pdf" not in week8
