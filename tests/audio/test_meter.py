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


@pytest.mark.parametrize(
    "rate,chunk", [(22050, 9), (44100, 9), (48000, 96), (16000, 32), (11025, 9), (22050, 1)]
)
def test_gating_by_100_ms_steps_is_the_gating_by_cumulative_sums(rate, chunk):
    """The programme meter (chunk energies summed per step) and the cumulative-sum meter give
    the same blocks; 11,025 Hz (100 ms not a whole number of samples) takes the cumulative way."""
    from truyenthanh.audio.loudness import gated_blocks, gated_chunks

    rng = np.random.default_rng(rate + chunk)
    energy = rng.random(200_000) * rng.random(200_000) ** 8
    energy[50_000:90_000] = 0.0  # a long pause: blocks under the gates
    expected = gated_blocks(np.cumsum(energy), rate, chunk)
    assert gated_chunks(energy, rate, chunk) == pytest.approx(expected, abs=1e-9)
    assert gated_chunks(energy[:10], rate, chunk) == -math.inf  # shorter than one block


@pytest.mark.parametrize("rate,chunk", [(44100, 18), (22050, 9), (48000, 96), (11025, 9)])
def test_a_sequence_is_measured_from_its_parts_prefix_sums(rate, chunk):
    """What a programme or bulletin is measured with (its parts' prefix sums read at the step
    edges) gives the loudness of the parts' energies joined; parts end anywhere in a step."""
    from truyenthanh.audio.loudness import gated_chunks, gated_sequence

    rng = np.random.default_rng(rate)
    parts = [rng.random(int(n)) * rng.random() ** 4 for n in rng.integers(1, 20_000, 60)]
    parts[7] = np.zeros(30_000)  # a pause under the gates
    prefix = [np.concatenate(([0.0], np.cumsum(p))) for p in parts]
    joined = np.concatenate(parts)
    assert gated_sequence(prefix, rate, chunk) == pytest.approx(
        gated_chunks(joined, rate, chunk), abs=1e-9
    )
    step = round(0.1 * rate) // chunk  # one part ending exactly on the last step edge
    exact = [np.arange(0.0, 40 * step + 1)] if round(0.1 * rate) % chunk == 0 else prefix[:1]
    assert gated_sequence(exact, rate, chunk) == pytest.approx(
        gated_chunks(np.diff(exact[0]), rate, chunk), abs=1e-9
    )
    assert gated_sequence([np.arange(0.0, 11)], rate, chunk) == -math.inf  # under one block
