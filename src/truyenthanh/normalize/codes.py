"""Document codes ("số ký hiệu văn bản") and the reading policy for them.

Policy — what an announcer says for `Kế hoạch số 20/KH-UBND`, `Nghị quyết số 05-NQ/TU`,
`Quyết định 1234/QĐ-UBND`, `Nghị định 49/2024/NĐ-CP`, `Chỉ thị 23/CT-TTg`:

* the document type is kept as written and "số" is said before the number, added when the
  text leaves it out: "Quyết định số một nghìn hai trăm ba mươi tư";
* the number is read as a cardinal, zero padding dropped ("05" -> "năm");
* a year inside the code is read as "năm …": 49/2024/NĐ-CP -> "số bốn mươi chín năm hai
  nghìn không trăm hai mươi tư";
* the filing suffix (KH-UBND, NQ/TU, NĐ-CP, CT-TTg, QH14 …) is not read at all. It repeats the
  document type and encodes the issuer, which the sentence names anyway ("… của Ủy ban nhân
  dân huyện"); spelled out it is noise ("ca hát u bê en đê"), expanded it duplicates the
  sentence ("của Chính phủ … của Chính phủ"). A listener loses nothing needed to find the
  document: type, number, year and date.
"""

from __future__ import annotations

import re

from truyenthanh.normalize.context import Context, default_context
from truyenthanh.normalize.numbers import read_integer_string, read_number
from truyenthanh.normalize.util import preceded

_PIECE = r"[A-ZĐ][A-Za-zĐđ&]*\d*"
_CODE = re.compile(
    rf"(?P<num>\d(?<![\w/.-]\d)\d{{0,5}})(?P<letter>[a-z])?(?:/(?P<year>\d{{4}}))?[/-]"
    rf"(?P<suffix>{_PIECE}(?:[-/.]{_PIECE})*)(?![\w])"
)
_UPPER_LETTERS = re.compile("[A-ZĐ]")
_SO_BEFORE = re.compile(r"\b[Ss]ố\s*:?\s*$")


def document_codes(text: str, ctx: Context | None = None) -> str:
    """ "Kế hoạch số 20/KH-UBND" -> "Kế hoạch số hai mươi"; "Nghị định 49/2024/NĐ-CP" ->
    "Nghị định số bốn mươi chín năm hai nghìn không trăm hai mươi tư" (see the module policy)."""
    ctx = ctx or default_context()

    def sub(m: re.Match[str]) -> str:
        if len(_UPPER_LETTERS.findall(m.group("suffix"))) < 2:
            return m.group(0)
        words = read_integer_string(m.group("num"), ctx.dialect)
        if m.group("letter"):
            words += f" {m.group('letter')}"
        if m.group("year"):
            words += f" năm {read_number(int(m.group('year')), ctx.dialect)}"
        return words if preceded(_SO_BEFORE, m, 8) else f"số {words}"

    return _CODE.sub(sub, text)
