"""`truyenthanh serve`: a small read-only web server for OUT.

Meant for a district office LAN or a laptop, not the open internet (put a real
web server in front for that; the page works from any static host). It serves
GET and HEAD only, never anything outside OUT (no `..`, no encoded separators,
no symlinks that leave OUT), never dotfiles or dot-folders (`OUT/.cache`,
`OUT/.state`, temporary files of atomic writes), answers byte ranges so phones
can seek in long MP3s, and lists no directories.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import re
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

ALLOW = "GET, HEAD"
CHUNK = 64 * 1024
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".m3u8": "audio/x-mpegurl",
    ".m3u": "audio/x-mpegurl",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
# Files whose name changes with their content are rare here (bundles keep their
# name when rebuilt), so every response is revalidated cheaply with its ETag.
CACHE_CONTROL = "no-cache"
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")

NOT_FOUND_HTML = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – truyenthanh</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:36rem;padding:0 1rem;color:#1b1b1b;background:#fff}}a{{color:#0a4a8f}}</style>
</head>
<body>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="/">Về trang tải gói phát thanh</a></p>
</body>
</html>
"""

ERROR_TITLES = {
    404: "Không tìm thấy trang",
    400: "Yêu cầu không hợp lệ",
    405: "Phương thức không được phép",
    416: "Khoảng byte không hợp lệ",
}
ERROR_MESSAGES = {
    404: "Địa chỉ này không có trên máy chủ. Có thể gói của tuần đó chưa được dựng hoặc đường dẫn bị gõ sai.",
    400: "Yêu cầu không hợp lệ.",
    405: "Máy chủ này chỉ cho phép tải xuống (GET, HEAD).",
    416: "Khoảng byte yêu cầu nằm ngoài tệp.",
}


class _NotFound(Exception):
    pass


class _BadRequest(Exception):
    pass


