"""Week selection, validity windows and per-area targeting."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import approve_all, write_announcement
from truyenthanh.project import load_project
from truyenthanh.selection import select_week
from truyenthanh.weeks import IsoWeek


def test_week_parse_and_bounds():
    week = IsoWeek.parse("2023-W08")
    assert (week.monday, week.sunday) == (dt.date(2023, 2, 20), dt.date(2023, 2, 26))
    assert IsoWeek.containing(dt.date(2023, 1, 1)).label == "2022-W52"


@pytest.mark.parametrize("text", ["2023-8", "2023-W54", "W08", "2023-w08"])
def test_week_parse_rejects(text):
    with pytest.raises(ValueError):
        IsoWeek.parse(text)


def test_current_week_is_vietnam_time(monkeypatch):
    class Fixed(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # Sunday 20:00 UTC is already Monday in Vietnam
            return dt.datetime(2023, 2, 26, 20, 0, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr("truyenthanh.weeks.dt.datetime", Fixed)
    assert IsoWeek.current("Asia/Ho_Chi_Minh").label == "2023-W09"


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "taken"),
    [
        ("2023-02-20", "2023-02-20", True),  # first day of the week only
        ("2023-02-26", "2023-03-10", True),  # starts on Sunday
        ("2023-01-01", "2023-02-19", False),  # ended the day before
        ("2023-02-27", "2023-03-10", False),  # starts next week
    ],
)
def test_validity_window(commune_project, valid_from, valid_until, taken):
    write_announcement(commune_project, "cua-so", valid_from=valid_from, valid_until=valid_until)
    approve_all(commune_project)
    sel = select_week(load_project(commune_project), IsoWeek.parse("2023-W08"))
    assert (("cua-so", "thon-1") in sel.texts) is taken
    if not taken:
        assert any(
            s.announcement == "cua-so" and "ngoài thời hạn hiệu lực" in s.reason
            for s in sel.skipped
        )


def test_per_area_targeting_and_rendering(commune_project):
    write_announcement(commune_project, "chi-thon-2", areas="[thon-2]")
    approve_all(commune_project)
    sel = select_week(load_project(commune_project), IsoWeek.parse("2023-W08"))
    assert ("chi-thon-2", "thon-2") in sel.texts
    assert ("chi-thon-2", "thon-1") not in sel.texts
    assert sel.texts[("hop-dan", "thon-1")].body.startswith("Kính gửi bà con thôn Thôn Một")
    assert sel.texts[("hop-dan", "thon-2")].body.startswith("Kính gửi bà con thôn Thôn Hai")


def test_template_sees_issuer_and_week(commune_project):
    write_announcement(
        commune_project, "bien", body="Gọi {{ issuer.hotline }} trong {{ week.title }}."
    )
    approve_all(commune_project)
    sel = select_week(load_project(commune_project), IsoWeek.parse("2023-W08"))
    assert (
        sel.texts[("bien", "thon-1")].body
        == "Gọi 0269 3880 111 trong Tuần 8/2023 (20/02 – 26/02/2023)."
    )


def test_render_error_fails_only_that_announcement(commune_project):
    write_announcement(commune_project, "chia-0", body="{{ 1 // 0 }}")
    approve_all(commune_project)
    sel = select_week(load_project(commune_project), IsoWeek.parse("2023-W08"))
    assert [(a, s) for a, _, s, _ in sel.failures] == [("chia-0", "render")]
    assert ("hop-dan", "thon-1") in sel.texts
