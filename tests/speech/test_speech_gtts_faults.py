"""gTTS against the fake Google: rate limits, timeouts, 5xx, empty replies, no network."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes.gtts_server import closed_port_url  # noqa: E402
from truyenthanh.errors import EngineError  # noqa: E402
from truyenthanh.speech.gtts import GttsEngine, GttsError, GttsPolicy, _routed_to, endpoint_from_env  # noqa: E402
from truyenthanh.speech.profiles import GttsVoice  # noqa: E402

pytestmark = pytest.mark.network


def make(server_url: str, policy: GttsPolicy) -> GttsEngine:
    return GttsEngine(GttsVoice(tld="com.vn"), policy, server_url)


def test_request_goes_to_the_endpoint_with_the_phrase(fake_google, fast_policy):
    clip = make(fake_google.url, fast_policy).synthesize("Bà con xã Bình Hòa chú ý.")
    assert clip.format == "mp3" and clip.data[:1] == b"\xff"
    assert fake_google.texts == ["Bà con xã Bình Hòa chú ý."]
    assert fake_google.paths == ["/_/TranslateWebserverUi/data/batchexecute"]


def test_endpoint_from_environment(fake_google):
    assert endpoint_from_env() == fake_google.url
    assert GttsEngine(GttsVoice()).endpoint == fake_google.url


def test_bad_endpoint_setting_is_explained(monkeypatch):
    monkeypatch.setenv("TRUYENTHANH_GTTS_ENDPOINT", "127.0.0.1:80")
    with pytest.raises(EngineError, match="TRUYENTHANH_GTTS_ENDPOINT=“127.0.0.1:80” không hợp lệ"):
        endpoint_from_env()


def test_patch_is_scoped():
    import gtts.tts
    import gtts.utils

    with _routed_to("http://127.0.0.1:9"):
        assert gtts.tts._translate_url(path="x") == "http://127.0.0.1:9/x"
    assert gtts.tts._translate_url is gtts.utils._translate_url


def test_long_text_is_cut_at_natural_boundaries(fake_google, fast_policy):
    text = (
        "Thực hiện kế hoạch của Ủy ban nhân dân huyện Tây Sơn về cải cách hành chính, "
        "các xã tổ chức tuyên truyền trên hệ thống truyền thanh, phát tờ gấp đến từng hộ gia đình "
        "và treo băng rôn tại trụ sở."
    )
    make(fake_google.url, fast_policy).synthesize(text)
    assert len(fake_google.texts) >= 2
    assert all(len(t) <= 100 for t in fake_google.texts)
    assert " ".join(fake_google.texts) == text
    assert not any(t.endswith("Tây") for t in fake_google.texts)


def test_429_burst_then_success(fake_google, fast_policy):
    fake_google.script("429", "429", "429", "ok")
    clip = make(fake_google.url, fast_policy).synthesize("Xin chào.")
    assert not clip.empty
    assert fake_google.replies == ["429", "429", "429", "ok"]


SHORT = GttsPolicy(
    min_interval_s=0, request_timeout_s=0.5, max_total_s=0.4, backoff_s=0.02, backoff_max_s=0.08
)


def test_persistent_429_says_rate_limited_and_cache_keeps_work(fake_google):
    fake_google.default = "429"
    with pytest.raises(GttsError) as info:
        make(fake_google.url, SHORT).synthesize("Xin chào.")
    assert info.value.kind == "rate_limited"
    assert "HTTP 429" in info.value.message and "bộ nhớ đệm" in info.value.message
    assert "espeak" in info.value.message
    assert fake_google.requests >= 3  # retried, within the bounded time


@pytest.mark.parametrize("status", ["500", "503"])
def test_5xx_is_retried(fake_google, fast_policy, status):
    fake_google.script(status, status, "ok")
    assert not make(fake_google.url, fast_policy).synthesize("Xin chào.").empty
    assert fake_google.replies == [status, status, "ok"]


def test_persistent_5xx_is_explained(fake_google):
    fake_google.default = "503"
    with pytest.raises(GttsError, match="HTTP 503") as info:
        make(fake_google.url, SHORT).synthesize("Xin chào.")
    assert info.value.kind == "server"


def test_timeout_then_success(fake_google):
    fake_google.slow_seconds = 3.0  # > request_timeout_s: the retry's good answer has 1 s to come
    fake_google.script("slow", "ok")
    policy = GttsPolicy(
        min_interval_s=0, request_timeout_s=1.0, max_total_s=10, backoff_s=0.02, backoff_max_s=0.05
    )
    assert not make(fake_google.url, policy).synthesize("Xin chào.").empty
    assert fake_google.replies == ["slow", "ok"]


def test_persistent_timeout_is_explained(fake_google):
    fake_google.default = "slow"
    fake_google.slow_seconds = 0.6
    policy = GttsPolicy(
        min_interval_s=0, request_timeout_s=0.2, max_total_s=0.5, backoff_s=0.02, backoff_max_s=0.05
    )
    with pytest.raises(GttsError, match="không trả lời trong 0.2 giây") as info:
        make(fake_google.url, policy).synthesize("Xin chào.")
    assert info.value.kind == "timeout"


@pytest.mark.parametrize("reply", ["empty", "noaudio"])
def test_200_without_audio_is_detected(fake_google, fast_policy, reply):
    fake_google.default = reply
    with pytest.raises(GttsError, match="không kèm âm thanh") as info:
        make(fake_google.url, fast_policy).synthesize("Xin chào.")
    assert info.value.kind == "no_audio"
    assert fake_google.requests == 2  # one retry, then a clear error


def test_403_is_not_retried(fake_google, fast_policy):
    fake_google.default = "403"
    with pytest.raises(GttsError, match="HTTP 403"):
        make(fake_google.url, fast_policy).synthesize("Xin chào.")
    assert fake_google.requests == 1


def test_network_down_says_check_connection_or_use_espeak(fast_policy):
    policy = GttsPolicy(
        min_interval_s=0, request_timeout_s=0.5, max_total_s=0.3, backoff_s=0.02, backoff_max_s=0.05
    )
    started = time.monotonic()
    with pytest.raises(GttsError) as info:
        make(closed_port_url(), policy).synthesize("Xin chào.")
    assert time.monotonic() - started < 2.0
    assert info.value.kind == "network"
    assert "Kiểm tra kết nối Internet" in info.value.message and "espeak" in info.value.message
    assert isinstance(info.value, EngineError)


def test_throttle_spaces_requests(fake_google):
    policy = GttsPolicy(
        min_interval_s=0.15, request_timeout_s=1, max_total_s=2, backoff_s=0.02, backoff_max_s=0.05
    )
    engine = make(fake_google.url, policy)
    started = time.monotonic()
    for text in ("Một.", "Hai.", "Ba."):
        engine.synthesize(text)
    assert time.monotonic() - started >= 0.29
