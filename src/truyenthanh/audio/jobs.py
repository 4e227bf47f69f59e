"""The worker side of the audio jobs: the functions the stages name in their jobs.

The main process plans (recipes and their keys) and names a job's function; a worker runs
it. Each function here imports the modules that do the work (numpy, LAME, PyAV, mutagen)
when it runs, so the planner, which imports this module, never loads them: loading them
took ~0.1 s of the main process before its first job, the start a night with one changed
notice waits for (tests/spine/test_layers.py). The workers have them preloaded
(executor.WORKER_PRELOAD).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from truyenthanh.audio.aac import AacSpec, encode_segment, load_aac
from truyenthanh.audio.bulletin import bulletin_tags
from truyenthanh.audio.programme import programme_tags
from truyenthanh.audio.recipe import BulletinRecipe, ProgrammeRecipe, SegmentSpec
from truyenthanh.audio.tags import Tags

if TYPE_CHECKING:
    from truyenthanh.audio.assemble import Assembled


def make_segment_entry(spec: SegmentSpec, speech_cache: Path | str) -> tuple[bytes, dict]:
    """A segment job: the entry and its figures only. The loaded segment stays in the worker:
    sent back it doubled what a remote worker returns (its frames again, its energies as
    float64)."""
    from truyenthanh.audio.segments import make_segment, segment_meta

    return segment_meta(make_segment(spec, speech_cache))


def assemble_programme(
    recipe: ProgrammeRecipe, segment_root: Path | str | None, speech_cache: Path | str
) -> Assembled:
    """A programme job: pure assembly from the segment cache."""
    what = f"chương trình “{recipe.request.title}”"
    return _assembled(recipe, segment_root, speech_cache, programme_tags(recipe.request), what)


def assemble_bulletin(
    recipe: BulletinRecipe, segment_root: Path | str | None, speech_cache: Path | str
) -> Assembled:
    """A daily bulletin job: pure assembly from the segment cache."""
    what = f"bản tin {recipe.date} của {recipe.area_name}"
    return _assembled(recipe, segment_root, speech_cache, bulletin_tags(recipe), what)


def _assembled(
    recipe: ProgrammeRecipe | BulletinRecipe,
    segment_root: Path | str | None,
    speech_cache: Path | str,
    tags: Tags,
    what: str,
) -> Assembled:
    from truyenthanh.audio.assemble import SegmentSource, assemble

    source = SegmentSource(segment_root, speech_cache)
    return assemble(recipe.parts, source, recipe.settings, tags, what)


def make_aac_entry(spec: AacSpec, root: str, speech_cache: str) -> tuple[bytes, dict]:
    """An AAC entry job: the segment from the segment cache (made again here if missing or
    damaged), encoded to AAC."""
    from truyenthanh.audio.assemble import SegmentSource

    started = time.perf_counter()
    source = SegmentSource(root, speech_cache)
    entry = encode_segment(source.get(spec.segment))
    made = load_aac(entry, spec.key)
    return entry, {
        "packets": made.packets,
        "segments_rebuilt": source.rebuilt,
        "seconds_encoding": round(time.perf_counter() - started, 4),
    }
