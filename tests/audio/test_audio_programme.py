"""A built programme, measured: loudness, true peak, tags, duration, cache reuse."""

from __future__ import annotations

import io
import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from audio_helpers import BODY, make_request, measure
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from truyenthanh.audio import (
    RECIPE_VERSION,
    build_programme,
    mp3_duration,
    programme_recipe,
    sound_refs,
)
from truyenthanh.config import AudioSettings
from truyenthanh.speech import load_voice_profile

SETTINGS = AudioSettings()  # -16 LUFS, -1 dBTP, 22.05 kHz, 64 kbps, high-pass 200 Hz, gap 2 s
ROOT = Path(".")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("speech-cache")


@pytest.fixture(scope="module")
def built(cache_dir):
    return build_programme(make_request(), SETTINGS, "central", "espeak", ROOT, cache_dir)


def spoken_chars(req) -> int:
    return len(req.spoken_title) + sum(len(s) for p in req.spoken_paragraphs for s in p)


def test_loudness_on_target_and_true_peak_below_limit(built):
    lufs, peak = measure(built.mp3, SETTINGS.sample_rate)
    print(f"programme: {lufs:.2f} LUFS, true peak {peak:.2f} dBTP, {built.duration_s:.1f} s")
    assert lufs == pytest.approx(SETTINGS.loudness_lufs, abs=1.0)
    assert peak <= SETTINGS.true_peak_dbtp
    assert built.lufs == pytest.approx(lufs, abs=0.2)
    assert built.true_peak_dbtp == pytest.approx(peak, abs=0.2)


def test_mp3_format(built):
    info = MP3(io.BytesIO(built.mp3)).info
    assert info.channels == 1
    assert info.sample_rate == SETTINGS.sample_rate
    # CBR; the Info frame states the real byte count, and segments joined as independent streams
    # each restart the encoder's padding-byte pattern, so the average is a few bits/s under nominal.
    assert info.bitrate == pytest.approx(SETTINGS.bitrate_kbps * 1000, rel=1e-3)
    assert built.mp3[:3] == b"ID3"


def test_tags_read_back(built):
    tags = ID3(io.BytesIO(built.mp3))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Tuyên truyền cải cách hành chính năm 2023"
    assert str(tags["TPE1"]) == "Đài Truyền thanh xã Bình Hòa"
    assert str(tags["TALB"]) == "xã Bình Hòa – 2023-W08"
    assert str(tags["TDRC"]).startswith("2023")  # v2.3 stores the date as TYER/TDAT
    assert str(tags["TLAN"]) == "vie"
    comment = tags.getall("COMM")[0]
    assert "cchc-2023" in comment.text[0] and "a" * 64 in comment.text[0]


def test_duration_sane_for_the_text(built):
    req = make_request()
    readings = 1 + req.repeats
    speech_chars = spoken_chars(req) * readings
    # Loudspeaker pace is 8-20 spoken characters a second; plus ident, chimes, closing, gaps.
    assert speech_chars / 20 < built.duration_s < speech_chars / 8 + 25
    assert built.duration_s == pytest.approx(mp3_duration(built.mp3))


def test_engine_and_counts_reported(built):
    assert built.engine == "espeak"
    assert built.tts_requests > 0
    assert built.seconds_synthesis > 0 and built.seconds_encoding > 0


def test_rebuild_from_cache_needs_no_engine_and_gives_the_same_mp3(built, cache_dir):
    again = build_programme(make_request(), SETTINGS, "central", "espeak", ROOT, cache_dir)
    assert again.tts_requests == 0
    assert again.tts_cache_hits == built.tts_requests + built.tts_cache_hits
    assert again.mp3 == built.mp3


def test_another_area_reuses_shared_sentences(built, cache_dir):
    other = build_programme(
        make_request(area_name="xã Bình Tân", station="Đài Truyền thanh xã Bình Tân"),
        SETTINGS,
        "central",
        "espeak",
        ROOT,
        cache_dir,
    )
    # Only the closing line names the area: everything else comes from the cache.
    assert other.tts_requests <= 2
    assert other.tts_cache_hits >= built.tts_requests - 2


