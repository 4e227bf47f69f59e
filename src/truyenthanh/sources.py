"""Reading project files: text at the door (NFC, legacy encodings) and YAML with line numbers.

Every problem is returned as a `Problem` naming the file and, where possible, the
line, so that `check` can report them all together (DESIGN.md house style 3).
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from truyenthanh.errors import Problem, os_reason
from truyenthanh.normalize import convert_legacy, detect_legacy_encoding
from truyenthanh.normalize.legacy import decode_cp1258
from truyenthanh.textfmt import vi_number

# Pydantic error types -> Vietnamese sentences. The field path is added by the caller.
_PYDANTIC_VI: dict[str, str] = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ (gõ nhầm tên?)",
    "string_type": "phải là một chuỗi văn bản",
    "string_too_short": "không được để trống",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "bool_type": "phải là true hoặc false",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "literal_error": "giá trị không hợp lệ",
    "too_short": "cần ít nhất một phần tử",
    "tuple_type": "phải là một danh sách",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng (mapping)",
    "model_type": "phải là một bảng (mapping)",
    "greater_than": "quá nhỏ: phải lớn hơn {gt}",
    "greater_than_equal": "quá nhỏ: phải từ {ge} trở lên",
    "less_than": "quá lớn: phải nhỏ hơn {lt}",
    "less_than_equal": "quá lớn: tối đa {le}",
}


@dataclass(frozen=True)
class TextFile:
    path: Path
    text: str
    encoding_note: str | None = None  # e.g. "đã chuyển từ TCVN3"


def read_text(path: Path, display: str) -> tuple[TextFile | None, Problem | None]:
    """Read a project text file as NFC Unicode; detect legacy Vietnamese encodings."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            return None, Problem(
                display, f"tệp quá lớn ({vi_number(size)} byte; tối đa {vi_number(MAX_TEXT_BYTES)})"
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(display, f"không đọc được tệp: {os_reason(exc)}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Files typed with .VnTime / VNI-Times fonts are single-byte: their bytes are the
        # Latin-1 look-alikes the legacy detector knows.
        single_byte = raw.decode("latin-1")
        if _detect_legacy(single_byte) is None:
            converted = decode_cp1258(raw)
            if converted is not None:
                text = unicodedata.normalize(
                    "NFC", converted.replace("\r\n", "\n").replace("\r", "\n")
                )
                return TextFile(
                    path, text, "đã tự chuyển từ bảng mã Windows-1258 sang Unicode"
                ), None
            return None, Problem(
                display,
                f"tệp không phải UTF-8 (byte lạ ở vị trí {exc.start}); hãy lưu lại tệp dưới dạng Unicode UTF-8",
            )
        text = single_byte
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    legacy = _detect_legacy(text)
    if legacy:
        converted = _convert_legacy(text, legacy)
        if converted is None:
            return None, Problem(
                display,
                f"văn bản dùng bảng mã cũ {legacy}, không phải Unicode; hãy chuyển sang Unicode "
                "(ví dụ bằng Unikey: Công cụ chuyển mã) rồi lưu lại",
            )
        return TextFile(path, converted, f"đã tự chuyển từ bảng mã {legacy} sang Unicode"), None
    return TextFile(path, text), None


def _detect_legacy(text: str) -> str | None:
    return detect_legacy_encoding(text)


def _convert_legacy(text: str, encoding: str) -> str | None:
    try:
        return unicodedata.normalize("NFC", convert_legacy(text, encoding))
    except ValueError:  # an encoding the converter does not know: refused with a message
        return None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that leaves dates as strings: pydantic validates them with a clear message
    (PyYAML itself raises a bare ValueError on "2023-02-30"). libyaml's parser where PyYAML
    has it: with it, and one parse instead of two, loading the sample takes ~40 ms, not ~60."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LineIndex:
    """Maps a field path (as pydantic reports it) to the YAML line it came from."""

    def __init__(self, node: yaml.Node | None, line_offset: int = 0):
        self._lines: dict[tuple, int] = {}
        self._offset = line_offset
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self._lines[path] = node.start_mark.line + 1 + self._offset
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = path + (key.value,)
                self._walk(value, child)
                self._lines[child] = key.start_mark.line + 1 + self._offset
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,))

    def line(self, path: tuple) -> int | None:
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get(())


