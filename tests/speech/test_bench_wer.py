"""The word error rate of scripts/bench-intelligibility: normalisation and distance tables."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench-intelligibility"


@pytest.fixture(scope="module")
def bench():
    loader = importlib.machinery.SourceFileLoader("bench_intelligibility", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "text, words",
    [
        ("Xin chào, bà con!", ["xin", "chào", "bà", "con"]),
        ("Tho\u0302ng báo", ["thông", "báo"]),  # decomposed input compares equal to NFC
        ("năm 2023.", ["năm", "hai", "nghìn", "không", "trăm", "hai", "mươi", "ba"]),
        ("ỦY BAN – “Tây Sơn”", ["ủy", "ban", "tây", "sơn"]),
    ],
)
def test_normalise_words(bench, text, words):
    assert bench.normalise_words(text) == words


@pytest.mark.parametrize(
    "ref, hyp, errors",
    [
        ("a b c", "a b c", 0),
        ("a b c", "a x c", 1),  # substitution
        ("a b c", "a c", 1),  # deletion
        ("a b c", "a b c d", 1),  # insertion
        ("a b c", "", 3),
        ("", "a", 1),
    ],
)
def test_word_errors(bench, ref, hyp, errors):
    assert bench.word_errors(ref.split(), hyp.split()) == errors


def test_wer_reads_digits_as_words(bench):
    assert bench.wer("hai mươi mốt hộ", "21 hộ") == 0.0
    assert bench.wer("Bà con chú ý.", "bà con chú ý") == 0.0
    assert bench.wer("bà con chú ý", "bà con") == 0.5
