"""Encode once for pictures: each distinct slide is one cached GOP; videos are cut from them."""

from __future__ import annotations

import subprocess

import numpy as np

from tests.channels.conftest import WEEK, ffmpeg, frame_at
from truyenthanh import layout
from truyenthanh.channels import stills
from truyenthanh.channels.slides import Deck, render, slide_view
from truyenthanh.channels.stills import FPS, GOP, held, mp4
from truyenthanh.channels.video import probe
from truyenthanh.state import BuildState
from truyenthanh.weeks import IsoWeek

W = IsoWeek.parse(WEEK)

DECK = Deck(
    title="Dịch vụ công trực tuyến",
    paragraphs=(("Bà con nộp hồ sơ trên điện thoại.", "Kết quả trả ngay."),),
    issuer="UBND xã Thử",
    station="Đài truyền thanh xã Thử",
    hotlines=("0269 3880 111",),
    qr_url="https://dichvucong.gov.vn",
    qr_caption="dichvucong.gov.vn",
    dates_vi="Từ 20/02/2023 đến 30/06/2023",
    area_label="xã Thử",
)


def test_a_video_cut_from_gops_decodes_cleanly_and_shows_each_slide(tmp_path):
    """Held for 7 frames = the first 7 access units of the cached GOP; joins decode cleanly."""
    gops = {}
    for slide in (0, "closing"):
        view = slide_view(DECK, 640, 360, slide)
        gops[slide] = stills.unpack(stills.encode_still(view), stills.still_key(view))
    assert len(gops[0]) == GOP and gops[0][0] != gops[0][1]
    runs = [(0, 7), ("closing", GOP + 3), (0, 2)]
    total = sum(n for _, n in runs)
    video = tmp_path / "v.mp4"
    video.write_bytes(mp4(b"".join(held(gops[s], n) for s, n in runs), total))
    proc = subprocess.run(
        [ffmpeg(), "-v", "error", "-i", str(video), "-f", "null", "-"], capture_output=True
    )
    assert proc.returncode == 0 and not proc.stderr  # every join decodes cleanly
    assert probe(video.read_bytes())["duration_s"] == total / FPS
    t = 0.0
    for slide, n in runs:  # the middle of each run shows its slide
        shown = np.asarray(frame_at(video, t + n / FPS / 2, tmp_path).convert("RGB"), float)
        drawn = np.asarray(render(DECK, 640, 360, slide).convert("RGB"), float)
        assert np.abs(shown - drawn).mean() < 6, slide  # through yuv420p and crf 20
        t += n / FPS


def test_views_leave_out_what_a_slide_does_not_draw():
    """Two areas' decks differ only by the area label: pages and the closing slide are shared,
    the title slide (which names the area) is not."""
    other = Deck(**{**DECK.__dict__, "area_label": "xã Khác"})
    for slide in (0, "closing"):
        assert slide_view(DECK, 640, 360, slide) == slide_view(other, 640, 360, slide)
    assert slide_view(DECK, 640, 360, "title") != slide_view(other, 640, 360, "title")


def test_each_distinct_slide_is_encoded_once_and_videos_encode_none(built):
    _, out, report = built
    entries = BuildState(out).artifacts()
    gops = [e for e in entries if e.kind == "still"]
    videos = [a for a in report["artifacts"] if a["kind"] == "screen_video" and a["silent"]]
    shown = sum(len({s["slide"] for s in v["slides"]}) for v in videos)
    assert len(gops) < shown  # shared across the areas' videos
    assert len({e.key for e in gops}) == len(gops)
    assert all(v["stills_encoded_here"] == 0 for v in videos)


def test_damaged_gop_is_encoded_again_in_the_video_job(built, tmp_path):
    from truyenthanh.channels.video import _cached_gop

    _, out, _ = built
    [entry, *_] = [e for e in BuildState(out).artifacts() if e.kind == "still"]
    damaged = tmp_path / layout.still_path(entry.key)
    damaged.parent.mkdir(parents=True)
    data = bytearray((out / entry.path).read_bytes())
    data[-10] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert _cached_gop(str(tmp_path), entry.key) is None
    assert _cached_gop(str(out), entry.key) is not None


