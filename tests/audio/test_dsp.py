"""audio/dsp.py against scipy, the reference it replaces (scipy is a test-only dependency)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from truyenthanh.audio import dsp, loudness

RATE = 22050


@pytest.fixture(scope="module")
def noise() -> np.ndarray:
    return np.random.default_rng(7).standard_normal(RATE * 3) * 0.2


@pytest.mark.parametrize(
    "order,hz,kind,rate",
    [
        (4, 250, "highpass", 22050),
        (4, 80, "highpass", 22050),
        (4, 300, "highpass", 48000),
        (6, 7000, "lowpass", 22050),
        (6, 4961, "lowpass", 11025),
        (2, 1000, "lowpass", 44100),
    ],
)
def test_butterworth_sections_filter_like_scipys_butter(noise, order, hz, kind, rate):
    ours = dsp.sosfilt(dsp.butter_sos(order, hz, rate, kind), noise)
    theirs = ss.sosfilt(ss.butter(order, hz, btype=kind, fs=rate, output="sos"), noise)
    assert np.max(np.abs(ours - theirs)) <= 1e-12 * np.max(np.abs(theirs))


def test_sosfilt_of_nothing_is_nothing():
    assert dsp.sosfilt(loudness._k_weighting(RATE), np.zeros(0)).shape == (0,)


@pytest.mark.parametrize(
    "n", [1, 2, dsp.BLOCK - 1, dsp.BLOCK, dsp.BLOCK + 1, 5 * dsp.BLOCK + 3, 66150]
)
def test_sosfilt_matches_scipy_at_every_length(noise, n):
    """Block edges, a single partial block, and long signals (the doubling scan)."""
    sos = np.vstack(
        [
            loudness._k_weighting(RATE),
            loudness._phase_rotation_sos(RATE),
            loudness._lowpass_sos(RATE),
        ]
    )
    ours = dsp.sosfilt(sos, noise[:n])
    theirs = ss.sosfilt(sos, noise[:n])
    assert ours.shape == theirs.shape
    assert np.allclose(ours, theirs, rtol=0, atol=1e-12)


def test_an_impulse_rings_out_exactly_as_the_recursion_says():
    """Independent of scipy: one biquad's impulse response from its difference equation."""
    b0, b1, b2, a1, a2 = 0.2, -0.1, 0.05, -1.6, 0.7
    x = np.zeros(300)
    x[0] = 1.0
    want = np.zeros(300)
    for i in range(300):
        want[i] = (
            b0 * x[i]
            + (b1 * x[i - 1] if i >= 1 else 0)
            + (b2 * x[i - 2] if i >= 2 else 0)
            - (a1 * want[i - 1] if i >= 1 else 0)
            - (a2 * want[i - 2] if i >= 2 else 0)
        )
    got = dsp.sosfilt(np.array([[b0, b1, b2, 1.0, a1, a2]]), x)
    assert np.allclose(got, want, rtol=0, atol=1e-14)


def test_the_interpolator_is_scipys_firwin():
    ours = dsp.kaiser_lowpass(48, 0.25, 7.0)
    theirs = ss.firwin(48, 0.25, window=("kaiser", 7.0))
    assert np.allclose(ours, theirs, rtol=0, atol=1e-15)


@pytest.mark.parametrize("up,taps", [(4, 48), (4, 49), (2, 31), (3, 12)])
def test_polyphase_is_upfirdn_without_the_delay(noise, up, taps):
    h = dsp.kaiser_lowpass(taps, 1 / up, 7.0) * up
    x = noise[:5000]
    theirs = ss.upfirdn(h, x, up=up)[taps // 2 : taps // 2 + up * len(x)]
    assert np.allclose(dsp.polyphase(h, x, up).reshape(-1), theirs, rtol=0, atol=1e-14)
    single = dsp.polyphase(h, x, up, np.float32)  # what the true-peak meter uses
    assert single.dtype == np.float32
    assert np.allclose(single.reshape(-1), theirs, rtol=0, atol=1e-6)


def test_true_peak_and_envelope_see_inter_sample_peaks():
    """A sine at a quarter of the rate sampled 45° off its crests: samples at 0.707, true
    peak 1.0 (+3 dB over the sample peak): BS.1770's 4x interpolator finds it within 0.1 dB."""
    n = np.arange(4000)
    x = np.sin(np.pi / 2 * n + np.pi / 4)
    assert np.max(np.abs(x)) == pytest.approx(2**-0.5)
    assert loudness.true_peak_dbtp(x) == pytest.approx(0.0, abs=0.1)  # not the 3 dB lower -3.0
    envelope = loudness.peak_envelope(x)
    assert envelope.shape == x.shape
    assert envelope.max() == pytest.approx(10 ** (loudness.true_peak_dbtp(x) / 20), rel=1e-12)
    assert np.all(envelope[100:-100:2] > 0.97)  # every interval holding a crest sees it


@pytest.mark.parametrize(
    "up,down", [(147, 160), (160, 147), (1, 2), (2, 1), (3, 1), (441, 480), (1, 1)]
)
def test_resample_matches_scipys_resample_poly(noise, up, down):
    x = noise[:7001]
    ours = dsp.resample(x, up, down)
    theirs = ss.resample_poly(x, up, down)
    assert ours.shape == theirs.shape
    assert np.allclose(ours, theirs, rtol=0, atol=1e-13)


@pytest.mark.parametrize("size", [1, 3, 41, 43, 85, 201])
@pytest.mark.parametrize("n", [1, 5, 84, 85, 86, 1000])
def test_running_minimum_and_mean_are_ndimages_nearest_filters(size, n):
    x = np.random.default_rng(size * 1000 + n).random(n)
    assert np.array_equal(dsp.running_min(x, size), minimum_filter1d(x, size, mode="nearest"))
    assert np.allclose(
        dsp.running_mean(x, size), uniform_filter1d(x, size, mode="nearest"), rtol=0, atol=1e-12
    )


def test_the_worker_server_does_not_import_scipy():
    """The reason for this module: scipy's import was 1.2 s of the workers' start-up."""
    import subprocess
    import sys

    code = (
        "import importlib, sys\n"
        "from truyenthanh.executor import WORKER_PRELOAD\n"
        "[importlib.import_module(m) for m in WORKER_PRELOAD]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
