"""The approvals ledger: append-only, approves content not names, refuses edited texts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import write_announcement
from truyenthanh.cli import cli
from truyenthanh.project import load_project
from truyenthanh.selection import select_week
from truyenthanh.weeks import IsoWeek

WEEK = IsoWeek.parse("2023-W08")


def test_approve_appends_one_record(commune_project):
    write_announcement(commune_project, "moi")
    ledger = commune_project / "approvals.jsonl"
    before = ledger.read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(cli, ["approve", "moi", "--by", "Lê Văn Cường", "-p", str(commune_project)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi phê duyệt “moi” bởi Lê Văn Cường" in result.output
    after = ledger.read_text(encoding="utf-8").splitlines()
    assert after[: len(before)] == before  # append-only
    record = json.loads(after[-1])
    assert record["announcement"] == "moi" and record["by"] == "Lê Văn Cường"
    assert record["sha256"] == load_project(commune_project).announcement("moi").content_sha256


def test_unapproved_is_skipped_with_reason(commune_project):
    write_announcement(commune_project, "chua-duyet")
    sel = select_week(load_project(commune_project), WEEK)
    assert ("chua-duyet", 'Thông báo “chua-duyet” chưa được phê duyệt; chạy: truyenthanh approve chua-duyet --by "Họ tên"') in sel.skipped
    assert all(a != "chua-duyet" for a, _ in sel.texts)


def test_edited_after_approval_is_refused_naming_the_approver(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    sel = select_week(load_project(commune_project), WEEK)
    [(ann, area, stage, error)] = sel.failures
    assert (ann, stage) == ("hop-dan", "approval")
    assert "đã bị sửa sau khi được Trần Thị Bình phê duyệt" in error
    assert "Cần phê duyệt lại" in error
    assert not sel.texts


def test_reapproval_takes_the_new_content(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    CliRunner().invoke(cli, ["approve", "hop-dan", "--by", "Trần Thị Bình", "-p", str(commune_project)])
    sel = select_week(load_project(commune_project), WEEK)
    assert not sel.failures
    assert "8h00" in sel.texts[("hop-dan", "thon-1")].body


def test_whitespace_in_yaml_does_not_void_an_approval(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    text = path.read_text(encoding="utf-8").replace("priority: normal", "priority:    normal").replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    sel = select_week(load_project(commune_project), WEEK)
    assert not sel.failures and sel.texts


def test_approve_unknown_id(commune_project):
    result = CliRunner().invoke(cli, ["approve", "khong-co", "--by", "A", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "không có thông báo nào mang mã này" in result.output


def test_approve_refuses_a_broken_template(commune_project):
    write_announcement(commune_project, "loi-mau", body="{{ area.ten }}")
    result = CliRunner().invoke(cli, ["approve", "loi-mau", "--by", "A", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "biến mẫu không xác định" in result.output


def test_corrupt_ledger_line_is_reported_not_fatal(commune_project):
    with open(commune_project / "approvals.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    project = load_project(commune_project)
    assert any("bản ghi phê duyệt hỏng" in str(p) for p in project.problems)
    assert select_week(project, WEEK).texts
