"""The week's bulletin for one area: its programmes' segments behind the ident, one assembly.

No programme file is read and nothing is re-encoded: a bulletin is the list
ident · pause · programme 1 · gap · programme 2 … · pause · closing tone of
segment specs (the programmes' own, from their recipes), assembled like a
programme. A daily bulletin is just another list.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from truyenthanh.audio.assemble import Assembled, SegmentSource, assemble
from truyenthanh.audio.frames import mp3_duration
from truyenthanh.audio.model import PRIORITIES
from truyenthanh.audio.programme import PAUSE_AFTER_SOUND, SpecMaker
from truyenthanh.audio.recipe import BulletinRecipe, ProgrammeRecipe
from truyenthanh.audio.tags import Tags
from truyenthanh.errors import AudioError

log = logging.getLogger(__name__)

_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def priority_rank(priority: str) -> int:
    """0 emergency, 1 priority, 2 normal; anything unknown after normal."""
    return _RANK.get(priority, len(PRIORITIES))


def _priority_of(item: Any) -> str:
    if isinstance(item, dict):
        return item.get("priority", "normal")
    return getattr(item, "priority", "normal")


def broadcast_order(items: Iterable, priority: Callable[[Any], str] = _priority_of) -> list:
    """Emergency first, then priority, then normal; stable within a level."""
    return sorted(items, key=lambda it: priority_rank(priority(it)))


def week_label(week: str) -> str:
    m = re.fullmatch(r"(\d{4})-W(\d{2})", week)
    return f"{int(m.group(2))} năm {m.group(1)}" if m else week


def bulletin_recipe(programmes: list[ProgrammeRecipe], area_name: str, station: str, week: str,
                    date: str) -> BulletinRecipe:
    """The recipes of the programmes, already in the running order, strung together."""
    if not programmes:
        raise AudioError(f"Không có chương trình nào để ghép bản tin tuần {week} cho {area_name}.")
    first = programmes[0]
    settings = first.settings
    maker = SpecMaker(settings, first.voice, first.engines, first.sounds)
    parts = []
    ident, closing = maker.sound("ident"), maker.sound("closing")
    if ident is not None:
        parts += [ident, maker.pause(PAUSE_AFTER_SOUND)]
    for i, prog in enumerate(programmes):
        if i:
            parts.append(maker.pause(settings.gap_seconds))
        parts += prog.parts
    if closing is not None:
        parts += [maker.pause(PAUSE_AFTER_SOUND), closing]
    return BulletinRecipe(area_name, station, week, date, tuple(p.request.title for p in programmes), settings,
                          tuple(p for p in parts if p is not None))


def bulletin_extras(settings, voice, engines, sounds) -> list:
    """The segments a bulletin adds to its programmes' (for the segment stage)."""
    maker = SpecMaker(settings, voice, engines, sounds)
    found = [maker.sound("ident"), maker.pause(PAUSE_AFTER_SOUND), maker.pause(settings.gap_seconds),
             maker.sound("closing")]
    return [s for s in found if s is not None]


def bulletin_tags(recipe: BulletinRecipe) -> Tags:
    titles = "; ".join(recipe.titles)
    return Tags(
        title=f"Bản tin tuần {week_label(recipe.week)} – {recipe.area_name}",
        artist=recipe.station,
        album=f"{recipe.area_name} – {recipe.week}",
        date=recipe.date,
        comment=f"{len(recipe.titles)} chương trình: {titles}"[:1000],
    )


def assemble_bulletin(recipe: BulletinRecipe, segment_root: Path | str | None, speech_cache: Path | str) -> Assembled:
    """The worker side of a bulletin job: pure assembly from the segment cache."""
    source = SegmentSource(segment_root, speech_cache)
    return assemble(recipe.parts, source, recipe.settings, bulletin_tags(recipe),
                    f"bản tin tuần {recipe.week} của {recipe.area_name}")


__all__ = ["assemble_bulletin", "broadcast_order", "bulletin_recipe", "mp3_duration", "priority_rank", "week_label"]
