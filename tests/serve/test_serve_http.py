"""`truyenthanh serve`: a real server on 127.0.0.1 (ephemeral port) in a thread."""

from __future__ import annotations

import http.client
import os
import threading
from pathlib import Path

import pytest

from conftest_media import tiny_pdf
from truyenthanh.serve import make_server, parse_range

SECRET = b"SECRET-OUTSIDE-OUT"
HIDDEN = b"SECRET-IN-A-DOTFILE"
pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def tree(tmp_path_factory, media) -> Path:
    base = tmp_path_factory.mktemp("serve")
    (base / "secret.txt").write_bytes(SECRET)
    (base / "outside").mkdir()
    (base / "outside" / "x.txt").write_bytes(SECRET)
    out = base / "out"
    week = out / "2023-W08"
    (week / "audio" / "binh-hoa").mkdir(parents=True)
    (week / "bundles").mkdir()
    (week / "print").mkdir()
    (out / "index.html").write_text(
        '<!doctype html><html lang="vi"><title>Trang</title>Gói phát thanh</html>'
    )
    (week / "audio" / "binh-hoa" / "bulletin.mp3").write_bytes(media.large.read_bytes())
    (week / "bundles" / "binh-hoa-2023-W08.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (week / "bundles" / "binh-hoa-2023-W08.json").write_text('{"week": "2023-W08"}')
    (week / "print" / "order-in.pdf").write_bytes(tiny_pdf())
    (week / "print" / "order-in.csv").write_text("Mục,Số lượng\r\n")
    (week / "lich-phat.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (week / "playlist.m3u8").write_text("#EXTM3U\n")
    (week / "DOC.txt").write_text("đọc")
    (week / "blob.bin").write_bytes(b"\0\1")
    (week / "with-index").mkdir()
    (week / "with-index" / "index.html").write_text("<p>con</p>")
    (out / ".state").mkdir()
    (out / ".state" / "build.json").write_bytes(HIDDEN)
    (out / ".cache").mkdir()
    (out / ".cache" / "a.mp3").write_bytes(HIDDEN)
    (out / ".htaccess").write_bytes(HIDDEN)
    (week / ".index.html.123.tmp").write_bytes(HIDDEN)  # an atomic write in progress
    os.symlink(base / "secret.txt", out / "link-out.txt")
    os.symlink(base / "outside", out / "link-dir")
    os.symlink(out / ".state", out / "link-state")
    os.symlink(week / "print" / "order-in.pdf", out / "link-in.pdf")  # stays inside: allowed
    return out


@pytest.fixture(scope="module")
def server(tree):
    srv = make_server(tree, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def request(server, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def test_index(server):
    status, headers, body = request(server, "GET", "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "Gói phát thanh".encode() in body
    assert int(headers["content-length"]) == len(body)
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/2023-W08/audio/binh-hoa/bulletin.mp3", "audio/mpeg"),
        ("/2023-W08/bundles/binh-hoa-2023-W08.zip", "application/zip"),
        ("/2023-W08/bundles/binh-hoa-2023-W08.json", "application/json"),
        ("/2023-W08/print/order-in.pdf", "application/pdf"),
        ("/2023-W08/print/order-in.csv", "text/csv; charset=utf-8"),
        ("/2023-W08/lich-phat.ics", "text/calendar; charset=utf-8"),
        ("/2023-W08/playlist.m3u8", "audio/x-mpegurl"),
        ("/2023-W08/DOC.txt", "text/plain; charset=utf-8"),
        ("/2023-W08/blob.bin", "application/octet-stream"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/link-in.pdf", "application/pdf"),
        ("/2023-W08/print/order-in.pdf?v=1#x", "application/pdf"),
        ("/2023-W08/print/order%2Din.pdf", "application/pdf"),
    ],
)
def test_content_types_and_bytes(server, tree, path, ctype):
    status, headers, body = request(server, "GET", path)
    assert status == 200, path
    assert headers["content-type"] == ctype
    assert headers["accept-ranges"] == "bytes"
    rel = path.split("?")[0].replace("%2D", "-").lstrip("/")
    assert body == (tree / rel).read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/2023-W08/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/2023-W08/..%2F..%2Fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/%2Fetc/passwd",
        "/%252e%252e/secret.txt",
        "/2023-W08/%00.pdf",
        "/link-out.txt",
        "/link-dir/x.txt",
        "/link-state/build.json",
        "/.state/build.json",
        "/%2estate/build.json",
        "/.cache/a.mp3",
        "/.htaccess",
        "/2023-W08/.index.html.123.tmp",
        "/./.state/build.json",
        "/nope.html",
        "/2023-W08/audio/binh-hoa/khong-co.mp3",
        "/2023-W08/bundles/",  # a directory without index.html: no listing
        "http://127.0.0.1/../secret.txt",
        "etc/passwd",
        "*",
        "/%ff%fe",
    ],
)
def test_nothing_outside_out_no_dotfiles_no_listing(server, path):
    for method in ("GET", "HEAD"):
        status, headers, body = request(server, method, path)
        assert status in (400, 404), (method, path, status)
        assert SECRET not in body and HIDDEN not in body
        assert b"binh-hoa-2023-W08.zip" not in body  # never a directory listing
        if method == "GET":
            assert headers["content-type"] == "text/html; charset=utf-8"
        else:
            assert body == b""


def test_not_found_page_is_vietnamese(server):
    status, headers, body = request(server, "GET", "/khong-co-trang-nay")
    assert status == 404
    text = body.decode("utf-8")
    assert 'lang="vi"' in text and "Không tìm thấy trang" in text and 'href="/"' in text


def test_directory_gets_index_or_redirect(server):
    status, headers, _ = request(server, "GET", "/2023-W08/with-index")
    assert status == 301 and headers["location"] == "/2023-W08/with-index/"
    status, _, body = request(server, "GET", "/2023-W08/with-index/")
    assert status == 200 and body == b"<p>con</p>"
    # "//x" must not become a redirect to another host
    status, headers, _ = request(server, "GET", "//2023-W08")
    assert status == 301 and headers["location"] == "/2023-W08/"


@pytest.mark.parametrize(
    "method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL"]
)
def test_other_methods_are_405(server, tree, method):
    before = sorted(p.name for p in tree.iterdir())
    status, headers, body = request(
        server, method, "/index.html", body=b"x=1" if method != "TRACE" else None
    )
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    assert b"GET, HEAD" in body and "Phương thức không được phép".encode() in body
    assert sorted(p.name for p in tree.iterdir()) == before


def test_unknown_method_is_405_too(server):
    status, headers, _ = request(server, "BREW", "/index.html")
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_head_has_headers_and_no_body(server, tree):
    get_status, get_headers, get_body = request(
        server, "GET", "/2023-W08/audio/binh-hoa/bulletin.mp3"
    )
    status, headers, body = request(server, "HEAD", "/2023-W08/audio/binh-hoa/bulletin.mp3")
    assert status == 200 and body == b""
    size = (tree / "2023-W08/audio/binh-hoa/bulletin.mp3").stat().st_size
    assert int(headers["content-length"]) == size == len(get_body)
    for key in ("content-type", "etag", "last-modified", "accept-ranges"):
        assert headers[key] == get_headers[key]


# --- ranges ---------------------------------------------------------------------------------

MP3 = "/2023-W08/audio/binh-hoa/bulletin.mp3"


@pytest.fixture(scope="module")
def mp3(tree) -> bytes:
    data = (tree / MP3.lstrip("/")).read_bytes()
    assert len(data) > 500_000  # a large MP3 (a minute at 128 kbit/s)
    return data


@pytest.mark.parametrize(
    "spec, start, end",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, None),
        ("bytes=-500", None, 500),
        ("bytes=100-100", 100, 100),
        ("bytes=0-99999999", 0, None),  # clamped to the end
        ("bytes=-99999999", 0, None),  # suffix longer than the file: all of it
    ],
)
def test_range_requests(server, mp3, spec, start, end):
    size = len(mp3)
    if start is None:
        first, last = size - end, size - 1
    else:
        first, last = start, (size - 1 if end is None else end)
    status, headers, body = request(server, "GET", MP3, {"Range": spec})
    assert status == 206
    assert headers["content-range"] == f"bytes {first}-{last}/{size}"
    assert int(headers["content-length"]) == last - first + 1
    assert body == mp3[first : last + 1]
    assert headers["content-type"] == "audio/mpeg"


