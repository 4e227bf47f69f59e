"""Print layouts: leaflets, banners, posters, print order sheets and operator scripts.

Every function is pure (its arguments pickle, so it runs in a worker process)
and deterministic: identical input gives identical bytes. Every PDF is CMYK
only with embedded fonts; print-shop PDFs carry TrimBox, BleedBox, crop marks
and a slug line (see `page.py`).
"""

from truyenthanh.printing.banner import banner_file_name, banner_pdf, banner_print, banner_scale
from truyenthanh.printing.leaflet import leaflet_pdf, leaflet_print
from truyenthanh.printing.operator import (
    OperatorItem,
    RundownEntry,
    RundownSlot,
    operator_script_pdf,
)
from truyenthanh.printing.order import (
    PrintedFile,
    delivery_for,
    material_for,
    order_info,
    order_sheet_csv,
    order_sheet_pdf,
    order_sheet_xlsx,
)
from truyenthanh.printing.poster import poster_pdf, poster_print

RECIPE_VERSION = "print-4"  # bump when any output changes; part of the cache keys


def with_meta(result: tuple[bytes, dict]) -> tuple[bytes, dict]:
    """Job.unpack for the print recipes: they return (pdf bytes, metadata for the run report)."""
    data, meta = result
    return data, dict(meta)


__all__ = [
    "RECIPE_VERSION",
    "OperatorItem",
    "PrintedFile",
    "banner_file_name",
    "banner_pdf",
    "banner_print",
    "leaflet_print",
    "poster_print",
    "with_meta",
    "banner_scale",
    "leaflet_pdf",
    "material_for",
    "operator_script_pdf",
    "RundownEntry",
    "RundownSlot",
    "order_sheet_csv",
    "order_sheet_pdf",
    "order_sheet_xlsx",
    "order_info",
    "delivery_for",
    "poster_pdf",
]
