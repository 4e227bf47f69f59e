"""Published output leaves the page cache once durable; what a later stage reads stays until
its last reader (atomic.release_pages, Job.read_back). Residency is read from the kernel
itself (mincore), not inferred from which calls were made."""

from __future__ import annotations

import ctypes
import mmap
import os
from pathlib import Path

import pytest

from tests.buildutil import build, built_paths
from truyenthanh import layout
from truyenthanh.atomic import atomic_write_bytes, stage_bytes

PAGE = mmap.PAGESIZE
RAM_FILESYSTEMS = {"tmpfs", "ramfs"}  # their page cache *is* the file: nothing to release


def resident_pages(path: Path) -> int:
    """How many of the file's pages are in the page cache now."""
    size = path.stat().st_size
    libc = ctypes.CDLL(None, use_errno=True)
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_COPY) as mm:
        # A private, untouched mapping: its pages are the page cache's own, not copies.
        pages = (size + PAGE - 1) // PAGE
        vec = (ctypes.c_ubyte * pages)()
        address = ctypes.addressof(ctypes.c_char.from_buffer(mm))
        try:
            if libc.mincore(ctypes.c_void_p(address), ctypes.c_size_t(size), vec) != 0:
                raise OSError(ctypes.get_errno(), "mincore")
            return sum(v & 1 for v in vec)
        finally:
            del address  # from_buffer holds an export of the mapping until collected


def filesystem_type(path: Path) -> str:
    best, kind = "", ""
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _dev, mount, fstype, *_ = line.split()
        if str(path).startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
            best, kind = mount, fstype
    return kind


@pytest.fixture
def disk_dir(tmp_path: Path) -> Path:
    if not hasattr(os, "posix_fadvise") or not Path("/proc/self/mounts").exists():
        pytest.skip("no posix_fadvise or /proc here (not Linux)")
    if filesystem_type(tmp_path) in RAM_FILESYSTEMS:
        pytest.skip(f"{tmp_path} is on a RAM filesystem, whose pages are the file itself")
    return tmp_path


def test_a_file_written_not_to_be_read_again_leaves_the_page_cache(disk_dir: Path):
    data = os.urandom(64 * PAGE)
    kept, released = disk_dir / "kept.bin", disk_dir / "released.bin"
    atomic_write_bytes(kept, data)
    staged = stage_bytes(released, data, keep_cached=False)
    os.replace(staged.tmp, released)
    assert resident_pages(kept) == 64
    assert resident_pages(released) == 0
    assert released.read_bytes() == data  # released from memory, not lost


def test_a_build_releases_what_no_later_stage_reads(disk_dir: Path, commune_project: Path):
    config = commune_project / "truyenthanh.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("screens: false", "screens: true"))
    out = disk_dir / "out"
    code, report, output = build(commune_project, out)
    assert code == 0, output
    bundles = built_paths(report, "bundle")
    programmes = built_paths(report, "audio")
    assert bundles and programmes
    # Nothing reads a bundle again; the bundle was the last reader of its programmes.
    for path in bundles | programmes:
        assert resident_pages(out / path) == 0, path
    # The e-screen videos; the silent ones are released by the version with sound, their last
    # reader.
    videos = built_paths(report, "screen_video")
    assert any("khong-tieng" in path for path in videos)
    for path in videos:
        assert resident_pages(out / path) == 0, path
    # The segment cache is read by every programme and bulletin: it stays.
    segments = list((out / layout.SEGMENT_CACHE).rglob("*.seg"))
    assert segments
    assert sum(resident_pages(p) for p in segments) > 0
