"""Which announcements go out this week, rendered for each of their areas.

The approval check and the validity window decide whether an announcement is
taken at all; rendering happens per target area. Everything refused is returned
with a Vietnamese reason, never dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from truyenthanh.announcement import Announcement
from truyenthanh.errors import RenderError
from truyenthanh.project import Project
from truyenthanh.render import RenderedText, render_announcement
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)


@dataclass
class Selection:
    week: IsoWeek
    taken: list[Announcement] = field(default_factory=list)
    texts: dict[tuple[str, str], RenderedText] = field(default_factory=dict)  # (announcement, area) -> text
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (announcement, reason)
    failures: list[tuple[str | None, str | None, str, str]] = field(default_factory=list)  # (ann, area, stage, error)

    def texts_for(self, ann_id: str) -> list[RenderedText]:
        return [t for (a, _), t in self.texts.items() if a == ann_id]

    def texts_in(self, area_id: str) -> list[RenderedText]:
        return [t for (_, ar), t in self.texts.items() if ar == area_id]


def select_week(project: Project, week: IsoWeek) -> Selection:
    sel = Selection(week)
    for problem in project.problems:
        sel.failures.append((problem.announcement, None, "load", str(problem)))
    config = project.config
    for ann in project.announcements:
        if not ann.valid_during(week.monday, week.sunday):
            sel.skipped.append(
                (ann.id, f"ngoài thời hạn hiệu lực ({ann.meta.valid_from:%d/%m/%Y} – {ann.meta.valid_until:%d/%m/%Y})")
            )
            continue
        verdict = project.ledger.verdict(ann)
        if not verdict.approved:
            if verdict.tampered:
                sel.failures.append((ann.id, None, "approval", verdict.reason))
            else:
                sel.skipped.append((ann.id, verdict.reason))
            continue
        targets = ann.targets(config.area_ids)
        if not targets:
            sel.skipped.append((ann.id, "không có địa bàn nào nhận thông báo này"))
            continue
        rendered = _render_all(ann, project, week, targets, verdict.approval.by, sel)
        if rendered:
            sel.taken.append(ann)
            sel.texts.update(rendered)
    return sel


def _render_all(ann, project, week, targets, approved_by, sel) -> dict:
    out = {}
    for area_id in targets:
        try:
            out[(ann.id, area_id)] = render_announcement(
                ann, project.config.issuer, project.config.area(area_id), week, approved_by, project.config.audio.repeats
            )
        except RenderError as exc:
            # A template error is the announcement's, not the area's: one failure, none of it goes out.
            sel.failures.append((ann.id, area_id, exc.stage, exc.message))
            return {}
    return out
