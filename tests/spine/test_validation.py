"""Every validation error gets its own clear Vietnamese message, with file and line."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner

from tests.conftest import COMMUNE_CONFIG, write_announcement
from truyenthanh.cli import cli
from truyenthanh.errors import ProjectError
from truyenthanh.project import check_templates, load_project


def problems_of(root):
    try:
        project = load_project(root)
    except ProjectError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in project.problems + check_templates(project)]


def test_broken_yaml_names_file_and_line(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(COMMUNE_CONFIG.replace("  level: xã\n", "  level: [xã\n"), encoding="utf-8")
    [problem] = problems_of(commune_project)
    assert problem.startswith("truyenthanh.yaml:")
    assert "lỗi cú pháp YAML" in problem


def test_missing_field(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(COMMUNE_CONFIG.replace("  province: Gia Lai\n", ""), encoding="utf-8")
    assert problems_of(commune_project) == [
        "truyenthanh.yaml:1: issuer.province: thiếu trường bắt buộc"
    ]


def test_unknown_field_is_a_typo(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(
        COMMUNE_CONFIG.replace("  gap_seconds: 0.5\n", "  gap_secnods: 0.5\n"), encoding="utf-8"
    )
    [problem] = problems_of(commune_project)
    assert (
        problem == "truyenthanh.yaml:23: audio.gap_secnods: trường không được hỗ trợ (gõ nhầm tên?)"
    )


def test_all_config_problems_reported_together(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    bad = COMMUNE_CONFIG.replace("  province: Gia Lai\n", "").replace('["06:00"]', '["25:00"]')
    cfg.write_text(
        bad.replace("engine: espeak", "engine: espeak\n  loudness_lufs: loud"), encoding="utf-8"
    )
    problems = problems_of(commune_project)
    assert len(problems) == 3
    assert any("giờ phát “25:00” không hợp lệ" in p for p in problems)
    assert any("audio.loudness_lufs: phải là số" in p for p in problems)


@pytest.mark.parametrize("bad_id", ["../x", "thon 1", "Thon-1", "thôn-1", ""])
def test_unsafe_area_ids(commune_project, bad_id):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(COMMUNE_CONFIG.replace("id: thon-1", f'id: "{bad_id}"'), encoding="utf-8")
    [problem] = problems_of(commune_project)
    assert "areas.0.id" in problem and "không hợp lệ" in problem
    assert problem.startswith("truyenthanh.yaml:9:")


def test_duplicate_area_ids(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    cfg.write_text(COMMUNE_CONFIG.replace("id: thon-2", "id: thon-1"), encoding="utf-8")
    [problem] = problems_of(commune_project)
    assert "mã địa bàn bị trùng: thon-1" in problem


def test_unsafe_announcement_id(commune_project):
    write_announcement(commune_project, "../etc", filename="x.md")
    [problem] = problems_of(commune_project)
    assert problem.startswith("announcements/x.md:2: id: mã “../etc” không hợp lệ")


def test_bad_date(commune_project):
    write_announcement(commune_project, "ngay-sai", valid_from="2023-02-30")
    [problem] = problems_of(commune_project)
    assert problem == "announcements/ngay-sai.md:6: valid_from: phải là ngày dạng YYYY-MM-DD"


def test_window_reversed(commune_project):
    write_announcement(commune_project, "nguoc", valid_from="2023-03-01", valid_until="2023-02-01")
    [problem] = problems_of(commune_project)
    assert "valid_until (01/02/2023) trước valid_from (01/03/2023)" in problem


def test_unknown_area_in_announcement(commune_project):
    write_announcement(commune_project, "sai-thon", areas="[thon-1, thon-9]")
    [problem] = problems_of(commune_project)
    assert (
        problem
        == "announcements/sai-thon.md:8: areas: mã địa bàn không có trong truyenthanh.yaml: thon-9"
    )


def test_duplicate_announcement_ids(commune_project):
    write_announcement(commune_project, "hop-dan", filename="hop-dan-2.md")
    problems = problems_of(commune_project)
    assert len(problems) == 2
    assert all("mã thông báo “hop-dan” bị trùng" in p for p in problems)


def test_unknown_front_matter_field(commune_project):
    write_announcement(commune_project, "go-nham", extra="priorty: emergency\n")
    [problem] = problems_of(commune_project)
    assert "priorty: trường không được hỗ trợ (gõ nhầm tên?)" in problem


def test_bad_priority(commune_project):
    write_announcement(commune_project, "uu-tien", priority="urgent")
    [problem] = problems_of(commune_project)
    assert "priority: giá trị “urgent” không hợp lệ" in problem


def test_empty_body(commune_project):
    write_announcement(commune_project, "trong", body="   ")
    [problem] = problems_of(commune_project)
    assert "nội dung thông báo trống" in problem


def test_missing_front_matter(commune_project):
    (commune_project / "announcements" / "tho.md").write_text("Chỉ có nội dung\n", encoding="utf-8")
    [problem] = problems_of(commune_project)
    assert problem.startswith("announcements/tho.md:1: thiếu phần đầu YAML")


def test_undefined_template_variable(commune_project):
    """Named in Vietnamese at the file's line (the body starts on line 12 of these files)."""
    write_announcement(
        commune_project, "mau-sai", body="Kính gửi bà con.\n\nXin chào {{ area.ten }}."
    )
    [problem] = problems_of(commune_project)
    assert problem == (
        "announcements/mau-sai.md:14: biến mẫu không xác định: không có trường “ten”; "
        "mẫu dùng được: issuer, area, announcement, week (địa bàn thon-1)"
    )


