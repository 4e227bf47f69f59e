"""A nightly run whose inputs have not changed: nothing to build, said in a fraction of a second.

Every artifact is a pure function of its inputs and keyed by them, so a build
whose inputs are exactly those of the last complete build makes nothing: the
full path would load and verify the project, declare every job, find each one
current and rewrite only the page. This module finds that case before any of it
(like `make` or ninja saying there is no work to do) and then only writes a new
run report and the page, which show the time of this run.

The inputs are everything a build reads, fingerprinted:

* the project folder, by content (announcements, config, approvals, lexicon,
  voices, sounds, recordings; hidden folders and OUT itself left out);
* the week and the `--engine` override;
* this program, by its files' size and mtime (an edited checkout changes them
  without a new version) and every installed distribution's name and version
  (the ffmpeg, espeak-ng, fonts and Python libraries the bytes depend on);
* the environment variables the build reads (TRUYENTHANH_*) and the files of a
  TRUYENTHANH_VOICES folder.

It applies only when the last run of this OUT was of the same week, with the
same fingerprint, status "ok" (a failed item must be tried again), on the local
executor; and when every file the build state records is still intact by size
and mtime (the builder stamps what it publishes, see state.py: a file changed
since has another mtime). Anything else, or any doubt, takes the full path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from truyenthanh import __version__, layout
from truyenthanh.lock import BuildLock
from truyenthanh.report import RunReport

VERSION = 1
MAX_FILES = 20_000  # a "project" this large is probably a home folder: do not walk it
ENV_PREFIX = "TRUYENTHANH_"
PACKAGE = Path(__file__).resolve().parent


def fingerprint(project_dir: Path, out_dir: Path) -> str | None:
    """The digest of every input a build reads except the week and the engine override (see
    `digest`); None when the project cannot be walked. Take it before the build reads them."""
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(json.dumps(parts, ensure_ascii=False).encode("utf-8") + b"\n")

    feed("inputs", VERSION, __version__, sys.version)
    project = _files(Path(project_dir), skip=Path(out_dir))
    if project is None:
        return None
    for rel, path in project:
        feed("project", rel, _sha256(path))
    for rel, path in _files(PACKAGE, skip=None) or []:
        st = path.stat()
        feed("code", rel, st.st_size, st.st_mtime_ns)
    feed("distributions", _distributions())
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))
    feed("env", env)
    voices = os.environ.get(f"{ENV_PREFIX}VOICES")
    if voices and Path(voices).is_dir():
        for rel, path in _files(Path(voices), skip=None) or []:
            feed("voices", rel, _sha256(path))
    return h.hexdigest()


def digest(files: str, week: str, engine: str | None) -> str:
    return hashlib.sha256(json.dumps([files, week, engine or ""]).encode("utf-8")).hexdigest()


def inputs_record(files: str, week: str, engine: str | None, timezone: str, executor: str) -> dict:
    """What a complete run stores in its report's stats, for the next run to compare."""
    return {
        "digest": digest(files, week, engine),
        "timezone": timezone,
        "executor": executor,
        "version": VERSION,
    }


def build_if_unchanged(
    project_dir: Path, out_dir: Path, week: str | None, engine: str | None
) -> RunReport | None:
    """The new run's report when nothing changed since the last complete run, else None
    (the caller then runs the full build). Raises LockHeldError like a build."""
    started = time.monotonic()
    last = _last_report(out_dir)
    if last is None:
        return None
    inputs = last.get("stats", {}).get("inputs") or {}
    if inputs.get("version") != VERSION or inputs.get("executor") != "local":
        return None
    timezone = inputs.get("timezone") or "Asia/Ho_Chi_Minh"
    if week is None:
        from truyenthanh.weeks import IsoWeek

        week = IsoWeek.current(timezone).label
    if last.get("week") != week or last.get("status") != "ok" or last.get("failures"):
        return None
    files = fingerprint(project_dir, out_dir)
    if files is None or digest(files, week, engine) != inputs.get("digest"):
        return None
    with BuildLock(out_dir):
        from truyenthanh.state import BuildState

        state = BuildState(out_dir)
        try:
            if _last_report(out_dir) != last or not state.all_current():
                return None
            report = _rerun(last, timezone)
            report.stats["seconds"] = round(time.monotonic() - started, 3)
            page = _page(project_dir, out_dir, report, timezone)
            if page is None:
                return None
            _republish_page(page, out_dir, report, state)
            report.write(out_dir)
        finally:
            state.close()
    return report


