"""Stage: one broadcast programme per (announcement, area) with a spoken script.

Pure assembly: the segment stage has made every sentence, sound and silence;
a programme job joins their frames and computes its loudness from their
measurements (audio/assemble.py). The recipes are resolved here, once per
build, and shared with the segment and bulletin stages.
"""

from __future__ import annotations

from functools import partial

from truyenthanh import audio, layout
from truyenthanh.atomic import Pieces
from truyenthanh.audio import recording as recorded
from truyenthanh.errors import AudioError, TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context
from truyenthanh.stages.texts import spoken_scripts, voice_for

NAME = "programmes"
HEADING = "Chương trình phát thanh…"
NEEDS: tuple[str, ...] = ("segments",)


def unpack_audio(result: audio.Assembled, notes: tuple[str, ...] = ()) -> tuple[Pieces, dict]:
    # A recorded voice is named first: it speaks the body; an engine only the title or closing.
    engines = sorted(result.engines, key=lambda e: e != "recording")
    meta = {
        "engine": "+".join(engines),
        "engines": engines,
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
    said = list(notes)
    if result.loudness == "mastered_whole":
        said.append(
            "độ lớn tính từ các đoạn lệch chuẩn nên cả tệp đã được chuẩn hóa lại (mã hóa lại toàn bộ)"
        )
    if said:
        meta["note"] = "; ".join(said)
    return result.audio, meta


def request_for(ctx: Context, ann_id: str, area_id: str) -> audio.ProgrammeRequest | None:
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
        **recording_fields(ctx, ann_id, area_id),
    )


def recording_fields(ctx: Context, ann_id: str, area_id: str) -> dict:
    """The request's recorded parts: the announcement's recording and the area's closing clip."""
    ann = ctx.project.announcement(ann_id)
    fields: dict = {}
    if ann.meta.recording is not None:
        ref = ctx.keyed(
            "recording",
            ann.meta.recording,
            lambda: recorded.recording_ref(ctx.project.root, ann.meta.recording),
        )
        if ref.sha256 != ann.recording_sha256:  # what is played must be what was approved
            raise AudioError(
                f"Tệp ghi âm “{ref.name}” đã thay đổi sau khi nạp dự án; hãy chạy lại lệnh dựng."
            )
        fields["recording"] = ref
        fields["recording_covers_title"] = ann.meta.recording_covers_title
    clip, _note = closing_clip(ctx, area_id)
    if clip is not None:
        fields["closing_clip"] = clip
    return fields


def closing_clip(ctx: Context, area_id: str) -> tuple[audio.RecordingRef | None, str | None]:
    """The area's recorded closing line, checked once; an unusable clip falls back to the engine, noted."""

    def find():
        try:
            ref = recorded.closing_clip_ref(ctx.project.root, area_id)
            if ref is not None:
                voice_seconds(ctx, ref)
            return ref, None
        except TruyenThanhError as exc:
            return (
                None,
                f"không dùng được lời kết ghi âm của địa bàn ({exc.message}); bộ đọc đọc lời kết",
            )

    return ctx.keyed("closing_clip", area_id, find)


def voice_seconds(ctx: Context, ref: audio.RecordingRef) -> float:
    """Decodes and trims a recording in the main process once per build: a bad file fails its items
    before any job is declared, and the duration warning needs the length of the voice."""
    settings = ctx.config.audio

    def probe():
        # Decoding needs numpy and ffmpeg: loaded here only when the project has recordings.
        from truyenthanh.audio.recording_samples import voice_seconds as decoded_seconds

        try:
            return decoded_seconds(ref, settings.sample_rate, settings.highpass_hz)
        except TruyenThanhError as exc:
            return exc

    found = ctx.keyed("voice_seconds", (ref.sha256, ref.format), probe)
    if isinstance(found, TruyenThanhError):
        raise found
    return found


