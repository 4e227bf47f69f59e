"""The build end to end: contract of the run report, exit codes, failures isolated, incrementality."""

from __future__ import annotations

import hashlib
import json

from tests.buildutil import WEEK, build, built_paths
from tests.conftest import approve_all, lock_held, write_announcement
from truyenthanh import layout
from truyenthanh.weeks import IsoWeek


def test_build_writes_texts_audio_bundle_and_report(commune_project, out_dir):
    code, report, output = build(commune_project, out_dir)
    assert code == 0, output
    assert report["status"] == "ok" and report["week"] == WEEK and report["engine"] == "espeak"
    for key in ("run_id", "started", "finished", "artifacts", "skipped", "failures", "stats"):
        assert key in report
    assert set(report["stats"]) >= {"seconds", "tts_requests", "tts_cache_hits"}
    assert (out_dir / "runs" / f"{report['run_id']}.json").read_text() == (
        out_dir / "runs" / "latest.json"
    ).read_text()
    assert (out_dir / "runs" / f"{report['run_id']}.log").is_file()
    kinds = {a["kind"] for a in report["artifacts"]}
    assert {
        "text",
        "spoken_script",
        "audio",
        "bulletin",
        "operator_script",
        "bundle",
        "index",
    } <= kinds
    for a in report["artifacts"]:
        data = (out_dir / a["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == a["sha256"], a["path"]
    text = (out_dir / WEEK / "texts" / "hop-dan" / "thon-2.txt").read_text(encoding="utf-8")
    assert "Kính gửi bà con thôn Thôn Hai" in text
    assert "Bắt đầu" not in output and "Traceback" not in output
    assert "Tuần 2023-W08: thành công" in output


def test_second_build_rebuilds_nothing(commune_project, out_dir):
    assert build(commune_project, out_dir)[0] == 0
    code, report, _ = build(commune_project, out_dir)
    assert code == 0
    assert built_paths(report) <= {"index.html"}
    assert report["stats"]["tts_requests"] == 0


def test_one_failing_item_does_not_stop_the_others(commune_project, out_dir):
    write_announcement(commune_project, "loi-mau", body="{{ 1 // 0 }}")
    approve_all(commune_project)
    code, report, output = build(commune_project, out_dir)
    assert code == 1
    assert report["status"] == "partial"
    [failure] = report["failures"]
    assert failure["announcement"] == "loi-mau" and failure["stage"] == "render"
    assert (out_dir / layout.programme_path(IsoWeek.parse(WEEK), "thon-1", "hop-dan")).is_file()
    assert "LỖI loi-mau" in output


def test_invalid_project_exits_2_and_builds_nothing(commune_project, out_dir):
    (commune_project / "truyenthanh.yaml").write_text("issuer: [", encoding="utf-8")
    code, report, output = build(commune_project, out_dir)
    assert code == 2 and report == {}
    assert "lỗi cú pháp YAML" in output
    assert not out_dir.exists()


def test_bad_week_is_usage_error(commune_project, out_dir):
    code, _, output = build(commune_project, out_dir, week="2023-W99")
    assert code == 2 and "không có tuần 99" in output


def test_tampered_announcement_is_skipped_and_the_rest_builds(commune_project, out_dir):
    write_announcement(commune_project, "sau", body="Thông báo thứ hai cho {{ area.name }}.")
    approve_all(commune_project)
    path = commune_project / "announcements" / "sau.md"
    path.write_text(path.read_text(encoding="utf-8").replace("thứ hai", "thứ ba"), encoding="utf-8")
    code, report, _ = build(commune_project, out_dir)
    assert code == 0  # never built, so nothing that went out is now refused
    [skip] = [s for s in report["skipped"] if s["announcement"] == "sau"]
    assert skip["stage"] == "approval" and "Trần Thị Bình" in skip["reason"]
    assert not (out_dir / layout.programme_path(IsoWeek.parse(WEEK), "thon-1", "sau")).exists()
    assert (out_dir / layout.programme_path(IsoWeek.parse(WEEK), "thon-1", "hop-dan")).exists()


def test_tampering_with_what_was_built_fails_that_item_and_exits_1(commune_project, out_dir):
    assert build(commune_project, out_dir)[0] == 0
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "9h00"), encoding="utf-8")
    code, report, _ = build(commune_project, out_dir)
    assert code == 1
    [failure] = report["failures"]
    assert failure["stage"] == "approval" and "Trần Thị Bình" in failure["error"]


