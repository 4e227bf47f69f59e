"""Small helpers shared by the print layouts."""

from __future__ import annotations

import io
from typing import Any

from truyenthanh.printing.fonts import FontSet, clean_text, load_fonts
from truyenthanh.printing.sheet import setting


def fonts_for(settings: Any) -> FontSet:
    return load_fonts(setting(settings, "font", "BeVietnamPro"))


def clean(value: str | None) -> str:
    return clean_text(value or "")


def one_line(value: str | None) -> str:
    return " ".join(clean(value).split())


def set_user_unit(pdf: bytes, unit: int) -> bytes:
    """Set /UserUnit on every page (reportlab cannot); deterministic output."""
    import pikepdf  # only banners at a reduced scale need it: not imported by every build

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            page.obj[pikepdf.Name.UserUnit] = unit
        out = io.BytesIO()
        doc.save(
            out,
            deterministic_id=True,
            min_version="1.6",  # UserUnit is PDF 1.6
            compress_streams=True,
            fix_metadata_version=False,
        )
    return out.getvalue()


def nfc_model(model: Any) -> Any:
    """A copy of a config model (Issuer, Area, PrintShop) with every text field cleaned to NFC."""
    if model is None:
        return None
    updates: dict[str, Any] = {}
    for name, value in model:
        if isinstance(value, str):
            updates[name] = one_line(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            updates[name] = tuple(one_line(v) for v in value)
    return model.model_copy(update=updates)
