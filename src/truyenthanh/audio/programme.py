"""One announcement for one area as a broadcast-ready programme.

Running order (commune radio practice, DESIGN.md):

    pre-roll · ident · chime [· chime for emergencies] · lead ("Thông báo khẩn.") · title · body
    then, per repeat: gap · chime · "Xin nhắc lại." · title · body
    then: gap · closing line ("Đài truyền thanh xã … vừa phát xong thông báo. …") · closing tone · tail

The pre-roll is silence for amplifiers and FM links that switch on at play start
(they would clip the ident); the tail keeps the closing tone whole in players
that cut the last frames.

The plan is computed first from the request alone (pure, hashed into the
programme key); then every distinct phrase is fetched through the phrase cache,
so a sentence shared by many areas or repeats is synthesised once.

The recipes are planned in the main process, which never loads the audio libraries (numpy,
LAME, PyAV); a worker assembles the programme (audio/jobs.py, audio/assemble.py).
"""

from __future__ import annotations

import logging

from truyenthanh.audio.frames import frame_samples
from truyenthanh.audio.model import ProgrammeRequest
from truyenthanh.audio.recipe import (
    Engines,
    Mastering,
    ProgrammeRecipe,
    SegmentSpec,
    SoundRef,
    engines_for,
)
from truyenthanh.audio.tags import Tags
from truyenthanh.config import AudioSettings
from truyenthanh.domain import PRIORITIES, PRIORITY_LEAD
from truyenthanh.errors import AudioError
from truyenthanh.speech.base import check_speakable, unspeakable_characters
from truyenthanh.speech.profiles import VoiceProfile
from truyenthanh.textfmt import vi_number

log = logging.getLogger(__name__)

MAX_SPOKEN_CHARS = 20_000  # one reading; ~25 minutes at loudspeaker pace
PAUSE_SENTENCE = 0.45
PAUSE_PARAGRAPH = 0.90
PAUSE_AFTER_TITLE = 1.00
PAUSE_AFTER_SOUND = 0.50
PAUSE_AFTER_LEAD = 0.40
PRE_ROLL_S = (
    0.5  # silence before the first sound: transmitters switching on must not clip the ident
)
TAIL_S = 0.5  # silence after the closing tone: players and links that cut the end cut only silence

REPEAT_LEAD = "Xin nhắc lại."


# --- the plan ------------------------------------------------------------------------------

Part = tuple[
    str, object
]  # ("sound", "ident"|"chime"|"closing") | ("speech", text) | ("pause", seconds)
#                            | ("recording", RecordingRef)


def closing_line(area_name: str) -> str:
    area = spoken_area(area_name)
    if unspeakable_characters(area):  # a stray symbol in a config name must not be read out
        area = ""
    return (
        f"Đài truyền thanh {area} vừa phát xong thông báo. Xin cảm ơn bà con đã lắng nghe."
        if area
        else "Đài truyền thanh vừa phát xong thông báo. Xin cảm ơn bà con đã lắng nghe."
    )


def spoken_area(area_name: str) -> str:
    """The area name as spoken; through the normaliser when it is installed (e.g. "phường 3")."""
    text = " ".join(area_name.split())
    try:
        from truyenthanh.normalize import spoken_script
    except ImportError:
        return text
    try:
        spoken = " ".join(spoken_script(text).text.split()).rstrip(".")
    except Exception as exc:  # the area name is a courtesy; never fail a programme on it
        log.debug("area name %r not normalised: %s", area_name, exc)
        return text
    if text[:1].islower() and spoken[:1].isupper():  # the normaliser capitalises sentence starts
        spoken = spoken[:1].lower() + spoken[1:]
    return spoken


