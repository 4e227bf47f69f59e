"""E-screen videos: format, duration, and slides that follow the spoken sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.channels.conftest import WEEK, frame_at, probe
from truyenthanh import layout
from truyenthanh.channels import content
from truyenthanh.channels.slides import paginate, render
from truyenthanh.channels.timeline import readings, spans
from truyenthanh.project import load_project
from truyenthanh.selection import select_week
from truyenthanh.stages import programmes
from truyenthanh.stages.context import Context
from truyenthanh.weeks import IsoWeek

W = IsoWeek.parse(WEEK)


def _art(report: dict, path: str) -> dict:
    return next(a for a in report["artifacts"] if a["path"] == path)


def test_video_with_sound_is_full_hd_h264_aac_as_long_as_the_programme(built):
    _, out, report = built
    path = layout.screen_video_path(W, "dich-vu-cong", 1920, 1080, None)
    art = _art(report, path)
    assert art["kind"] == "screen_video"
    programme = _art(report, art["programme"])
    info = probe(out / path)
    assert info["video"] == ("h264", 1920, 1080)
    assert info["audio"] == "aac"
    assert abs(info["duration"] - programme["duration_s"]) < 1.0, (info, programme["duration_s"])


def test_silent_variant_has_the_same_picture_and_no_sound(built):
    _, out, report = built
    path = layout.screen_video_path(W, "dich-vu-cong", 1920, 1080, None, silent=True)
    info = probe(out / path)
    assert info["video"] == ("h264", 1920, 1080)
    assert info["audio"] is None
    assert _art(report, path)["silent"] is True


def test_shared_text_makes_one_video_and_per_area_text_one_per_area(built):
    _, _, report = built
    videos = sorted(
        a["path"].rsplit("/", 1)[1] for a in report["artifacts"] if a["kind"] == "screen_video"
    )
    assert videos == sorted(
        [
            "dich-vu-cong_2023-W08_man-hinh-1920x1080.mp4",
            "dich-vu-cong_2023-W08_man-hinh-1920x1080-khong-tieng.mp4",
            "hop-dan_2023-W08_man-hinh-1920x1080_thon-1.mp4",
            "hop-dan_2023-W08_man-hinh-1920x1080-khong-tieng_thon-1.mp4",
            "hop-dan_2023-W08_man-hinh-1920x1080_thon-2.mp4",
            "hop-dan_2023-W08_man-hinh-1920x1080-khong-tieng_thon-2.mp4",
        ]
    )


def _diff(a, b) -> float:
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def test_the_slide_on_screen_is_the_one_with_the_sentence_being_spoken(built, tmp_path):
    project_root, out, report = built
    project = load_project(project_root)
    ctx = Context(project, select_week(project, W), out, out / layout.SPEECH_CACHE)
    recipe = programmes.recipes(ctx)[("dich-vu-cong", "thon-1")]
    programme = _art(report, layout.programme_path(W, "thon-1", "dich-vu-cong"))
    # When each sentence is heard: the programme's own parts and the joins the assembler measured.
    timeline = spans(
        [(p.kind, p.text) for p in recipe.parts],
        programme["joins"],
        recipe.settings.sample_rate,
        programme["duration_s"],
    )
    spoken = [s for p in recipe.request.spoken_paragraphs for s in p]
    heard = readings(timeline, recipe.request.spoken_title, spoken)
    assert len(heard) == 1  # repeats: 0 in the scratch commune
    text = ctx.selection.texts[("dich-vu-cong", "thon-1")]
    deck = content.deck(text, ctx.config, None)
    written = [s for p in deck.paragraphs for s in p]
    assert len(written) == len(spoken)  # this notice reads one spoken sentence per written one
    pages = paginate(deck, 1920, 1080)
    assert len(pages) >= 2
    page_of = {(pc.para, pc.sentence): i for i, page in enumerate(pages) for pc in page.pieces}
    index = [(p, s) for p, para in enumerate(deck.paragraphs) for s in range(len(para))]
    candidates = {i: render(deck, 1920, 1080, i) for i in range(len(pages))}
    candidates["title"] = render(deck, 1920, 1080, "title")
    candidates["closing"] = render(deck, 1920, 1080, "closing")
    video = out / layout.screen_video_path(W, "dich-vu-cong", 1920, 1080, None, silent=True)
    checked = 0
    for k in (0, 1, 2, len(spoken) // 2, len(spoken) - 2, len(spoken) - 1):
        span = heard[0].sentences[k]
        frame = frame_at(video, (span.start + span.end) / 2, tmp_path)
        scores = sorted((_diff(frame, img), key) for key, img in candidates.items())
        expected = page_of[index[k]]
        assert scores[0][1] == expected, (k, spoken[k], scores[:3])
        assert scores[0][0] < 3.0 and scores[1][0] > 2 * scores[0][0] + 1, scores[:3]  # unambiguous
        checked += 1
    assert checked == 6
    first = heard[0].sentences[0]
    assert (
        scores_at(video, first.start / 2, candidates, tmp_path) == "title"
    )  # the title while it is read
    assert (
        scores_at(video, programme["duration_s"] - 0.75, candidates, tmp_path) == "closing"
    )  # 2 fps: the last frame starts up to 0.5 s before the end


def scores_at(video: Path, t: float, candidates: dict, tmp: Path):
    frame = frame_at(video, t, tmp)
    return min(candidates, key=lambda key: _diff(frame, candidates[key]))


def test_video_metadata_lists_what_is_shown_when(built):
    _, _, report = built
    art = _art(report, layout.screen_video_path(W, "dich-vu-cong", 1920, 1080, None))
    slides = art["slides"]
    assert slides[0]["slide"] == "title" and slides[-1]["slide"] == "closing"
    assert all(a["end_s"] == b["start_s"] for a, b in zip(slides, slides[1:]))
    assert slides[-1]["end_s"] == pytest.approx(art["duration_s"])


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1080, 1920)])
def test_every_board_size_renders_exactly_with_every_word(size, built):
    project_root, out, _ = built
    project = load_project(project_root)
    ctx = Context(project, select_week(project, W), out, out / layout.SPEECH_CACHE)
    deck = content.deck(ctx.selection.texts[("dich-vu-cong", "thon-1")], ctx.config, None)
    w, h = size
    pages = paginate(deck, w, h)
    shown = " ".join(line for page in pages for block in page.blocks for line in block).split()
    assert (
        shown == " ".join(s for p in deck.paragraphs for s in p).split()
    )  # nothing dropped, nothing added
    for slide in ["title", "closing", *range(len(pages))]:
        assert render(deck, w, h, slide).size == size
