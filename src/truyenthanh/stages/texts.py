"""Stage: rendered texts and spoken scripts, for proofreading and for the voice.

Both are cheap and made in the main process; the spoken scripts are resolved once
per build (`spoken_scripts`) and shared with the programme stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from truyenthanh import layout
from truyenthanh.errors import NormalizeError, TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.normalize import Dialect, Lexicon, SpokenScript, spoken_script
from truyenthanh.stages.context import Context

NAME = "texts"
HEADING = "Văn bản và kịch bản đọc…"
NEEDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spoken:
    script: SpokenScript
    title: str  # the title as spoken

    @property
    def readable(self) -> str:
        return f"{self.title}\n\n{self.script.text}\n"


def lexicon_for(project) -> Lexicon:
    extra = project.lexicon_extra
    return Lexicon.default().extended(
        extra.get("abbreviations", {}), extra.get("pronunciations", {})
    )


def voice_for(project, area_id: str) -> str:
    return project.config.area(area_id).voice or project.config.audio.voice


def dialect_for(project, voice: str) -> Dialect:
    """The reading conventions (nghìn/ngàn, linh/lẻ…) of a voice profile resolved at load."""
    return Dialect.named(project.voice(voice).dialect)


def spoken_scripts(ctx: Context) -> dict[tuple[str, str], Spoken | TruyenThanhError]:
    """Every audio item's spoken script (or why it has none), computed once per build."""
    return ctx.once("spoken_scripts", lambda: _speak_all(ctx))


def _speak_all(ctx: Context) -> dict[tuple[str, str], Spoken | TruyenThanhError]:
    project = ctx.project
    lexicon = lexicon_for(project)
    out: dict[tuple[str, str], Spoken | TruyenThanhError] = {}
    for (ann_id, area_id), text in sorted(ctx.selection.texts.items()):
        if not project.announcement(ann_id).wants("audio"):
            continue
        dialect = dialect_for(project, voice_for(project, area_id))
        try:
            script = spoken_script(text.body, lexicon, dialect)
            title = spoken_script(text.title, lexicon, dialect).text
        except Exception as exc:  # the normaliser must never take the batch down
            out[(ann_id, area_id)] = NormalizeError(f"Không tạo được kịch bản đọc: {exc}")
            continue
        if not script.paragraphs:
            out[(ann_id, area_id)] = NormalizeError(
                "Kịch bản đọc trống: thông báo không có nội dung đọc được."
            )
            continue
        out[(ann_id, area_id)] = Spoken(script, title)
    return out


def jobs(ctx: Context) -> list[Job]:
    week = ctx.week
    spoken = spoken_scripts(ctx)
    out: list[Job] = []
    for (ann_id, area_id), text in sorted(ctx.selection.texts.items()):
        rendered = f"{text.title}\n\n{text.body}\n"
        common = dict(area=area_id, announcement=ann_id)
        out.append(
            Job(
                kind="text",
                path=layout.text_path(week, ann_id, area_id),
                key=content_key("text", rendered),
                data=rendered.encode("utf-8"),
                **common,
            )
        )
        said = spoken.get((ann_id, area_id))
        path = layout.spoken_path(week, ann_id, area_id)
        if isinstance(said, TruyenThanhError):
            out.append(Job.failed("spoken_script", path, said, **common))
        elif said is not None:
            out.append(
                Job(
                    kind="spoken_script",
                    path=path,
                    key=content_key("spoken", said.readable),
                    data=said.readable.encode("utf-8"),
                    **common,
                )
            )
    return out
