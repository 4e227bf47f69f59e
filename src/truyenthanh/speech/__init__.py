"""Speech: engines behind one Protocol, a name-keyed registry, voice profiles, the phrase cache."""

from truyenthanh.speech.base import AudioClip, SpeechEngine, check_speakable, unspeakable_characters
from truyenthanh.speech.cache import CacheStats, PhraseCache, cache_key
from truyenthanh.speech.phrases import MAX_CHARS, split_phrases
from truyenthanh.speech.profiles import VoiceProfile, load_voice_profile
from truyenthanh.speech.registry import available_engines, engine_identity, engine_names, get_engine

__all__ = [
    "AudioClip",
    "CacheStats",
    "MAX_CHARS",
    "PhraseCache",
    "SpeechEngine",
    "VoiceProfile",
    "available_engines",
    "cache_key",
    "check_speakable",
    "engine_identity",
    "engine_names",
    "get_engine",
    "load_voice_profile",
    "split_phrases",
    "unspeakable_characters",
]
