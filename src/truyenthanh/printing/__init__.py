"""Print layouts: leaflets, banners, posters, print order sheets and operator scripts.

Every function is pure (its arguments pickle, so it runs in a worker process)
and deterministic: identical input gives identical bytes. Every PDF is CMYK
only with embedded fonts; print-shop PDFs carry TrimBox, BleedBox, crop marks
and a slug line (see `page.py`).

The names below are imported on first use (PEP 562, `lazy.py`), like audio's: the main
process declares the print jobs without loading reportlab (the stages name the layouts by
module, `job.Deferred`; the workers draw them).
"""

from truyenthanh.lazy import lazy_names

RECIPE_VERSION = "print-4"  # bump when any output changes; part of the cache keys


def with_meta(result: tuple[bytes, dict]) -> tuple[bytes, dict]:
    """Job.unpack for the print recipes: they return (pdf bytes, metadata for the run report)."""
    data, meta = result
    return data, dict(meta)


# name -> the module of this package that defines it
_WHERE = {
    "banner_pdf": "banner",
    "banner_print": "banner",
    "leaflet_pdf": "leaflet",
    "leaflet_print": "leaflet",
    "OperatorItem": "rundown",
    "RundownEntry": "rundown",
    "RundownSlot": "rundown",
    "operator_script_pdf": "operator",
    "PrintedFile": "shop_order",
    "delivery_for": "shop_order",
    "material_for": "shop_order",
    "order_info": "shop_order",
    "order_sheet_csv": "order",
    "order_sheet_pdf": "order",
    "order_sheet_xlsx": "order",
    "poster_pdf": "poster",
    "poster_print": "poster",
    "banner_file_name": "sheet",
    "banner_scale": "sheet",
}

__all__ = sorted([*_WHERE, "RECIPE_VERSION", "with_meta"])

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
