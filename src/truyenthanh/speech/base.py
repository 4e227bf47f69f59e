"""The speech-engine contract (the registry of engines is speech/registry.py).

An engine turns one short spoken phrase (already normalised: no digits, no
abbreviations) into an `AudioClip`. Engines are small objects built from a
`VoiceProfile`; they pickle, so worker processes can rebuild them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from truyenthanh.errors import AudioError

if TYPE_CHECKING:
    from truyenthanh.speech.profiles import VoiceProfile


@dataclass(frozen=True)
class AudioClip:
    """Speech for one phrase: raw mono 16-bit little-endian PCM, or MP3 bytes."""

    data: bytes
    format: Literal["pcm_s16le", "mp3"]
    sample_rate: int  # of the PCM; for MP3 the rate the engine declares (decoders read the frames)

    def __post_init__(self) -> None:
        if self.format not in ("pcm_s16le", "mp3"):
            raise ValueError(f"unknown clip format {self.format!r}")
        if self.format == "pcm_s16le" and len(self.data) % 2:
            raise ValueError("16-bit PCM must have an even number of bytes")

    @property
    def empty(self) -> bool:
        return not self.data


@runtime_checkable
class SpeechEngine(Protocol):
    name: str

    def synthesize(self, phrase: str) -> AudioClip:
        """Speak one phrase; raises EngineError with a Vietnamese cause + remedy."""
        ...

    def cache_identity(self) -> dict:
        """Engine name and every setting that changes the sound (JSON-safe)."""
        ...

    def availability(self) -> str | None:
        """None when the engine can run here, else a Vietnamese reason."""
        ...


# Punctuation a spoken script may carry; engines read it as pauses.
_PUNCTUATION = set(".,;:!?…-–—()[]\"'“”‘’«»/%&+")


def unspeakable_characters(phrase: str) -> list[str]:
    """Characters no engine here can read aloud sensibly (emoji, CJK, symbols, controls).

    The spoken script is Vietnamese in Latin letters; anything else would be
    spelled out by name in English (espeak) or skipped (Google), so it is refused.
    """
    bad: list[str] = []
    for ch in phrase:
        if not _speakable(ch) and ch not in bad:
            bad.append(ch)
    return bad


@lru_cache(maxsize=4096)
def _speakable(ch: str) -> bool:
    # Per character, remembered: a build checks every sentence of every programme (~700 in the
    # sample), and looking each letter's Unicode name up again cost ~40 ms of the main process.
    if ch.isspace() or ch in _PUNCTUATION or ch.isdigit() and ch.isascii():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "LM" and unicodedata.name(ch, "").startswith(("LATIN", "COMBINING"))


def describe_characters(chars: list[str], limit: int = 5) -> str:
    shown = ", ".join(
        f"“{c}” (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}" for c in chars[:limit]
    )
    more = f" và {len(chars) - limit} ký tự khác" if len(chars) > limit else ""
    return shown + more


def check_speakable(phrase: str) -> None:
    """Raise AudioError naming the characters the engines cannot speak."""
    bad = unspeakable_characters(phrase)
    if bad:
        raise AudioError(
            f"Văn bản đọc có ký tự mà bộ đọc không đọc được: {describe_characters(bad)}. "
            "Hãy xóa hoặc viết thành chữ các ký tự này trong thông báo (hoặc thêm cách đọc vào lexicon.yaml)."
        )


EngineFactory = Callable[["VoiceProfile"], SpeechEngine]


@dataclass(frozen=True)
class EngineInfo:
    """How the registry (speech/registry.py) lists and builds an engine; each engine module has one."""

    name: str
    label: str  # Vietnamese, for listings
    factory: EngineFactory
    availability: Callable[[], str | None]  # None when usable, else a Vietnamese reason
