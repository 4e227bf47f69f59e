"""What an operator script lists: the week's items and, per day and slot, what plays.

Declared by the operator stage in the main process; laid out by printing/operator.py in a
worker (reportlab).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from truyenthanh.domain import running_order


@dataclass(frozen=True)
class OperatorItem:
    title: str
    priority: str  # "normal" | "priority" | "emergency"
    valid_from: dt.date
    valid_until: dt.date
    repeat: int  # extra readings after the first
    body: str
    audio_file: str | None


@dataclass(frozen=True)
class RundownEntry:
    title: str
    priority: str
    audio_file: str | None
    duration_s: float


@dataclass(frozen=True)
class RundownSlot:
    day: dt.date
    slot: str  # "05:30"
    entries: tuple[RundownEntry, ...]


def broadcast_order(items: list[OperatorItem]) -> list[OperatorItem]:
    return running_order(items, lambda it: (it.priority, it.title, it.audio_file or ""))