def check_request(req: ProgrammeRequest) -> None:
    body = [s for para in req.spoken_paragraphs for s in para if s and s.strip()]
    if not body:
        raise AudioError(
            f"Thông báo “{req.announcement_id}” không có nội dung để đọc (kịch bản đọc trống)."
        )
    if not req.spoken_title.strip():
        raise AudioError(f"Thông báo “{req.announcement_id}” thiếu tiêu đề để đọc.")
    size = len(req.spoken_title) + sum(len(s) for s in body)
    if size > MAX_SPOKEN_CHARS:
        raise AudioError(
            f"Thông báo “{req.announcement_id}” quá dài để phát: {vi_number(size)} ký tự khi đọc (tối đa "
            f"{vi_number(MAX_SPOKEN_CHARS)}, khoảng 25 phút). Hãy chia thành nhiều thông báo ngắn hơn."
        )
    if req.priority not in PRIORITIES:
        raise AudioError(
            f"Mức ưu tiên “{req.priority}” không hợp lệ (normal, priority hoặc emergency)."
        )
    if not 0 <= req.repeats <= 5:
        raise AudioError(f"Số lần nhắc lại {req.repeats} không hợp lệ (từ 0 đến 5).")
    for text in [req.spoken_title, *body]:
        check_speakable(text)


def _reading(req: ProgrammeRequest) -> list[Part]:
    if (
        req.recording is not None
    ):  # the announcer's recording is the body (and the title, when they read it)
        title: list[Part] = (
            []
            if req.recording_covers_title
            else [("speech", req.spoken_title), ("pause", PAUSE_AFTER_TITLE)]
        )
        return [*title, ("recording", req.recording)]
    parts: list[Part] = [("speech", req.spoken_title), ("pause", PAUSE_AFTER_TITLE)]
    paragraphs = [[s for s in para if s.strip()] for para in req.spoken_paragraphs]
    paragraphs = [p for p in paragraphs if p]
    for i, para in enumerate(paragraphs):
        for j, sentence in enumerate(para):
            parts.append(("speech", sentence))
            if j < len(para) - 1:
                parts.append(("pause", PAUSE_SENTENCE))
        if i < len(paragraphs) - 1:
            parts.append(("pause", PAUSE_PARAGRAPH))
    return parts


def _chimes(req: ProgrammeRequest, settings: AudioSettings) -> list[Part]:
    chimes: list[Part] = (
        [("sound", "chime"), ("pause", PAUSE_AFTER_SOUND)] if settings.chime else []
    )
    return chimes * 2 if req.priority == "emergency" else chimes


def _edge_pause(seconds: float) -> Part:
    """A pause at the start or end of a file: only one segment's own silence borders it
    (about half of a join's), so it is lengthened to really last `seconds`."""
    return ("pause", seconds + JOIN_SILENCE_S - EDGE_SILENCE_S)


def opening(settings: AudioSettings) -> list[Part]:
    """Pre-roll and the station ident: how every file a station plays begins."""
    plan: list[Part] = [_edge_pause(PRE_ROLL_S)]
    if settings.ident:
        plan += [("sound", "ident"), ("pause", PAUSE_AFTER_SOUND)]
    return plan


def closing_part(req: ProgrammeRequest, closing: str | None = None) -> Part:
    """The area's recorded closing clip when the district provides one, else the spoken line."""
    if req.closing_clip:
        return ("recording", req.closing_clip)
    return ("speech", closing or closing_line(req.area_name))


def ending(last: Part) -> list[Part]:
    """The closing line (or clip), the closing tone and the tail: how every file ends."""
    return [last, ("pause", PAUSE_AFTER_SOUND), ("sound", "closing"), _edge_pause(TAIL_S)]


def item_plan(req: ProgrammeRequest, settings: AudioSettings) -> list[Part]:
    """One item read once, as a bulletin carries it: chime(s), lead, title and body."""
    plan = _chimes(req, settings)
    lead = PRIORITY_LEAD.get(req.priority)
    if lead:
        plan += [("speech", lead), ("pause", PAUSE_AFTER_LEAD)]
    return plan + _reading(req)


