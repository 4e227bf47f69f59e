"""Vietnamese text normalisation: a rendered announcement -> its spoken script.

Speech engines read written Vietnamese badly (espeak-ng reads "15/7/2021" wrongly and
switches "UBND" to English). `spoken_script` runs the ordered `PASSES` (small `str -> str`
functions, each documented and table-tested) and returns plain Vietnamese words in
sentences: no digit, no run of capitals and no "/" survive, and punctuation is kept
where an engine should pause.

Reading policies, each written down in its module:
* numbers (`numbers`): mốt/tư/lăm, linh/lẻ, "không trăm", nghìn/ngàn by `Dialect`;
* dates and times (`dates`): "ngày sáu tháng mười hai năm …", no "mùng", "tháng tư";
* document codes (`codes`): type + "số" + number (+ "năm" year); the filing suffix is not read;
* abbreviations and loanwords (`lexicon`, `data/lexicon.yaml`): a district extends the
  table with its own lexicon.yaml; unknown capitals are spelled with Vietnamese letter names.
"""

from __future__ import annotations

from truyenthanh.normalize.context import Context
from truyenthanh.normalize.dialect import Dialect, DialectError
from truyenthanh.normalize.legacy import convert_legacy, detect_legacy_encoding
from truyenthanh.normalize.lexicon import Lexicon, LexiconError, load_lexicon_file
from truyenthanh.normalize.numbers import read_digits, read_number, read_numeral, read_ordinal
from truyenthanh.normalize.passes import PASSES, run_passes
from truyenthanh.normalize.script import SpokenScript, spoken_lines, spoken_script

__all__ = [
    "PASSES",
    "Context",
    "Dialect",
    "DialectError",
    "Lexicon",
    "LexiconError",
    "SpokenScript",
    "convert_legacy",
    "detect_legacy_encoding",
    "load_lexicon_file",
    "read_digits",
    "read_number",
    "read_numeral",
    "read_ordinal",
    "run_passes",
    "spoken_lines",
    "spoken_script",
]
