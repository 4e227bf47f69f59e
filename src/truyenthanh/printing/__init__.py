"""Print layouts: leaflets, banners, posters, print order sheets and operator scripts.

Every function is pure (its arguments pickle, so it runs in a worker process)
and deterministic: identical input gives identical bytes. Every PDF is CMYK
only with embedded fonts; print-shop PDFs carry TrimBox, BleedBox, crop marks
and a slug line (see `page.py`).
"""

from truyenthanh.printing.banner import banner_file_name, banner_pdf, banner_scale
from truyenthanh.printing.leaflet import leaflet_pdf
from truyenthanh.printing.operator import OperatorItem, RundownEntry, RundownSlot, operator_script_pdf
from truyenthanh.printing.order import PrintedFile, material_for, order_sheet_csv, order_sheet_pdf
from truyenthanh.printing.poster import poster_pdf

RECIPE_VERSION = "print-3"  # bump when any output changes; part of the cache keys

__all__ = [
    "RECIPE_VERSION",
    "OperatorItem",
    "PrintedFile",
    "banner_file_name",
    "banner_pdf",
    "banner_scale",
    "leaflet_pdf",
    "material_for",
    "operator_script_pdf",
    "RundownEntry",
    "RundownSlot",
    "order_sheet_csv",
    "order_sheet_pdf",
    "poster_pdf",
]
