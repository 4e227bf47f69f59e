"""Stage: one broadcast programme per (announcement, area) with a spoken script.

Pure assembly: the segment stage has made every sentence, sound and silence;
a programme job joins their frames and computes its loudness from their
measurements (audio/assemble.py). The recipes are resolved here, once per
build, and shared with the segment and bulletin stages.
"""

from __future__ import annotations

from truyenthanh import audio, layout
from truyenthanh.errors import TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.stages.context import Context
from truyenthanh.stages.texts import spoken_scripts, voice_for

NAME = "programmes"
HEADING = "Chương trình phát thanh…"
NEEDS: tuple[str, ...] = ("segments",)


def unpack_audio(result: "audio.Assembled") -> tuple[bytes, dict]:
    meta = {
        "engine": "+".join(result.engines),
        "engines": result.engines,
        "duration_s": round(result.duration_s, 3),
        "lufs": round(result.lufs, 2),
        "true_peak_dbtp": round(result.true_peak_dbtp, 2),
        "loudness": result.loudness,
        "segments": result.segments,
        "segments_rebuilt": result.rebuilt,
        "tts_requests": result.tts_requests,
        "tts_cache_hits": result.tts_cache_hits,
        "seconds_synthesis": round(result.seconds_synthesis, 4),
        "seconds": round(result.seconds, 4),
        "joins": result.joins,  # decoded sample offsets where segments meet (checked for clicks)
    }
    if result.loudness == "mastered_whole":
        meta["note"] = ("độ lớn tính từ các đoạn lệch chuẩn nên cả tệp đã được chuẩn hóa lại "
                        "(mã hóa lại toàn bộ)")
    return result.mp3, meta


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


def sounds(ctx: Context):
    """The sound files in use with their digests (or why they cannot be used), once per build."""
    def resolve():
        try:
            return audio.sound_refs(ctx.config.audio, ctx.project.root)
        except TruyenThanhError as exc:
            return exc
    return ctx.once("sound_refs", resolve)


def spec_maker(ctx: Context, voice: str) -> "audio.SpecMaker":
    """One per voice: specs of the same sentence are one object, pickled once per job."""
    def make():
        settings, profile = ctx.config.audio, ctx.project.voice(voice)
        return audio.SpecMaker(settings, profile, audio.engines_for(settings, ctx.engine, profile), sounds(ctx))
    return ctx.keyed("spec_maker", voice, make)


def recipes(ctx: Context) -> dict[tuple[str, str], "audio.ProgrammeRecipe | TruyenThanhError"]:
    """Every programme's recipe (or why it cannot be made), resolved once per build."""
    return ctx.once("programme_recipes", lambda: _resolve_all(ctx))


def _resolve_all(ctx: Context) -> dict:
    out: dict = {}
    refs = sounds(ctx)
    for ann_id, area_id in sorted(spoken_scripts(ctx)):
        req = request_for(ctx, ann_id, area_id)
        if req is None:
            continue  # the texts stage reported why
        if isinstance(refs, TruyenThanhError):
            out[(ann_id, area_id)] = refs
            continue
        voice = voice_for(ctx.project, area_id)
        try:
            maker = spec_maker(ctx, voice)
            closing = ctx.keyed("closing_line", req.area_name, lambda: audio.closing_line(req.area_name))
            out[(ann_id, area_id)] = audio.programme_recipe(req, ctx.config.audio, maker.voice, ctx.engine, refs,
                                                            closing, maker)
        except TruyenThanhError as exc:
            out[(ann_id, area_id)] = exc
    return out


def jobs(ctx: Context) -> list[Job]:
    out = []
    for (ann_id, area_id), recipe in sorted(recipes(ctx).items()):
        path = layout.programme_path(ctx.week, area_id, ann_id)
        if isinstance(recipe, TruyenThanhError):
            out.append(Job.failed("audio", path, recipe, area=area_id, announcement=ann_id))
            continue
        out.append(Job(kind="audio", path=path, key=recipe.key, fn=audio.assemble_programme,
                       args=(recipe, str(ctx.out), str(ctx.speech_cache)),
                       unpack=unpack_audio, area=area_id, announcement=ann_id))
    return out