# (file name, write_announcement's arguments, how the one problem starts, what else it says)
TEMPLATE_AND_SYNTAX = [
    (
        "cu-phap",
        {"body": "Xin chào {{ area.name }."},
        "announcements/cu-phap.md:12: lỗi cú pháp mẫu: thừa “}” (địa bàn thon-1)",
        "",
    ),
    (
        "khoi",
        {"body": "{% if area.name %}Xin chào.\n\nHẹn gặp."},
        "announcements/khoi.md:12: lỗi cú pháp mẫu: ",
        "mẫu kết thúc mà khối {% if %} chưa đóng (thiếu {% endif %})",
    ),
    (
        "tieu-de",
        {"title": '"Họp dân {{ area.ten }}"'},
        "announcements/tieu-de.md:3: title: biến mẫu không xác định: không có trường “ten”",
        "",
    ),
    (
        "nhay",
        {"title": "{{ area.name }} họp dân"},
        "announcements/nhay.md:3: lỗi cú pháp YAML: ",
        "phải đặt trong dấu nháy kép",
    ),
    ("tab", {"extra": "\trepeat: 1\n"}, "announcements/tab.md:11: lỗi cú pháp YAML: ", "tab"),
    (
        "khau-hieu",
        {"outputs": "audio, banner", "extra": 'slogans:\n  - Một\n  - "Hai {{ area.x }}"\n'},
        "announcements/khau-hieu.md:13: slogans: biến mẫu không xác định: không có trường “x”",
        "",
    ),
]


@pytest.mark.parametrize(
    ("name", "fields", "starts", "says"),
    TEMPLATE_AND_SYNTAX,
    ids=[c[0] for c in TEMPLATE_AND_SYNTAX],
)
def test_template_and_syntax_problems_name_line_and_cause(
    commune_project, name, fields, starts, says
):
    write_announcement(commune_project, name, **fields)
    [problem] = problems_of(commune_project)
    assert problem.startswith(starts) and says in problem, problem


def test_blank_lines_before_the_body_count_in_its_line(commune_project):
    write_announcement(commune_project, "dong-trong", body="x")
    path = commune_project / "announcements" / "dong-trong.md"
    text = path.read_text(encoding="utf-8").replace("---\nx\n", "---\n\n\n{{ hỏng }\n")
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(commune_project)
    assert problem.startswith("announcements/dong-trong.md:14: lỗi cú pháp mẫu")


def test_choices_and_bounds_in_vietnamese(commune_project):
    write_announcement(commune_project, "kenh", outputs="audio, fax", extra="repeat: -3\n")
    problems = problems_of(commune_project)
    assert any(
        "outputs.1: giá trị “fax” không hợp lệ; dùng một trong: "
        "'audio', 'leaflet', 'banner' hoặc 'poster'" in p
        for p in problems
    ), problems
    assert any("repeat: quá nhỏ: phải từ 0 trở lên" in p for p in problems), problems


