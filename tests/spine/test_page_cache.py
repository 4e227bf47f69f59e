"""Which published files stay in the page cache (pagecache.py): the most recent, up to a budget;
a file a later stage reads stays until its last reader is published (Job.read_back,
Job.done_with). Residency is read from the kernel itself (mincore), not inferred from which
calls were made."""

from __future__ import annotations

import ctypes
import mmap
import os
from pathlib import Path

import pytest

from tests.buildutil import build, built_paths
from truyenthanh import layout
from truyenthanh.atomic import atomic_write_bytes
from truyenthanh.pagecache import CacheBudget

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


def test_the_budget_keeps_the_most_recent_files_and_releases_the_oldest(disk_dir: Path):
    data = os.urandom(64 * PAGE)
    paths = [disk_dir / f"{n}.bin" for n in range(4)]
    budget = CacheBudget(limit=2 * len(data))
    for n, path in enumerate(paths):
        atomic_write_bytes(path, data)
        if n == 3:  # 0 was released for 2; 1 is read again (a last reader): the most recent
            budget.keep(paths[1], len(data))
        budget.keep(path, len(data))
    budget.close()
    assert [resident_pages(p) for p in paths] == [0, 64, 0, 64]
    assert budget.kept_bytes == 2 * len(data)
    assert paths[0].read_bytes() == data  # released from memory, not lost


def test_what_a_build_publishes_last_stays_cached_for_the_next(disk_dir: Path, commune_project):
    """Within the budget (a sixteenth of memory, at most 2 GiB), the build's files stay in the
    page cache: the next build that replaces one frees its pages for the write after it."""
    out = disk_dir / "out"
    code, report, output = build(commune_project, out)
    assert code == 0, output
    for path in built_paths(report, "bundle") | built_paths(report, "audio"):
        assert resident_pages(out / path) > 0, path


def test_over_the_budget_a_build_releases_its_files_a_later_stage_reads_once_read(
    disk_dir: Path, commune_project: Path, monkeypatch
):
    monkeypatch.setattr("truyenthanh.pagecache.budget_bytes", lambda: 0)
    config = commune_project / "truyenthanh.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("screens: false", "screens: true"))
    out = disk_dir / "out"
    code, report, output = build(commune_project, out)
    assert code == 0, output
    bundles = built_paths(report, "bundle")
    programmes = built_paths(report, "audio")
    bulletins = built_paths(report, "bulletin")
    assert bundles and programmes and bulletins
    # Nothing reads a bundle again; the bundle was the last reader of its members.
    for path in bundles | programmes | bulletins:
        assert resident_pages(out / path) == 0, path
    # The e-screen videos; the silent ones are released once the version with sound, their
    # last reader, is published.
    videos = built_paths(report, "screen_video")
    assert any("khong-tieng" in path for path in videos)
    for path in videos:
        assert resident_pages(out / path) == 0, path
    # The segment cache is read by every programme and bulletin: it stays.
    segments = list((out / layout.SEGMENT_CACHE).rglob("*.seg"))
    assert segments
    assert sum(resident_pages(p) for p in segments) > 0


def test_a_file_is_not_released_before_its_last_reader(
    disk_dir: Path, commune_project, monkeypatch
):
    """A bulletin is read by its area's bundle: with nothing else kept, it is still cached when
    the bundle reads it (the budget takes it once the bundle is published)."""
    from truyenthanh import bundle

    monkeypatch.setattr("truyenthanh.pagecache.budget_bytes", lambda: 0)
    seen: dict[str, int] = {}
    read = bundle._read_members

    def reading(archive, files):
        for f in files:
            seen[str(f.source)] = resident_pages(Path(f.source))
        return read(archive, files)

    monkeypatch.setattr(bundle, "_read_members", reading)
    out = disk_dir / "out"
    code, report, output = build(commune_project, out)
    assert code == 0, output
    bulletins = [str(out / p) for p in built_paths(report, "bulletin")]
    assert bulletins and all(seen[p] > 0 for p in bulletins), seen
