"""ziparchive.py: archives that zipfile (an independent reader) opens and checks, members read
once and never copied into one buffer, the same inputs the same bytes."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from truyenthanh.ziparchive import ShortRead, ZipPieces

STAMP = (2023, 2, 20, 0, 0, 0)


def make(tmp_path, **files: bytes):
    paths = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def archive(paths, generated: dict[str, bytes]) -> bytes:
    zb = ZipPieces(STAMP)
    views = zb.read_stored(paths)
    assert {name: bytes(v) for name, v in views.items()} == {
        name: p.read_bytes() for name, p in paths.items()
    }
    for name, data in generated.items():
        zb.add(name, data, deflate=not name.endswith(".mp3"))
    return bytes(zb.finish())


def test_zipfile_reads_back_every_member_with_its_method_time_and_mode(tmp_path):
    audio = os.urandom(300_000)
    paths = make(tmp_path, **{"b.mp3": audio, "a.mp3": b"", "c.mp3": b"x" * 10})
    text = "Lịch phát – xã Bình Hòa\n".encode() * 50
    data = archive(paths, {"manifest.json": text, "0-readme.txt": b"hello"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == sorted(zf.namelist())  # the directory is in name order
        assert zf.read("b.mp3") == audio and zf.read("a.mp3") == b""
        assert zf.read("manifest.json") == text and zf.read("0-readme.txt") == b"hello"
        for info in zf.infolist():
            stored = info.filename.endswith(".mp3")
            assert info.compress_type == (zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            assert info.date_time == STAMP
            assert info.external_attr >> 16 == 0o100644 and info.create_system == 3
        assert zf.getinfo("manifest.json").compress_size < len(text)


def test_same_inputs_same_bytes_and_a_non_ascii_name_is_flagged_utf8(tmp_path):
    paths = make(tmp_path, **{"x.mp3": b"abc"})
    first = archive(paths, {"tệp.txt": b"1"})
    assert first == archive(paths, {"tệp.txt": b"1"})
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert zf.read("tệp.txt") == b"1" and zf.getinfo("tệp.txt").flag_bits & 0x800


def test_each_member_is_read_once_and_is_a_piece_of_the_archive(tmp_path):
    paths = make(tmp_path, **{"a.mp3": b"aaa", "b.mp3": b"bb"})
    zb = ZipPieces(STAMP)
    members = zb.read_stored(paths)
    assert members == {"a.mp3": b"aaa", "b.mp3": b"bb"}
    zb.add("m.json", b"{}", deflate=True)
    pieces = zb.finish()
    # The members' own buffers are the archive's pieces: written and hashed, never copied.
    assert all(any(piece is data for piece in pieces) for data in members.values())
    assert pieces.size == len(bytes(pieces))
    with zipfile.ZipFile(io.BytesIO(bytes(pieces))) as zf:
        assert zf.testzip() is None and zf.read("m.json") == b"{}"


def test_a_file_that_changes_length_while_read_is_an_error(tmp_path, monkeypatch):
    paths = make(tmp_path, **{"a.mp3": b"0123456789"})
    real = os.fstat

    def shorter(fd):
        st = real(fd)
        return os.stat_result((*st[:6], st.st_size - 4, *st[7:]))

    monkeypatch.setattr(os, "fstat", shorter)
    with pytest.raises(ShortRead) as caught:
        ZipPieces(STAMP).read_stored(paths)
    assert caught.value.filename == str(paths["a.mp3"])


def test_a_member_whose_crc_is_known_is_not_summed_again(tmp_path, monkeypatch):
    import zlib

    audio = os.urandom(50_000)
    paths = make(tmp_path, **{"a.mp3": audio, "b.mp3": b"bb"})
    summed = []
    real = zlib.crc32
    monkeypatch.setattr(zlib, "crc32", lambda data, *rest: summed.append(len(data)) or real(data))
    zb = ZipPieces(STAMP)
    zb.read_stored(paths, crcs={"a.mp3": real(audio)})
    assert summed == [2]  # only b.mp3, whose CRC nobody knew
    with zipfile.ZipFile(io.BytesIO(bytes(zb.finish()))) as zf:
        assert zf.testzip() is None and zf.read("a.mp3") == audio
    # The known CRC is what the entry carries: a wrong one is a damaged member, as readers see.
    zb = ZipPieces(STAMP)
    zb.read_stored(paths, crcs={"a.mp3": real(audio) ^ 1})
    with zipfile.ZipFile(io.BytesIO(bytes(zb.finish()))) as zf:
        assert zf.testzip() == "a.mp3"
