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
  table with its own lexicon.yaml; unknown capitals are spelled with Vietnamese letter names;
* titles in capitals (`headings`): syllables are words ("VỀ CA BỆNH" is not "Công an");
* identifiers (`identifiers`): boat numbers, licence plates, cued codes, character by character;
  road numbers as numbers ("đường tỉnh sáu trăm ba mươi bảy");
* hotlines (`phones`): digit by digit, every number of a list after the cue ("113, 114 hoặc 115");
* dashes (`dates.ranges`): "đến" between amounts; a date after a day cue ("ngày 30-4"); a score
  after "tỉ số" ("ba, một");
* fractions and ratios (`measures.cardinals`): "12/14 đơn" is "mười hai trên mười bốn", "1/3 số
  hộ" is "một phần ba";
* initials (`words.initials`): letter names, no sentence break ("Phạm V. Tâm" -> "Phạm vê Tâm");
* addresses and file types (`addresses`): the notice's own words where a label is made of them,
  else syllables, else spelled; ".docx" is "chấm đốc ích";
* list numbering (`hygiene.list_markers`): read ("Một, …"), bullets and letters dropped.
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
