"""The name-keyed engine registry: every engine module the project ships, by name.

It imports the engine modules; they import only `speech.base`, so there is no
import circle. Importing an engine module loads neither ctypes libraries nor
the network: each does its work lazily, on first synthesis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from truyenthanh.errors import EngineError, EngineUnavailable
from truyenthanh.speech import espeak, gtts, piper
from truyenthanh.speech.base import EngineInfo, SpeechEngine

if TYPE_CHECKING:
    from truyenthanh.speech.profiles import VoiceProfile

_REGISTRY: dict[str, EngineInfo] = {
    info.name: info for info in (espeak.ENGINE, gtts.ENGINE, piper.ENGINE_INFO)
}


def register_engine(info: EngineInfo) -> None:
    """Add an engine (a plug-in, or a fake in tests)."""
    _REGISTRY[info.name] = info


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def available_engines() -> dict[str, str | None]:
    """Every known engine -> None when usable, else the Vietnamese reason it is not."""
    return {name: info.availability() for name, info in sorted(_REGISTRY.items())}


def availability(name: str) -> str | None:
    info = _REGISTRY.get(name)
    if info is None:
        return f"không có bộ đọc tên “{name}” (có: {', '.join(sorted(_REGISTRY))})"
    return info.availability()


def _info(name: str) -> EngineInfo:
    info = _REGISTRY.get(name)
    if info is None:
        raise EngineError(
            f"Không có bộ đọc tên “{name}”. Các bộ đọc có sẵn: {', '.join(sorted(_REGISTRY))}."
        )
    return info


def get_engine(name: str, profile: VoiceProfile) -> SpeechEngine:
    """Build engine `name` for a voice profile; EngineUnavailable says why it cannot run."""
    info = _info(name)
    reason = info.availability()
    if reason is not None:
        raise EngineUnavailable(f"Bộ đọc “{name}” không dùng được trên máy này: {reason}.")
    return info.factory(profile)


def engine_identity(name: str, profile: VoiceProfile) -> dict:
    """`cache_identity()` of engine `name` for `profile`, without needing the engine to run."""
    return _info(name).factory(profile).cache_identity()