def make_server(out_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A bound, not yet running server for OUT (port 0 picks a free port)."""
    root = Path(out_dir).resolve(strict=True)
    if not root.is_dir():
        raise NotADirectoryError(root)
    handler = type("OutHandler", (OutHandler,), {"root": root})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(
    out_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve OUT until interrupted (Ctrl+C)."""
    server = make_server(out_dir, host, port)
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{_url_host(str(bound_host))}:{bound_port}/"
    log.info("serving %s at %s", out_dir, url)
    if on_ready:
        on_ready(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        server.server_close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class OutHandler(BaseHTTPRequestHandler):
    root: Path  # set by make_server on a subclass
    server_version = "truyenthanh"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle connection must not hold a worker thread forever

    # --- methods -----------------------------------------------------------------------

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _not_allowed(self) -> None:
        self.close_connection = True  # the body, if any, is left unread
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, extra={"Allow": ALLOW})

    def __getattr__(self, name: str):
        # BaseHTTPRequestHandler looks up do_<METHOD>; every method but GET/HEAD is 405, not 501.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    # --- the one read path -------------------------------------------------------------

    def _serve(self, send_body: bool) -> None:
        try:
            path = self._resolve(self.path)
        except _BadRequest:
            self._error(HTTPStatus.BAD_REQUEST, send_body=send_body)
            return
        except _NotFound:
            self._error(HTTPStatus.NOT_FOUND, send_body=send_body)
            return
        if path.is_dir():
            asked = urlsplit(self.path).path
            if not asked.endswith("/"):
                # Collapse leading slashes: "//x" would be a redirect to another host.
                self._redirect("/" + asked.lstrip("/") + "/")
                return
            path = path / "index.html"
            if not path.is_file():
                self._error(HTTPStatus.NOT_FOUND, send_body=send_body)
                return
        try:
            fh = open(path, "rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, send_body=send_body)
            return
        with fh:
            # fstat the open file: an atomic replace during the download swaps the
            # name, not the bytes this response is sending.
            st = os.fstat(fh.fileno())
            self._send_file(fh, st, path.suffix.lower(), send_body)

    def _resolve(self, raw: str) -> Path:
        """Map a request target to a file under root, or raise."""
        if raw.startswith(("http://", "https://")):
            raw = urlsplit(raw).path or "/"
        target = raw.split("?", 1)[0].split("#", 1)[0]
        if not target.startswith("/") or "\\" in target or "\x00" in target:
            raise _BadRequest
        parts = []
        for segment in target.split("/"):
            if not segment:
                continue
            try:
                name = unquote(segment, errors="strict")
            except UnicodeDecodeError:
                raise _BadRequest from None
            # Decoded separators, dot segments, dotfiles and NULs never name a file here.
            if "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
                raise _NotFound
            parts.append(name)
        candidate = self.root.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            raise _NotFound from None
        try:
            inside = resolved.relative_to(self.root)
        except ValueError:
            raise _NotFound from None  # a symlink that leaves OUT
        if any(p.startswith(".") for p in inside.parts):
            raise _NotFound  # a symlink into a dot-folder
        if not (resolved.is_file() or resolved.is_dir()):
            raise _NotFound
        return resolved

    def _send_file(self, fh, st: os.stat_result, suffix: str, send_body: bool) -> None:
        size = st.st_size
        etag = (
            '"'
            + hashlib.sha1(f"{st.st_ino}-{size}-{st.st_mtime_ns}".encode()).hexdigest()[:20]
            + '"'
        )
        modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        headers = {
            "Content-Type": CONTENT_TYPES.get(suffix, "application/octet-stream"),
            "Last-Modified": modified,
            "ETag": etag,
            "Accept-Ranges": "bytes",
            "Cache-Control": CACHE_CONTROL,
            "X-Content-Type-Options": "nosniff",
        }
        if self._not_modified(etag, st.st_mtime):
            self._head(
                HTTPStatus.NOT_MODIFIED,
                {k: v for k, v in headers.items() if k != "Content-Type"},
                None,
            )
            return

        span = None
        header = self.headers.get("Range")
        if header and self._if_range_ok(etag, modified):
            span = parse_range(header, size)
            if span == "unsatisfiable":
                self._error(
                    HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    extra={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
                    send_body=send_body,
                )
                return
        if span is None:
            start, end, status = 0, size - 1, HTTPStatus.OK
        else:
            start, end = span
            status = HTTPStatus.PARTIAL_CONTENT
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        length = max(end - start + 1, 0)
        self._head(status, headers, length)
        if send_body and length:
            fh.seek(start)
            self._copy(fh, length)

    def _copy(self, fh, length: int) -> None:
        remaining = length
        try:
            while remaining > 0:
                chunk = fh.read(min(CHUNK, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Players close the connection after they got the part they wanted.
            self.close_connection = True

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return match.strip() == "*" or etag in [
                t.strip().removeprefix("W/") for t in match.split(",")
            ]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, IndexError):
                return False
            return when is not None and int(mtime) <= when.timestamp()
        return False

    def _if_range_ok(self, etag: str, modified: str) -> bool:
        cond = self.headers.get("If-Range")
        return cond is None or cond.strip() in (etag, modified)

    # --- responses -----------------------------------------------------------------------

    def _head(self, status: int, headers: dict[str, str], length: int | None) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _error(
        self, status: HTTPStatus, extra: dict[str, str] | None = None, send_body: bool = True
    ) -> None:
        message = ERROR_MESSAGES.get(int(status), status.phrase)
        title = ERROR_TITLES.get(int(status), status.phrase)
        body = NOT_FOUND_HTML.format(title=title, message=message).encode("utf-8")
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            **(extra or {}),
        }
        if self.close_connection:
            headers["Connection"] = "close"
        self._head(status, headers, len(body))
        if send_body and self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._head(
            HTTPStatus.MOVED_PERMANENTLY, {"Location": location, "Cache-Control": "no-cache"}, 0
        )

    # --- quiet logging -------------------------------------------------------------------

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        log.debug("%s %s", self.address_string(), format % args)

    def log_error(self, format: str, *args) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)


def parse_range(header: str, size: int):
    """`Range` → (start, end) inclusive; None to ignore it (serve all); "unsatisfiable" for 416.

    One range only: several ranges (multipart answers) are ignored and the whole
    file is sent, which RFC 9110 allows. Other units and garbage are ignored too.
    Inverted ranges (`bytes=5-2`) and ranges starting past the end are 416.
    """
    m = RANGE_RE.match(header.strip())
    if not m:
        return None
    first, last = m.group(1), m.group(2)
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(size - n, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, min(end, size - 1)
