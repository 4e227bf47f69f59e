"""The content-addressed phrase cache: hits, misses, damaged entries."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from truyenthanh.errors import EngineError
from truyenthanh.speech import AudioClip, PhraseCache, cache_key, get_engine, load_voice_profile


@dataclass
class CountingEngine:
    """A stand-in engine: deterministic PCM, counts calls (the cache is what is under test)."""

    voice: str = "a"
    name: str = "counting"
    calls: list[str] = field(default_factory=list)

    def cache_identity(self) -> dict:
        return {"engine": self.name, "voice": self.voice}

    def availability(self) -> str | None:
        return None

    def synthesize(self, phrase: str) -> AudioClip:
        self.calls.append(phrase)
        return AudioClip(
            phrase.encode("utf-8") * 10 + (b"\x00" if len(phrase.encode()) % 2 else b""),
            "pcm_s16le",
            22050,
        )


def test_miss_then_hit(tmp_path):
    cache, engine = PhraseCache(tmp_path), CountingEngine()
    first = cache.fetch(engine, "Xin chào.")
    second = cache.fetch(engine, "Xin chào.")
    assert first == second
    assert engine.calls == ["Xin chào."]
    assert (cache.stats.lookups, cache.stats.hits, cache.stats.engine_calls) == (2, 1, 1)


def test_hit_survives_a_new_cache_object(tmp_path):
    PhraseCache(tmp_path).fetch(CountingEngine(), "Xin chào.")
    engine, cache = CountingEngine(), PhraseCache(tmp_path)
    cache.fetch(engine, "Xin chào.")
    assert engine.calls == [] and cache.stats.hits == 1


def test_key_depends_on_identity_and_phrase(tmp_path):
    cache = PhraseCache(tmp_path)
    a, b = CountingEngine(voice="a"), CountingEngine(voice="b")
    cache.fetch(a, "Xin chào.")
    cache.fetch(b, "Xin chào.")
    cache.fetch(a, "Xin chào bà con.")
    assert len(a.calls) == 2 and len(b.calls) == 1
    assert cache_key({"engine": "x"}, "p") != cache_key({"engine": "x"}, "q")
    assert cache_key({"engine": "x", "r": 1}, "p") != cache_key({"engine": "x", "r": 2}, "p")


def test_entry_layout(tmp_path):
    cache, engine = PhraseCache(tmp_path), CountingEngine()
    cache.fetch(engine, "Xin chào.")
    key = cache_key(engine.cache_identity(), "Xin chào.")
    path = tmp_path / key[:2] / f"{key}.clip"
    assert path.is_file()
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "header"])
def test_damaged_entry_is_rebuilt_not_a_crash(tmp_path, damage):
    cache, engine = PhraseCache(tmp_path), CountingEngine()
    good = cache.fetch(engine, "Xin chào bà con.")
    key = cache_key(engine.cache_identity(), "Xin chào bà con.")
    path = tmp_path / key[:2] / f"{key}.clip"
    raw = path.read_bytes()
    damaged = {
        "truncate": raw[: len(raw) - 7],
        "flip": raw[:-1] + bytes([raw[-1] ^ 0xFF]),
        "garbage": b"\x00\x01not a clip",
        "empty": b"",
        "header": raw.replace(b'"length": ', b'"length": 1', 1),
    }[damage]
    path.write_bytes(damaged)
    fresh = PhraseCache(tmp_path)
    again = fresh.fetch(engine, "Xin chào bà con.")
    assert again == good
    assert len(engine.calls) == 2
    assert fresh.stats.rebuilt == 1 and fresh.stats.engine_calls == 1
    assert fresh.get(engine.cache_identity(), "Xin chào bà con.") == good  # rewritten whole


def test_real_engine_through_cache(tmp_path):
    engine = get_engine("espeak", load_voice_profile("central"))
    cache = PhraseCache(tmp_path)
    first = cache.fetch(engine, "Ủy ban nhân dân xã.")
    assert cache.fetch(engine, "Ủy ban nhân dân xã.") == first
    assert cache.stats.engine_calls == 1 and cache.stats.seconds_synthesis > 0


def test_empty_audio_from_engine_is_an_engine_error(tmp_path):
    class Silent(CountingEngine):
        def synthesize(self, phrase):
            return AudioClip(b"", "mp3", 24000)

    with pytest.raises(EngineError, match="không trả về âm thanh"):
        PhraseCache(tmp_path).fetch(Silent(), "Xin chào.")
