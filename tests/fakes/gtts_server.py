"""A fake Google Translate TTS endpoint on 127.0.0.1, speaking gTTS's batchexecute format.

Reusable by any test: start it, point `TRUYENTHANH_GTTS_ENDPOINT` (or a
`GttsEngine(endpoint=...)`) at `server.url`, and script its replies:

    with FakeGoogleTTS() as server:
        server.script("429", "429", "ok")   # two rate-limit replies, then audio
        ...
        server.texts                         # the phrases it was asked to speak

Replies: "ok" (real MP3 frames, no ID3 header, made with imageio-ffmpeg's ffmpeg;
length grows with the text), "429", "500", "503", "403", "empty" (200 with no
audio line: gTTS writes 0 bytes and raises nothing), "noaudio" (200 with an
audio line that holds no audio), "slow" (sleeps `slow_seconds` before answering,
to trip client timeouts). When the script runs out, every reply is `default`.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import imageio_ffmpeg

_MP3_CACHE: dict[int, bytes] = {}
_MP3_LOCK = threading.Lock()


def tone_mp3(tenths: int) -> bytes:
    """A 440 Hz tone of tenths/10 seconds as bare MPEG frames (24 kHz mono, like Google's)."""
    with _MP3_LOCK:
        if tenths not in _MP3_CACHE:
            cmd = [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:sample_rate=24000:duration={tenths / 10}",
                "-af",
                "volume=0.3",
                "-ac",
                "1",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "32k",
                "-id3v2_version",
                "0",
                "-write_id3v1",
                "0",
                "-write_xing",
                "0",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                "-f",
                "mp3",
                "-",
            ]
            data = subprocess.run(cmd, capture_output=True, check=True).stdout
            assert data[:1] == b"\xff", "expected bare MPEG frames"
            _MP3_CACHE[tenths] = data
        return _MP3_CACHE[tenths]


def batchexecute_body(audio: bytes | None) -> bytes:
    inner = json.dumps([base64.b64encode(audio).decode("ascii")] if audio is not None else [])
    line = json.dumps(
        [["wrb.fr", "jQ1olc", inner, None, None, None, "generic"]], separators=(",", ":")
    )
    trailer = '[["di",42],["af.httprm",41,"-1",7]]'
    return f")]}}'\n\n{len(line)}\n{line}\n{len(trailer)}\n{trailer}\n".encode()


def phrase_of(form_body: bytes) -> str:
    """The text gTTS asked for, from its form-encoded `f.req` field."""
    freq = parse_qs(form_body.decode("utf-8"))["f.req"][0]
    rpc = json.loads(freq)
    return json.loads(rpc[0][0][1])[0]


class FakeGoogleTTS:
    def __init__(self, default: str = "ok", slow_seconds: float = 1.0):
        self.default = default
        self.slow_seconds = slow_seconds
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self.texts: list[str] = []  # every phrase received, in order
        self.replies: list[str] = []  # the reply kind given to each request
        self.paths: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- control -----------------------------------------------------------------
    def script(self, *replies: str) -> FakeGoogleTTS:
        with self._lock:
            self._script.extend(replies)
        return self

    def _next(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> int:
        return len(self.texts)

    def start(self) -> FakeGoogleTTS:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                text = phrase_of(body)
                kind = fake._next()
                with fake._lock:
                    fake.texts.append(text)
                    fake.replies.append(kind)
                    fake.paths.append(self.path)
                try:
                    self._reply(kind, text)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _reply(self, kind: str, text: str) -> None:
                if kind == "slow":
                    time.sleep(fake.slow_seconds)
                    kind = "ok"
                if kind in ("429", "403", "500", "503"):
                    payload = b"<html>error</html>"
                    self.send_response(int(kind))
                    if kind == "429":
                        self.send_header("Retry-After", "0")
                elif kind == "empty":
                    payload = b')]}\'\n\n25\n[["di",42],["af",1]]\n'
                    self.send_response(200)
                elif kind == "noaudio":
                    payload = b')]}\'\n\n60\n[["wrb.fr","jQ1olc",null,null,null,[3],"generic"]]\n'
                    self.send_response(200)
                else:
                    tenths = max(3, min(80, len(text) // 2))  # ~20 characters per second
                    payload = batchexecute_body(tone_mp3(tenths))
                    self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-gtts",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGoogleTTS:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