def test_repeats_lengthen_the_programme(built, cache_dir):
    once = build_programme(make_request(repeats=0), SETTINGS, "central", "espeak", ROOT, cache_dir)
    assert once.duration_s < built.duration_s - 5


def test_emergency_adds_the_lead(cache_dir):
    normal = build_programme(
        make_request(repeats=0), SETTINGS, "central", "espeak", ROOT, cache_dir
    )
    urgent = build_programme(
        make_request(repeats=0, priority="emergency"),
        SETTINGS,
        "central",
        "espeak",
        ROOT,
        cache_dir,
    )
    assert urgent.duration_s > normal.duration_s + 1


def recipe(req, settings=SETTINGS, voice="central", engine="espeak", root=ROOT):
    return programme_recipe(
        req, settings, load_voice_profile(voice, root), engine, sound_refs(settings, root)
    )


def programme_key(req, settings, voice, engine, root):
    return recipe(req, settings, voice, engine, root).key


def test_programme_key_is_json_and_complete(tmp_path):
    r = recipe(make_request())
    key = r.key
    assert r.version == RECIPE_VERSION
    assert json.loads(r.engines.identities[0])["engine"] == "espeak"
    assert [s.name for s in r.sounds] == ["ident", "chime", "closing"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", s.sha256) for s in r.sounds)
    assert key == programme_key(make_request(), SETTINGS, "central", "espeak", ROOT)
    moved = programme_recipe(
        make_request(),
        SETTINGS,
        load_voice_profile("central"),
        "espeak",
        tuple(replace(s, path="/elsewhere") for s in r.sounds),
    )
    assert moved.key == key  # where a sound is read from is not part of the key
    changed = [
        programme_key(
            make_request(spoken_paragraphs=BODY[:1]), SETTINGS, "central", "espeak", ROOT
        ),
        programme_key(
            make_request(),
            SETTINGS.model_copy(update={"loudness_lufs": -18.0}),
            "central",
            "espeak",
            ROOT,
        ),
        programme_key(make_request(), SETTINGS, "southern", "espeak", ROOT),
        programme_key(make_request(), SETTINGS, "central", "gtts", ROOT),
        programme_key(make_request(repeats=2), SETTINGS, "central", "espeak", ROOT),
    ]
    assert all(k != key for k in changed)


def test_project_ident_changes_the_key(tmp_path):
    import shutil

    from truyenthanh.resources import stock_voices_dir

    (tmp_path / "voices" / "idents").mkdir(parents=True)
    shutil.copy(
        stock_voices_dir() / "idents" / "chime.wav", tmp_path / "voices" / "idents" / "ident.wav"
    )
    assert (
        recipe(make_request(), root=tmp_path).sounds[0].sha256
        != recipe(make_request()).sounds[0].sha256
    )
    assert programme_key(make_request(), SETTINGS, "central", "espeak", tmp_path) != programme_key(
        make_request(), SETTINGS, "central", "espeak", ROOT
    )


@pytest.mark.parametrize("rate,bitrate", [(16000, 32), (44100, 128)])
def test_other_rates_and_bitrates(cache_dir, rate, bitrate):
    settings = AudioSettings(
        sample_rate=rate,
        bitrate_kbps=bitrate,
        loudness_lufs=-18.0,
        true_peak_dbtp=-2.0,
        highpass_hz=None,
    )
    result = build_programme(
        make_request(repeats=0), settings, "central", "espeak", ROOT, cache_dir
    )
    info = MP3(io.BytesIO(result.mp3)).info
    assert info.sample_rate == rate and info.bitrate == pytest.approx(bitrate * 1000, rel=1e-3)
    lufs, peak = measure(result.mp3, rate)
    assert lufs == pytest.approx(-18.0, abs=1.0) and peak <= -2.0


def _build_in_worker(cache_dir: str):
    result = build_programme(
        make_request(repeats=0), SETTINGS, "central", "espeak", ROOT, Path(cache_dir)
    )
    return result.engine, result.duration_s, result.tts_requests


def test_build_in_spawned_worker(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:
        engine, duration, requests = pool.submit(_build_in_worker, str(tmp_path)).result(
            timeout=120
        )
    assert engine == "espeak" and duration > 10 and requests > 0