def test_template_sandboxed(commune_project):
    write_announcement(commune_project, "hop-cat", body="{{ area.__class__.__mro__ }}")
    [problem] = problems_of(commune_project)
    assert "announcements/hop-cat.md" in problem


def test_banner_without_slogans(commune_project):
    write_announcement(commune_project, "bang-ron", outputs="audio, banner")
    [problem] = problems_of(commune_project)
    assert "chưa có khẩu hiệu" in problem


def test_non_utf8_file(commune_project):
    (commune_project / "announcements" / "latin.md").write_bytes(
        "---\nid: x\n---\nThông báo".encode("cp1258")
    )
    [problem] = problems_of(commune_project)
    assert "không phải UTF-8" in problem


def test_decomposed_text_enters_as_nfc(commune_project):
    body = unicodedata.normalize("NFD", "Kính gửi bà con thôn Một: họp lúc 7h30.")
    write_announcement(commune_project, "nfd", body=body)
    project = load_project(commune_project)
    ann = project.announcement("nfd")
    assert ann.body == unicodedata.normalize("NFC", body)


def test_check_lists_everything_and_exits_2(commune_project):
    write_announcement(commune_project, "trong", body=" ")
    write_announcement(commune_project, "mau-sai", body="{{ nothing }}")
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "Dự án có 2 lỗi" in result.output
    assert "Traceback" not in result.output


def test_check_ok(commune_project):
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project)])
    assert result.exit_code == 0, result.output
    assert "Dự án hợp lệ: 2 địa bàn, 1 thông báo (1 đã phê duyệt" in result.output


def test_missing_project(tmp_path):
    result = CliRunner().invoke(cli, ["check", "-p", str(tmp_path)])
    assert result.exit_code == 2
    assert "không tìm thấy tệp cấu hình dự án" in result.output


def test_bad_lexicon(commune_project):
    (commune_project / "lexicon.yaml").write_text(
        "abbreviations:\n  UBND: ''\nextra: {}\n", encoding="utf-8"
    )
    problems = problems_of(commune_project)
    assert len(problems) == 2
    assert any(p.startswith("lexicon.yaml:3: mục “extra” không được hỗ trợ") for p in problems)


TCVN3_BODY = "Uû ban nh©n d©n x· th«ng b¸o: häp d©n lóc 7h30 t¹i nhµ v¨n hãa th«n."


def test_legacy_tcvn3_file_is_converted_and_noted(commune_project):
    whole = (
        "---\nid: cu\ntitle: Th«ng b¸o häp d©n\ncategory: Th«ng b¸o\nvalid_from: 2023-02-01\n"
        f"valid_until: 2023-03-01\n---\n{TCVN3_BODY}\n"
    )
    (commune_project / "announcements" / "cu.md").write_bytes(
        whole.encode("latin-1")
    )  # as an old editor saves it
    project = load_project(commune_project)
    ann = project.announcement("cu")
    assert ann.meta.title == "Thông báo họp dân"
    assert "nhân dân xã thông báo: họp dân lúc 7h30 tại nhà văn hóa thôn." in ann.body
    assert any("đã tự chuyển từ bảng mã TCVN3 sang Unicode" in n for n in project.notes)


def test_legacy_text_pasted_into_utf8_is_converted(commune_project):
    # No author line: a Unicode name beside a short TCVN3 body tips the detector's balance.
    write_announcement(commune_project, "dan", body=TCVN3_BODY, author=None)
    project = load_project(commune_project)
    assert "nhân dân xã thông báo" in project.announcement("dan").body
    assert any("announcements/dan.md: đã tự chuyển từ bảng mã TCVN3" in n for n in project.notes)


def test_check_reports_unknown_voice_and_missing_ident(commune_project):
    cfg = commune_project / "truyenthanh.yaml"
    text = cfg.read_text(encoding="utf-8").replace(
        '    slots: ["06:00"]\n', '    slots: ["06:00"]\n    voice: hanoi-old\n'
    )
    cfg.write_text(
        text.replace("  repeats: 0\n", "  repeats: 0\n  ident: voices/khong-co.wav\n"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "areas.1.voice: Không tìm thấy giọng đọc “hanoi-old”" in result.output
    assert "Không tìm thấy tệp nhạc hiệu “voices/khong-co.wav”" in result.output