# Limits for YAML written by hand (DESIGN: hostile project files cannot hurt). A real
# truyenthanh.yaml with 150 areas is ~40 KB, ~3,000 nodes and 5 levels deep; a
# "billion laughs" of nine levels is 1 KB of text that expands to 10^9 nodes.
MAX_YAML_CHARS = 1_000_000
MAX_YAML_NODES = 200_000  # after alias expansion
MAX_YAML_DEPTH = 40
MAX_TEXT_BYTES = 4_000_000  # any project text file (announcement, config, lexicon)


def yaml_limits_problem(text: str, display: str, line_offset: int = 0) -> Problem | None:
    """Refuse a YAML document that is too large, too deep or expands too far through aliases.

    Runs on the parser's event stream, before anything is composed or constructed: it
    is iterative (a deep nesting cannot exhaust the stack) and it adds up each node's
    size as if every alias were expanded, stopping at the first limit crossed, so a
    bomb costs time and memory proportional to its text, not to its expansion.
    """
    if len(text) > MAX_YAML_CHARS:
        return Problem(
            display,
            f"phần YAML quá lớn ({vi_number(len(text))} ký tự; tối đa {vi_number(MAX_YAML_CHARS)})",
        )
    sizes: dict[str, int] = {}  # anchor -> expanded size of its (complete) node
    open_anchors: set[str] = set()
    stack: list[list] = []  # [expanded size so far, anchor] per open collection
    total = 0

    def add(size: int, event) -> Problem | None:
        nonlocal total
        if stack:
            stack[-1][0] += size
        else:
            total += size
        expanded = total + sum(s for s, _ in stack)
        if expanded > MAX_YAML_NODES:
            return _limit(
                event,
                display,
                line_offset,
                f"bí danh YAML (&/*) nở ra quá {vi_number(MAX_YAML_NODES)} phần tử "
                "(kiểu tấn công “billion laughs”); tệp bị từ chối",
            )
        return None

    try:
        # PyYAML's own parser: libyaml scans ahead and stops a deep nesting with its own
        # English error before this count could say it in Vietnamese.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_YAML_DEPTH:
                    return _limit(
                        event,
                        display,
                        line_offset,
                        f"YAML lồng nhau quá sâu (tối đa {MAX_YAML_DEPTH} cấp)",
                    )
                stack.append([1, event.anchor])
                if event.anchor:
                    open_anchors.add(event.anchor)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                size, anchor = stack.pop()
                if anchor:
                    sizes[anchor] = size
                    open_anchors.discard(anchor)
                if problem := add(size, event):
                    return problem
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                if problem := add(1, event):
                    return problem
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    return _limit(
                        event,
                        display,
                        line_offset,
                        f"bí danh YAML “*{event.anchor}” tự tham chiếu chính nó",
                    )
                if problem := add(sizes.get(event.anchor, 1), event):
                    return problem
    except yaml.YAMLError:
        return None  # a syntax error: the loader reports it with its line
    return None


def _limit(event, display: str, line_offset: int, message: str) -> Problem:
    mark = getattr(event, "start_mark", None)
    return Problem(display, message, mark.line + 1 + line_offset if mark else None)


