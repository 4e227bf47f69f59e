"""click, in Vietnamese: its own help and usage-error words translated.

click marks every message for gettext (`_()`/`ngettext()` bound at import in each
of its modules). Officers should not meet "Show this message and exit." or
"No such option" in an otherwise Vietnamese tool, and the package ships no .mo
catalogue, so `install()` points click's modules at this table. Unknown
messages pass through unchanged (a newer click stays usable). Left out: the words of
click's editor and shell-completion modules, which this CLI does not use (importing them
would only slow every command's start).

Some of click's words are not messages: the usage line's "[OPTIONS]" and "COMMAND
[ARGS]...", and the metavars it makes from a parameter's type ("TEXT", "INTEGER
RANGE", "DIRECTORY"). `localize(group)` sets those on every command of the tree; the
CLI names its own parameters (`--week TUẦN`), and a parameter it leaves unnamed gets
its type's word from METAVARS.
"""

from __future__ import annotations

import importlib

import click

CATALOGUE: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "(Deprecated) {text}": "(Không dùng nữa) {text}",
    "Aborted!": "Đã hủy.",
    "Error: {message}": "Lỗi: {message}",
    "Error: {e.message}": "Lỗi: {e.message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option: {name}": "Không có tùy chọn: {name}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    # click fills in its type's English name ("integer range"): the number is said without it.
    "{value!r} is not a valid {number_type}.": "{value!r} không phải số hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} is not a valid boolean.": "{value!r} không phải giá trị đúng/sai hợp lệ.",
    # {name} is click's word for the kind of path, title-cased ("Thư Mục"): left out.
    "{name} {filename!r} does not exist.": "{filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được {filename!r}.",
    "{name} {filename!r} is not executable.": "{filename!r} không chạy được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "directory": "thư mục",
    "file": "tệp",
    "path": "đường dẫn",
    "unknown error": "lỗi không rõ",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Error: The value you entered was invalid.": "Lỗi: giá trị vừa nhập không hợp lệ.",
    "Error: invalid input": "Lỗi: nhập không hợp lệ",
    "Press any key to continue...": "Nhấn phím bất kỳ để tiếp tục...",
    "(dynamic)": "(tùy lúc)",
    "DeprecationWarning: The command {name!r} is deprecated.": "Cảnh báo: lệnh {name!r} không còn dùng nữa.",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} cần {nargs} giá trị.",
    "{value!r} is not a valid UUID.": "{value!r} không phải UUID hợp lệ.",
}
PLURALS: dict[str, str] = {
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa đối số ({args})",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc {choices}.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Possible options: {possibilities})": "(Có thể là: {possibilities})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "{len_type} values are required, but {len_value} was given.": (
        "Cần {len_type} giá trị nhưng chỉ có {len_value}."
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "Cần {len_type} giá trị nhưng có {len_value}."
    ),
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng dạng nào trong {formats}.",
}
OPTIONS_METAVAR = "[TÙY-CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [ĐỐI-SỐ]..."
# click's type names (ParamType.name) → the metavar shown for a parameter of that type.
METAVARS: dict[str, str] = {
    "text": "CHỮ",
    "integer": "SỐ",
    "integer range": "SỐ",
    "float": "SỐ",
    "float range": "SỐ",
    "boolean": "CÓ/KHÔNG",
    "path": "ĐƯỜNG-DẪN",
    "directory": "THƯ-MỤC",
    "file": "TỆP",
    "filename": "TỆP",
    "datetime": "NGÀY-GIỜ",
}
# A path type made once install() has run is named in Vietnamese already (CATALOGUE).
METAVARS.update({CATALOGUE[kind]: METAVARS[kind] for kind in ("path", "directory", "file")})
_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "types",
    "termui",
)


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, chosen)


def install() -> None:
    """Rebind click's module-level `_` and `ngettext` to the Vietnamese table."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def localize(command: click.Command) -> None:
    """Vietnamese usage words on `command` and every command under it (see the module's doc)."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.MultiCommand):
        optional = command.invoke_without_command  # `voices` alone lists the voices
        command.subcommand_metavar = f"[{SUBCOMMAND_METAVAR}]" if optional else SUBCOMMAND_METAVAR
        for child in getattr(command, "commands", {}).values():
            localize(child)
    for param in command.params:  # an argument's metavar is its name: the CLI gives each one
        if not isinstance(param, click.Option) or param.is_flag:
            continue
        if param.metavar is None and param.type.name in METAVARS:
            metavar = METAVARS[param.type.name]
            param.metavar = metavar if param.nargs == 1 else f"{metavar}..."
