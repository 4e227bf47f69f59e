"""Proof of the segment design on real builds of a few sample communes.

Programmes and bulletins are assembled from segments encoded once, and their
loudness is computed from the segments' stored measurements. Here every
programme and bulletin is decoded and measured independently, and compared
with what the run report says; joins are checked for clicks; the Info frame for
the duration; `--jobs 2` for identical bytes; a damaged cache entry for a rebuild.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from mutagen.mp3 import MP3

from tests.audio.audio_helpers import decode_independently
from tests.buildutil import build
from truyenthanh.audio import load_segment
from truyenthanh.audio.loudness import integrated_lufs, true_peak_dbtp

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tay-son"
AREAS = ("binh-hoa", "tay-binh", "tay-vinh")  # three communes keep the test short
RATE = 22050


def decode(mp3: bytes, rate: int = RATE) -> np.ndarray:
    return decode_independently(mp3, rate)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample") / "tay-son"
    shutil.copytree(SAMPLE, root)
    config_path = root / "truyenthanh.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["areas"] = [a for a in config["areas"] if a["id"] in AREAS]
    config_path.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def built(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("out1")
    code, report, output = build(project, out)
    assert code == 0, output
    return out, report


def sounds(report: dict) -> list[dict]:
    return [a for a in report["artifacts"] if a["kind"] in ("audio", "bulletin")]


def test_computed_loudness_and_peak_match_the_decoded_files(built):
    import pyloudnorm

    out, report = built
    items = sounds(report)
    assert len([a for a in items if a["kind"] == "audio"]) == 4 * len(AREAS)
    assert len([a for a in items if a["kind"] == "bulletin"]) == 7 * len(AREAS)  # one per day
    worst = {"ours": 0.0, "pyloudnorm": 0.0, "peak": 0.0}
    meter = pyloudnorm.Meter(48000)  # at 48 kHz pyloudnorm's K-filter is the standard's own
    for a in items:
        mp3 = (out / a["path"]).read_bytes()
        x = decode(mp3)
        assert a["loudness"] == "computed", a["path"]
        ours, theirs = integrated_lufs(x, RATE), meter.integrated_loudness(decode(mp3, 48000))
        peak = true_peak_dbtp(x)
        worst["ours"] = max(worst["ours"], abs(ours - a["lufs"]))
        worst["pyloudnorm"] = max(worst["pyloudnorm"], abs(theirs - a["lufs"]))
        worst["peak"] = max(worst["peak"], abs(peak - a["true_peak_dbtp"]))
        assert ours == pytest.approx(a["lufs"], abs=0.1), a["path"]
        assert theirs == pytest.approx(a["lufs"], abs=0.1), a["path"]
        assert peak == pytest.approx(a["true_peak_dbtp"], abs=0.1), a["path"]
        assert abs(ours + 16.0) <= 0.5 and peak <= -1.0, (a["path"], ours, peak)
    print(
        f"max |computed - decoded|: {worst}; LUFS {min(a['lufs'] for a in items)}..{max(a['lufs'] for a in items)}"
    )


def _high_band(x: np.ndarray) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    return sosfilt(butter(6, 8000, btype="highpass", fs=RATE, output="sos"), x)


def test_joins_are_gapless_and_click_free(built):
    out, report = built
    for a in sounds(report):
        x = decode((out / a["path"]).read_bytes())
        hf = _high_band(x) ** 2
        joins = a["joins"]
        assert joins, a["path"]
        for j in joins:
            around = x[max(0, j - 64) : j + 64]
            assert np.max(np.abs(np.diff(around))) < 0.01, (a["path"], j)  # no step at the join
            w = 256
            at = hf[max(0, j - w // 2) : j + w // 2].mean()
            near = [
                hf[k : k + w].mean()
                for k in (j - 8 * w, j - 4 * w, j + 3 * w, j + 7 * w)
                if 0 <= k < len(hf) - w
            ]
            assert at <= max([1e-9, *near]) * 2, (a["path"], j, at, near)  # no burst above 8 kHz


def test_info_frame_gives_the_decoded_duration(built):
    out, report = built
    for a in sounds(report):
        mp3 = (out / a["path"]).read_bytes()
        decoded = len(decode(mp3)) / RATE
        assert MP3(io.BytesIO(mp3)).info.length == pytest.approx(decoded, abs=576 / RATE), a["path"]
        assert a["duration_s"] == pytest.approx(decoded, abs=576 / RATE)


def test_two_jobs_give_identical_bytes(built, project, tmp_path):
    out1, report1 = built
    code, report2, output = build(project, tmp_path / "out2", "--jobs", "2")
    assert code == 0, output
    for a in sounds(report1):
        assert (tmp_path / "out2" / a["path"]).read_bytes() == (out1 / a["path"]).read_bytes(), a[
            "path"
        ]


def test_a_damaged_segment_entry_is_rebuilt(built, project, tmp_path):
    out1, report1 = built
    out = tmp_path / "out"
    shutil.copytree(out1, out)
    entries = sorted((out / ".cache" / "segments").rglob("*.seg"))
    assert entries
    victim = entries[len(entries) // 2]
    good = victim.read_bytes()
    victim.write_bytes(good[: len(good) // 2])  # truncated by a crash or a full disk
    code, report, output = build(project, out)
    assert code == 0, output
    assert victim.read_bytes() == good  # made again, identically
    load_segment(victim.read_bytes(), victim.stem)
    for a in sounds(report1):
        assert (out / a["path"]).read_bytes() == (out1 / a["path"]).read_bytes()
