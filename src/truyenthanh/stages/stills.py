"""Stage: every distinct e-screen slide of the week, encoded once as one GOP of H.264.

The slides of every deck (stages/screens.py `screens`) in every board size, as
views of exactly what they draw (channels/slides.py `SlideView`); each distinct
view is one internal job whose cache entry the builder writes under
`.cache/stills/`. The screens stage then only cuts and joins (channels/stills.py).
Slides depend on the approved text, not on the programme's timing, so this stage
runs beside texts, segments and prints.
"""

from __future__ import annotations

from truyenthanh import layout
from truyenthanh.channels.slides import deck_views
from truyenthanh.channels.stills import encode_still, still_key
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.stages.context import Context
from truyenthanh.stages.screens import screens

NAME = "stills"
HEADING = "Trang chiếu màn hình…"
NEEDS: tuple[str, ...] = ()


def jobs(ctx: Context) -> list[Job]:
    views = {}
    for screen in screens(ctx):
        for w, h in ctx.config.channels.screen_sizes:
            try:
                for view in deck_views(screen.deck, w, h):
                    views.setdefault(still_key(view), view)
            except TruyenThanhError:
                continue  # the video job meets the same error and reports it for its item
    return [
        Job(
            kind="still",
            path=layout.still_path(key),
            key=key,
            fn=encode_still,
            args=(view,),
            unpack=_entry,
            internal=True,
        )
        for key, view in views.items()
    ]


def _entry(data: bytes) -> tuple[bytes, dict]:
    return data, {}
