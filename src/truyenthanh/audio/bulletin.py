"""A day's bulletin for one area: one opening, the day's items, one closing — one assembly.

    pre-roll · ident · "Đài truyền thanh xin phát bản tin thứ hai, ngày …"
    then per item, in the running order: gap · chime(s) · lead · title · body
    then: gap · closing line · closing tone · tail

A bulletin is not programmes glued together: it has one ident and one closing,
and each item is read once (its repeats live in its own programme file). No
programme file is read and nothing is re-encoded: the items' segment specs come
from their programme recipes, and the whole is assembled like a programme.

Like audio/programme.py, planned in the main process; a worker assembles the bulletin
(audio/jobs.py, audio/assemble.py).
"""

from __future__ import annotations

import datetime as dt
import logging

from truyenthanh.audio.frames import mp3_duration
from truyenthanh.audio.programme import (
    PAUSE_AFTER_LEAD,
    SpecMaker,
    closing_part,
    ending,
    item_plan,
    opening,
)
from truyenthanh.audio.recipe import BulletinRecipe, ProgrammeRecipe
from truyenthanh.audio.tags import Tags
from truyenthanh.errors import AudioError
from truyenthanh.weeks import WEEKDAYS_VI

log = logging.getLogger(__name__)


def opening_line(day: dt.date) -> str:
    """ "Đài truyền thanh xin phát bản tin thứ hai, ngày hai mươi tháng hai." (spoken)

    The ident before it names the station, so the line does not: one sentence per
    day for every area (synthesised once), not one per area and day.
    """
    from truyenthanh.normalize import spoken_script

    date = spoken_script(f"ngày {day:%d/%m}").text.strip().rstrip(".")
    date = date[:1].lower() + date[1:]
    return f"Đài truyền thanh xin phát bản tin {WEEKDAYS_VI[day.weekday()].lower()}, {date}."


def day_title(day: dt.date) -> str:
    return f"{WEEKDAYS_VI[day.weekday()]}, {day:%d/%m/%Y}"


def bulletin_recipe(
    programmes: list[ProgrammeRecipe],
    area_name: str,
    station: str,
    week: str,
    day: dt.date,
    opening_text: str,
    maker: SpecMaker | None = None,
) -> BulletinRecipe:
    """The day's items (their programme recipes, already in the running order) as one bulletin.

    `maker`: the one their programmes were made with (the stage shares it per voice), so a
    sentence's spec is one object, its phrases cut and its key hashed once for the week."""
    if not programmes:
        raise AudioError(
            f"Không có thông báo nào để ghép bản tin {day_title(day)} cho {area_name}."
        )
    first = programmes[0]
    settings = first.settings
    maker = maker or SpecMaker(settings, first.voice, first.engines, first.sounds)
    plan = opening(settings) + [("speech", opening_text), ("pause", PAUSE_AFTER_LEAD)]
    for prog in programmes:
        plan += [("pause", settings.gap_seconds), *item_plan(prog.request, settings)]
    plan += [
        ("pause", settings.gap_seconds),
        *ending(closing_part(first.request, first.closing_line)),
    ]
    return BulletinRecipe(
        area_name,
        station,
        week,
        day.isoformat(),
        tuple(p.request.title for p in programmes),
        settings,
        maker.specs(plan),
    )


def bulletin_tags(recipe: BulletinRecipe) -> Tags:
    day = dt.date.fromisoformat(recipe.date)
    titles = "; ".join(recipe.titles)
    return Tags(
        title=f"Bản tin {day_title(day)} – {recipe.area_name}",
        artist=recipe.station,
        album=f"{recipe.area_name} – {recipe.week}",
        date=recipe.date,
        comment=f"{len(recipe.titles)} thông báo: {titles}"[:1000],
    )


__all__ = ["bulletin_recipe", "day_title", "mp3_duration", "opening_line"]