def test_a_shipped_video_job_gets_its_gops_and_encodes_none(built, tmp_path):
    """On a remote worker (no OUT, no cache) the video is cut from the GOPs shipped with the job,
    byte for byte the published one."""
    from truyenthanh.project import load_project
    from truyenthanh.report import RunReport
    from truyenthanh.selection import select_week
    from truyenthanh.shipping import Packer, open_parcel
    from truyenthanh.stages import Context, screens

    project, out, report = built
    proj = load_project(project)
    ctx = Context(proj, select_week(proj, W), out, out / layout.SPEECH_CACHE)
    ctx.records = {r.path: r for r in RunReport.from_json(report).artifacts}
    job = screens.jobs(ctx)[0]
    parcel = Packer(out, out / layout.SPEECH_CACHE).pack(job.fn, job.args)
    assert parcel is not None  # runs remotely: it names no published file
    assert sorted(parcel.files) == sorted(f"out/{p}" for p in job.args[-1].paths)
    moved = tmp_path / "elsewhere"
    out.rename(moved)  # nothing of this machine's output is readable any more
    try:
        data, meta = open_parcel(parcel).result
    finally:
        moved.rename(out)
    assert meta["stills_encoded_here"] == 0
    assert data == (out / job.path).read_bytes()


def test_a_gop_is_what_x264_gives_for_every_frame(monkeypatch):
    """The frames after the refined ones are copies of a skip frame with frame_num rewritten:
    byte for byte what x264 encodes when asked for the whole GOP (landscape and portrait,
    a title, a page and the closing slide)."""
    from truyenthanh.channels.slides import render_view

    for width, height, slide in ((1920, 1080, "title"), (1080, 1920, 0), (640, 360, "closing")):
        img = render_view(slide_view(DECK, width, height, slide)).convert("RGB")
        whole = stills._encode_frames(img, GOP)
        repeated = stills._refined_then_repeated(img)
        assert repeated == whole, (width, height, slide)


def test_slices_are_what_the_ffmpeg_program_encodes():
    """x264 runs in this process (PyAV); its slices, parameter sets and delimiters are byte for
    byte those of the ffmpeg program's x264 fed the same RGB (its default bicubic conversion).
    Only x264's own SEI differs: it names the encoder threads (1 here, the core count there)."""
    from truyenthanh.audio.encoders import run_ffmpeg
    from truyenthanh.channels import h264
    from truyenthanh.channels.slides import render_view

    img = render_view(slide_view(DECK, 1920, 1080, "title")).convert("RGB")
    frames = 3
    options = [a for k, v in stills.X264_OPTIONS.items() for a in (f"-{k}", v)]
    program = run_ffmpeg(
        ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{img.width}x{img.height}"]
        + [
            "-framerate",
            str(FPS),
            "-i",
            "pipe:0",
            "-vf",
            f"format={stills.PIX_FMT},tpad=stop={frames - 1}:stop_mode=clone",
        ]
        + ["-frames:v", str(frames), "-c:v", stills.ENCODER, *options, "-g", str(GOP)]
        + ["-an", "-f", "h264", "pipe:1"],
        what="x264",
        input=img.tobytes(),
    )
    ours = stills._encode_frames(img, frames)

    def without_sei(data: bytes) -> list[bytes]:
        return [n for n in h264.nal_units(data) if n[0] & 0x1F != 6]

    assert without_sei(ours) == without_sei(program)
    assert len(without_sei(ours)) == 2 * frames + 2  # delimiters and slices, SPS and PPS


def test_a_picture_still_being_refined_is_encoded_whole(monkeypatch):
    """If the last refined frame still changes the picture, its copies would drift: x264
    encodes every frame instead."""
    from PIL import Image

    from truyenthanh.channels import h264

    img = Image.new("RGB", (320, 240), (200, 100, 50))
    calls = []
    real = stills._encode_frames
    monkeypatch.setattr(stills, "_encode_frames", lambda i, n: calls.append(n) or real(i, n))

    def unsettled(units):
        raise h264.BitstreamError("the picture is still being refined")

    monkeypatch.setattr(stills, "_check_settled", unsettled)
    gop = stills._encode_gop(img)
    assert calls == [stills.REFINED, GOP]
    assert gop == real(img, GOP)


def test_check_settled_sees_a_frame_that_changes_the_picture():
    """Two different pictures one after the other: the second frame is not a copy."""
    from PIL import Image

    from truyenthanh.channels import h264

    a, b = Image.new("RGB", (64, 64), (0, 0, 0)), Image.new("RGB", (64, 64), (255, 255, 255))
    units = h264.access_units(stills._encode_frames(a, 1) + stills._encode_frames(b, 1))
    try:
        stills._check_settled(units)
    except h264.BitstreamError:
        return
    raise AssertionError("a changed picture passed as settled")
