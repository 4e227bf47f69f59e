"""Regional reading conventions for numbers (a voice profile picks one)."""

from __future__ import annotations

from dataclasses import dataclass

from truyenthanh.errors import TruyenThanhError

_ALLOWED = {
    "thousand": ("nghìn", "ngàn"),
    "zero_ten": ("linh", "lẻ"),
    "four": ("tư", "bốn"),
}

_ALIASES = {
    "north": "north",
    "northern": "north",
    "bac": "north",
    "bắc": "north",
    "mien-bac": "north",
    "central": "central",
    "trung": "central",
    "mien-trung": "central",
    "south": "south",
    "southern": "south",
    "nam": "south",
    "mien-nam": "south",
}


class DialectError(TruyenThanhError, ValueError):
    """An unknown dialect name or an invalid reading choice."""


@dataclass(frozen=True)
class Dialect:
    """How numbers are read aloud.

    thousand: "nghìn" (north) or "ngàn" (central, south): 2000 "hai nghìn"/"hai ngàn".
    zero_ten: "linh" (north) or "lẻ" (central, south): 105 "một trăm linh năm"/"lẻ năm".
    four: the units digit 4 after "mươi": 24 "hai mươi tư" or "hai mươi bốn"
          (14 is always "mười bốn"; ordinals and "tháng tư" are not affected).
    """

    thousand: str = "nghìn"
    zero_ten: str = "linh"
    four: str = "tư"

    def __post_init__(self) -> None:
        for name, allowed in _ALLOWED.items():
            value = getattr(self, name)
            if value not in allowed:
                raise DialectError(
                    f"Cách đọc “{value}” không hợp lệ cho {name}; chỉ nhận: {', '.join(allowed)}."
                )

    @classmethod
    def named(cls, name: str) -> Dialect:
        """ "north" (nghìn, linh, tư), "central" (ngàn, lẻ, tư) or "south" (ngàn, lẻ, bốn)."""
        key = _ALIASES.get(str(name).strip().lower())
        if key == "north":
            return cls()
        if key == "central":
            return cls(thousand="ngàn", zero_ten="lẻ", four="tư")
        if key == "south":
            return cls(thousand="ngàn", zero_ten="lẻ", four="bốn")
        raise DialectError(f"Không có phương ngữ “{name}”; chọn north, central hoặc south.")


NORTH = Dialect()