_STRAY_COLON = "dấu “:” không được đặt ở đây (giá trị có dấu “:” hãy đặt trong dấu nháy kép)"
# PyYAML's most common complaints, as an officer editing a file reads them (the rest are shown
# as PyYAML words them, after a Vietnamese lead).
_YAML_VI = {
    "did not find expected key": "thiếu tên trường hoặc thụt lề sai",
    "did not find expected ',' or ']'": "thiếu “,” hoặc “]” trong danh sách",
    "did not find expected ',' or '}'": "thiếu “,” hoặc “}” trong bảng",
    "could not find expected ':'": "thiếu dấu “:” sau tên trường",
    "mapping values are not allowed here": _STRAY_COLON,
    "found character '\\t' that cannot start any token": (
        "có ký tự tab: YAML chỉ thụt lề bằng dấu cách"
    ),
    "found a tab character that violates indentation": (
        "có ký tự tab làm sai thụt lề: YAML chỉ thụt lề bằng dấu cách"
    ),
    # The same two as the C loader words them.
    "found character that cannot start any token": (
        "có ký tự không được mở đầu một giá trị (ví dụ dấu tab: YAML chỉ thụt lề bằng dấu cách)"
    ),
    "mapping values are not allowed in this context": _STRAY_COLON,
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu nháy đóng?)",
    "found unknown escape character": "ký tự “\\” lạ trong chuỗi nháy kép",
    "did not find expected alphabetic or numeric character": "có ký tự “*” hoặc “&” lạ",
}


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    """PyYAML's problem in Vietnamese, with the usual cause when the line holds a template: a
    value that starts with "{{" reads as a YAML mapping unless it is quoted."""
    what = exc.problem or ""
    said = _YAML_VI.get(what)
    if said is None and what.startswith("expected <block end>"):
        said = "thụt lề không khớp với các dòng trên"
    message = f"lỗi cú pháp YAML: {said}" if said else f"lỗi cú pháp YAML ({what or 'không rõ'})"
    lines = text.split("\n")
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if any("{{" in lines[m.line] or "{%" in lines[m.line] for m in marks if m.line < len(lines)):
        message += '; giá trị có mẫu {{ … }} phải đặt trong dấu nháy kép, ví dụ title: "{{ … }}"'
    return message


def load_yaml(
    text: str, display: str, line_offset: int = 0
) -> tuple[Any, LineIndex, Problem | None]:
    """Parse YAML within limits; a syntax error or a crossed limit becomes a Problem with its line."""
    problem = yaml_limits_problem(text, display, line_offset)
    if problem:
        return None, LineIndex(None), problem
    try:
        node, data = _compose_and_construct(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        return None, LineIndex(None), Problem(display, _yaml_problem(exc, text), line)
    except yaml.YAMLError as exc:
        return None, LineIndex(None), Problem(display, f"lỗi cú pháp YAML: {exc}")
    return data, LineIndex(node, line_offset), None


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node (for line numbers) and its data, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def validate(
    model: type[BaseModel], data: Any, display: str, lines: LineIndex
) -> tuple[Any, list[Problem]]:
    """Validate `data` against `model`; every error becomes a Vietnamese Problem with its line."""
    if not isinstance(data, dict):
        return None, [
            Problem(
                display, "nội dung phải là một bảng khóa: giá trị (mapping YAML)", 1 + lines._offset
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
        # A container error that only echoes a child's error adds nothing: keep the child's.
        locs = [tuple(e["loc"]) for e in errors]
        errors = [
            e
            for e in errors
            if not any(
                len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"]) for o in locs
            )
        ]
        return None, [_problem(err, display, lines) for err in errors]


def _vi_value(value: Any) -> Any:
    """A bound in a message (`ge`, `le`…) as Vietnamese writes numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int) or value.is_integer():
        return vi_number(value)
    return vi_number(value, 3).rstrip("0")


def _problem(err: dict, display: str, lines: LineIndex) -> Problem:
    loc = tuple(
        p
        for p in err["loc"]
        if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
    )
    field = ".".join(str(p) for p in loc) or "(gốc)"
    kind = err["type"]
    if kind == "value_error":
        # Our own validators already speak Vietnamese; pydantic prefixes "Value error, ".
        text = str(err.get("msg", "")).removeprefix("Value error, ")
    elif kind == "literal_error":
        # pydantic lists the choices in English ("'a', 'b' or 'c'").
        expected = str(err.get("ctx", {}).get("expected", ""))
        head, _, last = expected.rpartition(" or ")
        choices = f"{head} hoặc {last}" if head else expected
        text = f"giá trị “{err.get('input')}” không hợp lệ; dùng một trong: {choices}"
    else:
        text = _PYDANTIC_VI.get(kind, str(err.get("msg", kind)))
        with contextlib.suppress(KeyError, IndexError, ValueError):
            text = text.format(**{k: _vi_value(v) for k, v in err.get("ctx", {}).items()})
    return Problem(display, f"{field}: {text}", lines.line(loc))
