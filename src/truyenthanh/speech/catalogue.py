"""What `truyenthanh voices` shows: every engine's status, installed piper voices, the profiles.

Text for the officer (Vietnamese); the CLI only prints these lines.
"""

from __future__ import annotations

from pathlib import Path

from truyenthanh.resources import stock_voices_dir
from truyenthanh.speech import piper
from truyenthanh.speech.profiles import load_voice_profile

# Why an engine that works here may still not be the one that speaks.
_NOTES = {
    "gtts": "cần Internet lúc dựng",
    "espeak": "luôn có, dễ nghe kém nhất",
    "piper": "cần cài giọng (truyenthanh voices add) và chọn giọng trong hồ sơ",
}


def engine_statuses() -> dict[str, str | None]:
    """Every engine -> None when it can run here, else the Vietnamese reason (piper included)."""
    from truyenthanh.speech import available_engines

    statuses = dict(available_engines())
    return dict(sorted(statuses.items()))


def engine_lines() -> list[str]:
    lines = ["Bộ đọc:"]
    for name, reason in engine_statuses().items():
        state = "dùng được" if reason is None else f"KHÔNG dùng được: {reason}"
        note = f" ({_NOTES[name]})" if name in _NOTES and reason is None else ""
        lines.append(f"  {name:7} {state}{note}")
    return lines


def installed_voice_lines(project_root: Path) -> list[str]:
    folder = piper.voices_dir(project_root)
    voices = piper.read_index(folder)
    lines = [f"Giọng piper đã cài ({folder}):"]
    if not voices:
        lines.append(
            '  (chưa có; cài bằng: truyenthanh voices add TỆP.onnx --licence "giấy phép của giọng")'
        )
    for v in voices.values():
        path = v.model_path(folder)
        if not path.is_file():
            state = "THIẾU TỆP"
        elif piper.file_sha256(path) != v.sha256:
            state = f"đã bị thay đổi sau khi cài (SHA-256 hiện tại {piper.file_sha256(path)[:12]}…)"
        else:
            state = "nguyên vẹn"
        lines.append(f"  {v.name}  SHA-256 {v.sha256[:12]}…  giấy phép: {v.licence}  — {state}")
    return lines


def profile_lines(project_root: Path) -> list[str]:
    names = sorted(
        {
            p.stem
            for d in (stock_voices_dir(), Path(project_root) / "voices")
            if d.is_dir()
            for p in d.glob("*.yaml")
        }
    )
    lines = ["Hồ sơ giọng:"]
    for name in names:
        try:
            profile = load_voice_profile(name, project_root)
        except Exception as exc:  # a broken profile is listed with its problem, never a traceback
            lines.append(f"  {name}: lỗi — {getattr(exc, 'message', exc)}")
            continue
        e = profile.espeak
        espeak = f"espeak {e.voice} {e.rate_wpm} từ/phút, cách từ {e.word_gap_10ms * 10} ms"
        pv = profile.piper.voice
        if not pv:
            piper_state = "piper: chưa chọn giọng"
        else:
            model = Path(profile.source).parent / piper.VOICES_SUBDIR / f"{pv}{piper.MODEL_SUFFIX}"
            piper_state = f"piper: {pv}" + ("" if model.is_file() else " (CHƯA CÀI)")
        lines.append(f"  {name} ({profile.label}): {espeak}; {piper_state}")
    return lines


def area_engine_lines(project) -> list[str]:
    """For `check`: which engine and voice will speak in each area, and whether it can here."""
    audio = project.config.audio
    statuses = engine_statuses()
    fallback = audio.fallback_engine if audio.on_engine_failure == "fallback" else None
    lines = ["Bộ đọc theo địa bàn:"]
    for area in project.config.areas:
        voice = area.voice or audio.voice
        profile = project.voices.get(voice)
        said = f"{audio.engine} ({_voice_detail(audio.engine, profile)})"
        reason = statuses.get(audio.engine, "không có bộ đọc này")
        if reason is None and audio.engine == piper.NAME and profile is not None:
            reason = _piper_voice_problem(profile)
        state = "" if reason is None else f" — KHÔNG dùng được: {reason}"
        then = f"; khi lỗi: {fallback} ({_voice_detail(fallback, profile)})" if fallback else ""
        lines.append(f"  {area.id}: {said}{state}{then}")
    return lines


def _voice_detail(engine: str, profile) -> str:
    if profile is None:
        return "hồ sơ giọng lỗi"
    if engine == "espeak":
        return f"giọng {profile.name}: {profile.espeak.voice}, {profile.espeak.rate_wpm} từ/phút"
    if engine == piper.NAME:
        return f"giọng {profile.name}: {profile.piper.voice or 'chưa chọn giọng piper'}"
    return f"giọng {profile.name}"


def _piper_voice_problem(profile) -> str | None:
    if not profile.piper.voice:
        return f"hồ sơ giọng {profile.name} chưa chọn giọng piper (piper: {{voice: …}})"
    model = (
        Path(profile.source).parent
        / piper.VOICES_SUBDIR
        / f"{profile.piper.voice}{piper.MODEL_SUFFIX}"
    )
    if not model.is_file() or piper.config_for(model) is None:
        return f"chưa cài giọng {profile.piper.voice} (truyenthanh voices add)"
    return None
