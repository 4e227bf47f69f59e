"""Nothing changed since the last complete run: the build says so at once, and only then."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from tests.buildutil import WEEK, build, built_paths
from tests.conftest import approve_all, lock_held, write_announcement
from truyenthanh import layout, uptodate
from truyenthanh.site import time_vi


def _quick(report: dict) -> bool:
    return bool(report["stats"].get("up_to_date"))


@pytest.fixture
def built_once(commune_project, out_dir):
    code, report, output = build(commune_project, out_dir)
    assert code == 0, output
    assert not _quick(report) and report["stats"]["inputs"]["executor"] == "local"
    return commune_project, out_dir, report


def test_unchanged_rebuild_reuses_everything_and_shows_the_new_run(built_once):
    project, out, cold = built_once
    code, report, output = build(project, out)
    assert code == 0, output
    assert _quick(report) and report["stats"]["tts_requests"] == 0
    assert report["run_id"] != cold["run_id"] and report["status"] == "ok"
    assert {a["path"] for a in report["artifacts"]} == {a["path"] for a in cold["artifacts"]}
    assert built_paths(report) <= {layout.INDEX}  # only the page, which shows the run
    assert report["skipped"] == cold["skipped"] and report["notes"][-1].startswith("Không có gì")
    page = (out / layout.INDEX).read_text(encoding="utf-8")
    assert f"Cập nhật lúc {time_vi(dt.datetime.fromisoformat(report['finished']))}" in page
    assert (out / "runs" / f"{report['run_id']}.json").is_file()
    again = build(project, out)[1]
    assert _quick(again) and built_paths(again) <= {layout.INDEX}


def test_a_changed_announcement_takes_the_full_path(built_once):
    project, out, _ = built_once
    write_announcement(project, "hop-dan", "Kính gửi bà con {{ area.name }}: họp lúc 8h00.")
    approve_all(project)
    code, report, output = build(project, out)
    assert code == 0, output
    assert not _quick(report) and any(
        a["kind"] == "audio" for a in report["artifacts"] if a["built"]
    )


def test_touching_an_input_without_changing_it_is_still_nothing_to_do(built_once):
    project, out, _ = built_once
    os.utime(project / "truyenthanh.yaml")
    assert _quick(build(project, out)[1])


def test_a_damaged_or_missing_output_is_rebuilt(built_once):
    project, out, cold = built_once
    [audio, *_] = sorted(a["path"] for a in cold["artifacts"] if a["kind"] == "audio")
    (out / audio).unlink()
    code, report, _ = build(project, out)
    assert code == 0 and not _quick(report) and audio in built_paths(report)


def test_another_week_or_engine_or_environment_takes_the_full_path(built_once, monkeypatch):
    project, out, _ = built_once
    assert not _quick(build(project, out, week="2023-W09")[1])
    assert not _quick(build(project, out)[1])  # back to WEEK: the last run was W09
    assert _quick(build(project, out)[1])
    assert not _quick(build(project, out, "--engine", "espeak")[1])
    monkeypatch.setenv("TRUYENTHANH_SITE_URL", "https://loa.example.vn/")
    assert not _quick(build(project, out)[1])


def test_a_run_with_failures_is_never_skipped(built_once, monkeypatch):
    project, out, _ = built_once
    latest = out / layout.latest_report_path()
    latest.write_text(
        latest.read_text(encoding="utf-8").replace('"status": "ok"', '"status": "partial"'),
        encoding="utf-8",
    )
    assert not _quick(build(project, out)[1])


def test_code_and_installed_packages_are_inputs(commune_project, out_dir, tmp_path, monkeypatch):
    before = uptodate.fingerprint(commune_project, out_dir)
    code = tmp_path / "pkg"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(uptodate, "PACKAGE", code)
    mine = uptodate.fingerprint(commune_project, out_dir)
    assert mine != before
    (code / "a.py").write_text("x = 2\n")  # an edited checkout
    assert uptodate.fingerprint(commune_project, out_dir) != mine
    monkeypatch.setattr(uptodate, "_distributions", lambda: ["numpy-9.9.dist-info"])
    assert uptodate.fingerprint(commune_project, out_dir) != mine


def test_output_folder_inside_the_project_is_not_an_input(commune_project):
    inside = commune_project / "output"
    code, _, output = build(commune_project, inside)
    assert code == 0, output
    assert _quick(build(commune_project, inside)[1])


def test_lock_held_is_exit_3_even_when_nothing_changed(built_once):
    project, out, _ = built_once
    with lock_held(out):
        assert build(project, out)[0] == 3


def test_without_week_the_current_week_is_compared_not_the_last_one(built_once):
    """No --week: the fast path takes this week (in the last run's time zone), so a run of
    another week is never mistaken for "nothing changed"."""
    from click.testing import CliRunner

    from truyenthanh.cli import cli
    from truyenthanh.weeks import IsoWeek

    project, out, cold = built_once
    assert cold["week"] == WEEK
    args = ["build", "-p", str(project), "-o", str(out), "--jobs", "1"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    report = json.loads((out / layout.latest_report_path()).read_text(encoding="utf-8"))
    assert report["week"] == IsoWeek.current("Asia/Ho_Chi_Minh").label != WEEK
    assert not _quick(report)


def test_the_warm_page_is_the_page_a_full_render_gives(built_once):
    """A warm run renders only the run parts of the last page again (site/run.py): the page must
    be byte for byte what rendering the whole page from the settings and records gives."""
    from truyenthanh.project import load_project
    from truyenthanh.site import render_index

    project, out, _ = built_once
    code, report, output = build(project, out)
    assert code == 0 and _quick(report), output
    config = load_project(project).config
    whole = render_index(
        out, config.issuer, list(config.areas), list(config.print.shops), run_doc=report
    )
    assert (out / layout.INDEX).read_bytes() == whole


def test_run_parts_are_rendered_again_only_where_marked():
    from truyenthanh.site.run import RUN_PARTS, respliced

    doc = {"status": "ok", "week": WEEK, "finished": "2023-02-20T05:00:00+07:00", "counts": {}}
    doc["counts"] = {"built": 0, "reused": 3, "skipped": 0, "failed": 0}
    page = "<html>\n" + "".join(f"{o}old\n{c}\n" for o, c, _ in RUN_PARTS) + "</html>\n"
    new = respliced(page.encode(), doc, "Asia/Ho_Chi_Minh").decode()
    assert new.startswith("<html>\n") and new.endswith("</html>\n") and "old" not in new
    assert new.count("05:00 ngày 20/02/2023") == 2  # the top line and the details
    assert respliced(b"<html>no marks</html>", doc, "Asia/Ho_Chi_Minh") is None
    twice = page.replace(RUN_PARTS[0][0], RUN_PARTS[0][0] * 2, 1)
    assert respliced(twice.encode(), doc, "Asia/Ho_Chi_Minh") is None


def test_a_page_without_run_marks_is_rendered_whole(built_once):
    """A page written by an older version has no marks: the warm run renders it whole from the
    settings (same size and time here, so the state still trusts it), with the marks."""
    project, out, _ = built_once
    page = out / layout.INDEX
    text = page.read_text(encoding="utf-8")
    stat = page.stat()
    page.write_text(text.replace("<!--run-top-->", "<!--old-top-->"), encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    code, report, output = build(project, out)
    assert code == 0 and _quick(report), output
    assert "<!--run-top-->" in page.read_text(encoding="utf-8")
