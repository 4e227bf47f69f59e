"""The domain vocabulary: one place for each rule the stages share.

Priority levels, the broadcast running order, paper sizes and print kinds are
facts of commune radio and print practice; every stage, the schedule, the
operator script and the page ask this module instead of keeping a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# --- priority ------------------------------------------------------------------------------

PRIORITIES = ("emergency", "priority", "normal")  # broadcast rank order (smart-radio rules)
PRIORITY_VI = {"emergency": "khẩn cấp", "priority": "ưu tiên", "normal": "thông thường"}
# Spoken before the title of a programme; a normal item has none.
PRIORITY_LEAD = {
    "emergency": "Thông báo khẩn.",
    "priority": "Thông báo quan trọng.",
    "normal": None,
}
_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def priority_rank(priority: str) -> int:
    """0 emergency, 1 priority, 2 normal; anything unknown after normal."""
    return _RANK.get(priority, len(PRIORITIES))


def is_urgent(priority: str) -> bool:
    """Emergency and priority items are marked on the operator script and the page."""
    return priority_rank(priority) < _RANK["normal"]


# --- the running order ----------------------------------------------------------------------


def running_key(priority: str, title: str, announcement_id: str) -> tuple:
    """The one broadcast running order: priority, then title, then id (a total order).

    Programmes, bulletins, playlists, the schedule, the operator script and the
    page all sort with this key, so what the bulletin plays and what the
    playlist and the rundown list never disagree.
    """
    return (priority_rank(priority), title.casefold(), announcement_id)


def _item_fields(item: Any) -> tuple[str, str, str]:
    if isinstance(item, dict):
        return (
            item.get("priority", "normal"),
            item.get("title", ""),
            item.get("id") or item.get("announcement", ""),
        )
    return (
        getattr(item, "priority", "normal"),
        getattr(item, "title", ""),
        getattr(item, "announcement_id", None) or getattr(item, "id", ""),
    )


def running_order(
    items: Iterable[T], fields: Callable[[T], tuple[str, str, str]] = _item_fields
) -> list[T]:
    """`items` in the broadcast running order; `fields(item)` gives (priority, title, id)."""
    return sorted(items, key=lambda it: running_key(*fields(it)))


# --- print ----------------------------------------------------------------------------------

# Finished (trim) sizes in mm, portrait: ISO 216.
PAPER_MM: dict[str, tuple[float, float]] = {
    "A0": (841.0, 1189.0),
    "A1": (594.0, 841.0),
    "A2": (420.0, 594.0),
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
}
POSTER_PAPERS = ("A0", "A1", "A2", "A3")


def landscape(paper: str) -> tuple[float, float]:
    w, h = PAPER_MM[paper]
    return (h, w)


@dataclass(frozen=True)
class PrintKind:
    name: str  # run-report kind and order-sheet key
    label_vi: str  # "Tờ gấp"
    file_word: str  # ASCII word in file names
    unit_vi: str  # "tờ", "chiếc"
    material_vi: str


PRINT_KINDS: dict[str, PrintKind] = {
    k.name: k
    for k in (
        PrintKind(
            "leaflet", "Tờ gấp", "to-gap", "tờ", "giấy couché 150 g/m², in 2 mặt 4 màu, gấp 3"
        ),
        PrintKind(
            "banner", "Băng rôn", "bang-ron", "chiếc", "vải (hoặc bạt hiflex), in 1 mặt, may viền"
        ),
        PrintKind("poster", "Áp phích", "ap-phich", "tờ", "giấy couché 200 g/m² (hoặc decal)"),
    )
}


def print_kind(name: str) -> PrintKind:
    return PRINT_KINDS[name]


# --- artifacts --------------------------------------------------------------------------------

# Run-report kinds (DESIGN.md contract), in the order the page presents them.
ARTIFACT_KINDS = (
    "text",
    "spoken_script",
    "audio",
    "bulletin",
    "bundle",
    "operator_script",
    "leaflet",
    "banner",
    "poster",
    "print_order",
    "index",
    "feed",
    "screen_video",
    "social_card",
    "post_text",
    "web_post",
)
