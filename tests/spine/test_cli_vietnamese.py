"""The CLI speaks Vietnamese in click's own words too: every command's help (usage line,
metavars, defaults), usage errors and prompts (cli_vi)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from truyenthanh.cli import cli
from truyenthanh.signing import PASSPHRASE_ENV

# Words in ASCII capitals the help may use: none of them click's. Anything else in capitals
# (OPTIONS, COMMAND, TEXT, INTEGER, DIRECTORY, a parameter's own name such as MODEL) is English
# an officer should not meet.
ABBREVIATIONS = {"ISO", "CPU", "USB", "VH", "TT", "CC", "BY", "UBND"}
CLICK_WORDS = ("Usage", "Options", "Commands", "Show this", "default:", "required", "Error")


def commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path
    if isinstance(command, click.MultiCommand):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, (*path, name))


def invoke(*args: str, **kwargs) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), prog_name="truyenthanh", **kwargs)


def english(text: str) -> set[str]:
    words = set(re.findall(r"(?<![\w-])[A-Z]{2,}(?:[_-][A-Z]+)*(?![\w-])", text))
    found = {w for w in words if not set(re.split("[_-]", w)) <= ABBREVIATIONS}
    return found | {w for w in CLICK_WORDS if w in text}


@pytest.mark.parametrize("path", list(commands(cli)), ids=lambda p: " ".join(p) or "truyenthanh")
def test_every_help_is_vietnamese(path):
    result = invoke(*path, "-h")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Cách dùng: {' '.join(('truyenthanh', *path))} [TÙY-CHỌN]")
    assert "Hiện hướng dẫn này rồi thoát." in result.output
    assert not english(result.output), result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("build", "--jobs", "abc"),
            "Giá trị không hợp lệ cho '--jobs': 'abc' không phải số hợp lệ.",
        ),
        (("build", "--jobs", "0"), "nằm ngoài khoảng"),
        (("build", "--bogus"), "Không có tùy chọn: --bogus"),
        (("build", "--executor", "cum"), "'cum' không thuộc 'local', 'dask'."),
        (("build", "thua"), "Thừa đối số (thua)"),
        (("approve",), "Thiếu đối số 'MÃ-THÔNG-BÁO'."),
        (("buil",), "Không có lệnh 'buil'."),
        (("keys",), "Cách dùng: truyenthanh keys [TÙY-CHỌN] LỆNH [ĐỐI-SỐ]..."),
        (("voices", "-h"), "Cách dùng: truyenthanh voices [TÙY-CHỌN] [LỆNH [ĐỐI-SỐ]...]"),
    ],
)
def test_usage_errors_are_vietnamese(args, said):
    result = invoke(*args)
    assert result.exit_code in (0, 2), result.output  # `keys` alone shows its help
    assert said in result.output
    assert not english(result.output), result.output


def test_a_path_of_the_wrong_kind_is_named_without_click_words(tmp_path: Path):
    file = tmp_path / "tep"
    file.write_text("x", encoding="utf-8")
    result = invoke("init", str(file))
    assert result.exit_code == 2
    assert f"'{file}' là một tệp, không phải thư mục." in result.output
    assert "Thư Mục" not in result.output  # click's title-cased kind of path


def test_a_passphrase_asked_twice_in_vietnamese(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    key = tmp_path / "khoa.key"
    result = invoke(
        "keys",
        "new",
        "--name",
        "Nguyễn Văn A",
        "--out",
        str(key),
        "--passphrase",
        input="mat-khau-1\nmat-khau-2\nmat-khau-1\nmat-khau-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Nhập lại để xác nhận" in result.output
    assert "Lỗi: hai lần nhập không khớp nhau." in result.output
    assert key.is_file()
    assert not english(result.output.split("approvers:")[0]), result.output


def test_a_parameter_left_unnamed_gets_its_types_word():
    @click.command()
    @click.option("--so-luong", type=click.IntRange(1, 9))
    @click.option("--noi", type=click.Path(file_okay=False))
    def lenh(so_luong, noi):
        """Lệnh thử."""

    from truyenthanh import cli_vi

    cli_vi.localize(lenh)
    result = CliRunner().invoke(lenh, ["--help"], prog_name="lenh")
    assert "--so-luong SỐ" in result.output and "--noi THƯ-MỤC" in result.output
    assert result.output.startswith("Cách dùng: lenh [TÙY-CHỌN]")


def test_the_systems_reason_is_said_in_vietnamese(commune_project: Path, tmp_path: Path):
    missing = tmp_path / "khong-co.key"
    result = invoke("approve", "hop-dan", "--key", str(missing), "-p", str(commune_project))
    assert result.exit_code == 2, result.output
    assert f"Không đọc được tệp khóa {missing}: không có tệp hoặc thư mục này." in result.output
    assert "No such file" not in result.output
