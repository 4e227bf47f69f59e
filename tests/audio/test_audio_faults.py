"""Bad input and faults: every one a clear Vietnamese AudioError/EngineError, never a crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from audio_helpers import make_request

from truyenthanh.audio import build_programme
from truyenthanh.config import AudioSettings
from truyenthanh.errors import AudioError, EngineError

ROOT = Path(".")
SETTINGS = AudioSettings()


def build(req=None, settings=SETTINGS, voice="central", engine="espeak", root=ROOT, cache=None):
    return build_programme(req or make_request(), settings, voice, engine, root, cache)


def test_empty_spoken_script(tmp_path):
    with pytest.raises(AudioError, match="không có nội dung để đọc"):
        build(make_request(spoken_paragraphs=()), cache=tmp_path)
    with pytest.raises(AudioError, match="không có nội dung để đọc"):
        build(make_request(spoken_paragraphs=(("  ",), ())), cache=tmp_path)


def test_absurdly_long_text_fails_fast(tmp_path):
    sentence = "Bà con chú ý lắng nghe thông báo của xã. "
    huge = ((sentence * (100_000 // len(sentence) + 1))[:100_000],)
    started = time.monotonic()
    with pytest.raises(AudioError, match="quá dài để phát: 100.0[0-9]{2} ký tự"):
        build(make_request(spoken_paragraphs=(huge,)), cache=tmp_path)
    assert time.monotonic() - started < 1.0
    assert not any(tmp_path.iterdir())  # nothing was synthesised


def test_characters_no_engine_can_speak(tmp_path):
    req = make_request(spoken_paragraphs=(("Chúc mừng năm mới 🎉 新年快乐.",),))
    with pytest.raises(AudioError) as info:
        build(req, cache=tmp_path)
    assert "“🎉” (U+1F389)" in info.value.message and "新" in info.value.message


def test_missing_ident_file(tmp_path):
    settings = AudioSettings(ident="voices/idents/khong-co.wav")
    with pytest.raises(
        AudioError, match="Không tìm thấy tệp nhạc hiệu “voices/idents/khong-co.wav”"
    ):
        build(settings=settings, root=tmp_path, cache=tmp_path / "c")


def test_corrupt_ident_file(tmp_path):
    (tmp_path / "voices" / "idents").mkdir(parents=True)
    (tmp_path / "voices" / "idents" / "ident.wav").write_bytes(b"RIFF not really")
    with pytest.raises(AudioError, match="Không đọc được tệp nhạc hiệu"):
        build(root=tmp_path, cache=tmp_path / "c")


def test_no_ident_configured_is_fine(tmp_path):
    settings = AudioSettings(ident=None, chime=None)
    result = build(make_request(repeats=0), settings=settings, cache=tmp_path)
    assert result.duration_s > 5


def test_broken_voice_profile(tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "central.yaml").write_text(
        "dialect: central\nespeak: {voice: klingon}\n", encoding="utf-8"
    )
    with pytest.raises(AudioError, match="central.yaml bị lỗi: espeak.voice"):
        build(root=tmp_path, cache=tmp_path / "c")


def test_unknown_engine(tmp_path):
    with pytest.raises(EngineError, match="Không có bộ đọc tên “festival”"):
        build(engine="festival", cache=tmp_path)


def test_bad_priority_and_repeats(tmp_path):
    with pytest.raises(AudioError, match="Mức ưu tiên “urgent”"):
        build(make_request(priority="urgent"), cache=tmp_path)
    with pytest.raises(AudioError, match="nhắc lại 9"):
        build(make_request(repeats=9), cache=tmp_path)


def test_bitrate_impossible_at_rate(tmp_path):
    with pytest.raises(AudioError, match="160 kbps"):
        build(make_request(repeats=0), settings=AudioSettings(bitrate_kbps=192), cache=tmp_path)


@pytest.mark.network
def test_gtts_failure_falls_back_to_espeak_when_configured(tmp_path, fake_google):
    fake_google.default = "429"
    settings = AudioSettings(engine="gtts", on_engine_failure="fallback", fallback_engine="espeak")
    result = build(make_request(repeats=0), settings=settings, engine="gtts", cache=tmp_path)
    assert result.engine == "espeak"
    assert fake_google.requests >= 1


@pytest.mark.network
def test_gtts_failure_without_fallback_raises(tmp_path, fake_google):
    fake_google.default = "503"
    with pytest.raises(EngineError, match="HTTP 503"):
        build(
            make_request(repeats=0),
            settings=AudioSettings(engine="gtts"),
            engine="gtts",
            cache=tmp_path,
        )


@pytest.mark.network
def test_gtts_programme_through_fake_google(tmp_path, fake_google):
    from audio_helpers import measure

    result = build(
        make_request(repeats=1),
        settings=AudioSettings(engine="gtts"),
        engine="gtts",
        cache=tmp_path,
    )
    assert result.engine == "gtts"
    assert all(len(t) <= 100 for t in fake_google.texts)
    assert result.tts_requests == len(set(fake_google.texts)) == fake_google.requests
    assert result.tts_cache_hits == 0  # repeats are the same audio, not new lookups
    lufs, peak = measure(result.mp3, 22050)
    assert lufs == pytest.approx(-16, abs=1.0) and peak <= -1.0
    # A second area: only its closing line is new.
    before = fake_google.requests
    other = build(
        make_request(repeats=1, area_name="xã Tây Vinh"),
        settings=AudioSettings(engine="gtts"),
        engine="gtts",
        cache=tmp_path,
    )
    assert fake_google.requests - before == other.tts_requests <= 2
