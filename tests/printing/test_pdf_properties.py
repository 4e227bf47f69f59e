"""Properties every print-shop PDF must have, checked by opening the PDFs."""

from __future__ import annotations

import pikepdf
import pytest

from tests.printing.conftest import BANNERS, MM, box, open_pdf

PRINT_KINDS = [
    "leaflet",
    "banner-0.8x5m",
    "banner-0.7x4m",
    "banner-1.2x6m",
    "poster-A3",
    "poster-A1",
]
ALL_KINDS = PRINT_KINDS + ["order", "operator"]
FINISHED = {
    "leaflet": (297, 210, 3),
    "poster-A3": (297, 420, 3),
    "poster-A1": (594, 841, 3),
    **{f"banner-{k}": (s.width_mm, s.height_mm, s.bleed_mm) for k, s in BANNERS.items()},
}
SLUG_MM = 12.0


def _approx(a, b, tol=0.02):
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("kind", PRINT_KINDS)
def test_trim_bleed_and_media_boxes(built, kind):
    w, h, bleed = FINISHED[kind]
    with open_pdf(built[kind]) as pdf:
        for page in pdf.pages:
            unit = float(page.obj.get("/UserUnit", 1))
            trim = [v * unit for v in box(page, "/TrimBox")]
            bleed_box = [v * unit for v in box(page, "/BleedBox")]
            media = [v * unit for v in box(page, "/MediaBox")]
            # TrimBox is the finished size, in real points once UserUnit is applied
            assert _approx(
                (trim[2] - trim[0], trim[3] - trim[1]), (w * MM, h * MM), tol=0.05 * unit
            )
            b = bleed * MM
            assert _approx(
                bleed_box, (trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b), tol=0.05 * unit
            )
            off = (bleed + SLUG_MM) * MM
            assert _approx(
                (media[2] - media[0], media[3] - media[1]),
                (w * MM + 2 * off, h * MM + 2 * off),
                tol=0.05 * unit,
            )
            assert max(box(page, "/MediaBox")) <= 14400


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_font_is_embedded_truetype_never_base14(built, kind):
    with open_pdf(built[kind]) as pdf:
        fonts = {}
        for page in pdf.pages:
            for _name, font in page.Resources.get("/Font", {}).items():
                fonts[str(font.BaseFont)] = font
        assert fonts, "no fonts at all"
        for base, font in fonts.items():
            assert "Helvetica" not in base and "Times" not in base and "Courier" not in base
            assert font.Subtype == "/TrueType", base
            assert "/FontFile2" in font.FontDescriptor, f"{base} not embedded"
            assert "/ToUnicode" in font, f"{base} cannot be extracted"


COLOUR_OPS = {"rg", "RG", "g", "G", "sc", "SC", "scn", "SCN", "cs", "CS"}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_only_cmyk_colour_operators(built, kind):
    with open_pdf(built[kind]) as pdf:
        seen = set()
        for page in pdf.pages:
            for _, op in pikepdf.parse_content_stream(page):
                seen.add(str(op))
            assert not page.Resources.get("/XObject"), "no images or forms expected"
        assert not seen & COLOUR_OPS, seen & COLOUR_OPS
        assert {"k"} <= seen


@pytest.mark.parametrize("kind", ["banner-0.8x5m", "banner-1.2x6m"])
def test_crop_marks_lie_outside_the_bleed(built, kind):
    with open_pdf(built[kind]) as pdf:
        page = pdf.pages[0]
        bx0, by0, bx1, by1 = box(page, "/BleedBox")
        segments, current = [], None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "m":
                current = tuple(float(v) for v in operands)
            elif str(op) == "l":
                end = tuple(float(v) for v in operands)
                segments.append((current, end))
                current = end
        assert len(segments) >= 8  # two crop marks at each corner, then hem and eyelet marks
        for (x0, y0), (x1, y1) in segments:
            outside = (
                max(x0, x1) < bx0 or min(x0, x1) > bx1 or max(y0, y1) < by0 or min(y0, y1) > by1
            )
            assert outside, ((x0, y0), (x1, y1))


def test_leaflet_has_exactly_two_pages_and_fold_marks(built):
    with open_pdf(built["leaflet"]) as pdf:
        assert len(pdf.pages) == 2
        # fold marks: dashed strokes (the d operator) on both sides
        for page in pdf.pages:
            assert any(str(op) == "d" for _, op in pikepdf.parse_content_stream(page))


def test_output_is_deterministic(text, issuer, settings, area):
    from truyenthanh.printing import banner_pdf, leaflet_pdf

    big = BANNERS["1.2x6m"]
    assert leaflet_pdf(text, issuer, settings, area, "x.pdf") == leaflet_pdf(
        text, issuer, settings, area, "x.pdf"
    )
    assert banner_pdf(text, issuer, settings, big, "b.pdf") == banner_pdf(
        text, issuer, settings, big, "b.pdf"
    )


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_qpdf_finds_no_syntax_problems(built, kind):
    with open_pdf(built[kind]) as pdf:
        assert pdf.check_pdf_syntax() == []
