"""Stage: the e-screen video with sound: the silent video's picture + the programme as AAC."""

from __future__ import annotations

from pathlib import Path

from truyenthanh import channels, layout
from truyenthanh.channels.video import AAC, with_sound
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context

NAME = "screens_sound"
HEADING = "Ghép tiếng cho video màn hình…"
NEEDS: tuple[str, ...] = ("screens",)


def mux(out: str, video: str, programme: str) -> tuple[bytes, dict]:
    root = Path(out)
    return with_sound((root / video).read_bytes(), (root / programme).read_bytes()), {}


def jobs(ctx: Context) -> list[Job]:
    out: list[Job] = []
    for rec in sorted(ctx.records.values(), key=lambda r: r.path):
        if rec.kind != "screen_video" or not rec.extra.get("silent"):
            continue
        programme = ctx.record(rec.extra["programme"])
        if programme is None:
            continue
        w, h = rec.extra["width"], rec.extra["height"]
        path = layout.screen_video_path(
            ctx.week, rec.announcement or "", w, h, rec.area, silent=False
        )
        keep = {
            k: rec.extra[k]
            for k in (
                "width",
                "height",
                "fps",
                "duration_s",
                "slides",
                "pages",
                "timed_by_area",
                "codec",
            )
            if k in rec.extra
        }
        out.append(
            Job(
                kind="screen_video",
                path=path,
                fn=mux,
                args=(str(ctx.out), rec.path, programme.path),
                unpack=_with_meta,
                key=content_key(
                    "screen_video_sound", rec.sha256, programme.sha256, AAC, channels.RECIPE_VERSION
                ),
                extra={
                    **keep,
                    "silent": False,
                    "programme": programme.path,
                    "silent_variant": rec.path,
                },
                area=rec.area,
                announcement=rec.announcement,
            )
        )
    return out


def _with_meta(result: tuple[bytes, dict]) -> tuple[bytes, dict]:
    return result
