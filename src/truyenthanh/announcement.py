"""Announcements: `announcements/*.md`, YAML front matter + a Jinja2 body.

The canonical content (what an approval signs) is the parsed front matter as
sorted JSON plus the NFC body with normalised line ends, so re-indenting YAML or
converting CRLF does not void an approval, while any change of meaning does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import Field, field_validator, model_validator

from truyenthanh.config import BannerSize, Model, SafeId

Priority = Literal["normal", "priority", "emergency"]  # domain.PRIORITIES, as a type
Output = Literal["audio", "leaflet", "banner", "poster"]


class FrontMatter(Model):
    id: SafeId
    title: str = Field(min_length=1)
    category: str = Field(min_length=1)
    priority: Priority = "normal"
    valid_from: dt.date
    valid_until: dt.date
    areas: Literal["all"] | tuple[str, ...] = "all"
    outputs: tuple[Output, ...] = ("audio",)
    slogans: tuple[str, ...] = ()
    repeat: int | None = Field(default=None, ge=0, le=5)  # extra readings; None = district default
    url: str | None = None  # QR target on the leaflet; default: the issuer's portal
    banner: BannerSize | None = None  # per-announcement banner size override
    summary: str | None = None  # short lead for the leaflet cover and the page
    author: str | None = None  # who wrote it; under four eyes they cannot approve it
    recording: str | None = (
        None  # a recorded reading of the body: a WAV/MP3/M4A/OGG file in the project
    )
    recording_covers_title: bool = (
        False  # the recording also reads the title (else the engine reads it)
    )

    @model_validator(mode="after")
    def _window(self) -> FrontMatter:
        if self.valid_until < self.valid_from:
            raise ValueError(
                f"thời hạn không hợp lệ: valid_until ({self.valid_until:%d/%m/%Y}) "
                f"trước valid_from ({self.valid_from:%d/%m/%Y})"
            )
        return self

    @model_validator(mode="after")
    def _slogans_for_banner(self) -> FrontMatter:
        if "banner" in self.outputs and not self.slogans:
            raise ValueError("yêu cầu in băng rôn (banner) nhưng chưa có khẩu hiệu (slogans)")
        return self

    @field_validator("outputs")
    @classmethod
    def _outputs_unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("cần ít nhất một đầu ra: audio, leaflet, banner hoặc poster")
        return tuple(dict.fromkeys(v))


class Announcement(Model):
    """A loaded announcement: front matter, body template and where it came from."""

    meta: FrontMatter
    body: str
    source: str  # path relative to the project root, for messages
    body_line: int | None = None  # the file's line where the body starts, for messages
    # The file's line of each templated front-matter field ("title", "summary", "slogans.0"…),
    # as pairs: the model is frozen, and hashable.
    field_lines: tuple[tuple[str, int], ...] = ()
    recording_sha256: str | None = None  # of the recording's bytes, read at load (meta.recording)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def canonical(self) -> str:
        # Fields added later enter the hash only when set, so existing approvals stay valid.
        later = {"author": None, "recording": None, "recording_covers_title": False}
        unset = {k for k, default in later.items() if getattr(self.meta, k) == default}
        data = self.meta.model_dump(mode="json", exclude=unset)
        if (
            self.meta.recording is not None
        ):  # the approver approved what is heard: a new recording voids it
            data["recording_sha256"] = self.recording_sha256
        head = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return head + "\n---\n" + self.body

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()

    def targets(self, area_ids: tuple[str, ...]) -> tuple[str, ...]:
        """The area ids this announcement goes to, in the project's area order."""
        if self.meta.areas == "all":
            return area_ids
        wanted = set(self.meta.areas)
        return tuple(a for a in area_ids if a in wanted)

    def valid_during(self, start: dt.date, end: dt.date) -> bool:
        return self.meta.valid_from <= end and self.meta.valid_until >= start

    def wants(self, output: str) -> bool:
        return output in self.meta.outputs
