"""Small formatting helpers for Vietnamese user-facing text."""

from __future__ import annotations


def vi_number(n: int | float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it: "." groups thousands, "," marks decimals.

    20000 -> "20.000"; 1234.5 with decimals=1 -> "1.234,5". Formats the number alone,
    so a sentence around it keeps its own commas (a replace over the whole message
    turned "(tối đa 20.000, khoảng 25 phút)" into "20.000. khoảng").
    """
    text = f"{n:,.{decimals}f}"
    return text.translate(str.maketrans({",": ".", ".": ","}))
