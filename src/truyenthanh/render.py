"""Rendering: announcement x area -> RenderedText (Jinja2, sandboxed, StrictUndefined).

The body template sees `issuer`, `area`, `announcement` and `week`. Rendering is
sandboxed because announcement files are data written by officers, not code.
"""

from __future__ import annotations

import datetime as dt
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


def render_template(source: str, context: dict, where: str) -> str:
    """Render one template string; every failure becomes a Vietnamese RenderError."""
    try:
        text = _compiled(source).render(**context)
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{where}: biến mẫu không xác định ({_undefined_name(exc)})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{where}: lỗi cú pháp mẫu ở dòng {exc.lineno}: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(f"{where}: mẫu dùng thao tác không được phép ({exc})") from None
    except Exception as exc:  # a template can raise anything (division by zero, bad filter args)
        raise RenderError(f"{where}: không dựng được văn bản ({exc})") from None
    return unicodedata.normalize("NFC", text).strip()


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    return str(exc.message or exc).replace("'", "“", 1).replace("'", "”", 1)


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

    def r(text: str) -> str:
        return render_template(text, ctx, where)

    body = r(ann.body)
    if not body:
        raise RenderError(f"{where}: nội dung thông báo trống sau khi dựng mẫu")
    m = ann.meta
    return RenderedText(
        announcement_id=m.id,
        area_id=area.id if area else None,
        title=r(m.title),
        body=body,
        category=m.category,
        priority=m.priority,
        repeat=default_repeat if m.repeat is None else m.repeat,
        valid_from=m.valid_from,
        valid_until=m.valid_until,
        approval_sha256=ann.content_sha256,
        approved_by=approved_by,
        slogans=tuple(r(s) for s in m.slogans),
        summary=r(m.summary) if m.summary else None,
        url=m.url or issuer.portal_url,
        banner=m.banner,
        approved_role=approved_role,
    )
