"""Stage: the e-screen video with sound: the silent video's picture + the programme as AAC.

Nothing is encoded here: the picture is the silent video's stream, the sound the
programme's segments as AAC packets encoded once each (stages/soundtracks.py,
audio/aac.py), both copied. Only a programme re-mastered whole (its file is not
its segments' frames) is encoded to AAC whole, as one piece.
"""

from __future__ import annotations

from pathlib import Path

from truyenthanh import channels, layout
from truyenthanh.audio.aac import AacTrack, aac_encoder_identity
from truyenthanh.audio.frames import frame_samples
from truyenthanh.channels.video import AAC, with_sound, with_soundtrack
from truyenthanh.job import Job, with_meta
from truyenthanh.keys import content_key
from truyenthanh.report import ArtifactRecord
from truyenthanh.stages import programmes
from truyenthanh.stages.context import Context
from truyenthanh.stages.soundtracks import joined_from_segments

NAME = "screens_sound"
HEADING = "Ghép tiếng cho video màn hình…"
NEEDS: tuple[str, ...] = ("screens", "soundtracks")

KEEP = ("width", "height", "fps", "duration_s", "slides", "pages", "timed_by_area", "codec")


def mux(out: str, video: str, programme: str) -> tuple[bytes, dict]:
    """A programme re-mastered whole: its MP3 encoded to AAC whole."""
    root = Path(out)
    data = with_sound((root / video).read_bytes(), (root / programme).read_bytes())
    return data, {}


def track_of(programme: ArtifactRecord, recipe) -> AacTrack:
    """The programme's parts and where each ends in its decoded MP3 (the assembler's joins; the
    length from its duration, a whole number of MP3 frames)."""
    rate = recipe.settings.sample_rate
    spf = frame_samples(rate)
    total = round(float(programme.extra["duration_s"]) * rate / spf) * spf
    return AacTrack(rate, recipe.parts, (*(int(j) for j in programme.extra["joins"]), total))


def jobs(ctx: Context) -> list[Job]:
    out: list[Job] = []
    recipes = programmes.recipes(ctx) if ctx.config.channels.screens else {}
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
        recipe = recipes.get((rec.announcement, rec.extra.get("timed_by_area")))
        if not programme.planned and joined_from_segments(programme, recipe):
            track = track_of(programme, recipe)
            # The video file's path names OUT: a remote executor runs this here (shipping.py).
            fn, args = (
                with_soundtrack,
                (str(ctx.out / rec.path), track, str(ctx.out), str(ctx.speech_cache)),
            )
            read = (rec.path,)
            key = content_key(
                "screen_video_sound",
                rec.sha256,
                [p.key for p in track.segments],
                track.ends,
                track.rate,
                aac_encoder_identity(),
                channels.RECIPE_VERSION,
            )
        else:
            fn, args = mux, (str(ctx.out), rec.path, programme.path)
            read = (rec.path, programme.path)
            key = content_key(
                "screen_video_sound", rec.sha256, programme.sha256, AAC, channels.RECIPE_VERSION
            )
        out.append(
            Job(
                kind="screen_video",
                path=path,
                fn=fn,
                args=args,
                unpack=with_meta,
                key=key,
                extra={
                    **{k: rec.extra[k] for k in KEEP if k in rec.extra},
                    "silent": False,
                    "programme": programme.path,
                    "silent_variant": rec.path,
                },
                area=rec.area,
                announcement=rec.announcement,
                # The silent video's last reader (and the programme's, with the bundle: the later
                # of the two to be published puts it in the page-cache budget last).
                done_with=read,
            )
        )
    return out