def test_seeking_like_a_player(server, mp3):
    # Players read the middle of a long file in pieces.
    middle = len(mp3) // 2
    pieces = [
        request(server, "GET", MP3, {"Range": f"bytes={o}-{o + 65535}"})[2]
        for o in (middle, middle + 65536)
    ]
    assert b"".join(pieces) == mp3[middle : middle + 131072]


@pytest.mark.parametrize("spec", ["bytes={size}-", "bytes={size}-{size2}", "bytes=5-2", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(server, mp3, spec):
    size = len(mp3)
    status, headers, body = request(
        server, "GET", MP3, {"Range": spec.format(size=size, size2=size + 10)}
    )
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"
    assert mp3[:4] not in body


@pytest.mark.parametrize("spec", ["bytes=0-1,5-6", "items=0-5", "bytes=abc", "bytes=-", "garbage"])
def test_unsupported_ranges_get_the_whole_file(server, mp3, spec):
    status, headers, body = request(server, "GET", MP3, {"Range": spec})
    assert status == 200 and body == mp3


def test_head_with_range(server, mp3):
    status, headers, body = request(server, "HEAD", MP3, {"Range": "bytes=10-19"})
    assert status == 206 and body == b"" and headers["content-length"] == "10"


def test_if_range_with_an_old_etag_sends_everything(server, mp3):
    _, headers, _ = request(server, "HEAD", MP3)
    status, _, body = request(
        server, "GET", MP3, {"Range": "bytes=0-9", "If-Range": headers["etag"]}
    )
    assert status == 206 and len(body) == 10
    status, _, body = request(server, "GET", MP3, {"Range": "bytes=0-9", "If-Range": '"old"'})
    assert status == 200 and body == mp3


def test_conditional_get(server):
    _, headers, _ = request(server, "GET", "/index.html")
    status, _, body = request(server, "GET", "/index.html", {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    status, _, _ = request(server, "GET", "/index.html", {"If-None-Match": '"other"'})
    assert status == 200


@pytest.mark.parametrize(
    "header, size, expected",
    [
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=9-", 10, (9, 9)),
        ("bytes=10-", 10, "unsatisfiable"),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-0", 10, "unsatisfiable"),
        ("bytes=3-1", 10, "unsatisfiable"),
        ("bytes=0-", 0, "unsatisfiable"),
        (" bytes=2-4 ", 10, (2, 4)),
        ("bytes=1-2,4-5", 10, None),
        ("bytes=", 10, None),
        ("lines=1-2", 10, None),
    ],
)
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected


def test_logging_is_quiet(server, capfd):
    request(server, "GET", "/")
    request(server, "GET", "/khong-co")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_make_server_refuses_a_missing_out(tmp_path):
    with pytest.raises(FileNotFoundError):
        make_server(tmp_path / "khong-co", "127.0.0.1", 0)
