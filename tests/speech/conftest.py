from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests/fakes

from fakes.gtts_server import FakeGoogleTTS  # noqa: E402

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def fake_google(monkeypatch):
    """A fake Google TTS on 127.0.0.1; gTTS is pointed at it through TRUYENTHANH_GTTS_ENDPOINT."""
    for var in PROXY_VARS:  # gTTS passes urllib's proxies explicitly: keep 127.0.0.1 direct
        monkeypatch.delenv(var, raising=False)
    with FakeGoogleTTS() as server:
        monkeypatch.setenv("TRUYENTHANH_GTTS_ENDPOINT", server.url)
        yield server


@pytest.fixture
def fast_policy():
    from truyenthanh.speech.gtts import GttsPolicy

    # The timeout only counts when a server hangs, which tests of timeouts set up with their own
    # policy; 0.5 s here could time out a good answer on a busy machine.
    return GttsPolicy(
        min_interval_s=0.0,
        request_timeout_s=5.0,
        max_total_s=3.0,
        backoff_s=0.02,
        backoff_max_s=0.1,
    )
