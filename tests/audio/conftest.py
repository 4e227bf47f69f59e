from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests/fakes
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for audio_helpers

from fakes.gtts_server import FakeGoogleTTS  # noqa: E402

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def fake_google(monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    with FakeGoogleTTS() as server:
        monkeypatch.setenv("TRUYENTHANH_GTTS_ENDPOINT", server.url)
        monkeypatch.setenv("TRUYENTHANH_GTTS_MIN_INTERVAL", "0")
        monkeypatch.setenv("TRUYENTHANH_GTTS_MAX_WAIT", "0.4")
        monkeypatch.setenv("TRUYENTHANH_GTTS_BACKOFF", "0.02")
        # Long enough for a busy 2-core machine (0.5 s once failed a whole programme there): no
        # audio test makes the server hang, its faults are answers (429, 503, closed ports).
        monkeypatch.setenv("TRUYENTHANH_GTTS_TIMEOUT", "10")
        yield server
