"""Which announcements go out this week, rendered for each of their areas.

The approval check and the validity window decide whether an announcement is
taken at all; rendering happens per target area. Everything refused is returned
with a Vietnamese reason, never dropped silently.

An announcement whose approval does not hold (missing, forged, revoked,
self-approved, or edited since) is skipped, stage "approval". It is also a
failure — the build exits 1 — when it was built for this week before: something
that went out is now refused, and the officer must know.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from truyenthanh.announcement import Announcement
from truyenthanh.errors import RenderError
from truyenthanh.project import Project
from truyenthanh.render import RenderedText, render_announcement
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)


class Skip(NamedTuple):
    announcement: str
    reason: str  # Vietnamese
    stage: str = "selection"  # "approval" when the approval does not hold


@dataclass
class Selection:
    week: IsoWeek
    taken: list[Announcement] = field(default_factory=list)
    texts: dict[tuple[str, str], RenderedText] = field(
        default_factory=dict
    )  # (announcement, area) -> text
    skipped: list[Skip] = field(default_factory=list)
    failures: list[tuple[str | None, str | None, str, str]] = field(
        default_factory=list
    )  # (ann, area, stage, error)

    def texts_for(self, ann_id: str) -> list[RenderedText]:
        return [t for (a, _), t in self.texts.items() if a == ann_id]

    def texts_in(self, area_id: str) -> list[RenderedText]:
        return [t for (_, ar), t in self.texts.items() if ar == area_id]


def select_week(project: Project, week: IsoWeek, built_before: Collection[str] = ()) -> Selection:
    """`built_before`: ids of announcements with artifacts of this week in the build state."""
    sel = Selection(week)
    for problem in project.problems:
        sel.failures.append((problem.announcement, None, "load", str(problem)))
    config = project.config
    for ann in project.announcements:
        if not ann.valid_during(week.monday, week.sunday):
            sel.skipped.append(
                Skip(
                    ann.id,
                    f"ngoài thời hạn hiệu lực ({ann.meta.valid_from:%d/%m/%Y} – {ann.meta.valid_until:%d/%m/%Y})",
                )
            )
            continue
        verdict = project.ledger.verdict(ann)
        if not verdict.approved:
            sel.skipped.append(Skip(ann.id, verdict.reason, "approval"))
            if ann.id in built_before:
                sel.failures.append(
                    (
                        ann.id,
                        None,
                        "approval",
                        verdict.reason + " Tuần này thông báo đã được dựng ở lần "
                        "trước; các tệp đã phát hành của nó không còn được phê duyệt.",
                    )
                )
            continue
        targets = ann.targets(config.area_ids)
        if not targets:
            sel.skipped.append(Skip(ann.id, "không có địa bàn nào nhận thông báo này"))
            continue
        rendered = _render_all(ann, project, week, targets, verdict, sel)
        if rendered:
            sel.taken.append(ann)
            sel.texts.update(rendered)
    return sel


def built_last_time(out: Path, week: IsoWeek) -> set[str]:
    """Announcements that have artifacts of `week` in OUT's build state."""
    from truyenthanh.state import BuildState

    state = BuildState(out)
    try:
        return {e.announcement for e in state.artifacts(week.label) if e.announcement}
    finally:
        state.close()


def _render_all(ann, project, week, targets, verdict, sel) -> dict:
    out = {}
    approval = verdict.approval
    for area_id in targets:
        try:
            out[(ann.id, area_id)] = render_announcement(
                ann,
                project.config.issuer,
                project.config.area(area_id),
                week,
                approval.by,
                project.config.audio.repeats,
                approved_role=verdict.role,
            )
        except RenderError as exc:
            # A template error is the announcement's, not the area's: one failure, none of it goes out.
            sel.failures.append((ann.id, area_id, exc.stage, exc.message))
            return {}
    return out