def _rerun(last: dict, timezone: str) -> RunReport:
    """The last report as this run's: same outcome, every file reused, this run's times."""
    now = dt.datetime.now(ZoneInfo(timezone))
    report = RunReport.from_json(last)
    report.run_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"
    report.started = report.finished = now.isoformat(timespec="seconds")
    for artifact in report.artifacts:
        artifact.built = False
        artifact.extra.pop("built_at", None)
    report.stats.update(
        tts_requests=0, tts_cache_hits=0, stage_seconds={}, up_to_date=True, seconds=0.0
    )
    report.notes = [n for n in report.notes if not n.startswith(_NOTE)] + [_NOTE_FULL]
    return report


_NOTE = "Không có gì thay đổi"
_NOTE_FULL = (
    "Không có gì thay đổi kể từ lần dựng trước (cùng dự án, cùng chương trình, cùng tuần): "
    "mọi tệp được dùng lại, chỉ viết lại báo cáo và trang tải về."
)


def _config(project_dir: Path):
    """The project's settings (the page shows the issuer, areas and shops); None if unreadable.
    Read directly: they validated in the complete run with these very bytes, and the project
    loader's imports (normalisation, templates, signatures) would cost more than the rest."""
    import yaml

    from truyenthanh.config import CONFIG_NAME, ProjectConfig

    try:
        text = (Path(project_dir) / CONFIG_NAME).read_text(encoding="utf-8")
        return ProjectConfig.model_validate(yaml.safe_load(text))
    except Exception:  # any doubt: the full path reads it and reports properly
        return None


def _page(project_dir: Path, out_dir: Path, report: RunReport, timezone: str) -> bytes | None:
    """The page for this run: the last page with its run parts rendered again (site/run.py),
    or, for a page without them, rendered whole from the settings; None if neither can be."""
    from truyenthanh.site.run import respliced

    try:
        last_page = (out_dir / layout.INDEX).read_bytes()
    except OSError:
        last_page = b""
    run_doc = report.to_json()
    page = respliced(last_page, run_doc, timezone)
    if page is not None:
        return page
    config = _config(project_dir)
    if config is None:
        return None
    from truyenthanh.site import render_index

    shops = list(config.print.shops)
    return render_index(out_dir, config.issuer, list(config.areas), shops, run_doc=run_doc)


def _republish_page(data: bytes, out_dir: Path, report: RunReport, state) -> None:
    """Publish the page and record it as the builder would (unless it is already that page)."""
    from truyenthanh.atomic import atomic_write_bytes
    from truyenthanh.keys import content_key, sha256_bytes

    digest = sha256_bytes(data)
    page = next((a for a in report.artifacts if a.path == layout.INDEX), None)
    if page is not None and page.sha256 == digest and (out_dir / layout.INDEX).is_file():
        return
    atomic_write_bytes(out_dir / layout.INDEX, data, mtime_ns=state.stamp())
    state.record(layout.INDEX, content_key("index", digest), digest, {}, kind="index")
    if page is not None:
        page.sha256, page.built = digest, True


def _last_report(out_dir: Path) -> dict | None:
    try:
        doc = json.loads((Path(out_dir) / layout.latest_report_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _files(root: Path, skip: Path | None) -> list[tuple[str, Path]] | None:
    """Regular files under `root`, sorted, without hidden folders, caches and `skip`."""
    skip = skip.resolve() if skip is not None else None
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d != "__pycache__"
            and (skip is None or (here / d).resolve() != skip)
        )
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = here / name
            if path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
        if len(found) > MAX_FILES:
            return None
    return found


def _distributions() -> list[str]:
    names: set[str] = set()
    for entry in sys.path:
        try:
            names.update(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
        except OSError:
            continue
    return sorted(names)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
