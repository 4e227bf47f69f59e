"""The checked-in sample district (examples/tay-son) and `truyenthanh init`."""

from __future__ import annotations

import re

from click.testing import CliRunner

from truyenthanh.cli import cli
from truyenthanh.normalize import spoken_script
from truyenthanh.project import load_project
from truyenthanh.resources import sample_project_dir
from truyenthanh.selection import select_week
from truyenthanh.stages.texts import dialect_for, lexicon_for
from truyenthanh.weeks import IsoWeek

COMMUNES = ["Phú Phong", "Bình Hòa", "Bình Nghi", "Bình Tân", "Bình Thành", "Bình Thuận", "Bình Tường", "Tây An",
            "Tây Bình", "Tây Giang", "Tây Phú", "Tây Thuận", "Tây Vinh", "Tây Xuân", "Vĩnh An"]


def test_sample_is_the_2023_tay_son_district():
    project = load_project(sample_project_dir())
    assert project.problems == []
    assert project.config.issuer.province == "Bình Định"
    assert [a.name for a in project.config.areas] == COMMUNES
    assert project.config.areas[0].kind == "thị trấn" and {a.kind for a in project.config.areas[1:]} == {"xã"}
    approved = [a for a in project.announcements if project.ledger.verdict(a).approved]
    assert len(approved) >= 4
    assert any(a.meta.priority == "emergency" for a in approved)
    assert any(a.meta.slogans for a in approved)


def test_no_digit_capital_run_or_slash_survives_in_sample_spoken_scripts():
    project = load_project(sample_project_dir())
    sel = select_week(project, IsoWeek.parse("2023-W08"))
    lexicon = lexicon_for(project)
    assert len(sel.texts) >= 4 * 15
    for (ann_id, area_id), text in sel.texts.items():
        dialect = dialect_for(project, project.config.area(area_id).voice or project.config.audio.voice)
        for source in (text.title, text.body):
            spoken = spoken_script(source, lexicon, dialect).text
            assert not re.search(r"\d", spoken), (ann_id, spoken)
            assert not any(a.isupper() and b.isupper() for a, b in zip(spoken, spoken[1:])), (ann_id, spoken)
            assert "/" not in spoken, (ann_id, spoken)


def test_init_writes_a_valid_project(tmp_path):
    target = tmp_path / "du-an"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(cli, ["check", "-p", str(target), "--week", "2023-W08"])
    assert check.exit_code == 0, check.output
    again = CliRunner().invoke(cli, ["init", str(target)])
    assert again.exit_code == 2 and "đã có nội dung" in again.output


def test_script_command_one_line_per_line():
    result = CliRunner().invoke(cli, ["script", "-p", str(sample_project_dir())],
                                input="Kế hoạch số 20/KH-UBND ngày 06/12/2021\n\nGọi 1022\n")
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")[:-1]
    assert len(lines) == 3 and lines[1] == ""
    assert lines[0].startswith("Kế hoạch số hai mươi") and "tháng mười hai" in lines[0]
