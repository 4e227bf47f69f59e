"""The video's soundtrack joined from AAC encoded once per segment: decoded and compared with the MP3.

The programme MP3 and the video's sound are decoded independently (ffmpeg, not the
code under test) and compared: length, loudness, where each sentence is heard, and
the joins. Then: identical bytes for --jobs 2, a damaged AAC entry made again, and
what a remote executor does with the new jobs.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from tests.audio.audio_helpers import decode_independently
from tests.buildutil import build
from tests.channels.conftest import WEEK, ffmpeg, probe
from truyenthanh import layout
from truyenthanh.audio.aac import (
    PACKET,
    AacSpec,
    adts_packets,
    load_aac,
    silent_packet,
)
from truyenthanh.audio.jobs import make_aac_entry
from truyenthanh.audio.loudness import integrated_lufs
from truyenthanh.channels.video import with_soundtrack
from truyenthanh.project import load_project
from truyenthanh.selection import select_week
from truyenthanh.shipping import OUT, Packer
from truyenthanh.stages import screens_sound, soundtracks
from truyenthanh.stages.context import Context
from truyenthanh.weeks import IsoWeek

W = IsoWeek.parse(WEEK)
RATE = 22050


def _videos(report: dict) -> list[dict]:
    """The videos with sound whose soundtrack was joined from AAC segments."""
    return [
        a
        for a in report["artifacts"]
        if a["kind"] == "screen_video" and not a["silent"] and "audio_joins" in a
    ]


def _art(report: dict, path: str) -> dict:
    return next(a for a in report["artifacts"] if a["path"] == path)


def decoded_sound(path) -> np.ndarray:
    out = subprocess.run(
        [ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1", "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float64)


def _lag(a: np.ndarray, b: np.ndarray, most: int = 2048) -> int:
    """The shift (samples) of `a` against `b` with the highest cross-correlation, within ±most."""
    n = len(a)
    c = np.fft.irfft(np.fft.rfft(a, 2 * n) * np.conj(np.fft.rfft(b, 2 * n)), 2 * n)
    c = np.concatenate([c[-most:], c[: most + 1]])
    return int(np.argmax(c)) - most


def test_soundtrack_is_the_programme_as_aac(built):
    _, out, report = built
    videos = _videos(report)
    assert videos  # the shared notice's programme is joined from segments
    for video in videos:
        programme = _art(report, video["programme"])
        info = probe(out / video["path"])
        assert info["video"] == ("h264", 1920, 1080) and info["audio"] == "aac"
        mp3 = decode_independently((out / programme["path"]).read_bytes(), RATE)
        aac = decoded_sound(out / video["path"])
        assert abs(len(aac) - len(mp3)) <= 2048, (len(aac), len(mp3))
        assert len(aac) == video["audio_samples"]
        assert integrated_lufs(aac, RATE) == pytest.approx(integrated_lufs(mp3, RATE), abs=0.5)
        assert integrated_lufs(aac, RATE) == pytest.approx(programme["lufs"], abs=0.5)
        # Each sentence is heard where the MP3 has it (the slides are timed to the MP3's joins).
        heard = 0
        for j in programme["joins"]:
            window = slice(j, j + RATE // 2)
            if np.std(mp3[window]) > 1e-3:
                assert abs(_lag(aac[window], mp3[window])) <= PACKET // 2, j
                heard += 1
        assert heard >= 10
        assert video["audio_drift_max"] <= PACKET // 2


def test_no_click_where_segments_meet(built):
    _, out, report = built
    for video in _videos(report):
        aac = decoded_sound(out / video["path"])
        joins = video["audio_joins"]
        assert len(joins) == len(_art(report, video["programme"])["joins"])
        for j in joins:
            around = aac[max(0, j - 256) : j + 256]
            assert np.max(np.abs(np.diff(around))) < 0.01, j  # no step at the join
            assert np.max(np.abs(around)) < 0.05, j  # segments meet in their silences


def test_silent_packets_are_digital_silence_and_entries_are_whole_packets(built):
    _, out, _ = built
    silent = silent_packet(RATE)
    assert len(adts_packets(silent, RATE)) == 1
    entries = sorted((out / layout.AAC_CACHE).rglob("*.aacseg"))
    assert entries
    for path in entries:
        entry = load_aac(path.read_bytes(), path.stem)
        assert entry.packets * PACKET >= entry.samples + 1024  # priming + the whole segment


def test_shared_segments_are_encoded_once_and_only_for_videos(built):
    project_root, out, report = built
    project = load_project(project_root)
    ctx = Context(project, select_week(project, W), out, out / layout.SPEECH_CACHE)
    ctx.records = {a["path"]: _record(a) for a in report["artifacts"]}
    jobs = soundtracks.jobs(ctx)
    assert (
        len(jobs)
        == len({j.key for j in jobs})
        == len(list((out / layout.AAC_CACHE).rglob("*.aacseg")))
    )
    assert all(j.internal and j.args[0].segment.kind != "silence" for j in jobs)
    # A project without e-screens declares none (and pays nothing).
    cfg = project.config
    project.config = cfg.model_copy(
        update={"channels": cfg.channels.model_copy(update={"screens": False})}
    )
    assert soundtracks.jobs(ctx) == []


def _record(a: dict):
    from truyenthanh.report import ArtifactRecord

    known = ("kind", "path", "sha256", "area", "announcement", "built")
    return ArtifactRecord(
        a["kind"],
        a["path"],
        a["sha256"],
        a["area"],
        a["announcement"],
        a["built"],
        {k: v for k, v in a.items() if k not in known},
    )


def test_two_jobs_and_a_second_build_give_identical_bytes(built, tmp_path):
    project_root, out1, report1 = built
    code, report2, output = build(project_root, tmp_path / "out2", "--jobs", "2")
    assert code == 0, output
    videos = [a["path"] for a in report1["artifacts"] if a["kind"] == "screen_video"]
    assert len(videos) == 6
    for path in videos:
        assert (tmp_path / "out2" / path).read_bytes() == (out1 / path).read_bytes(), path
    entries = sorted(p.relative_to(out1) for p in (out1 / layout.AAC_CACHE).rglob("*.aacseg"))
    assert entries == sorted(
        p.relative_to(tmp_path / "out2")
        for p in (tmp_path / "out2" / layout.AAC_CACHE).rglob("*.aacseg")
    )
    for rel in entries:
        assert (tmp_path / "out2" / rel).read_bytes() == (out1 / rel).read_bytes()
    assert _art(report2, _videos(report1)[0]["path"])["aac_rebuilt"] == 0


def test_a_damaged_aac_entry_is_made_again(built, tmp_path):
    project_root, out1, report1 = built
    out = tmp_path / "out"
    shutil.copytree(out1, out)
    video = _videos(report1)[0]
    entries = sorted((out / layout.AAC_CACHE).rglob("*.aacseg"))
    victim = entries[len(entries) // 2]
    good = victim.read_bytes()
    victim.write_bytes(good[: len(good) // 2])  # truncated by a crash or a full disk
    # In-process: the mux meets the damaged entry, encodes that segment again, same bytes.
    project = load_project(project_root)
    ctx = Context(project, select_week(project, W), out, out / layout.SPEECH_CACHE)
    ctx.records = {a["path"]: _record(a) for a in report1["artifacts"]}
    job = next(j for j in screens_sound.jobs(ctx) if j.path == video["path"])
    assert job.fn is with_soundtrack
    data, meta = with_soundtrack(*job.args)
    assert meta["aac_rebuilt"] == 1
    assert data == (out1 / video["path"]).read_bytes()
    # The next build sees the damaged file and makes the entry again, identically.
    code, _, output = build(project_root, out)
    assert code == 0, output
    assert victim.read_bytes() == good
    assert (out / video["path"]).read_bytes() == (out1 / video["path"]).read_bytes()


def test_remote_executor_ships_aac_jobs_and_muxes_here(built):
    project_root, out, report = built
    project = load_project(project_root)
    ctx = Context(project, select_week(project, W), out, out / layout.SPEECH_CACHE)
    ctx.records = {a["path"]: _record(a) for a in report["artifacts"]}
    packer = Packer(out, out / layout.SPEECH_CACHE)
    job = soundtracks.jobs(ctx)[0]
    parcel = packer.pack(job.fn, job.args)
    assert parcel is not None  # an AAC entry is made on a worker, from the segment shipped with it
    assert list(parcel.files) == [f"{OUT}/{layout.segment_path(job.args[0].segment.key)}"]
    from truyenthanh.shipping import open_parcel

    assert open_parcel(parcel).result[0] == (out / job.path).read_bytes()
    mux = next(j for j in screens_sound.jobs(ctx) if j.fn is with_soundtrack)
    assert packer.pack(mux.fn, mux.args) is None  # reads the published silent video: runs here
    assert make_aac_entry is job.fn and isinstance(job.args[0], AacSpec)
