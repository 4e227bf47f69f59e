"""One announcement for one area as a broadcast-ready programme.

Running order (commune radio practice, DESIGN.md):

    ident · chime [· chime for emergencies] · lead ("Thông báo khẩn.") · title · body
    then, per repeat: gap · chime · "Xin nhắc lại." · title · body
    then: gap · closing line ("Đài truyền thanh xã … vừa phát xong thông báo. …") · closing tone

The plan is computed first from the request alone (pure, hashed into the
programme key); then every distinct phrase is fetched through the phrase cache,
so a sentence shared by many areas or repeats is synthesised once.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from truyenthanh.audio.codec import clip_to_array, read_wav
from truyenthanh.audio.master import master
from truyenthanh.audio.model import PRIORITIES, AudioResult, ProgrammeRequest
from truyenthanh.audio.tags import Tags
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError, EngineError
from truyenthanh.keys import sha256_file
from truyenthanh.resources import find_voice_file
from truyenthanh.speech.base import check_speakable, engine_identity, get_engine, unspeakable_characters
from truyenthanh.speech.cache import PhraseCache
from truyenthanh.speech.phrases import MAX_CHARS, split_phrases
from truyenthanh.speech.profiles import VoiceProfile, load_voice_profile

log = logging.getLogger(__name__)

# Bump when the running order, pauses or mastering change: every programme is rebuilt.
RECIPE_VERSION = 1

MAX_SPOKEN_CHARS = 20_000  # one reading; ~25 minutes at loudspeaker pace
CLOSING_TONE = "voices/idents/closing.wav"

PAUSE_CLAUSE = 0.20  # between phrases cut from one sentence
PAUSE_SENTENCE = 0.45
PAUSE_PARAGRAPH = 0.90
PAUSE_AFTER_TITLE = 1.00
PAUSE_AFTER_SOUND = 0.50
PAUSE_AFTER_LEAD = 0.40

LEADS = {"emergency": "Thông báo khẩn.", "priority": "Thông báo quan trọng.", "normal": None}
REPEAT_LEAD = "Xin nhắc lại."


# --- the plan ------------------------------------------------------------------------------

Part = tuple[str, object]  # ("sound", "ident"|"chime"|"closing") | ("speech", text) | ("pause", seconds)


def closing_line(area_name: str) -> str:
    area = _spoken_area(area_name)
    if unspeakable_characters(area):  # a stray symbol in a config name must not be read out
        area = ""
    return (f"Đài truyền thanh {area} vừa phát xong thông báo. Xin cảm ơn bà con đã lắng nghe."
            if area else "Đài truyền thanh vừa phát xong thông báo. Xin cảm ơn bà con đã lắng nghe.")


def _spoken_area(area_name: str) -> str:
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
        raise AudioError(f"Thông báo “{req.announcement_id}” không có nội dung để đọc (kịch bản đọc trống).")
    if not req.spoken_title.strip():
        raise AudioError(f"Thông báo “{req.announcement_id}” thiếu tiêu đề để đọc.")
    size = len(req.spoken_title) + sum(len(s) for s in body)
    if size > MAX_SPOKEN_CHARS:
        raise AudioError(
            f"Thông báo “{req.announcement_id}” quá dài để phát: {size:,} ký tự khi đọc (tối đa "
            f"{MAX_SPOKEN_CHARS:,}, khoảng 25 phút). Hãy chia thành nhiều thông báo ngắn hơn.".replace(",", ".")
        )
    if req.priority not in PRIORITIES:
        raise AudioError(f"Mức ưu tiên “{req.priority}” không hợp lệ (normal, priority hoặc emergency).")
    if not 0 <= req.repeats <= 5:
        raise AudioError(f"Số lần nhắc lại {req.repeats} không hợp lệ (từ 0 đến 5).")
    for text in [req.spoken_title, *body]:
        check_speakable(text)


def _reading(req: ProgrammeRequest) -> list[Part]:
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


def programme_plan(req: ProgrammeRequest, settings: AudioSettings) -> list[Part]:
    gap = settings.gap_seconds
    chimes: list[Part] = [("sound", "chime"), ("pause", PAUSE_AFTER_SOUND)] if settings.chime else []
    if req.priority == "emergency":
        chimes = chimes * 2
    plan: list[Part] = []
    if settings.ident:
        plan += [("sound", "ident"), ("pause", PAUSE_AFTER_SOUND)]
    plan += chimes
    lead = LEADS.get(req.priority)
    if lead:
        plan += [("speech", lead), ("pause", PAUSE_AFTER_LEAD)]
    plan += _reading(req)
    for _ in range(req.repeats):
        plan += [("pause", gap), *chimes, ("speech", REPEAT_LEAD), ("pause", PAUSE_AFTER_LEAD)]
        plan += _reading(req)
    plan += [("pause", gap), ("speech", closing_line(req.area_name)), ("pause", PAUSE_AFTER_SOUND)]
    plan += [("sound", "closing")]
    return plan


# --- sounds ----------------------------------------------------------------------------------


def sound_digests(settings: AudioSettings, project_root: Path | None) -> dict[str, str | None]:
    """SHA-256 of each sound file, for cache keys: a new ident rebuilds what plays it."""
    return {k: sha256_file(p) if p is not None else None for k, p in sound_files(settings, project_root).items()}


def sound_files(settings: AudioSettings, project_root: Path | None) -> dict[str, Path | None]:
    """ident/chime as configured (missing = error), closing tone when present."""
    files: dict[str, Path | None] = {}
    for name, rel in (("ident", settings.ident), ("chime", settings.chime)):
        if not rel:
            files[name] = None
            continue
        path = find_voice_file(project_root, rel)
        if path is None:
            what = "nhạc hiệu" if name == "ident" else "tiếng chuông báo"
            raise AudioError(
                f"Không tìm thấy tệp {what} “{rel}” (trong dự án hay bộ giọng có sẵn). "
                f"Hãy đặt tệp WAV vào đó, chạy scripts/make-idents, hoặc sửa audio.{name} trong truyenthanh.yaml."
            )
        files[name] = path
    files["closing"] = find_voice_file(project_root, CLOSING_TONE)
    return files


# --- key and build -----------------------------------------------------------------------------


def _encoder_identity() -> str:
    try:
        import imageio_ffmpeg

        return f"imageio-ffmpeg {imageio_ffmpeg.__version__}"
    except ImportError:
        return "imageio-ffmpeg missing"


def programme_key(req: ProgrammeRequest, settings: AudioSettings, voice: str, engine: str,
                  project_root: Path) -> dict:
    profile = load_voice_profile(voice, project_root)
    engines = {"primary": engine_identity(engine, profile)}
    if settings.on_engine_failure == "fallback" and settings.fallback_engine:
        engines["fallback"] = engine_identity(settings.fallback_engine, profile)
    key = {
        "recipe": RECIPE_VERSION,
        "engines": engines,
        "voice": profile.as_dict(),
        "settings": settings.model_dump(mode="json"),
        "sounds": sound_digests(settings, project_root),
        "request": asdict(req),
        "closing_line": closing_line(req.area_name),
        "encoder": _encoder_identity(),
    }
    return json.loads(json.dumps(key, ensure_ascii=False))  # tuples -> lists: what you hash is what you get


@dataclass
class _Spoken:
    arrays: dict[str, np.ndarray]
    engine: str


def build_programme(req: ProgrammeRequest, settings: AudioSettings, voice: str, engine: str,
                    project_root: Path, cache_dir: Path | None) -> AudioResult:
    """The programme MP3 of `req`; phrases are cached under `cache_dir` (None: a throw-away cache)."""
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="truyenthanh-speech-") as tmp:
            return build_programme(req, settings, voice, engine, project_root, Path(tmp))
    check_request(req)
    profile = load_voice_profile(voice, project_root)
    sounds = {k: (read_wav(p, settings.sample_rate, _SOUND_VI[k]) if p else None)
              for k, p in sound_files(settings, project_root).items()}
    plan = programme_plan(req, settings)
    texts = list(dict.fromkeys(text for kind, text in plan if kind == "speech"))
    cache = PhraseCache(cache_dir)
    spoken = _speak_with_fallback(texts, engine, profile, settings, cache)
    speech = _join([spoken.arrays[t] for t in texts], 0.0) if texts else np.zeros(0)
    sounds = _level_sounds(sounds, speech, settings.sample_rate)
    signal = _render(plan, spoken.arrays, sounds, settings.sample_rate)
    tags = Tags(
        title=req.title,
        artist=req.station,
        album=f"{req.area_name} – {req.week}",
        date=req.date,
        comment=f"Thông báo {req.announcement_id}; phê duyệt sha256 {req.approval_sha256}",
    )
    done = master(signal, settings, tags)
    from truyenthanh.audio.bulletin import mp3_duration

    return AudioResult(
        mp3=done.mp3,
        duration_s=mp3_duration(done.mp3),
        engine=spoken.engine,
        tts_requests=cache.stats.engine_calls,
        tts_cache_hits=cache.stats.hits,
        lufs=round(done.lufs, 2),
        true_peak_dbtp=round(done.true_peak_dbtp, 2),
        seconds_synthesis=cache.stats.seconds_synthesis,
        seconds_encoding=done.seconds_encoding,
    )


_SOUND_VI = {"ident": "tệp nhạc hiệu", "chime": "tệp chuông báo", "closing": "tệp nhạc kết"}


def _speak_with_fallback(texts: list[str], engine: str, profile: VoiceProfile, settings: AudioSettings,
                         cache: PhraseCache) -> _Spoken:
    try:
        return _Spoken(_speak(texts, engine, profile, settings.sample_rate, cache), engine)
    except EngineError as first:
        fallback = settings.fallback_engine
        if settings.on_engine_failure != "fallback" or not fallback or fallback == engine:
            raise
        log.warning("engine %s failed (%s); falling back to %s", engine, first, fallback)
        try:
            return _Spoken(_speak(texts, fallback, profile, settings.sample_rate, cache), fallback)
        except EngineError as second:
            raise EngineError(
                f"Bộ đọc {engine} lỗi: {first.message} Bộ đọc dự phòng {fallback} cũng lỗi: {second.message}"
            ) from None


def _speak(texts: list[str], engine_name: str, profile: VoiceProfile, rate: int,
           cache: PhraseCache) -> dict[str, np.ndarray]:
    engine = get_engine(engine_name, profile)
    arrays: dict[str, np.ndarray] = {}
    for text in texts:
        pieces = [_trim(clip_to_array(cache.fetch(engine, p), rate), rate) for p in split_phrases(text, MAX_CHARS)]
        arrays[text] = _join(pieces, PAUSE_CLAUSE, rate)
    return arrays


def _trim(x: np.ndarray, rate: int, threshold: float = 10 ** (-50 / 20), margin_s: float = 0.03) -> np.ndarray:
    """Cut the engine's own leading/trailing silence; the plan decides every pause."""
    loud = np.flatnonzero(np.abs(x) > threshold)
    if len(loud) == 0:
        return x[:0]
    margin = int(margin_s * rate)
    return x[max(0, loud[0] - margin): loud[-1] + margin + 1]


