"""A recipe's key is the content key of its identity, however it is computed.

`recipe_key` hashes the identity's JSON directly (`keys.plain_key`) instead of walking it
again through `content_key`'s canonical form: the keys must be the same, or every cache entry
and published file would be rebuilt for nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from audio_helpers import make_request

from truyenthanh.audio import bulletin_recipe, programme_recipe, sound_refs
from truyenthanh.audio.recipe import _identity
from truyenthanh.config import AudioSettings
from truyenthanh.keys import content_key, plain_key
from truyenthanh.speech import load_voice_profile

SETTINGS = AudioSettings()


def test_plain_json_gets_the_content_key():
    value = {"b": [1, 2.5, None, True], "a": {"x": "Đài truyền thanh", "y": (3, "ễ")}, "c": ""}
    assert plain_key("thing", value) == content_key("thing", value)


def test_anything_else_takes_the_full_walk_and_the_same_key():
    value = {"day": dt.date(2023, 2, 20), "file": Path("voices/a.wav"), "n": 1}
    assert plain_key("thing", value) == content_key("thing", value)


def test_programme_bulletin_and_segment_keys_are_content_keys_of_their_identity():
    voice, sounds = load_voice_profile("central"), sound_refs(SETTINGS, Path("."))
    programme = programme_recipe(make_request(), SETTINGS, voice, "espeak", sounds)
    bulletin = bulletin_recipe(
        [programme], "xã Bình Hòa", "Đài", "2023-W08", dt.date(2023, 2, 20), "Xin phát bản tin."
    )
    assert programme.key == content_key("programme", _identity(programme))
    assert bulletin.key == content_key("bulletin", _identity(bulletin))
    for spec in programme.parts[:5]:
        assert spec.key == content_key("segment", _identity(spec))
