"""The reading table: abbreviations and pronunciations.

The packaged table (`data/lexicon.yaml`) holds the abbreviations of Vietnamese public
administration and a few loanwords; a district extends it with its own
`lexicon.yaml` of the same shape:

    abbreviations:          # matched case-sensitively, as whole tokens
      UBND: Ủy ban nhân dân
    pronunciations:         # matched ignoring case, as whole words
      Zalo: Da lô
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import yaml

from truyenthanh.errors import TruyenThanhError, os_reason
from truyenthanh.normalize.util import case_variants, literal_union

_SECTIONS = ("abbreviations", "pronunciations")


class LexiconError(TruyenThanhError, ValueError):
    """A lexicon file or mapping is invalid; the message (Vietnamese) names the file and every problem."""

    stage = "load"

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def _frozen(mapping: Mapping[str, str], section: str, problems: list[str]) -> Mapping[str, str]:
    out: dict[str, str] = {}
    if not isinstance(mapping, Mapping):
        problems.append(f"{section}: phải là một bảng “khóa: cách đọc”")
        return MappingProxyType(out)
    for key, value in mapping.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{section}: khóa “{key}” phải là chuỗi không rỗng")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{section}: “{key}” phải có cách đọc là chuỗi không rỗng")
            continue
        out[key.strip()] = " ".join(value.split())
    return MappingProxyType(out)


@dataclass(frozen=True, eq=False)
class Lexicon:
    abbreviations: Mapping[str, str]
    pronunciations: Mapping[str, str]

    def __post_init__(self) -> None:
        problems: list[str] = []
        object.__setattr__(
            self, "abbreviations", _frozen(self.abbreviations, "abbreviations", problems)
        )
        object.__setattr__(
            self, "pronunciations", _frozen(self.pronunciations, "pronunciations", problems)
        )
        if problems:
            raise LexiconError("Từ điển cách đọc không hợp lệ: " + "; ".join(problems), problems)

    @classmethod
    def default(cls) -> Lexicon:
        """The packaged table of administrative abbreviations and loanwords."""
        return _default_lexicon()

    def extended(
        self,
        abbreviations: Mapping[str, str] | None = None,
        pronunciations: Mapping[str, str] | None = None,
    ) -> Lexicon:
        """A new lexicon: this one with `abbreviations`/`pronunciations` added (they win on conflict)."""
        return Lexicon(
            {**self.abbreviations, **dict(abbreviations or {})},
            {**self.pronunciations, **dict(pronunciations or {})},
        )

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the content: a stable cache key for everything read with this lexicon."""
        blob = json.dumps(
            [dict(self.abbreviations), dict(self.pronunciations)],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lexicon):
            return NotImplemented
        return self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self):
        # Read-only mappings do not pickle; a lexicon must (the build may ship it to workers).
        return (Lexicon, (dict(self.abbreviations), dict(self.pronunciations)))

    # Compiled matchers, built once per lexicon.
    @cached_property
    def abbreviation_pattern(self) -> re.Pattern[str] | None:
        return _token_pattern(self.abbreviations, ignore_case=False)

    @cached_property
    def pronunciation_pattern(self) -> re.Pattern[str] | None:
        return _token_pattern(self.pronunciations, ignore_case=True)

    @cached_property
    def pronunciation_lookup(self) -> Mapping[str, str]:
        return {k.casefold(): v for k, v in self.pronunciations.items()}


def _token_pattern(mapping: Mapping[str, str], ignore_case: bool) -> re.Pattern[str] | None:
    """Matcher for the keys, longest first; the left boundary is checked by the caller
    (`util.word_before`) so that the pattern starts with a literal and scans fast.
    `ignore_case` matches the usual spellings (as given, lower, UPPER, Capitalised)."""
    if not mapping:
        return None
    keys = {v for k in mapping for v in case_variants(k)} if ignore_case else set(mapping)
    # The right boundary only matters when the key ends in a letter or digit ("TP." may touch "HCM").
    return re.compile(rf"(?:{literal_union(keys)})(?:(?<=[\W_])|(?![\w&]))")


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    text = (
        resources.files("truyenthanh.normalize")
        .joinpath("data/lexicon.yaml")
        .read_text(encoding="utf-8")
    )
    # The packaged table is ours, so libyaml's parser reads it where PyYAML has one (~5 ms
    # instead of ~30 ms); a district's own lexicon goes through sources.load_yaml's checks.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return Lexicon(data["abbreviations"], data["pronunciations"])


def load_lexicon_file(path: str | Path) -> Lexicon:
    """The default lexicon extended with a district's `lexicon.yaml`.

    Raises LexiconError whose Vietnamese message names the file and lists every problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"Không tìm thấy tệp từ điển {path}.") from None
    except UnicodeDecodeError:
        raise LexiconError(
            f"Tệp từ điển {path} không phải Unicode UTF-8; hãy lưu lại dưới dạng UTF-8."
        ) from None
    except OSError as exc:
        raise LexiconError(f"Không đọc được tệp từ điển {path}: {os_reason(exc)}.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise LexiconError(f"Tệp từ điển {path} sai cú pháp YAML{where}.") from None
    data = data or {}
    problems: list[str] = []
    if not isinstance(data, dict):
        raise LexiconError(
            f"Tệp từ điển {path}: nội dung phải là một bảng có mục abbreviations và/hoặc pronunciations."
        )
    for key in data:
        if key not in _SECTIONS:
            problems.append(
                f"mục “{key}” không được hỗ trợ; dùng abbreviations hoặc pronunciations"
            )
    sections = {}
    for section in _SECTIONS:
        value = data.get(section) or {}
        if not isinstance(value, dict):
            problems.append(f"{section}: phải là một bảng “khóa: cách đọc”")
            continue
        sections[section] = value
    if not problems:
        try:
            return Lexicon.default().extended(sections["abbreviations"], sections["pronunciations"])
        except LexiconError as exc:
            problems.extend(exc.problems)
    raise LexiconError(
        f"Tệp từ điển {path} có {len(problems)} lỗi: " + "; ".join(problems) + ".", problems
    )
