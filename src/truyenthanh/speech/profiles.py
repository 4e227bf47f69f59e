"""Voice profiles: `voices/<name>.yaml`, one per regional voice.

A project's own `voices/<name>.yaml` wins over the stock one. A profile holds
the settings of every engine (so switching engine keeps the region) and the
dialect name the normaliser uses for that region's readings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from truyenthanh.errors import VoiceProfileError
from truyenthanh.resources import stock_voices_dir

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_DIALECTS = ("north", "central", "south")
ESPEAK_VOICES = ("vi", "vi-VN-x-central", "vi-VN-x-south")


@dataclass(frozen=True)
class EspeakVoice:
    voice: str = "vi"
    rate_wpm: int = 150  # espeak's default is 175; loudspeakers need slower speech
    pitch: int = 50  # 0..100
    range: int = 50  # pitch range 0..100 (monotone .. lively)
    word_gap_10ms: int = 0  # extra pause between words, in 10 ms units


@dataclass(frozen=True)
class GttsVoice:
    tld: str = "com.vn"
    slow: bool = False


@dataclass(frozen=True)
class PiperVoiceSettings:
    """Which installed piper voice a profile uses (`voices/piper/<voice>.onnx` beside the profile)."""

    voice: str = ""  # installed voice name; "" = this profile has no piper voice
    length_scale: float = 1.0  # > 1 is slower: loudspeakers echo across fields
    noise_scale: float = 0.667  # piper's default; variation of the voice
    noise_w_scale: float = 0.8  # piper's default; variation of phoneme lengths


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    label: str
    dialect: str
    espeak: EspeakVoice
    gtts: GttsVoice
    piper: PiperVoiceSettings = PiperVoiceSettings()
    source: str = ""  # the file it came from (for messages)
    content_sha256: str = ""  # of the file bytes: part of programme keys

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("source")
        return d


def voice_profile_path(name: str, project_root: Path | None) -> Path | None:
    candidates = []
    if project_root is not None:
        candidates.append(Path(project_root) / "voices" / f"{name}.yaml")
    candidates.append(stock_voices_dir() / f"{name}.yaml")
    return next((p for p in candidates if p.is_file()), None)


def load_voice_profile(name: str, project_root: Path | None = None) -> VoiceProfile:
    """Load profile `name`: project `voices/` first, then the stock voices."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise VoiceProfileError(
            f"Tên giọng đọc “{name}” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, “-”, “_” "
            "(ví dụ northern, central, southern)."
        )
    path = voice_profile_path(name, project_root)
    if path is None:
        raise VoiceProfileError(
            f"Không tìm thấy giọng đọc “{name}”: không có tệp voices/{name}.yaml trong dự án "
            f"hay trong bộ giọng có sẵn ({stock_voices_dir()})."
        )
    return parse_voice_profile(path.read_bytes(), name, str(path))


def parse_voice_profile(raw: bytes, name: str, source: str) -> VoiceProfile:
    def broken(why: str) -> VoiceProfileError:
        return VoiceProfileError(f"Tệp giọng đọc {source} bị lỗi: {why}.")

    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise broken("không phải văn bản UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise broken(f"sai cú pháp YAML{where}") from None
    if not isinstance(data, dict):
        raise broken("nội dung phải là một bảng khóa: giá trị (name, dialect, espeak, gtts)")
    problems: list[str] = []
    known = {"name", "label", "dialect", "espeak", "gtts", "piper"}
    problems += [f"khóa lạ “{k}”" for k in data if k not in known]
    dialect = data.get("dialect")
    if dialect not in _DIALECTS:
        problems.append(f"dialect phải là một trong {', '.join(_DIALECTS)} (đang là “{dialect}”)")
    espeak = _section(data, "espeak", EspeakVoice, problems)
    gtts = _section(data, "gtts", GttsVoice, problems)
    piper = _section(data, "piper", PiperVoiceSettings, problems)
    if espeak is not None:
        if espeak.voice not in ESPEAK_VOICES:
            problems.append(f"espeak.voice phải là một trong {', '.join(ESPEAK_VOICES)}")
        if not 80 <= espeak.rate_wpm <= 450:
            problems.append("espeak.rate_wpm phải từ 80 đến 450 từ/phút")
        for key in ("pitch", "range"):
            if not 0 <= getattr(espeak, key) <= 100:
                problems.append(f"espeak.{key} phải từ 0 đến 100")
        if not 0 <= espeak.word_gap_10ms <= 100:
            problems.append("espeak.word_gap_10ms phải từ 0 đến 100")
    if gtts is not None and not re.match(r"^[a-z]{2,3}(\.[a-z]{2,3})?$", gtts.tld):
        problems.append(f"gtts.tld “{gtts.tld}” không hợp lệ (ví dụ com.vn)")
    if piper is not None:
        problems += _piper_problems(piper)
    if problems:
        raise broken("; ".join(problems))
    return VoiceProfile(
        name=name,
        label=str(data.get("label") or name),
        dialect=dialect,
        espeak=espeak,
        gtts=gtts,
        piper=piper,
        source=source,
        content_sha256=hashlib.sha256(raw).hexdigest(),
    )


def _section(data: dict, key: str, cls: type, problems: list[str]):
    section = data.get(key, {})
    if section is None:
        section = {}
    if not isinstance(section, dict):
        problems.append(f"“{key}” phải là một bảng khóa: giá trị")
        return None
    defaults = cls()
    values = {}
    for k, v in section.items():
        if not hasattr(defaults, k):
            problems.append(f"khóa lạ “{key}.{k}”")
            continue
        want = type(getattr(defaults, k))
        if want is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)  # YAML writes 1.0 as 1
        if want in (int, float) and isinstance(v, bool) or not isinstance(v, want):
            problems.append(f"“{key}.{k}” phải là {_TYPE_VI.get(want, want.__name__)}")
            continue
        values[k] = v
    return cls(**values)


_TYPE_VI = {int: "số nguyên", float: "số", str: "chuỗi ký tự", bool: "true hoặc false"}
_PIPER_VOICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")


def _piper_problems(piper: PiperVoiceSettings) -> list[str]:
    problems = []
    if piper.voice and not _PIPER_VOICE_NAME.match(piper.voice):
        problems.append(
            f"piper.voice “{piper.voice}” không hợp lệ (tên giọng đã cài, ví dụ vi_VN-vais1000-medium)"
        )
    if not 0.5 <= piper.length_scale <= 2.0:
        problems.append("piper.length_scale phải từ 0.5 đến 2.0 (lớn hơn 1 là đọc chậm hơn)")
    for key in ("noise_scale", "noise_w_scale"):
        if not 0.0 <= getattr(piper, key) <= 1.5:
            problems.append(f"piper.{key} phải từ 0 đến 1.5")
    return problems