def programme_plan(
    req: ProgrammeRequest, settings: AudioSettings, closing: str | None = None
) -> list[Part]:
    gap = settings.gap_seconds
    plan = opening(settings) + item_plan(req, settings)
    for _ in range(req.repeats):
        plan += [
            ("pause", gap),
            *_chimes(req, settings),
            ("speech", REPEAT_LEAD),
            ("pause", PAUSE_AFTER_LEAD),
        ]
        plan += _reading(req)
    return plan + [("pause", gap)] + ending(closing_part(req, closing))


# --- recipes ---------------------------------------------------------------------------------

# Silence a join already has: the segment's filter padding and tail zeros, the encoder's
# delay and end padding (measured mean; see audio/segments.py). Plan pauses are shortened by it.
JOIN_SILENCE_S = 0.23
EDGE_SILENCE_S = 0.11  # a file's first (or last) segment's own leading (trailing) silence, measured


class SpecMaker:
    """Makes (and shares) the segment specs of one voice + engines + mastering."""

    def __init__(
        self,
        settings: AudioSettings,
        voice: VoiceProfile,
        engines: Engines,
        sounds: tuple[SoundRef, ...],
    ):
        self.mastering = Mastering.of(settings)
        self.voice, self.engines = voice, engines
        self.sounds = {s.name: s for s in sounds}
        self._memo: dict = {}

    def speech(self, text: str) -> SegmentSpec:
        return self._once(
            ("speech", text),
            lambda: SegmentSpec(
                "speech", self.mastering, text=text, engines=self.engines, voice=self.voice
            ),
        )

    def sound(self, name: str) -> SegmentSpec | None:
        ref = self.sounds.get(name)
        if ref is None:
            return None
        return self._once(("sound", name), lambda: SegmentSpec("sound", self.mastering, sound=ref))

    def recording(self, ref) -> SegmentSpec:
        from truyenthanh.audio.recording import recording_spec

        return self._once(
            ("recording", ref.sha256, ref.format), lambda: recording_spec(self.mastering, ref)
        )

    def pause(self, seconds: float) -> SegmentSpec | None:
        rate = self.mastering.sample_rate
        frames = round(max(0.0, seconds - JOIN_SILENCE_S) * rate / frame_samples(rate))
        if frames <= 0:
            return None
        return self._once(
            ("silence", frames), lambda: SegmentSpec("silence", self.mastering, frames=frames)
        )

    def _once(self, key, make):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def specs(self, plan: list[Part]) -> tuple[SegmentSpec, ...]:
        out: list[SegmentSpec] = []
        for kind, value in plan:
            spec = (
                self.speech(str(value))
                if kind == "speech"
                else self.sound(str(value))
                if kind == "sound"
                else self.recording(value)
                if kind == "recording"
                else self.pause(float(value))
            )
            if spec is not None:
                out.append(spec)
        return tuple(out)


def programme_recipe(
    req: ProgrammeRequest,
    settings: AudioSettings,
    voice: VoiceProfile,
    engine: str,
    sounds: tuple[SoundRef, ...],
    closing: str | None = None,
    maker: SpecMaker | None = None,
) -> ProgrammeRecipe:
    """Everything the programme of `req` is made of, resolved (the stage shares `maker` per voice)."""
    check_request(req)
    closing = closing if closing is not None else closing_line(req.area_name)
    maker = maker or SpecMaker(settings, voice, engines_for(settings, engine, voice), sounds)
    parts = maker.specs(programme_plan(req, settings, closing))
    return ProgrammeRecipe(req, voice, maker.engines, tuple(sounds), closing, settings, parts)


def programme_tags(req: ProgrammeRequest) -> Tags:
    return Tags(
        title=req.title,
        artist=req.station,
        album=f"{req.area_name} – {req.week}",
        date=req.date,
        comment=f"Thông báo {req.announcement_id}; phê duyệt sha256 {req.approval_sha256}",
    )
