"""Hostile project files: a YAML bomb, deep nesting, oversized files. Each is a Vietnamese
error for that file, quickly and with bounded memory; never a killed process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from click.testing import CliRunner

from tests.conftest import write_announcement
from truyenthanh.cli import cli
from truyenthanh.project import MAX_BODY_CHARS, load_project
from truyenthanh.selection import select_week
from truyenthanh.sources import MAX_YAML_DEPTH, load_yaml
from truyenthanh.textfmt import vi_number
from truyenthanh.weeks import IsoWeek


def billion_laughs(levels: int = 9, indent: str = "") -> str:
    """Nine levels of nine aliases each: 9^9 ≈ 387 million strings once expanded."""
    names = "abcdefghijklmnop"
    lines = [
        f'{indent}{names[0]}: &{names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    ]
    for i in range(1, levels):
        refs = ",".join([f"*{names[i - 1]}"] * 9)
        lines.append(f"{indent}{names[i]}: &{names[i]} [{refs}]")
    return "\n".join(lines) + "\n"


# The check runs in a child process so that its time and peak memory are its own.
MEASURE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from click.testing import CliRunner
    from truyenthanh.cli import cli
    from truyenthanh.errors import ProjectError
    from truyenthanh.project import load_project
    t = time.perf_counter()
    try:  # loading is where the YAML is read: the time to the error
        load_project(Path(sys.argv[1]))
    except ProjectError:
        pass
    seconds = time.perf_counter() - t
    result = CliRunner().invoke(cli, ["check", "-p", sys.argv[1], "--week", "2023-W08"])
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking pytest process.
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    rss_mib = int(hwm.split()[1]) / 1024
    print(json.dumps({"code": result.exit_code, "output": result.output, "seconds": seconds, "rss_mib": rss_mib}))
""")


def measured_check(project) -> dict:
    """`check` in a child: exit code, output, seconds to load the project, peak RSS of it all."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(project)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_yaml_bomb_in_the_config_is_an_error_in_under_a_second_with_bounded_memory(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8") + "x_bomb:\n" + billion_laughs(indent="  "),
        encoding="utf-8",
    )
    got = measured_check(commune_project)
    assert got["code"] == 2
    assert (
        "truyenthanh.yaml:" in got["output"] and "kiểu tấn công “billion laughs”" in got["output"]
    )
    assert got["seconds"] < 1.0, got
    # The whole interpreter with the project's libraries imported is ~100 MiB; the bomb
    # expanded would need tens of GB. 200 MiB means: nothing was expanded.
    assert got["rss_mib"] < 200, got


def test_yaml_bomb_in_front_matter_excludes_that_announcement_only(commune_project):
    path = write_announcement(commune_project, "bom", extra=billion_laughs())
    assert (
        "&i" in path.read_text(encoding="utf-8").split("---")[1]
    )  # the bomb is in the front matter
    got = measured_check(commune_project)
    assert got["code"] == 2 and got["seconds"] < 1.0 and got["rss_mib"] < 200, got
    assert "announcements/bom.md:" in got["output"] and "billion laughs" in got["output"]
    project = load_project(commune_project)
    assert [a.id for a in project.announcements] == ["hop-dan"]
    assert ("hop-dan", "thon-1") in select_week(project, IsoWeek.parse("2023-W08")).texts


def test_deep_nesting_and_self_reference_are_refused():
    _, _, deep = load_yaml("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "lexicon.yaml")
    assert str(deep) == f"lexicon.yaml:1: YAML lồng nhau quá sâu (tối đa {MAX_YAML_DEPTH} cấp)"
    _, _, loop = load_yaml("a: &x [1, *x]\n", "lexicon.yaml")
    assert "tự tham chiếu" in str(loop)
    data, _, ok = load_yaml("a: &x {b: 1}\nc: *x\n", "lexicon.yaml")  # ordinary aliases still work
    assert ok is None and data == {"a": {"b": 1}, "c": {"b": 1}}


def test_oversized_body_is_refused_with_its_size(commune_project):
    write_announcement(commune_project, "dai", body="Bà con chú ý. " * (MAX_BODY_CHARS // 14 + 10))
    project = load_project(commune_project)
    [problem] = [p for p in project.problems if p.announcement == "dai"]
    assert (
        "nội dung quá dài" in problem.message
        and f"tối đa {vi_number(MAX_BODY_CHARS)})" in problem.message
    )


def test_oversized_file_is_refused_before_it_is_read(commune_project):
    path = commune_project / "lexicon.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB of nothing
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "lexicon.yaml: tệp quá lớn (50.000.000 byte; tối đa 4.000.000)" in result.output


def test_lexicon_with_too_many_entries(commune_project):
    entries = "".join(f"  X{i}: ích {i}\n" for i in range(5_001))
    (commune_project / "lexicon.yaml").write_text("abbreviations:\n" + entries, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project)])
    assert (
        result.exit_code == 2
        and "abbreviations: quá nhiều mục (5.001; tối đa 5.000)" in result.output
    )


def test_vi_number_formats_the_number_alone():
    assert vi_number(20_000) == "20.000"
    assert vi_number(1_234_567) == "1.234.567"
    assert vi_number(999) == "999"
    assert vi_number(95.5, 1) == "95,5"
    sentence = f"(tối đa {vi_number(20_000)}, khoảng 25 phút)"
    assert sentence == "(tối đa 20.000, khoảng 25 phút)"
