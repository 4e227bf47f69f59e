"""Fidelity: every print carries the whole approved body in order, or says what it omits and leads to it.

Covers every print artifact the sample project declares for 2023-W08 and the
7,800-character plan (tests/printing/data) as leaflet, posters A3/A1/A0 and banner.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from tests.printing.conftest import BANNERS, make_text
from truyenthanh.errors import PrintError
from truyenthanh.printing import banner_print, leaflet_print, poster_print
from truyenthanh.printing.fit import bind_groups, largest

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "examples" / "tay-son"
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
BASE_URL = "https://tuyentruyen.tayson.example.vn"


def tokens(text: str) -> list[str]:
    return TOKEN.findall(unicodedata.normalize("NFC", text.replace("\u00a0", " ")).lower())


def page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [
        (p.extract_text() or "").replace("\u00a0", " ") for p in PdfReader(io.BytesIO(data)).pages
    ]


def reading_text(kind: str, data: bytes) -> str:
    """A leaflet reads inside (page 2) first, then the flap on the outside (page 1)."""
    pages = page_texts(data)
    return "\n".join(reversed(pages) if kind == "leaflet" else pages)


def missing_in_order(body: str, printed: str) -> list[str]:
    """Words of `body` not found, in order, in `printed` (empty when the whole body is there in order)."""
    want, got = tokens(body), tokens(printed)
    i = 0
    for n, word in enumerate(want):
        while i < len(got) and got[i] != word:
            i += 1
        if i == len(got):
            return want[n : n + 12]
        i += 1
    return []


@pytest.fixture(scope="module")
def sample_prints() -> list[tuple[str, str, str, bytes, dict]]:
    """(kind, path, body, pdf, meta) for every print job of the sample week, run for real."""
    from truyenthanh.project import load_project
    from truyenthanh.selection import select_week
    from truyenthanh.stages import Context, prints
    from truyenthanh.weeks import IsoWeek

    project = load_project(SAMPLE)
    selection = select_week(project, IsoWeek.parse("2023-W08"))
    ctx = Context(project, selection, Path("/nonexistent"), Path("/nonexistent"))
    out = []
    for job in prints.jobs(ctx):
        data, meta = job.unpack(job.fn(*job.args))
        out.append((job.kind, job.path, job.args[0].body, data, meta))
    return out


@pytest.fixture(scope="module")
def long_prints(issuer, settings) -> list[tuple[str, str, str, bytes, dict]]:
    online = settings.model_copy(update={"public_base_url": BASE_URL})
    text = make_text()
    out = []
    data, meta = leaflet_print(text, issuer, settings, None, "plan_to-gap.pdf")
    out.append(("leaflet", "plan_to-gap.pdf", text.body, data, meta))
    for paper in ("A3", "A1", "A0"):
        data, meta = poster_print(text, issuer, online, paper, f"plan_ap-phich-{paper}.pdf")
        out.append(("poster", f"plan_ap-phich-{paper}.pdf", text.body, data, meta))
    data, meta = banner_print(text, issuer, settings, BANNERS["0.8x5m"], "plan_bang-ron.pdf")
    out.append(("banner", "plan_bang-ron.pdf", text.body, data, meta))
    return out


def _check(prints):
    for kind, path, body, data, meta in prints:
        printed = reading_text(kind, data)
        if "note" in meta:
            assert meta["note"] and unicodedata.is_normalized("NFC", meta["note"]), path
            if kind != "banner":  # a banner has no QR: its note says where the full text is
                assert meta["qr_full_text"], (path, meta)
                assert meta["qr"] in meta["note"]
            continue
        assert not missing_in_order(body, printed), (path, missing_in_order(body, printed))


def test_every_sample_print_carries_its_body_in_order_or_says_what_it_omits(sample_prints):
    assert {k for k, *_ in sample_prints} == {"leaflet", "poster", "banner"}
    _check(sample_prints)
    notes = {path for _, path, _, _, meta in sample_prints if "note" in meta}
    assert notes == {
        path for kind, path, *_ in sample_prints if kind == "banner"
    }  # the rest carry every word


def test_the_long_plan_in_every_print(long_prints):
    _check(long_prints)
    by_name = {path: meta for _, path, _, _, meta in long_prints}
    assert "note" not in by_name["plan_to-gap.pdf"]  # the leaflet carries all 7,800 characters
    a3 = by_name["plan_ap-phich-A3.pdf"]
    assert "không in toàn văn" in a3["note"] and a3["qr"] == f"{BASE_URL}/a/ke-hoach-cchc-2023.html"


def test_a_body_too_long_for_a_poster_without_a_digest_is_a_vietnamese_error(issuer, settings):
    with pytest.raises(PrintError, match="quá dài cho áp phích A3") as exc:
        poster_print(make_text(summary=None), issuer, settings, "A3", "p.pdf")
    assert "summary" in exc.value.message and "public_base_url" in exc.value.message
    # a summary with a QR target that is not the full text is not enough either
    with pytest.raises(PrintError, match="quá dài"):
        poster_print(make_text(url=None), issuer, settings, "A3", "p.pdf")


def test_qr_leads_to_the_announcement_page_then_its_url_then_the_portal(issuer, settings):
    online = settings.model_copy(update={"public_base_url": BASE_URL + "/"})
    short = make_text(body="Bà con nộp hồ sơ trực tuyến.")
    _, meta = leaflet_print(short, issuer, online, None, "x.pdf")
    assert meta["qr"] == f"{BASE_URL}/a/ke-hoach-cchc-2023.html"
    _, meta = leaflet_print(short, issuer, settings, None, "x.pdf")
    assert meta["qr"] == "https://dichvucong.gov.vn" and meta["qr_full_text"]
    data, meta = leaflet_print(
        make_text(body=short.body, url=None), issuer, settings, None, "x.pdf"
    )
    assert meta["qr"] == issuer.portal_url and not meta["qr_full_text"]
    slug = " ".join(page_texts(data)[0].split())
    assert "mã QR: cổng dịch vụ công" in slug and "ke-hoach-cchc-2023" in slug


# -- numbers, phone numbers, dates and document numbers stay on one line -----------------------------

GROUPS = re.compile(
    r"(?:\+84|0)\d{1,4}(?: \d{2,4}){1,3}|1[89]00 \d{3,4}"  # phone numbers
    r"|\d{1,2}/\d{1,2}/\d{4}"  # dates
    r"|\d+(?:-[A-ZĐ]+)?/[A-ZĐ][A-Za-zĐ]*(?:-[A-ZĐ][A-Za-zĐ]*)*"  # document numbers: 20/KH-UBND, 05-NQ/TU
)


def split_groups(text: str, lines: list[str]) -> list[tuple[str, str, str]]:
    """Every group of `text` that some pair of consecutive lines shows broken (end of one, start of next)."""
    broken = []
    lines = [" ".join(ln.split()) for ln in lines if ln.strip()]
    for group in set(GROUPS.findall(text)):
        for cut in range(1, len(group)):
            head, tail = group[:cut].rstrip(), group[cut:].lstrip()
            if not head or not tail:
                continue
            for a, b in zip(lines, lines[1:]):
                if a.endswith(head) and b.startswith(tail) and group not in a and group not in b:
                    broken.append((group, a[-30:], b[:30]))
    return broken


def test_no_phone_date_or_document_number_is_split_across_lines(sample_prints, long_prints, issuer):
    checked = 0
    for kind, path, body, data, _ in [*sample_prints, *long_prints]:
        if kind not in ("leaflet", "poster"):
            continue
        lines = [ln for page in page_texts(data) for ln in page.splitlines()]
        source = "\n".join((body, *issuer.hotlines))
        assert not split_groups(source, lines), (path, split_groups(source, lines))
        checked += 1
    assert checked >= 20


def test_the_checker_sees_a_broken_number():
    assert split_groups("gọi 0256 3880 277 nhé", ["gọi 0256 3880", "277 nhé"])
    assert split_groups("Kế hoạch số 20/KH-UBND", ["Kế hoạch số 20/KH-", "UBND"])
    assert not split_groups("gọi 0256 3880 277 nhé", ["gọi", "0256 3880 277 nhé"])


def test_groups_are_bound_with_no_break_spaces():
    assert (
        bind_groups("gọi 0256 3880 277 hoặc 1800 1096")
        == "gọi 0256\u00a03880\u00a0277 hoặc 1800\u00a01096"
    )
    assert bind_groups("giai đoạn 2021 - 2025") == "giai đoạn 2021\u00a0-\u00a02025"
    assert (
        bind_groups("Kế hoạch số 20/KH-UBND ngày 06/12/2021")
        == "Kế hoạch số\u00a020/KH-UBND ngày\u00a006/12/2021"
    )


# -- one fitting search ----------------------------------------------------------------------------------


def test_largest_finds_the_largest_fitting_size_and_reports_its_measurements():
    fitted = largest(lambda s: "ok" if s <= 11.3 else None, 6.0, 20.0, step=0.05)
    assert 11.25 <= fitted.size <= 11.3 and fitted.result == "ok"
    assert fitted.tries[0] == (20.0, False) and any(ok for _, ok in fitted.tries)
    nothing = largest(lambda s: None, 6.0, 20.0)
    assert not nothing.fits and nothing.result is None and nothing.size == 6.0


def test_one_fitting_search_in_printing():
    """No layout keeps its own bisection loop: they all call fit.largest."""
    src = ROOT / "src" / "truyenthanh" / "printing"
    loops = [
        p.name
        for p in src.glob("*.py")
        if p.name != "fit.py" and re.search(r"while (hi - lo|lo < hi)", p.read_text())
    ]
    assert not loops, loops


# -- names ---------------------------------------------------------------------------------------------------


def test_download_names_are_unique_and_name_announcement_kind_size_and_area(sample_prints):
    from truyenthanh.domain import PRINT_KINDS

    names = [path.rsplit("/", 1)[1] for _, path, *_ in sample_prints]
    assert len(names) == len(set(names))
    for kind, path, *_ in sample_prints:
        folder, name = path.split("/")[-2:]
        assert name.startswith(f"{folder}_{path.split('/')[0]}_{PRINT_KINDS[kind].file_word}"), name
    assert "mot-cua-duong-day-nong_2023-W08_to-gap_tay-an.pdf" in names
    assert "ke-hoach-cchc-2023_2023-W08_ap-phich-A3.pdf" in names
    assert "ke-hoach-cchc-2023_2023-W08_bang-ron-0.8x5m.pdf" in names