def _join(pieces: list[np.ndarray], pause_s: float, rate: int = 1) -> np.ndarray:
    if not pieces:
        return np.zeros(0)
    gap = np.zeros(int(pause_s * rate))
    out: list[np.ndarray] = []
    for i, p in enumerate(pieces):
        if i:
            out.append(gap)
        out.append(p)
    return np.concatenate(out)


def _level_sounds(sounds: dict[str, np.ndarray | None], speech: np.ndarray, rate: int) -> dict:
    """Bring ident/chime/closing to 3 LU below the speech, so the jingle never shouts over the voice."""
    from truyenthanh.audio.loudness import integrated_lufs

    if len(speech) < rate:
        return sounds
    speech_lufs = integrated_lufs(speech, rate)
    out = {}
    for name, x in sounds.items():
        if x is None or len(x) < rate // 2:
            out[name] = x
            continue
        lufs = integrated_lufs(x, rate)
        out[name] = x * 10 ** ((speech_lufs - 3.0 - lufs) / 20) if np.isfinite(lufs) else x
    return out


def _render(plan: list[Part], speech: dict[str, np.ndarray], sounds: dict, rate: int) -> np.ndarray:
    out: list[np.ndarray] = []
    for kind, value in plan:
        if kind == "speech":
            out.append(speech[value])
        elif kind == "pause":
            out.append(np.zeros(int(float(value) * rate)))
        elif kind == "sound" and sounds.get(value) is not None:
            out.append(sounds[value])
    return np.concatenate(out) if out else np.zeros(0)
