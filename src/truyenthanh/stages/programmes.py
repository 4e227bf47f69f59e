"""Stage: one broadcast programme per (announcement, area) with a spoken script."""

from __future__ import annotations

from truyenthanh import audio, layout
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context
from truyenthanh.stages.texts import spoken_scripts, voice_for

NAME = "programmes"
HEADING = "Chương trình phát thanh…"
NEEDS: tuple[str, ...] = ()


def unpack_audio(result: "audio.AudioResult") -> tuple[bytes, dict]:
    return result.mp3, {
        "engine": result.engine,
        "duration_s": round(result.duration_s, 3),
        "tts_requests": result.tts_requests,
        "tts_cache_hits": result.tts_cache_hits,
        "lufs": round(result.lufs, 2),
        "true_peak_dbtp": round(result.true_peak_dbtp, 2),
        "seconds_synthesis": round(result.seconds_synthesis, 4),
        "seconds_encoding": round(result.seconds_encoding, 4),
    }


def request_for(ctx: Context, ann_id: str, area_id: str) -> "audio.ProgrammeRequest | None":
    said = spoken_scripts(ctx).get((ann_id, area_id))
    if said is None or isinstance(said, TruyenThanhError):
        return None
    text = ctx.selection.texts[(ann_id, area_id)]
    area = ctx.config.area(area_id)
    return audio.ProgrammeRequest(
        announcement_id=ann_id,
        title=text.title,
        area_name=area.full_name,
        station=area.station,
        week=ctx.week.label,
        date=ctx.week.monday.isoformat(),
        approval_sha256=text.approval_sha256,
        spoken_paragraphs=said.script.paragraphs,
        spoken_title=said.title,
        repeats=text.repeat,
        priority=text.priority,
    )


def jobs(ctx: Context) -> list[Job]:
    project, settings = ctx.project, ctx.config.audio
    out = []
    for ann_id, area_id in sorted(spoken_scripts(ctx)):
        req = request_for(ctx, ann_id, area_id)
        if req is None:
            continue  # the texts stage reported why
        voice = voice_for(project, area_id)
        key = content_key("programme", audio.programme_key(req, settings, voice, ctx.engine, project.root))
        out.append(Job(kind="audio", path=layout.programme_path(ctx.week, area_id, ann_id), key=key,
                       fn=audio.build_programme,
                       args=(req, settings, voice, ctx.engine, project.root, ctx.speech_cache),
                       unpack=unpack_audio, area=area_id, announcement=ann_id))
    return out
