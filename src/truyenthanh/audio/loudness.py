"""Loudness: BS.1770 integrated loudness, true peak, and normalisation that never clips.

A plain gain to -16 LUFS pushes espeak's peaks past full scale (DESIGN.md,
"Loudness"), so the gain is followed by a look-ahead peak limiter working on the
4x-oversampled (true) peak, and the two are iterated until the loudness is on
target. The final check is made on the decoded MP3 by the caller, because MP3
encoding itself moves the peaks a little.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from truyenthanh.audio import dsp
from truyenthanh.errors import AudioError

log = logging.getLogger(__name__)

OVERSAMPLE = 4
INTERPOLATOR_TAPS = 48
BLOCK = 8  # limiter gain resolution in samples (0.36 ms at 22.05 kHz)
MIN_SECONDS = 0.5  # pyloudnorm needs at least one 400 ms block


def _k_weighting(rate: int) -> np.ndarray:
    """ITU-R BS.1770 K-weighting (shelf + RLB high-pass) as second-order sections at any rate.

    The analogue parameters are those every BS.1770 meter derives the 48 kHz
    coefficients of the standard from, so other sample rates get the same curve.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2 * (k * k - 1) / a0,
        (1 - k / q + k * k) / a0,
    ]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass_ = [1.0, -2.0, 1.0, 1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    return np.array([shelf, highpass_])


def integrated_lufs(x: np.ndarray, rate: int) -> float:
    """BS.1770-4 integrated loudness of a mono signal (gated, 400 ms blocks, 75 % overlap).

    Vectorised (one filter pass, block energies from a cumulative sum): about ten
    times faster than pyloudnorm, which the tests use as the independent oracle.
    """
    if len(x) < MIN_SECONDS * rate:
        raise AudioError("Âm thanh quá ngắn để đo độ lớn (cần ít nhất nửa giây).")
    return gated_loudness(k_weighted(x, rate), rate)


def k_weighted(x: np.ndarray, rate: int) -> np.ndarray:
    return dsp.sosfilt(_k_weighting(rate), x)


def gated_loudness(y: np.ndarray, rate: int) -> float:
    """Integrated loudness of an already K-weighted signal."""
    return gated_chunks(y * y, rate, 1)


def gated_blocks(cumulative: np.ndarray, rate: int, chunk: int) -> float:
    """BS.1770 gating over 400 ms blocks every 100 ms, from a cumulative sum of energy.

    `cumulative[i]` is the K-weighted energy of the first (i + 1) * `chunk` samples; block
    edges (multiples of 100 ms) must fall on chunk edges. One sample per chunk measures a
    signal; a segment cache stores chunks so a programme is measured from its parts.
    """
    cum = np.concatenate(([0.0], cumulative))
    block, step = int(round(0.4 * rate)), int(round(0.1 * rate))
    starts = np.arange(0, len(cumulative) * chunk - block + 1, step) // chunk
    if len(starts) == 0:
        return -math.inf
    return _gate((cum[starts + block // chunk] - cum[starts]) / block)


def gated_chunks(energy: np.ndarray, rate: int, chunk: int) -> float:
    """`gated_blocks` from the energies per chunk themselves, summed per 100-ms step: the same
    blocks, several times faster than a cumulative sum over a day's bulletin (~850,000 chunks),
    and without its rounding."""
    block, step = int(round(0.4 * rate)), int(round(0.1 * rate))
    if block != 4 * step or step % chunk:  # 11,025 Hz: 100 ms is not a whole number of samples
        return gated_blocks(np.cumsum(energy), rate, chunk)
    per = step // chunk
    steps = energy[: len(energy) // per * per].reshape(-1, per).sum(axis=1)
    if len(steps) < 4:
        return -math.inf
    return _gate((steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / block)


def gated_sequence(parts: Sequence[np.ndarray], rate: int, chunk: int) -> float:
    """`gated_chunks` of parts' chunk energies played back to back, from each part's prefix sums
    (`np.cumsum` with a leading 0, float64) read at the 100-ms step edges only.

    A daily bulletin is ~100 parts and ~850,000 chunks but ~3,600 steps: joining the parts'
    energies to sum them again cost ~3.8 ms a bulletin, reading the edges ~0.4 ms. The prefix
    sums are each segment's own, made once per process (`Segment.cumulative_energy`)."""
    block, step = int(round(0.4 * rate)), int(round(0.1 * rate))
    if block != 4 * step or step % chunk:
        return gated_chunks(np.concatenate([np.diff(p) for p in parts]), rate, chunk)
    per = step // chunk
    ends = np.cumsum([len(p) - 1 for p in parts])
    edges = np.arange(0, int(ends[-1]) // per + 1) * per  # chunk offset of every step edge
    prefix = np.empty(len(edges))  # energy before each edge
    base, start, first = 0.0, 0, 0
    for cum, end in zip(parts, ends, strict=True):
        last = int(np.searchsorted(edges, end))  # the edges inside this part
        prefix[first:last] = base + cum[edges[first:last] - start]
        base, start, first = base + float(cum[-1]), int(end), last
    prefix[first:] = base  # an edge at the very end
    steps = np.diff(prefix)
    if len(steps) < 4:
        return -math.inf
    return _gate((steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / block)


def _gate(z: np.ndarray) -> float:
    """Integrated loudness from mean-square block energies: absolute gate, then relative."""
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10 * np.log10(z)
    z = z[loudness > -70.0]
    if len(z) == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(np.mean(z))) - 10.0
    with np.errstate(divide="ignore"):
        gated = z[-0.691 + 10 * np.log10(z) > relative]
    return -0.691 + 10 * math.log10(float(np.mean(gated)))


@lru_cache(maxsize=1)
def _interpolator() -> np.ndarray:
    """The 4x true-peak interpolator of BS.1770-4 Annex 2's shape: 48 taps, 12 per phase."""
    return dsp.kaiser_lowpass(INTERPOLATOR_TAPS, 1.0 / OVERSAMPLE, 7.0) * OVERSAMPLE


def _oversampled(x: np.ndarray) -> np.ndarray:
    """x at 4x the rate, aligned with x (the filter's delay removed): row k holds the
    samples at k, k + 1/4, k + 2/4, k + 3/4; shape (len(x), 4).

    In single precision: a peak is then known to ~1e-6 dB, far inside every margin (the
    ceiling's 0.05 dB for the decoder's rounding), and the product is ~1/3 cheaper; it is
    a sixth of a segment's work."""
    return dsp.polyphase(_interpolator(), x, OVERSAMPLE, np.float32)


def true_peak_dbtp(x: np.ndarray) -> float:
    if len(x) == 0:
        return -math.inf
    over = _oversampled(x)
    peak = max(float(over.max()), -float(over.min()))  # no |x| temporary of 4N samples
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def highpass(x: np.ndarray, rate: int, hz: int | None) -> np.ndarray:
    """4th-order Butterworth high-pass: horn loudspeakers waste power below ~200-300 Hz."""
    if not hz:
        return x
    return dsp.sosfilt(_highpass_sos(rate, hz), x)


def broadcast_filter(x: np.ndarray, rate: int, highpass_hz: int | None) -> np.ndarray:
    """The mastering filters as one cascade (one pass over the samples instead of three):

    * the high-pass above (none when `highpass_hz` is unset);
    * a 6th-order Butterworth low-pass at LOWPASS_HZ, to what horns reproduce and what a
      64 kbps encoder keeps. Measured: without it the MP3 encoder's own low-pass moved the
      loudness by ~0.4 LU and the true peak by up to 2 dB after limiting;
    * six all-pass sections at 250 Hz, which make lopsided speech waveforms symmetric (an
      inaudible change): synthetic voices have sharp one-sided glottal pulses, and rotating
      the phase lowered espeak's peak-to-loudness ratio by ~1.6 dB before any limiting.
    """
    sos = np.vstack(
        [_highpass_sos(rate, highpass_hz), _lowpass_sos(rate), _phase_rotation_sos(rate)]
    )
    return dsp.sosfilt(sos, x)


LOWPASS_HZ = 7000.0


def _highpass_sos(rate: int, hz: int | None) -> np.ndarray:
    return dsp.butter_sos(4, hz, rate, "highpass") if hz else np.zeros((0, 6))


def _lowpass_sos(rate: int) -> np.ndarray:
    return dsp.butter_sos(6, min(LOWPASS_HZ, 0.45 * rate), rate, "lowpass")


def _phase_rotation_sos(rate: int, hz: float = 250.0, sections: int = 6) -> np.ndarray:
    w0 = 2 * math.pi * hz / rate
    alpha = math.sin(w0) / (2 * 0.5)
    c = math.cos(w0)
    a0 = 1 + alpha
    section = [(1 - alpha) / a0, -2 * c / a0, 1.0, 1.0, -2 * c / a0, (1 - alpha) / a0]
    return np.array([section] * sections)


def peak_envelope(x: np.ndarray) -> np.ndarray:
    """Per sample, the largest oversampled magnitude between it and the next sample."""
    over = _oversampled(x)
    np.abs(over, out=over)
    # Column by column: numpy's max along a 4-wide axis is several times slower.
    peaks = over[:, 0].astype(np.float64)
    for phase in range(1, OVERSAMPLE):
        np.maximum(peaks, over[:, phase], out=peaks)
    return peaks


def limit(
    x: np.ndarray,
    rate: int,
    ceiling_dbtp: float,
    window_ms: float = 15.0,
    peaks: np.ndarray | None = None,
) -> np.ndarray:
    """`x` times `limiter_gain` (see there)."""
    return x * limiter_gain(x, rate, ceiling_dbtp, window_ms, peaks)


def limiter_gain(
    x: np.ndarray,
    rate: int,
    ceiling_dbtp: float,
    window_ms: float = 15.0,
    peaks: np.ndarray | None = None,
) -> np.ndarray | float:
    """Look-ahead limiter gain per sample: the true peak of x * gain stays ≤ `ceiling_dbtp`."""
    return Limiter(
        peak_envelope(x) if peaks is None else peaks, rate, ceiling_dbtp, window_ms
    ).curve(1.0)


class Limiter:
    """A look-ahead true-peak limiter for one signal, reusable across input gains.

    The needed gain per sample (from the oversampled peak) is spread by a
    minimum filter over ±window and smoothed by a moving average over one
    window; an average of window-minima never exceeds the gain needed at any
    sample it covers, so the limiter reacts before a peak and never overshoots.
    The curve is computed on blocks of BLOCK samples (the minimum need within
    each): it varies over tens of milliseconds anyway, and the filters then
    touch 1/BLOCK of the samples; the final minimum with the per-sample limit
    keeps every peak in bounds. Everything that does not depend on the input
    gain is computed once, so `normalise` can try several gains cheaply.
    """

    def __init__(self, peaks: np.ndarray, rate: int, ceiling_dbtp: float, window_ms: float = 15.0):
        ceiling = 10 ** (ceiling_dbtp / 20)
        self.n = len(peaks)
        self.limit = ceiling / np.maximum(peaks, 1e-12)  # the largest gain each sample allows
        padded = np.concatenate([self.limit, np.full(-self.n % BLOCK, np.inf)])
        self.block_limit = padded.reshape(-1, BLOCK).min(axis=1)
        self.half = max(1, int(rate * window_ms / 1000) // BLOCK + 1)

    def curve(self, g: float) -> np.ndarray | float:
        """Total gain per sample for input gain g (a plain g where nothing needs limiting)."""
        need = np.minimum(1.0, self.block_limit / g)
        if need.min() >= 1.0:
            return g
        half = self.half
        gain = dsp.running_min(need, 2 * half + 1)
        gain = dsp.running_mean(gain, half + 1 if half % 2 == 0 else half)
        return np.minimum(g * np.repeat(gain, BLOCK)[: self.n], self.limit)


def normalise(x: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float) -> np.ndarray:
    """Gain + limiter, iterated until the integrated loudness is within 0.1 LU of the target."""
    if len(x) < MIN_SECONDS * rate:
        raise AudioError("Âm thanh quá ngắn để đo độ lớn (cần ít nhất nửa giây).")
    # The limiter's gain moves over tens of milliseconds, far slower than the K-weighting
    # filter responds, so K(x * gain) is measured as K(x) * gain: one filter pass in all.
    # The caller measures the encoded result exactly and corrects any residue.
    weighted = k_weighted(x, rate)
    current = gated_loudness(weighted, rate)
    if not math.isfinite(current):
        raise AudioError("Chương trình chỉ có im lặng: không có âm thanh để chuẩn hóa độ lớn.")
    gain_db = target_lufs - current
    limiter = Limiter(
        peak_envelope(x), rate, ceiling_dbtp
    )  # peaks scale with the gain: computed once
    y = x
    previous: tuple[float, float] | None = None
    for _ in range(10):
        g = 10 ** (gain_db / 20)
        curve = limiter.curve(g)
        y = x * curve
        measured = gated_loudness(weighted * curve, rate)
        error = target_lufs - measured
        log.debug("normalise: gain %.2f dB -> %.2f LUFS", gain_db, measured)
        if abs(error) < 0.1:
            break
        # Secant step: once the limiter works, 1 dB more gain gives well under 1 LU more loudness.
        slope = 1.0
        if previous is not None and gain_db != previous[0]:
            slope = min(1.0, max(0.05, (measured - previous[1]) / (gain_db - previous[0])))
        previous = (gain_db, measured)
        gain_db += min(error / slope, 24.0)
    return y
