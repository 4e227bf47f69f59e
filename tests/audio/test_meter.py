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


def _true_peak_by_full_oversampling(x: np.ndarray) -> float:
    from truyenthanh.audio.loudness import _oversampled

    over = np.abs(_oversampled(x))
    return 20 * math.log10(over.max()) if len(x) and over.max() > 0 else -math.inf


def _signals():
    rng = np.random.default_rng(7)
    t = np.arange(22050 * 3) / 22050
    speechlike = np.sin(2 * np.pi * 180 * t) * np.abs(np.sin(2 * np.pi * 1.3 * t)) ** 3
    yield "speech-like", 0.8 * speechlike + 0.01 * rng.standard_normal(len(t))
    yield "noise", 0.3 * rng.standard_normal(5000)
    yield "near Nyquist", 0.5 * np.sin(np.arange(4000) * 2.9)  # overshoots between samples
    for n in (1, 5, 11, 12, 13, 200):
        for at in (0, n // 2, n - 1):
            impulse = np.zeros(n)
            impulse[at] = -0.9
            yield f"impulse {at}/{n}", impulse
    spikes = 0.01 * rng.standard_normal(3000)
    spikes[[10, 1500, 2995]] = [0.5, -0.6, 0.55]  # peaks far apart, one near each end
    yield "spikes", spikes
    yield "silence", np.zeros(300)


@pytest.mark.parametrize("name,x", list(_signals()), ids=lambda v: v if isinstance(v, str) else "")
def test_true_peak_is_the_full_oversampled_peak(name, x):
    """true_peak_dbtp computes only the oversampled values that can beat the peak found around
    the sample peak: it must give what oversampling the whole signal gives."""
    from truyenthanh.audio.loudness import true_peak_dbtp

    full, fast = _true_peak_by_full_oversampling(x), true_peak_dbtp(x)
    assert fast == full or fast == pytest.approx(full, abs=1e-9), name


def test_the_samples_near_a_hot_sample_are_those_whose_window_holds_it():
    """Each value between x[q] and x[q+1] mixes x[q-5 .. q+6]: q is computed iff one is hot."""
    from truyenthanh.audio.loudness import _near

    rng = np.random.default_rng(3)
    for n in (1, 6, 12, 40):
        hot = rng.random(n) < 0.1
        hot[rng.integers(0, n)] = True
        expected = [q for q in range(n) if hot[max(0, q - 5) : q + 7].any()]
        assert list(_near(hot)) == expected
