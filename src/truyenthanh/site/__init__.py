"""The download page `OUT/index.html`: one static, self-contained Vietnamese page.

Operators find their area and download the week's bundle; print shops find their
order sheet and PDFs; everyone sees how the last nightly run went. The page has
no external resources (CSS inline, a few lines of inline JS for the area filter)
and works without JS, from disk or from any web server; all links are relative.
Rendering is deterministic: the same OUT gives the same bytes.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from truyenthanh import __version__
from truyenthanh.atomic import atomic_writer
from truyenthanh.site.run import environment, time_vi

if TYPE_CHECKING:  # the page's data and settings are imported where they are used: a run that
    # only re-renders the run parts of the page (site/run.py) must not pay for them
    from jinja2 import Environment, Template

    from truyenthanh.config import Area, Issuer, PrintShop
    from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
INDEX = "index.html"


def render_index(
    out_dir: Path,
    issuer: Issuer,
    areas: list[Area],
    shops: list[PrintShop],
    records: Mapping | None = None,
    week: IsoWeek | None = None,
    run_doc: dict | None = None,
) -> bytes:
    """Render the page from the build records under `out_dir` (state, manifests, run report);
    `records` and `week`: this run's records, which alone speak for the week being built;
    `run_doc`: the run report the page shows, when it is not yet written (a build)."""
    from truyenthanh.site.scan import scan

    data = scan(Path(out_dir), issuer, list(areas), list(shops), records, week, run_doc)
    html = index_template().render(
        issuer=issuer,
        data=data,
        css=(HERE / "static" / "site.css").read_text(encoding="utf-8"),
        generator=f"truyenthanh {__version__}",
    )
    return html.encode("utf-8")


def publish_index(
    out_dir: Path, issuer: Issuer, areas: list[Area], shops: list[PrintShop]
) -> tuple[Path, bool]:
    """Write `OUT/index.html` atomically when it changed; return (path, written)."""
    path = Path(out_dir) / INDEX
    html = render_index(out_dir, issuer, areas, shops)
    if path.is_file() and path.read_bytes() == html:
        return path, False
    with atomic_writer(path) as fh:
        fh.write(html)
    return path, True


@functools.cache
def index_template() -> Template:
    """The page's template, compiled once per process. A build compiles it on a thread while
    the workers run (`prepare`), not after its last job, where every 0.1 s is on the clock."""
    return _env().get_template("index.html.j2")


def prepare() -> threading.Thread:
    """Compile the page's template in the background; returns the (daemon) thread."""
    thread = threading.Thread(target=index_template, name="page-template", daemon=True)
    thread.start()
    return thread


def _env() -> Environment:
    from truyenthanh.schedule import duration_vi

    env = environment()
    env.filters.update(
        url=_url,
        size_vi=size_vi,
        duration_vi=duration_vi,
        date_vi=lambda d: f"{d:%d/%m/%Y}",
        day_vi=lambda d: f"{d:%d/%m}",
    )
    return env


def _url(rel: str) -> str:
    return "/".join(quote(part) for part in rel.split("/"))


def size_vi(size: int) -> str:
    """Human size with the Vietnamese decimal comma: 1_450_000 → "1,4 MB"."""
    if size < 1024:
        return f"{size} byte"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        value = size / scale
        if value < 1024 or unit == "GB":
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.replace(".", ",") + f" {unit}"
    raise AssertionError("unreachable")


__all__ = ["publish_index", "render_index", "size_vi", "time_vi"]
