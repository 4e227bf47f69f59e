"""The engine contract, run for both engines: espeak-ng for real, gTTS against the fake Google."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from truyenthanh.errors import EngineError, EngineUnavailable
from truyenthanh.speech import (
    AudioClip,
    SpeechEngine,
    available_engines,
    get_engine,
    load_voice_profile,
)
from truyenthanh.speech.espeak import EspeakEngine
from truyenthanh.speech.gtts import GttsEngine
from truyenthanh.speech.profiles import EspeakVoice, GttsVoice

PHRASE = "Ủy ban nhân dân huyện Tây Sơn ban hành kế hoạch tuyên truyền cải cách hành chính."


@pytest.fixture(params=["espeak", pytest.param("gtts", marks=pytest.mark.network)])
def engine(request, fast_policy):
    profile = load_voice_profile("central")
    if request.param == "espeak":
        return get_engine("espeak", profile)
    server = request.getfixturevalue("fake_google")
    return GttsEngine(profile.gtts, fast_policy, server.url)


def seconds_of(clip: AudioClip) -> float:
    from truyenthanh.audio.codec import clip_to_array

    return len(clip_to_array(clip, 22050)) / 22050


def test_engine_is_a_speech_engine(engine):
    assert isinstance(engine, SpeechEngine)
    assert engine.name in ("espeak", "gtts")
    assert engine.availability() is None


def test_synthesize_returns_decodable_audio(engine):
    clip = engine.synthesize(PHRASE)
    assert isinstance(clip, AudioClip) and not clip.empty
    assert clip.format in ("pcm_s16le", "mp3")
    assert 1.0 < seconds_of(clip) < 20.0


def test_same_phrase_same_speech(engine):
    # espeak-ng carries state from one utterance to the next (measured: a few samples of
    # difference), so "the same" means the same length within 1 %; the phrase cache is
    # what makes rebuilt programmes identical.
    a, b = engine.synthesize("Xin chào bà con."), engine.synthesize("Xin chào bà con.")
    assert (a.format, a.sample_rate) == (b.format, b.sample_rate)
    assert seconds_of(a) == pytest.approx(seconds_of(b), rel=0.01)


def test_cache_identity_is_json_and_names_the_engine(engine):
    ident = engine.cache_identity()
    assert ident["engine"] == engine.name
    assert json.loads(json.dumps(ident)) == ident


def test_engine_pickles(engine):
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.cache_identity() == engine.cache_identity()


def test_cache_identity_changes_with_voice_settings():
    a = EspeakEngine(EspeakVoice(voice="vi", rate_wpm=150))
    assert (
        a.cache_identity() != EspeakEngine(EspeakVoice(voice="vi", rate_wpm=160)).cache_identity()
    )
    assert (
        a.cache_identity()
        != EspeakEngine(EspeakVoice(voice="vi-VN-x-south", rate_wpm=150)).cache_identity()
    )
    assert (
        GttsEngine(GttsVoice(tld="com.vn")).cache_identity()
        != GttsEngine(GttsVoice(tld="com")).cache_identity()
    )


def test_registry_lists_engines_with_reasons():
    engines = available_engines()
    assert set(engines) == {"espeak", "gtts", "piper"}
    assert engines["espeak"] is None and engines["gtts"] is None
    with pytest.raises(EngineError, match="Không có bộ đọc tên “festival”"):
        get_engine("festival", load_voice_profile("central"))


def test_unavailable_engine_has_a_vietnamese_reason(monkeypatch):
    from truyenthanh.speech import base, registry

    info = registry._REGISTRY["espeak"]
    monkeypatch.setitem(
        registry._REGISTRY,
        "espeak",
        base.EngineInfo("espeak", info.label, info.factory, lambda: "thiếu thư viện"),
    )
    assert available_engines()["espeak"] == "thiếu thư viện"
    with pytest.raises(EngineUnavailable, match="không dùng được trên máy này: thiếu thư viện"):
        get_engine("espeak", load_voice_profile("central"))


def test_espeak_regional_voices_differ():
    northern = get_engine("espeak", load_voice_profile("northern")).synthesize(PHRASE)
    southern = get_engine("espeak", load_voice_profile("southern")).synthesize(PHRASE)
    assert northern.sample_rate == southern.sample_rate == 22050
    assert northern.data != southern.data


def test_espeak_speech_is_not_silence():
    clip = get_engine("espeak", load_voice_profile("central")).synthesize(PHRASE)
    x = np.frombuffer(clip.data, dtype="<i2").astype(float) / 32768
    assert np.sqrt(np.mean(x**2)) > 0.01


def _synth_in_worker(phrase: str) -> tuple[int, bytes]:
    engine = get_engine("espeak", load_voice_profile("central"))
    clip = engine.synthesize(phrase)
    return clip.sample_rate, clip.data


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_espeak_in_worker_processes(method):
    # Initialise in the parent first: a forked child inherits the initialised library.
    expected = get_engine("espeak", load_voice_profile("central")).synthesize("Xin chào.").data
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
        results = list(pool.map(_synth_in_worker, ["Xin chào."] * 3 + [PHRASE]))
    assert all(rate == 22050 for rate, _ in results)
    for _, data in results[:3]:
        assert len(data) == pytest.approx(len(expected), rel=0.01)
    assert len(results[3][1]) > 2 * len(expected)
