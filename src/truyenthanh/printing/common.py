"""Small helpers shared by the print layouts."""

from __future__ import annotations

import io
from typing import Any

import pikepdf

from truyenthanh.printing.fonts import FontSet, clean_text, load_fonts

PRIORITY_LABEL = {"emergency": "khẩn cấp", "priority": "ưu tiên", "normal": "thông thường"}


def setting(settings: Any, name: str, default: Any) -> Any:
    """Read an optional PrintSettings field that the schema may not have (yet)."""
    value = getattr(settings, name, None)
    return default if value is None else value


def fonts_for(settings: Any) -> FontSet:
    return load_fonts(setting(settings, "font", "BeVietnamPro"))


def clean(value: str | None) -> str:
    return clean_text(value or "")


def one_line(value: str | None) -> str:
    return " ".join(clean(value).split())


def set_user_unit(pdf: bytes, unit: int) -> bytes:
    """Set /UserUnit on every page (reportlab cannot); deterministic output."""
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
