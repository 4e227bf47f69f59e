"""espeak-ng through ctypes, on the library shipped by the PyPI package `espeakng-loader`.

No `espeak-ng` program and no apt package are needed (DESIGN.md, "Offline
Vietnamese speech"). The C library keeps one global state per process, so it is
initialised once per process (lazily, so spawned workers initialise their own)
and every call runs under one lock. Synchronous mode starts no threads, so a
forked worker inherits a usable, initialised library; the lock is renewed in the
child because a fork may happen while another thread holds it.

Measured: espeak-ng 1.52 keeps synthesis state across utterances (static
variables that neither espeak_ng_SetRandSeed nor Terminate/Initialize reset),
so the same phrase came out a few samples different depending on what was
spoken before — `--jobs 2` then produced other MP3s than `--jobs 1`. So every
phrase is synthesised in a child forked from a process that has initialised the
library but never spoken: the child always starts from the same pristine state,
and a phrase's audio is a pure function of the phrase and the voice (a fork
costs about a millisecond; synthesis is a small share of a build anyway).

espeak-ng is GPL-3.0-or-later, like this project.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from dataclasses import dataclass

from truyenthanh.errors import EngineError, EngineUnavailable
from truyenthanh.speech.base import AudioClip, EngineInfo
from truyenthanh.speech.profiles import EspeakVoice, VoiceProfile

log = logging.getLogger(__name__)

NAME = "espeak"

# espeak_lib.h constants
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE, _VOLUME, _PITCH, _RANGE, _WORDGAP = 1, 2, 3, 4, 7
_EE_OK = 0
_CHILD_NO_VOICE = 2

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """The process-wide espeak-ng state."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lib: ctypes.CDLL | None = None
        self.sample_rate = 0
        self.pid = 0
        self.chunks: list[bytes] = []
        self.current: tuple | None = None  # voice settings last applied
        self.callback = _SYNTH_CALLBACK(self._on_samples)  # kept alive for the C side

    def _on_samples(self, wav, numsamples, events) -> int:
        if wav and numsamples > 0:
            self.chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0  # 0 = go on

    def ensure(self) -> ctypes.CDLL:
        if self.lib is not None:
            return self.lib
        try:
            import espeakng_loader
        except ImportError:
            raise EngineUnavailable(_MISSING) from None
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path()
        except (OSError, RuntimeError) as exc:
            raise EngineUnavailable(
                f"Không nạp được thư viện espeak-ng ({exc}). {_REINSTALL}"
            ) from None
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        ]
        lib.espeak_Synchronize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data_path), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise EngineUnavailable(
                f"Không khởi động được espeak-ng với dữ liệu ở {data_path}. {_REINSTALL}"
            )
        lib.espeak_SetSynthCallback(self.callback)
        self.lib, self.sample_rate, self.pid = lib, rate, os.getpid()
        log.debug("espeak-ng initialised in pid %s at %s Hz", self.pid, rate)
        return lib

    def apply(self, voice: EspeakVoice) -> None:
        key = (voice.voice, voice.rate_wpm, voice.pitch, voice.range, voice.word_gap_10ms)
        if key == self.current:
            return
        lib = self.lib
        if lib.espeak_SetVoiceByName(voice.voice.encode("ascii")) != _EE_OK:
            raise EngineError(
                f"espeak-ng không có giọng “{voice.voice}”. Kiểm tra espeak.voice trong tệp giọng đọc "
                "(vi, vi-VN-x-central hoặc vi-VN-x-south)."
            )
        for param, value in (
            (_RATE, voice.rate_wpm),
            (_PITCH, voice.pitch),
            (_RANGE, voice.range),
            (_WORDGAP, voice.word_gap_10ms),
            (_VOLUME, 100),
        ):
            if lib.espeak_SetParameter(param, value, 0) != _EE_OK:
                raise EngineError(f"espeak-ng từ chối tham số giọng đọc ({param}={value}).")
        self.current = key

    def synth(self, voice: EspeakVoice, phrase: str) -> tuple[bytes, int]:
        with self.lock:
            self.ensure()
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # child: speak once from the pristine state, hand back the PCM, vanish
                os.close(read_fd)
                os._exit(self._child_synth(voice, phrase, write_fd))
            os.close(write_fd)
            with os.fdopen(read_fd, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == _CHILD_NO_VOICE:
            raise EngineError(
                f"espeak-ng không có giọng “{voice.voice}”. Kiểm tra espeak.voice trong tệp giọng đọc "
                "(vi, vi-VN-x-central hoặc vi-VN-x-south)."
            )
        if code != 0:
            raise EngineError(
                f"espeak-ng báo lỗi ({code}) khi đọc câu “{phrase[:60]}”. Hãy chạy lại; nếu lỗi lặp lại, dùng bộ đọc gtts."
            )
        return payload, self.sample_rate

    def _child_synth(self, voice: EspeakVoice, phrase: str, write_fd: int) -> int:
        """Runs in the forked child only: no logging, no locks, just the C calls and a write."""
        try:
            self.current = None
            try:
                self.apply(voice)
            except EngineError:
                return _CHILD_NO_VOICE
            buf = ctypes.create_string_buffer(phrase.encode("utf-8"))  # NUL-terminated
            self.chunks = []
            err = self.lib.espeak_Synth(
                buf, ctypes.sizeof(buf), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            self.lib.espeak_Synchronize()
            if err != _EE_OK:
                return 3
            data = memoryview(b"".join(self.chunks))
            while data:
                data = data[os.write(write_fd, data) :]
            return 0
        except BaseException:
            return 4

    def _after_fork(self) -> None:
        self.lock = threading.Lock()
        self.chunks = []


_MISSING = (
    "thiếu gói Python espeakng-loader (chứa thư viện espeak-ng); cài lại dự án: pip install -e ."
)
_REINSTALL = "Hãy cài lại gói espeakng-loader (pip install --force-reinstall espeakng-loader)."

_LIB = _Library()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_LIB._after_fork)


def espeak_availability() -> str | None:
    try:
        with _LIB.lock:
            _LIB.ensure()
    except EngineUnavailable as exc:
        return exc.message
    return None


@dataclass(frozen=True)
class EspeakEngine:
    voice: EspeakVoice
    name: str = NAME

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> EspeakEngine:
        return cls(profile.espeak)

    def cache_identity(self) -> dict:
        return {
            "engine": NAME,
            "library": "espeak-ng 1.52 (espeakng-loader)",
            "voice": self.voice.voice,
            "rate_wpm": self.voice.rate_wpm,
            "pitch": self.voice.pitch,
            "range": self.voice.range,
            "word_gap_10ms": self.voice.word_gap_10ms,
        }

    def availability(self) -> str | None:
        return espeak_availability()

    def synthesize(self, phrase: str) -> AudioClip:
        pcm, rate = _LIB.synth(self.voice, phrase)
        if not pcm:
            raise EngineError(
                f"espeak-ng không tạo ra âm thanh cho câu “{phrase[:60]}”. Kiểm tra câu có chữ để đọc."
            )
        return AudioClip(pcm, "pcm_s16le", rate)


ENGINE = EngineInfo(NAME, "espeak-ng (ngoại tuyến)", EspeakEngine.from_profile, espeak_availability)
