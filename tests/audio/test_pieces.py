"""A sentence longer than one phrase is made as its phrases (SegmentSpec.pieces), and joined.

A commune's own sentence ("… của Ủy ban nhân dân xã {name} …") then costs only the phrase
that names the commune; the joined sentence plays exactly as its phrases one after another.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.audio.audio_helpers import decode_independently
from truyenthanh.audio.assemble import SegmentSource
from truyenthanh.audio.recipe import Mastering, SegmentSpec, engines_for
from truyenthanh.config import AudioSettings
from truyenthanh.speech import load_voice_profile
from truyenthanh.speech.phrases import split_phrases

SENTENCE = (
    "Bộ phận tiếp nhận và trả kết quả của Ủy ban nhân dân xã {name} tiếp nhận hồ sơ trực tuyến "
    "mọi ngày trong tuần, kể cả thứ bảy và chủ nhật, từ bảy giờ sáng đến năm giờ chiều."
)


@pytest.fixture(scope="module")
def speech():
    settings = AudioSettings()
    voice = load_voice_profile("central", None)
    engines = engines_for(settings, "espeak", voice)
    mastering = Mastering.of(settings)

    def spec(text: str) -> SegmentSpec:
        return SegmentSpec("speech", mastering, text=text, engines=engines, voice=voice)

    return spec


def test_a_long_sentence_is_its_phrases_and_communes_share_all_but_the_named_one(speech):
    a, b = speech(SENTENCE.format(name="Bình Hòa")), speech(SENTENCE.format(name="Tây Xuân"))
    assert [p.text for p in a.pieces] == split_phrases(a.text)
    assert len(a.pieces) >= 2 and a.key not in {p.key for p in a.pieces}
    shared = {p.key for p in a.pieces} & {p.key for p in b.pieces}
    assert len(shared) == len(a.pieces) - 1  # only the phrase naming the commune differs
    [own] = [p for p in a.pieces if p.key not in shared]
    assert "Bình Hòa" in own.text
    short = speech("Xin cảm ơn bà con.")
    assert short.pieces == (short,)  # one phrase: the sentence is its own segment
    silence = SegmentSpec("silence", a.mastering, frames=3)
    assert silence.pieces == (silence,)


def test_the_joined_sentence_plays_its_phrases_back_to_back_sample_for_sample(speech, tmp_path):
    spec = speech(SENTENCE.format(name="Bình Hòa"))
    source = SegmentSource(None, tmp_path / "speech")
    sentence = source.get(spec)
    phrases = [source.get(p) for p in spec.pieces]
    assert source.rebuilt == len(phrases)  # made as phrases, nothing else
    assert sentence.key == spec.key
    assert sentence.frames == sum(p.frames for p in phrases)
    assert sentence.mp3 == b"".join(p.mp3 for p in phrases)
    assert sentence.true_peak_dbtp == max(p.true_peak_dbtp for p in phrases)
    assert abs(sentence.lufs - (-16 + 0.15)) < 0.5  # each phrase is levelled to the target
    rate = spec.mastering.sample_rate
    whole = decode_independently(sentence.mp3, rate)
    parts = np.concatenate([decode_independently(p.mp3, rate) for p in phrases])
    assert len(whole) == len(parts) == sentence.samples
    assert np.max(np.abs(whole - parts)) <= 1 / 32768  # gapless: the same samples
    assert source.get(spec) is sentence  # joined once per source
