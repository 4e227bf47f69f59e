"""The project's vectorised BS.1770 meter agrees with pyloudnorm (the independent oracle)."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest

from truyenthanh.audio.loudness import integrated_lufs


@pytest.mark.parametrize("rate", [16000, 22050, 44100, 48000])
@pytest.mark.parametrize("level", [0.02, 0.2, 0.6])
def test_meter_matches_pyloudnorm(rate, level):
    rng = np.random.default_rng(rate)
    t = np.arange(rate * 20) / rate
    x = level * np.sin(2 * np.pi * 440 * t) * (
        1 + np.sin(2 * np.pi * 0.3 * t)
    ) + level / 4 * rng.standard_normal(len(t))
    x[rate * 5 : rate * 8] = 0  # a pause: gating must ignore it
    assert integrated_lufs(x, rate) == pytest.approx(
        pyloudnorm.Meter(rate).integrated_loudness(x), abs=0.15
    )


def test_silence_is_minus_infinity():
    assert integrated_lufs(np.zeros(22050), 22050) == -math.inf
