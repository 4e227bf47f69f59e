"""The whole Tây Sơn corpus through `spoken_lines`, checked in for a human to review.

Regenerate after an intended change with:
    TRUYENTHANH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/normalize/test_golden_corpus.py
and read the diff line by line before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from truyenthanh.normalize import spoken_lines

TESTS = Path(__file__).resolve().parents[1]
CORPUS = TESTS / "data" / "tay-son-cchc-2023.txt"
GOLDEN = TESTS / "golden" / "corpus_spoken.txt"
SHARED = TESTS.parents[1] / "shared" / "corpus" / "tay-son-cchc-2023.txt"


def _render() -> str:
    return "\n".join(spoken_lines(CORPUS.read_text(encoding="utf-8"))) + "\n"


def test_corpus_matches_golden():
    actual = _render()
    if os.environ.get("TRUYENTHANH_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual.splitlines() == expected.splitlines()


def test_one_output_line_per_corpus_line():
    assert len(_render().splitlines()) == len(CORPUS.read_text(encoding="utf-8").splitlines())


def test_checked_in_corpus_is_the_shared_one():
    if SHARED.exists():  # shared/ lies beside the clone on developer machines and in CI
        assert CORPUS.read_bytes() == SHARED.read_bytes()
