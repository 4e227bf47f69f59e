"""Workers keep the memory they free for their next job (executor.keep_freed_memory): a block
of tens of MB is served from the heap and stays with the process once freed, instead of being
unmapped and faulted in again, zeroed, by the next job."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from truyenthanh.executor import ProcessExecutor

BLOCK = 24 << 20
needs_glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")


def resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def kept_after_free() -> int:
    """Bytes still resident after a 24 MB block was filled and freed."""
    block = bytearray(b"\x01" * BLOCK)
    full = resident()
    del block
    return resident() - (full - BLOCK)


@needs_glibc
def test_a_pool_worker_keeps_a_freed_block():
    executor = ProcessExecutor(1)
    try:
        kept = executor.submit(kept_after_free).result(timeout=120)
    finally:
        executor.shutdown()
    assert kept >= BLOCK * 0.9


@needs_glibc
def test_without_it_glibc_hands_the_block_back():
    code = (
        "from tests.batch.test_worker_memory import kept_after_free\n"
        "from truyenthanh.executor import keep_freed_memory\n"
        "import sys\n"
        "if sys.argv[1] == 'keep': assert keep_freed_memory()\n"
        "print(kept_after_free())"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}"}

    def kept(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", code, mode], capture_output=True, text=True, env=env, check=True
        )
        return int(out.stdout)

    assert kept("default") < BLOCK * 0.1  # unmapped at once: the next job faults it in again
    assert kept("keep") >= BLOCK * 0.9
