"""Cardinals against an independent reader (`vietnormalizer`, a test-only dependency).

Differences of convention are folded before comparing: lẻ/linh and ngàn/nghìn everywhere;
beyond a million, vietnormalizer reads an inner group without "không trăm (lẻ)" ("một triệu
năm nghìn" for 1 005 000) where we read it in full, so there "không trăm" and "linh" are
dropped from both sides before comparing.
"""

from __future__ import annotations

import random
import re

import pytest

from truyenthanh.normalize import read_number

vietnormalizer = pytest.importorskip("vietnormalizer")


@pytest.fixture(scope="module")
def oracle():
    processor = vietnormalizer.VietnameseTextProcessor()
    return lambda n: processor.number_to_words(str(n))


def _fold(words: str) -> str:
    return words.replace("lẻ", "linh").replace("ngàn", "nghìn")


_INNER_ZEROS = re.compile(r"\bkhông trăm\b|\blinh\b")


def _fold_large(words: str) -> str:
    return " ".join(_INNER_ZEROS.sub(" ", _fold(words)).split())


def test_every_number_below_a_million(oracle):
    mismatches = [n for n in range(1_000_000) if read_number(n) != _fold(oracle(n))]
    assert not mismatches, [(n, read_number(n), oracle(n)) for n in mismatches[:10]]


def test_random_sample_up_to_a_trillion(oracle):
    rng = random.Random(20230217)
    sample = [rng.randrange(10**6, 10**12) for _ in range(20_000)]
    # Round numbers and inner zero groups are where readers differ most.
    sample += [
        rng.randrange(1, 1000) * 10 ** rng.choice((6, 9)) + rng.randrange(0, 1000)
        for _ in range(5_000)
    ]
    sample += [10**9 + 5_000, 2 * 10**9 + 15, 10**12 - 1]
    mismatches = [n for n in sample if _fold_large(read_number(n)) != _fold_large(oracle(n))]
    assert not mismatches, [(n, read_number(n), oracle(n)) for n in mismatches[:10]]