def test_unapproved_and_out_of_window_are_skipped_not_failed(commune_project, out_dir):
    write_announcement(commune_project, "nhap")
    code, report, _ = build(commune_project, out_dir)
    assert code == 0
    assert [s["announcement"] for s in report["skipped"]] == ["nhap"]


def test_live_lock_exits_3(commune_project, out_dir):
    out_dir.mkdir(parents=True)
    with lock_held(out_dir):
        code, report, output = build(commune_project, out_dir)
        assert code == 3 and report == {}
        assert "đang chạy" in output
        assert (
            not list((out_dir / "runs").glob(".build-*.log"))
            if (out_dir / "runs").exists()
            else True
        )
    assert build(commune_project, out_dir)[0] == 0


def test_dry_run_lists_and_writes_nothing(commune_project, out_dir):
    result_code, _, output = build(commune_project, out_dir, "--dry-run")
    assert result_code == 0
    assert (
        "sẽ dựng" in output
        and layout.programme_path(IsoWeek.parse(WEEK), "thon-1", "hop-dan") in output
    )
    assert not (out_dir / WEEK).exists()
    build(commune_project, out_dir)
    _, _, output = build(commune_project, out_dir, "--dry-run")
    assert "Tổng: 0 tệp sẽ dựng" in output


def test_dry_run_after_an_edit_plans_what_depends_on_unmade_programmes(commune_project, out_dir):
    """A dry run does not make the edited programme, so it cannot time the e-screen videos cut
    to it: they are planned with it, not reported as errors."""
    config = commune_project / "truyenthanh.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("screens: false", "screens: true"))
    assert build(commune_project, out_dir)[0] == 0
    write_announcement(commune_project, "hop-dan", body="Họp lúc 8h.")
    approve_all(commune_project)
    code, _, output = build(commune_project, out_dir, "--dry-run")
    assert code == 0, output
    assert "0 lỗi" in output and "Không đọc được" not in output
    week = IsoWeek.parse(WEEK)
    planned = [line for line in output.splitlines() if line.startswith("sẽ dựng")]
    for silent in (True, False):
        video = layout.screen_video_path(week, "hop-dan", 1920, 1080, None, silent=silent)
        assert any(video in line for line in planned), (video, output)


def test_report_is_valid_json_with_vietnamese_text(commune_project, out_dir):
    write_announcement(commune_project, "nhap")
    build(commune_project, out_dir)
    raw = (out_dir / "runs" / "latest.json").read_text(encoding="utf-8")
    assert "chưa được phê duyệt" in raw  # not \\u-escaped
    json.loads(raw)


def test_a_killed_builds_temporary_files_are_swept_and_nothing_else(tmp_path):
    from truyenthanh.build import sweep_leftovers

    out = tmp_path / "out"
    deep = out / WEEK / "audio" / "xa-a"
    deep.mkdir(parents=True)
    (out / ".cache" / "segments" / "ab").mkdir(parents=True)
    left = [deep / ".xa-a.mp3.k2j3.tmp", out / ".cache" / "segments" / "ab" / ".ab1.seg.x.tmp"]
    kept = [deep / "xa-a.mp3", deep / "notes.tmp", deep / ".hidden.tmpl", out / "index.html"]
    for path in left + kept:
        path.write_bytes(b"x")
    sweep_leftovers(out)
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in kept)
