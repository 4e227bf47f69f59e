"""Rendering: announcement x area -> RenderedText (Jinja2, sandboxed, StrictUndefined).

The body template sees `issuer`, `area`, `announcement` and `week`. Rendering is
sandboxed because announcement files are data written by officers, not code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from truyenthanh.announcement import Announcement
from truyenthanh.config import Area, BannerSize, Issuer
from truyenthanh.errors import RenderError
from truyenthanh.weeks import IsoWeek

_ENV = SandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class RenderedText:
    """One announcement as it reads in one area (or everywhere, when area_id is None)."""

    announcement_id: str
    area_id: str | None
    title: str
    body: str  # plain text: paragraphs separated by blank lines, "- " bullets
    category: str
    priority: str
    repeat: int
    valid_from: dt.date
    valid_until: dt.date
    approval_sha256: str
    approved_by: str
    slogans: tuple[str, ...] = ()
    summary: str | None = None
    url: str | None = None
    banner: BannerSize | None = None
    # The approver's role from `approvers:` (signed approvals). Not the approval's time: a
    # re-approval of unchanged text must not rebuild the files keyed by this text.
    approved_role: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    def same_content(self, other: RenderedText) -> bool:
        return (self.title, self.body, self.slogans, self.summary) == (
            other.title,
            other.body,
            other.slogans,
            other.summary,
        )


@lru_cache(maxsize=512)
def _compiled(source: str) -> jinja2.Template:
    """A template compiled once per process: the same announcement is rendered for every area
    (compiling it each time was ~1 ms per area and announcement in the main process)."""
    return _ENV.from_string(source)


# What a template can use (template_context), named when it asks for something else.
TEMPLATE_NAMES = "issuer, area, announcement, week"


def render_template(
    source: str, context: dict, where: str, first_line: int | None = None, part: str | None = None
) -> str:
    """Render one template string; every failure becomes a Vietnamese RenderError naming the
    file, and the line when the template's `first_line` in the file is known (the body) or the
    front-matter field (`part`: title, summary, slogans)."""
    try:
        text = _compiled(source).render(**context)
    except Exception as exc:  # a template can raise anything (division by zero, bad filter args)
        raise _failed(where, first_line, part, exc) from None
    return unicodedata.normalize("NFC", text).strip()


def _problem(exc: Exception) -> str:
    """What went wrong, in Vietnamese."""
    if isinstance(exc, jinja2.UndefinedError):
        return f"biến mẫu không xác định: {_undefined(exc)}; mẫu dùng được: {TEMPLATE_NAMES}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"lỗi cú pháp mẫu: {_syntax(exc.message or '')}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"mẫu dùng thao tác không được phép ({exc})"
    return f"không dựng được văn bản ({exc})"


def _failed(where: str, first_line: int | None, part: str | None, exc: Exception) -> RenderError:
    problem = _problem(exc)
    detail = f"{part}: {problem}" if part else problem
    line = _template_line(exc)
    at = first_line + line - 1 if first_line is not None and line is not None else None
    place = where if at is None else f"{where}:{at}"
    return RenderError(f"{place}: {detail}", detail, at)


def _template_line(exc: Exception) -> int | None:
    """The template's line of the failure: a syntax error carries it; jinja2 rewrites a runtime
    error's traceback so that its template frames carry the template's line numbers."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_SYNTAX_VI = (
    (re.compile(r"^unexpected 'end of template'$"), "mẫu kết thúc khi “{{{{” chưa đóng"),
    (re.compile(r"^unexpected '(?P<c>[^']*)'$"), "thừa “{c}”"),
    (
        re.compile(r"^unexpected char (?P<q>['\"])(?P<c>.*)(?P=q) at \d+$"),
        "ký tự lạ “{c}” (một chuỗi trong mẫu thiếu dấu nháy đóng?)",
    ),
    (
        re.compile(r"^Unexpected end of template\..*innermost block .* is '(?P<tag>\w+)'\.$", re.S),
        "mẫu kết thúc mà khối {{% {tag} %}} chưa đóng (thiếu {{% end{tag} %}})",
    ),
    (re.compile(r"^Encountered unknown tag '(?P<tag>\w+)'.*$", re.S), "không có thẻ {{% {tag} %}}"),
    (
        re.compile(r"^expected token 'end of print statement', got '(?P<got>[^']*)'$"),
        "thiếu “}}}}” trước “{got}”",
    ),
    (re.compile(r"^unexpected end of template.*$", re.S), "mẫu kết thúc giữa chừng"),
)


def _syntax(message: str) -> str:
    """jinja2's syntax complaint in Vietnamese, and what to look at."""
    for pattern, said in _SYNTAX_VI:
        if m := pattern.match(message):
            return said.format(**m.groupdict())
    return f"{message} (kiểm tra các cặp {{{{ … }}}} và {{% … %}})"


_NO_ATTRIBUTE = re.compile(r"^'(?P<owner>[^']*)' has no attribute '(?P<name>[^']*)'$")
_UNDEFINED = re.compile(r"^'(?P<name>[^']*)' is undefined$")
_NO_ELEMENT = re.compile(r"^.* has no element (?P<index>-?\d+)$")


def _undefined(exc: jinja2.UndefinedError) -> str:
    """jinja2's English message as Vietnamese: the name the template asked for."""
    message = str(exc.message or exc)
    if m := _NO_ATTRIBUTE.match(message):
        empty = " (giá trị trống)" if m["owner"] == "None" else ""
        return f"không có trường “{m['name']}”{empty}"
    if m := _UNDEFINED.match(message):
        return f"không có “{m['name']}”"
    if m := _NO_ELEMENT.match(message):
        return f"danh sách không có phần tử số {m['index']} (đếm từ 0)"
    return message


def template_context(issuer: Issuer, area: Area | None, ann: Announcement, week: IsoWeek) -> dict:
    return {
        "issuer": issuer.model_dump() | {"hotline": issuer.hotline},
        "area": (area.model_dump() | {"full_name": area.full_name}) if area else None,
        "announcement": ann.meta.model_dump(),
        "week": {
            "label": week.label,
            "monday": week.monday,
            "sunday": week.sunday,
            "title": week.title_vi,
        },
    }


def render_announcement(
    ann: Announcement,
    issuer: Issuer,
    area: Area | None,
    week: IsoWeek,
    approved_by: str,
    default_repeat: int,
    *,
    approved_role: str | None = None,
) -> RenderedText:
    ctx = template_context(issuer, area, ann, week)
    where = ann.source

    lines = dict(ann.field_lines)

    def r(text: str, part: str, field: str | None = None) -> str:
        line = lines.get(field or part)
        return render_template(text, ctx, where, first_line=line, part=part)

    body = render_template(ann.body, ctx, where, first_line=ann.body_line)
    if not body:
        raise RenderError(f"{where}: nội dung thông báo trống sau khi dựng mẫu")
    m = ann.meta
    return RenderedText(
        announcement_id=m.id,
        area_id=area.id if area else None,
        title=r(m.title, "title"),
        body=body,
        category=m.category,
        priority=m.priority,
        repeat=default_repeat if m.repeat is None else m.repeat,
        valid_from=m.valid_from,
        valid_until=m.valid_until,
        approval_sha256=ann.content_sha256,
        approved_by=approved_by,
        slogans=tuple(r(s, "slogans", f"slogans.{i}") for i, s in enumerate(m.slogans)),
        summary=r(m.summary, "summary") if m.summary else None,
        url=m.url or issuer.portal_url,
        banner=m.banner,
        approved_role=approved_role,
    )
