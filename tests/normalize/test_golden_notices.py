"""The evidence set: twelve realistic local notices and their reviewed spoken scripts.

Each `tests/golden/notices/NN-kind.txt` has a `NN-kind.spoken.txt` beside it, read line by line
by a person (see REVIEW.md there for the misreadings counted before and after). Regenerate after
an intended change with
    TRUYENTHANH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/normalize/test_golden_notices.py
and review the diff line by line before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from truyenthanh.normalize import spoken_lines

NOTICES = Path(__file__).resolve().parents[1] / "golden" / "notices"
SOURCES = sorted(p for p in NOTICES.glob("*.txt") if not p.name.endswith(".spoken.txt"))


def _render(path: Path) -> str:
    return "\n".join(spoken_lines(path.read_text(encoding="utf-8"))) + "\n"


def test_twelve_kinds_at_least():
    assert len(SOURCES) >= 12


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_notice_matches_reviewed_script(path):
    golden = path.with_name(path.stem + ".spoken.txt")
    actual = _render(path)
    if os.environ.get("TRUYENTHANH_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual.splitlines() == golden.read_text(encoding="utf-8").splitlines()
    assert len(actual.splitlines()) == len(path.read_text(encoding="utf-8").splitlines())
