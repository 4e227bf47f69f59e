"""Which published files stay in the page cache: the most recent, up to a budget.

A national week writes ~200 GB that this process never reads again; left alone, it would crowd
the page cache. Released as soon as durable (the first design), though, the memory is free,
and on a VM whose free memory goes back to its host (virtio-balloon free page reporting, as on
the development machine) the next build's writes fault every page in again from the host:
27 MB written into such memory took ~70 ms, against ~7 ms into pages just freed
(`atomic.release_pages`). A nightly build that rewrites an edited announcement's files then
paid that for all of them (0.73 GB in the sample: 105 bulletins, 15 bundles…).

So the builder keeps the files it publishes cached up to `budget_bytes()`, the oldest released
first. Within a build, the pages released keep being reused by the next writes (a 150-commune
week writes 9 GB). What the build published last stays cached: when the next build replaces one
of those files, the old file's pages are freed as the new one is renamed into place, and the
write after it reuses them. A file a later stage reads (`Job.read_back`) joins the queue once its
last reader is published (`Job.done_with`), so that it is not released before that reader runs.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from truyenthanh.atomic import release_file

LIMIT = 2 << 30
SHARE_OF_MEMORY = 16


def budget_bytes() -> int:
    """A sixteenth of the machine's memory, at most 2 GiB (the sample district's whole week is
    ~1 GB; on this 24-GB machine the budget is 1.5 GB)."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return LIMIT // SHARE_OF_MEMORY
    return min(LIMIT, memory // SHARE_OF_MEMORY)


class CacheBudget:
    """The published files kept in the page cache, oldest first; used by the builder's thread
    only. Releasing (open, fadvise, close) runs on a thread of its own."""

    def __init__(self, limit: int | None = None):
        self.limit = budget_bytes() if limit is None else limit
        self._kept: OrderedDict[Path, int] = OrderedDict()
        self._bytes = 0
        self._releaser: ThreadPoolExecutor | None = None

    def keep(self, path: Path, size: int) -> None:
        """`path` (`size` bytes) was just published, or its last reader is done: it is the most
        recent now; release the oldest files while over the budget."""
        self._bytes += size - self._kept.pop(path, 0)
        self._kept[path] = size
        while self._bytes > self.limit and self._kept:
            oldest, oldest_size = self._kept.popitem(last=False)
            self._bytes -= oldest_size
            if self._releaser is None:
                self._releaser = ThreadPoolExecutor(1, thread_name_prefix="release")
            self._releaser.submit(release_file, oldest)

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def close(self) -> None:
        """Wait for the releases under way."""
        if self._releaser is not None:
            self._releaser.shutdown(wait=True)
            self._releaser = None