def recording_notes(
    ctx: Context, req: audio.ProgrammeRequest, area_id: str, voice: str
) -> tuple[str, ...]:
    """Warnings for the officer about the recorded parts of a programme (checks the recording)."""
    notes = []
    _clip, clip_note = closing_clip(ctx, area_id)
    if clip_note:
        notes.append(clip_note)
    if req.recording is not None:
        actual = voice_seconds(ctx, req.recording)
        covered = [s for para in req.spoken_paragraphs for s in para]
        if req.recording_covers_title:
            covered.insert(0, req.spoken_title)
        expected = recorded.estimated_seconds(covered, ctx.project.voice(voice).espeak.rate_wpm)
        note = recorded.duration_note(
            actual, expected, ctx.config.audio.recording_duration_factor, req.recording.name
        )
        if note:
            notes.append(note)
    return tuple(notes)


def sounds(ctx: Context):
    """The sound files in use with their digests (or why they cannot be used), once per build."""

    def resolve():
        try:
            return audio.sound_refs(ctx.config.audio, ctx.project.root)
        except TruyenThanhError as exc:
            return exc

    return ctx.once("sound_refs", resolve)


def spec_maker(ctx: Context, voice: str) -> audio.SpecMaker:
    """One per voice: specs of the same sentence are one object, pickled once per job."""

    def make():
        settings, profile = ctx.config.audio, ctx.project.voice(voice)
        return audio.SpecMaker(
            settings, profile, audio.engines_for(settings, ctx.engine, profile), sounds(ctx)
        )

    return ctx.keyed("spec_maker", voice, make)


def recipes(ctx: Context) -> dict[tuple[str, str], audio.ProgrammeRecipe | TruyenThanhError]:
    """Every programme's recipe (or why it cannot be made), resolved once per build."""
    return ctx.once("programme_recipes", lambda: _resolve_all(ctx))


def programme_notes(ctx: Context) -> dict[tuple[str, str], tuple[str, ...]]:
    """Warnings per programme for the run report (filled while the recipes are resolved)."""
    recipes(ctx)
    return ctx.once("programme_notes", dict)


def _resolve_all(ctx: Context) -> dict:
    out: dict = {}
    notes = ctx.once("programme_notes", dict)
    refs = sounds(ctx)
    for ann_id, area_id in sorted(spoken_scripts(ctx)):
        try:
            req = request_for(ctx, ann_id, area_id)
            if req is not None:
                notes[(ann_id, area_id)] = recording_notes(
                    ctx, req, area_id, voice_for(ctx.project, area_id)
                )
        except (
            TruyenThanhError
        ) as exc:  # the recording cannot be used: this item fails, in every area
            out[(ann_id, area_id)] = exc
            continue
        if req is None:
            continue  # the texts stage reported why
        if isinstance(refs, TruyenThanhError):
            out[(ann_id, area_id)] = refs
            continue
        voice = voice_for(ctx.project, area_id)
        try:
            maker = spec_maker(ctx, voice)
            closing = ctx.keyed(
                "closing_line", req.area_name, lambda name=req.area_name: audio.closing_line(name)
            )
            out[(ann_id, area_id)] = audio.programme_recipe(
                req, ctx.config.audio, maker.voice, ctx.engine, refs, closing, maker
            )
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
        notes = programme_notes(ctx).get((ann_id, area_id), ())
        # The notes are kept with the file's state: a changed note must not be hidden by a reused file.
        key = content_key("programme-notes", recipe.key, notes) if notes else recipe.key
        out.append(
            Job(
                kind="audio",
                path=path,
                key=key,
                fn=audio.assemble_programme,
                args=(recipe, str(ctx.out), str(ctx.speech_cache)),
                unpack=partial(unpack_audio, notes=notes) if notes else unpack_audio,
                area=area_id,
                announcement=ann_id,
                read_back=True,  # the bundle and the e-screen video with sound read it
                zip_member=True,
            )
        )
    return out
