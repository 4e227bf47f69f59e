"""Broadcast-ready audio: programmes and daily bulletins as loudness-normalised, tagged MP3.

The unit of work is the segment (audio/segments.py): each distinct sentence,
sound and silence is mastered, encoded and measured once; programmes and
bulletins are assembled from segments (audio/assemble.py) by recipes resolved
once in the main process (audio/recipe.py). Every function here is pure with
picklable arguments, so the build can run it in worker processes.

The names below are imported on first use (PEP 562): the main process plans with the
recipes and never loads numpy, LAME, PyAV or mutagen, which only the workers need
(`tests/spine/test_layers.py`).
"""

from truyenthanh.lazy import lazy_names

# name -> the module of this package that defines it
_WHERE = {
    "Assembled": "assemble",
    "SegmentSource": "assemble",
    "assemble": "assemble",
    "assemble_bulletin": "jobs",
    "assemble_programme": "jobs",
    "build_programme": "assemble",
    "result_of": "assemble",
    "bulletin_recipe": "bulletin",
    "day_title": "bulletin",
    "opening_line": "bulletin",
    "mp3_duration": "frames",
    "AudioResult": "model",
    "ProgrammeRequest": "model",
    "RecordingRef": "model",
    "SpecMaker": "programme",
    "check_request": "programme",
    "closing_line": "programme",
    "programme_recipe": "programme",
    "RECIPE_VERSION": "recipe",
    "BulletinRecipe": "recipe",
    "ProgrammeRecipe": "recipe",
    "SegmentSpec": "recipe",
    "engines_for": "recipe",
    "sound_digests": "recipe",
    "sound_files": "recipe",
    "sound_refs": "recipe",
    "load_segment": "segments",
    "make_segment_entry": "jobs",
    "segment_meta": "segments",
}

__all__ = sorted(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
