"""Spoken scripts are remembered across runs (stages/texts.py): a night with one announcement
edited normalises only that announcement's texts, and a remembered script is used only when
it is exactly what the normaliser would make now."""

from __future__ import annotations

import pytest

from tests.buildutil import WEEK, build
from tests.conftest import approve_all, write_announcement
from truyenthanh import layout
from truyenthanh.normalize import script as normaliser
from truyenthanh.stages import texts
from truyenthanh.weeks import IsoWeek

SPOKEN = layout.spoken_path(IsoWeek.parse(WEEK), "hop-dan", "thon-1")


@pytest.fixture
def normalised(monkeypatch) -> list[str]:
    """The texts the build normalised (each body and title it read), in order."""
    seen: list[str] = []

    def counting(text, *args, **kwargs):
        seen.append(text)
        return normaliser.spoken_script(text, *args, **kwargs)

    monkeypatch.setattr(texts, "spoken_script", counting)
    return seen


def entries(out):
    return sorted((out / layout.SPOKEN_CACHE).rglob("*.json"))


def test_an_unchanged_text_is_not_normalised_again(commune_project, out_dir, normalised):
    write_announcement(commune_project, "lich-tiem", body="Tiêm chủng lúc 8h ngày 15/3.")
    approve_all(commune_project)
    assert build(commune_project, out_dir)[0] == 0
    # body and title of hop-dan in each village (it names the village) and of lich-tiem once
    # (it reads the same in both)
    assert len(normalised) == 6
    spoken = (out_dir / SPOKEN).read_bytes()

    write_announcement(commune_project, "lich-tiem", body="Tiêm chủng lúc 9h ngày 16/3.")
    approve_all(commune_project)
    normalised.clear()
    code, report, output = build(commune_project, out_dir)
    assert code == 0, output
    assert len(normalised) == 2  # only the edited one's body and title
    assert all("hop" not in text.lower() for text in normalised)
    assert (out_dir / SPOKEN).read_bytes() == spoken
    said = (out_dir / layout.spoken_path(IsoWeek.parse(WEEK), "lich-tiem", "thon-1")).read_text(
        encoding="utf-8"
    )
    assert "chín giờ" in said and "mười sáu tháng ba" in said


def test_a_damaged_or_foreign_entry_is_read_again(commune_project, out_dir, normalised):
    assert build(commune_project, out_dir)[0] == 0
    spoken = (out_dir / SPOKEN).read_bytes()
    first, second = entries(out_dir)
    foreign = first.read_bytes()
    first.write_bytes(foreign[: len(foreign) // 2])  # a damaged file
    second.write_bytes(foreign)  # a well-formed entry of another text under this name
    (out_dir / SPOKEN).unlink()
    normalised.clear()
    code, _, output = build(commune_project, out_dir)
    assert code == 0, output
    assert len(normalised) == 4  # both villages' texts normalised again, none taken on trust
    assert (out_dir / SPOKEN).read_bytes() == spoken


def test_another_normaliser_does_not_reuse_the_scripts(
    commune_project, out_dir, normalised, monkeypatch
):
    assert build(commune_project, out_dir)[0] == 0
    before = entries(out_dir)
    monkeypatch.setattr(texts, "normaliser_identity", lambda: "a changed reading rule")
    # (An edited normaliser is an edited program, which the whole-run check sees; here the
    # project changes in a way no text depends on, so that the build takes the full path.)
    (commune_project / "ghi-chu.txt").write_text("họp tổ", encoding="utf-8")
    normalised.clear()
    assert build(commune_project, out_dir)[0] == 0
    assert len(normalised) == 4
    assert len(entries(out_dir)) == 2 * len(before)  # new entries beside the old


def test_a_district_wide_text_is_one_entry(commune_project, out_dir, normalised):
    write_announcement(commune_project, "chung", body="Toàn xã dọn vệ sinh sáng chủ nhật.")
    approve_all(commune_project)
    assert build(commune_project, out_dir)[0] == 0
    assert normalised.count("Toàn xã dọn vệ sinh sáng chủ nhật.") == 1  # read once, for both
    # hop-dan names each village (two entries); "chung" reads the same in both (one)
    assert len(entries(out_dir)) == 3


def test_the_project_lexicon_is_part_of_the_key(commune_project, out_dir, normalised):
    assert build(commune_project, out_dir)[0] == 0
    (commune_project / "lexicon.yaml").write_text(
        "abbreviations:\n  HTX: hợp tác xã\n", encoding="utf-8"
    )
    normalised.clear()
    code, _, output = build(commune_project, out_dir)
    assert code == 0, output
    assert len(normalised) == 4
