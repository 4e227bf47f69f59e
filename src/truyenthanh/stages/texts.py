"""Stage: rendered texts and spoken scripts, for proofreading and for the voice.

Both are made in the main process; the spoken scripts are resolved once per build
(`spoken_scripts`) and shared with the programme stage. Each is also remembered in
the spoken-script cache (`layout.spoken_cache_path`), keyed by the text, the project's
lexicon, the dialect and the normaliser's own code: a night with one announcement
edited reads only that one's texts again (~2 ms a text; a national week has ~13,000),
before anything else of the build can start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from truyenthanh import layout
from truyenthanh.errors import NormalizeError, TruyenThanhError
from truyenthanh.job import Job
from truyenthanh.keys import content_key
from truyenthanh.normalize import Dialect, Lexicon, SpokenScript, spoken_script
from truyenthanh.normalize.script import normaliser_identity
from truyenthanh.stages.context import Context

NAME = "texts"
HEADING = "Văn bản và kịch bản đọc…"
NEEDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spoken:
    script: SpokenScript
    title: str  # the title as spoken
    key: str = ""  # of its entry in the spoken-script cache

    @property
    def readable(self) -> str:
        return f"{self.title}\n\n{self.script.text}\n"

    def entry(self) -> bytes:
        """The cache entry: its own key inside, so a damaged or misplaced file is not used."""
        paragraphs = [list(p) for p in self.script.paragraphs]
        fields = {"key": self.key, "title": self.title, "paragraphs": paragraphs}
        return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_entry(cls, data: bytes, key: str) -> Spoken | None:
        try:
            fields = json.loads(data)
            if fields["key"] != key:
                return None
            script = SpokenScript(tuple(tuple(map(str, p)) for p in fields["paragraphs"]))
            return cls(script, str(fields["title"]), key)
        except (ValueError, KeyError, TypeError):
            return None


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
    reader = content_key("reader", project.lexicon_extra, normaliser_identity())
    out: dict[tuple[str, str], Spoken | TruyenThanhError] = {}
    by_key: dict[str, Spoken | TruyenThanhError] = {}  # a district-wide text is read once
    for (ann_id, area_id), text in sorted(ctx.selection.texts.items()):
        if not project.announcement(ann_id).wants("audio"):
            continue
        dialect = dialect_for(project, voice_for(project, area_id))
        key = content_key("spoken-script", text.body, text.title, dialect, reader)
        if key not in by_key:
            by_key[key] = _remembered(ctx, key) or _speak(
                text, ctx.once("lexicon", lambda: lexicon_for(project)), dialect, key
            )
        out[(ann_id, area_id)] = by_key[key]
    return out


def _remembered(ctx: Context, key: str) -> Spoken | None:
    try:
        data = (ctx.out / layout.spoken_cache_path(key)).read_bytes()
    except OSError:
        return None
    return Spoken.from_entry(data, key)


def _speak(text, lexicon: Lexicon, dialect: Dialect, key: str) -> Spoken | TruyenThanhError:
    try:
        script = spoken_script(text.body, lexicon, dialect)
        title = spoken_script(text.title, lexicon, dialect).text
    except Exception as exc:  # the normaliser must never take the batch down
        return NormalizeError(f"Không tạo được kịch bản đọc: {exc}")
    if not script.paragraphs:
        return NormalizeError("Kịch bản đọc trống: thông báo không có nội dung đọc được.")
    return Spoken(script, title, key)


def jobs(ctx: Context) -> list[Job]:
    week = ctx.week
    spoken = spoken_scripts(ctx)
    out: list[Job] = []
    remembered: set[str] = set()  # a district-wide text reads the same in every area: one entry
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
            if said.key in remembered:
                continue
            remembered.add(said.key)
            out.append(
                Job(
                    kind="spoken_cache",
                    path=layout.spoken_cache_path(said.key),
                    key=said.key,
                    data=said.entry(),
                    internal=True,
                )
            )
    return out
