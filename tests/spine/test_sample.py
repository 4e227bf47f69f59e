"""The checked-in sample district (examples/tay-son) and `truyenthanh init`."""

from __future__ import annotations

import re
import stat

from click.testing import CliRunner

from truyenthanh.cli import cli
from truyenthanh.normalize import spoken_script
from truyenthanh.project import load_project
from truyenthanh.resources import DEMO_KEYS_DIR, demo_public_keys, sample_project_dir
from truyenthanh.selection import select_week
from truyenthanh.signing import keys_dir
from truyenthanh.stages.texts import dialect_for, lexicon_for
from truyenthanh.weeks import IsoWeek

COMMUNES = [
    "Phú Phong",
    "Bình Hòa",
    "Bình Nghi",
    "Bình Tân",
    "Bình Thành",
    "Bình Thuận",
    "Bình Tường",
    "Tây An",
    "Tây Bình",
    "Tây Giang",
    "Tây Phú",
    "Tây Thuận",
    "Tây Vinh",
    "Tây Xuân",
    "Vĩnh An",
]


def test_sample_is_the_2023_tay_son_district():
    project = load_project(sample_project_dir())
    assert project.problems == []
    assert project.config.issuer.province == "Bình Định"
    assert [a.name for a in project.config.areas] == COMMUNES
    assert project.config.areas[0].kind == "thị trấn" and {
        a.kind for a in project.config.areas[1:]
    } == {"xã"}
    approved = [a for a in project.announcements if project.ledger.verdict(a).approved]
    assert len(approved) >= 4
    assert any(a.meta.priority == "emergency" for a in approved)
    assert any(a.meta.slogans for a in approved)


def test_sample_is_signed_with_its_demo_key_under_four_eyes():
    project = load_project(sample_project_dir())
    assert project.config.approvals.require_signatures and project.config.approvals.four_eyes
    verdicts = [project.ledger.verdict(a) for a in project.announcements]
    approved = [v for v in verdicts if v.approved]
    assert len(approved) == 4 and all(v.approval.sig for v in approved)
    assert {(v.approval.by, v.role) for v in approved} == {
        ("Nguyễn Văn An", "Phó Giám đốc Trung tâm VH-TT-TT")
    }
    assert all(a.meta.author and a.meta.author != "Nguyễn Văn An" for a in project.announcements)
    [demo_key] = (sample_project_dir() / DEMO_KEYS_DIR).glob("*.key")
    assert "DEMO" in demo_key.name
    assert "KHÓA DEMO" in " ".join(project.notes)
    assert "DEMO KEY" in (sample_project_dir() / "README.md").read_text(encoding="utf-8")


def test_no_digit_capital_run_or_slash_survives_in_sample_spoken_scripts():
    project = load_project(sample_project_dir())
    sel = select_week(project, IsoWeek.parse("2023-W08"))
    lexicon = lexicon_for(project)
    assert len(sel.texts) >= 4 * 15
    for (ann_id, area_id), text in sel.texts.items():
        dialect = dialect_for(
            project, project.config.area(area_id).voice or project.config.audio.voice
        )
        for source in (text.title, text.body):
            spoken = spoken_script(source, lexicon, dialect).text
            assert not re.search(r"\d", spoken), (ann_id, spoken)
            assert not any(a.isupper() and b.isupper() for a, b in zip(spoken, spoken[1:])), (
                ann_id,
                spoken,
            )
            assert "/" not in spoken, (ann_id, spoken)


def test_init_writes_a_valid_project_with_a_fresh_key(tmp_path):
    target = tmp_path / "du-an"
    result = CliRunner().invoke(
        cli, ["init", str(target), "--name", "Đặng Thu Trang", "--role", "Giám đốc"]
    )
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(cli, ["check", "-p", str(target), "--week", "2023-W08"])
    assert check.exit_code == 0, check.output
    assert "KHÓA DEMO" not in check.output and "0 đã phê duyệt" in check.output
    assert not (target / DEMO_KEYS_DIR).exists() and not (target / "approvals.jsonl").exists()
    project = load_project(target)
    [approver] = project.config.approvers
    assert (approver.name, approver.role) == ("Đặng Thu Trang", "Giám đốc")
    assert approver.public_key not in demo_public_keys()
    [key] = keys_dir().glob("*.key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and not key.is_relative_to(target)
    assert project.config.approvals.four_eyes and project.config.approvals.require_signatures
    # the new key signs: approve an announcement written by someone else, and it counts
    approve = CliRunner().invoke(cli, ["approve", "dich-vu-cong-truc-tuyen", "-p", str(target)])
    assert approve.exit_code == 0, approve.output
    assert (
        load_project(target)
        .ledger.verdict(load_project(target).announcement("dich-vu-cong-truc-tuyen"))
        .approved
    )
    again = CliRunner().invoke(cli, ["init", str(target)])
    assert again.exit_code == 2 and "đã có nội dung" in again.output


def test_script_command_one_line_per_line():
    result = CliRunner().invoke(
        cli,
        ["script", "-p", str(sample_project_dir())],
        input="Kế hoạch số 20/KH-UBND ngày 06/12/2021\n\nGọi 1022\n",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")[:-1]
    assert len(lines) == 3 and lines[1] == ""
    assert lines[0].startswith("Kế hoạch số hai mươi") and "tháng mười hai" in lines[0]
