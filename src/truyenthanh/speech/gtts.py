"""Google Translate's text-to-speech through gTTS 2.5.x (online, one Vietnamese voice).

What this module adds to gTTS (DESIGN.md, "gTTS 2.5.x"):

* Endpoint. `TRUYENTHANH_GTTS_ENDPOINT` (scheme://host[:port]) replaces
  `https://translate.google.<tld>` — for tests (a fake server on 127.0.0.1) and
  for sites behind a relay. gTTS builds the URL with `gtts.utils._translate_url`,
  which `gtts.tts` imports by name; `_routed_to()` swaps that one name in
  `gtts.tts` for the duration of one request, under a lock, and restores it.
* Phrases. Text is cut by `truyenthanh.speech.phrases` (≤100 characters, never
  inside a name) before gTTS sees it, so gTTS never splits on its own.
* Throttle. At most one request per `min_interval_s`, across the worker processes
  of one machine (a lock file in the temp dir holds the time of the last request).
* Retries. HTTP 429, 5xx, timeouts and connection errors are retried with
  exponential back-off and jitter (honouring Retry-After) until `max_total_s` is
  spent; then an `EngineError` says the probable cause and what to do.
* Empty audio. A 200 reply without an audio line makes gTTS write nothing and
  raise nothing: that is detected and reported.

Network policy comes from `GttsPolicy` (defaults below, or the environment
variables TRUYENTHANH_GTTS_MIN_INTERVAL, _TIMEOUT, _MAX_WAIT, _BACKOFF, in seconds).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import random
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field

from truyenthanh.errors import EngineError
from truyenthanh.speech.base import AudioClip, EngineInfo
from truyenthanh.speech.phrases import MAX_CHARS, split_phrases
from truyenthanh.speech.profiles import GttsVoice, VoiceProfile

try:
    import fcntl
except ImportError:  # pragma: no cover - not Linux
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

NAME = "gtts"
ENDPOINT_ENV = "TRUYENTHANH_GTTS_ENDPOINT"
_ENDPOINT = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?/?$")
_SAMPLE_RATE = 24000  # Google's Vietnamese MP3s are 24 kHz mono


class GttsError(EngineError):
    """EngineError with a machine-readable `kind` (network, timeout, rate_limited, server, no_audio, refused)."""

    def __init__(self, message: str, kind: str, retry_after: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after  # seconds the server asked us to wait (HTTP 429), if it said


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise EngineError(f"Biến môi trường {name}=“{raw}” phải là một số giây.") from None


@dataclass(frozen=True)
class GttsPolicy:
    min_interval_s: float = 1.0  # between two requests on this machine
    request_timeout_s: float = 10.0  # per HTTP request
    max_total_s: float = 90.0  # retries for one phrase stop after this long
    backoff_s: float = 2.0  # first back-off; doubles each retry
    backoff_max_s: float = 30.0

    @classmethod
    def from_env(cls) -> GttsPolicy:
        d = cls()
        return cls(
            min_interval_s=_env_float("TRUYENTHANH_GTTS_MIN_INTERVAL", d.min_interval_s),
            request_timeout_s=_env_float("TRUYENTHANH_GTTS_TIMEOUT", d.request_timeout_s)
            or d.request_timeout_s,
            max_total_s=_env_float("TRUYENTHANH_GTTS_MAX_WAIT", d.max_total_s),
            backoff_s=_env_float("TRUYENTHANH_GTTS_BACKOFF", d.backoff_s),
            backoff_max_s=max(d.backoff_max_s, _env_float("TRUYENTHANH_GTTS_BACKOFF", d.backoff_s)),
        )


def endpoint_from_env() -> str | None:
    raw = os.environ.get(ENDPOINT_ENV, "").strip()
    if not raw:
        return None
    if not _ENDPOINT.match(raw):
        raise EngineError(
            f"{ENDPOINT_ENV}=“{raw}” không hợp lệ: dùng dạng scheme://máy[:cổng], "
            "ví dụ http://127.0.0.1:8765 hoặc https://relay.example.vn."
        )
    return raw.rstrip("/")


# --- the scoped endpoint patch -----------------------------------------------------

_PATCH_LOCK = threading.RLock()


@contextlib.contextmanager
def _routed_to(endpoint: str | None):
    """Point gTTS at `endpoint` while the block runs (no-op for Google itself)."""
    if endpoint is None:
        yield
        return
    import gtts.tts as gtts_tts

    def translate_url(tld: str = "com", path: str = "") -> str:
        return f"{endpoint}/{path}"

    with _PATCH_LOCK:
        saved = gtts_tts._translate_url
        gtts_tts._translate_url = translate_url
        try:
            yield
        finally:
            gtts_tts._translate_url = saved


# --- the machine-wide throttle --------------------------------------------------------


class _Throttle:
    """Keep `interval` seconds between requests, across processes (flock on a temp file)."""

    _local_lock = threading.Lock()

    def __init__(self, key: str):
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        self.path = os.path.join(tempfile.gettempdir(), f"truyenthanh-gtts-{digest}.throttle")

    def wait(self, interval: float) -> None:
        if interval <= 0:
            return
        with self._local_lock:
            if fcntl is None:  # pragma: no cover
                time.sleep(interval)
                return
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                time.sleep(interval)
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                raw = os.pread(fd, 64, 0)
                try:
                    last = float(raw.decode() or 0)
                except ValueError:
                    last = 0.0
                delay = last + interval - time.time()
                if 0 < delay <= interval:
                    time.sleep(delay)
                stamp = f"{time.time():.6f}".encode()
                os.ftruncate(fd, 0)
                os.pwrite(fd, stamp, 0)
            finally:
                os.close(fd)  # releases the flock


# --- the engine -------------------------------------------------------------------------


@dataclass(frozen=True)
class GttsEngine:
    voice: GttsVoice
    policy: GttsPolicy = field(default_factory=GttsPolicy.from_env)
    endpoint: str | None = field(default_factory=endpoint_from_env)
    name: str = NAME

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> GttsEngine:
        return cls(profile.gtts)

    def cache_identity(self) -> dict:
        # The endpoint is left out on purpose: a relay serves Google's audio unchanged.
        return {
            "engine": NAME,
            "service": "translate.google batchexecute",
            "lang": "vi",
            "tld": self.voice.tld,
            "slow": self.voice.slow,
        }

    def availability(self) -> str | None:
        return gtts_availability()

    @property
    def host(self) -> str:
        return self.endpoint or f"https://translate.google.{self.voice.tld}"

    def synthesize(self, phrase: str) -> AudioClip:
        parts = split_phrases(phrase, MAX_CHARS) if len(phrase) > MAX_CHARS else [phrase.strip()]
        audio = b"".join(self._one(part) for part in parts if part)
        return AudioClip(audio, "mp3", _SAMPLE_RATE)

    def _one(self, phrase: str) -> bytes:
        policy = self.policy
        throttle = _Throttle(self.host)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            throttle.wait(policy.min_interval_s)
            try:
                return self._request(phrase)
            except GttsError as exc:
                retry_after = exc.retry_after
                if exc.kind not in ("network", "timeout", "rate_limited", "server", "no_audio"):
                    raise
                if exc.kind == "no_audio" and attempt >= 2:
                    raise
                delay = min(policy.backoff_max_s, policy.backoff_s * 2 ** (attempt - 1))
                delay *= random.uniform(0.5, 1.0)  # jitter: workers must not retry in step
                if retry_after is not None:
                    delay = max(delay, min(retry_after, policy.backoff_max_s))
                spent = time.monotonic() - started
                if spent + delay > policy.max_total_s:
                    raise GttsError(
                        f"{exc.message} Đã thử {attempt} lần trong {spent:.0f} giây.", exc.kind
                    ) from None
                log.info("gTTS %s, retry %d in %.1fs", exc.kind, attempt, delay)
                time.sleep(delay)

    def _request(self, phrase: str) -> bytes:
        import requests
        from gtts.tts import gTTS, gTTSError

        tts = gTTS(
            phrase,
            tld=self.voice.tld,
            lang="vi",
            slow=self.voice.slow,
            lang_check=False,
            pre_processor_funcs=[],  # the spoken script is final; gTTS's English passes only harm
            timeout=self.policy.request_timeout_s,
        )
        buf = io.BytesIO()
        try:
            with _routed_to(self.endpoint):
                for chunk in tts.stream():
                    buf.write(chunk)
        except gTTSError as exc:
            raise self._classify(exc, phrase) from None
        except requests.exceptions.RequestException as exc:  # reading the body can fail too
            raise self._network_error(exc) from None
        audio = buf.getvalue()
        if not audio:
            raise self._no_audio(phrase)
        if not (audio[:3] == b"ID3" or (audio[0] == 0xFF and audio[1] & 0xE0 == 0xE0)):
            raise GttsError(
                f"Máy chủ đọc {self.host} trả về dữ liệu không phải MP3 cho câu “{phrase[:50]}”. "
                f"Kiểm tra {ENDPOINT_ENV} (máy chủ trung gian) hoặc dùng bộ đọc espeak.",
                "refused",
            )
        return audio

    def _no_audio(self, phrase: str) -> GttsError:
        return GttsError(
            f"Máy chủ đọc {self.host} trả lời nhưng không kèm âm thanh (0 byte) cho câu “{phrase[:50]}”. "
            "Dịch vụ của Google có thể đã thay đổi hoặc từ chối câu này: hãy chạy lại sau, cập nhật gói gTTS, "
            "hoặc dùng bộ đọc espeak (--engine espeak).",
            "no_audio",
        )

    def _network_error(self, cause: BaseException | None) -> GttsError:
        import requests

        if isinstance(cause, requests.exceptions.Timeout):
            return GttsError(
                f"Máy chủ đọc {self.host} không trả lời trong {self.policy.request_timeout_s:g} giây. "
                "Mạng chậm hoặc bị chặn: kiểm tra kết nối Internet, hoặc dùng bộ đọc espeak (--engine espeak).",
                "timeout",
            )
        return GttsError(
            f"Không kết nối được tới máy chủ đọc {self.host}. Kiểm tra kết nối Internet "
            f"(và {ENDPOINT_ENV} nếu dùng máy chủ trung gian), hoặc dùng bộ đọc espeak ngoại tuyến (--engine espeak).",
            "network",
        )

    def _classify(self, exc, phrase: str) -> GttsError:
        rsp = getattr(exc, "rsp", None)
        if rsp is None:
            return self._network_error(exc.__context__)
        status = rsp.status_code
        if status == 429:
            err = GttsError(
                "Google đang giới hạn số yêu cầu đọc (HTTP 429) từ máy này. Hãy chạy lại sau (vài chục phút "
                "đến vài giờ): những câu đã đọc xong được giữ trong bộ nhớ đệm nên lần sau không phải đọc lại. "
                "Cần gấp thì dùng bộ đọc espeak (--engine espeak).",
                "rate_limited",
                retry_after=_retry_after(rsp),
            )
            return err
        if status >= 500:
            return GttsError(
                f"Máy chủ đọc {self.host} đang gặp lỗi (HTTP {status}). Hãy chạy lại sau, "
                "hoặc dùng bộ đọc espeak (--engine espeak).",
                "server",
            )
        if status == 200:
            return self._no_audio(phrase)
        if status == 403:
            why = "Google từ chối yêu cầu (HTTP 403): dịch vụ có thể đã thay đổi; hãy cập nhật gói gTTS"
        else:
            why = f"Máy chủ đọc {self.host} trả lỗi HTTP {status}; kiểm tra {ENDPOINT_ENV} và gtts.tld của giọng đọc"
        return GttsError(f"{why}, hoặc dùng bộ đọc espeak (--engine espeak).", "refused")


def _retry_after(rsp) -> float | None:
    raw = rsp.headers.get("Retry-After") if rsp is not None else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None


def gtts_availability() -> str | None:
    try:
        import gtts.tts  # noqa: F401
        import requests  # noqa: F401
    except ImportError:
        return "thiếu gói Python gTTS; cài lại dự án: pip install -e ."
    try:
        endpoint_from_env()
    except EngineError as exc:
        return exc.message
    return None


def _after_fork_in_child() -> None:
    # A fork can happen while another thread holds one of these locks.
    global _PATCH_LOCK
    _PATCH_LOCK = threading.RLock()
    _Throttle._local_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

ENGINE = EngineInfo(NAME, "Google (gTTS, cần Internet)", GttsEngine.from_profile, gtts_availability)
