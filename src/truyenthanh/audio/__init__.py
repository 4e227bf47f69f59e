"""Broadcast-ready audio: programmes and daily bulletins as loudness-normalised, tagged MP3.

The unit of work is the segment (audio/segments.py): each distinct sentence,
sound and silence is mastered, encoded and measured once; programmes and
bulletins are assembled from segments (audio/assemble.py) by recipes resolved
once in the main process (audio/recipe.py). Every function here is pure with
picklable arguments, so the build can run it in worker processes.
"""

from truyenthanh.audio.assemble import Assembled, SegmentSource, assemble
from truyenthanh.audio.bulletin import (
    assemble_bulletin,
    bulletin_recipe,
    day_title,
    mp3_duration,
    opening_line,
)
from truyenthanh.audio.model import AudioResult, ProgrammeRequest, RecordingRef
from truyenthanh.audio.programme import (
    SpecMaker,
    assemble_programme,
    build_programme,
    check_request,
    closing_line,
    programme_recipe,
    result_of,
)
from truyenthanh.audio.recipe import (
    RECIPE_VERSION,
    BulletinRecipe,
    ProgrammeRecipe,
    SegmentSpec,
    engines_for,
    sound_digests,
    sound_files,
    sound_refs,
)
from truyenthanh.audio.segments import load_segment, make_segment_entry, segment_meta

__all__ = [
    "RECIPE_VERSION",
    "Assembled",
    "AudioResult",
    "BulletinRecipe",
    "ProgrammeRecipe",
    "ProgrammeRequest",
    "RecordingRef",
    "SegmentSource",
    "SegmentSpec",
    "SpecMaker",
    "assemble",
    "assemble_bulletin",
    "assemble_programme",
    "build_programme",
    "bulletin_recipe",
    "check_request",
    "closing_line",
    "day_title",
    "engines_for",
    "load_segment",
    "make_segment_entry",
    "mp3_duration",
    "opening_line",
    "programme_recipe",
    "result_of",
    "segment_meta",
    "sound_digests",
    "sound_files",
    "sound_refs",
]
