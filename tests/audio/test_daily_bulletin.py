"""Daily bulletins, checked on the audio: the day's items only, one ident, one closing,
pre-roll and tail, an Info frame with the exact duration.

The week: an item valid all week, one valid on Tuesday only, one from Thursday on,
and an emergency valid Tuesday to Wednesday.
"""

from __future__ import annotations

import datetime as dt
import json
import wave

import numpy as np
import pytest
from mutagen.mp3 import MP3

from tests.audio.test_segment_build import decode
from tests.buildutil import WEEK, build
from tests.conftest import approve_all, write_announcement
from truyenthanh import layout
from truyenthanh.resources import find_voice_file
from truyenthanh.weeks import IsoWeek

RATE = 22050
W = IsoWeek.parse(WEEK)
ITEMS = {  # id: (priority, valid_from, valid_until)
    "ca-tuan": ("normal", "2023-02-01", "2023-03-31"),
    "mot-ngay": ("normal", "2023-02-21", "2023-02-21"),
    "giua-tuan": ("priority", "2023-02-23", "2023-03-31"),
    "khan": ("emergency", "2023-02-21", "2023-02-22"),
}


@pytest.fixture(scope="module")
def week_out(tmp_path_factory):
    import shutil

    from tests.conftest import COMMUNE_CONFIG

    root = tmp_path_factory.mktemp("xa") / "xa"
    root.mkdir()
    (root / "truyenthanh.yaml").write_text(COMMUNE_CONFIG, encoding="utf-8")
    for ann_id, (priority, start, end) in ITEMS.items():
        write_announcement(
            root,
            ann_id,
            title=f"Tin {ann_id}",
            priority=priority,
            valid_from=start,
            valid_until=end,
            body=f"Bà con {{{{ area.name }}}} chú ý tin {ann_id}.",
        )
    approve_all(root)
    out = tmp_path_factory.mktemp("out")
    code, report, output = build(root, out)
    assert code == 0, output
    yield out, report
    shutil.rmtree(out, ignore_errors=True)


def valid_on(day: dt.date) -> set[str]:
    return {
        a
        for a, (_, s, e) in ITEMS.items()
        if dt.date.fromisoformat(s) <= day <= dt.date.fromisoformat(e)
    }


def test_each_day_has_exactly_its_items_in_the_running_order(week_out):
    out, report = week_out
    bulletins = {
        a["path"]: a
        for a in report["artifacts"]
        if a["kind"] == "bulletin" and a["area"] == "thon-1"
    }
    assert len(bulletins) == 7
    manifest = json.loads(
        (out / layout.bundle_manifest_path(W, "thon-1")).read_text(encoding="utf-8")
    )
    for entry in manifest["days"]:
        day = dt.date.fromisoformat(entry["date"])
        assert set(entry["items"]) == valid_on(day)
        assert entry["items"][0] == "khan" if "khan" in entry["items"] else True  # emergency first
        path = layout.daily_bulletin_path(W, "thon-1", day)
        assert entry["bulletin"] == path.rsplit("/", 1)[1] and path in bulletins
        tags = MP3(str(out / path)).tags
        comment = str(tags.getall("COMM")[0]) if tags.getall("COMM") else ""
        for ann_id in ITEMS:  # the titles of exactly the day's items are in the tag
            assert (f"Tin {ann_id}" in comment) == (ann_id in entry["items"]), (
                day,
                ann_id,
                comment,
            )


def _ident() -> np.ndarray:
    with wave.open(str(find_voice_file(None, "voices/idents/ident.wav")), "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        rate = w.getframerate()
    from truyenthanh.audio.codec import resample

    return resample(x / 32768.0, rate, RATE)


def _matches(signal: np.ndarray, template: np.ndarray, threshold: float = 0.6) -> int:
    """How many times `template` occurs in `signal` (normalised cross-correlation peaks)."""
    from scipy.signal import fftconvolve

    t = template - template.mean()
    corr = fftconvolve(signal, t[::-1], mode="valid")
    energy = np.sqrt(
        fftconvolve(signal**2, np.ones(len(t)), mode="valid").clip(1e-12) * np.sum(t**2)
    )
    score = corr / energy
    found, i = 0, 0
    while i < len(score):
        if score[i] > threshold:
            found += 1
            i += len(t)  # one occurrence, not its neighbouring lags
        else:
            i += 1
    return found


def test_one_ident_per_bulletin_and_per_programme(week_out):
    out, _ = week_out
    ident = _ident()
    tuesday = decode(
        (out / layout.daily_bulletin_path(W, "thon-1", dt.date(2023, 2, 21))).read_bytes()
    )
    assert _matches(tuesday, ident) == 1
    programme = decode((out / layout.programme_path(W, "thon-1", "ca-tuan")).read_bytes())
    assert _matches(programme, ident) == 1
    assert _matches(np.zeros(RATE * 3), ident) == 0  # the detector is not fooled by silence


def test_one_closing_line_per_bulletin(week_out):
    out, report = week_out
    # The closing line is spoken once: a bulletin of 3 items is far shorter than 3 programmes.
    tuesday = next(
        a
        for a in report["artifacts"]
        if a["kind"] == "bulletin" and a["area"] == "thon-1" and a["date"] == "2023-02-21"
    )
    programmes = [
        a
        for a in report["artifacts"]
        if a["kind"] == "audio"
        and a["area"] == "thon-1"
        and a["announcement"] in valid_on(dt.date(2023, 2, 21))
    ]
    assert len(programmes) == 3
    assert tuesday["duration_s"] < sum(p["duration_s"] for p in programmes) - 2 * 3.0


def test_pre_roll_and_tail_are_silent_and_info_duration_is_exact(week_out):
    out, report = week_out
    for a in report["artifacts"]:
        if a["kind"] not in ("audio", "bulletin") or a["area"] != "thon-1":
            continue
        data = (out / a["path"]).read_bytes()
        x = decode(data)
        head, tail = x[: int(0.45 * RATE)], x[-int(0.3 * RATE) :]
        assert np.max(np.abs(head)) < 10 ** (-60 / 20), a[
            "path"
        ]  # transmitters switch on in silence
        assert np.max(np.abs(tail)) < 10 ** (-60 / 20), a[
            "path"
        ]  # the closing tone ends before the file
        info = MP3(str(out / a["path"])).info
        frame = 576 / RATE
        assert abs(info.length - len(x) / RATE) <= frame, a["path"]
