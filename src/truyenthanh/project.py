"""Loading and validating a project folder.

    truyenthanh.yaml     issuer, areas, audio and print settings
    announcements/*.md   YAML front matter + Jinja2 body
    approvals.jsonl      the approvals ledger
    lexicon.yaml         optional: the district's abbreviations and pronunciations
    voices/              optional: the district's voice profiles and idents

Problems in `truyenthanh.yaml` or `lexicon.yaml` make the whole project invalid
(nothing can be built). A problem in one announcement only excludes that
announcement: `check` reports it, `build` records it as a failure and goes on.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from truyenthanh.announcement import Announcement, FrontMatter
from truyenthanh.approvals import Ledger
from truyenthanh.config import CONFIG_NAME, ProjectConfig
from truyenthanh.errors import Problem, ProjectError, RenderError, TruyenThanhError
from truyenthanh.render import render_announcement
from truyenthanh.sources import load_yaml, read_text, validate
from truyenthanh.speech.profiles import VoiceProfile
from truyenthanh.textfmt import vi_number
from truyenthanh.weeks import IsoWeek

log = logging.getLogger(__name__)

LEXICON_NAME = "lexicon.yaml"
ANNOUNCEMENTS_DIR = "announcements"
# Sane sizes for hand-written files: the 2023 plan, the longest real text, is ~8,000
# characters; a district lexicon has tens of entries, not thousands.
MAX_BODY_CHARS = 100_000
MAX_LEXICON_ENTRIES = 5_000


@dataclass
class Project:
    root: Path
    config: ProjectConfig
    announcements: list[Announcement]
    ledger: Ledger
    lexicon_extra: dict = field(
        default_factory=dict
    )  # {"abbreviations": {...}, "pronunciations": {...}}
    problems: list[Problem] = field(default_factory=list)  # per-announcement, non-fatal
    notes: list[str] = field(default_factory=list)  # e.g. legacy encodings converted
    voices: dict[str, VoiceProfile] = field(
        default_factory=dict
    )  # every profile the areas use, parsed once

    def voice(self, name: str) -> VoiceProfile:
        return self.voices[name]

    def announcement(self, ann_id: str) -> Announcement:
        for ann in self.announcements:
            if ann.id == ann_id:
                return ann
        raise KeyError(ann_id)


def load_project(root: Path, engine: str | None = None) -> Project:
    """Load everything; raise ProjectError if the project as a whole is unusable.

    `engine` (the CLI's --engine) replaces audio.engine here, once, so every stage
    and every key sees one setting. Engine names and voice profiles are checked
    now: a typo is an invalid project (exit 2), not a failure of every item.
    """
    root = Path(root)
    if not (root / CONFIG_NAME).is_file():
        raise ProjectError(
            [
                Problem(
                    str(root / CONFIG_NAME),
                    "không tìm thấy tệp cấu hình dự án (truyenthanh init DIR tạo dự án mẫu)",
                )
            ]
        )
    fatal: list[Problem] = []
    config = _load_config(root, fatal)
    lexicon_extra = _load_lexicon(root, fatal)
    voices: dict[str, VoiceProfile] = {}
    if config is not None:
        if engine is not None:
            config = config.model_copy(
                update={"audio": config.audio.model_copy(update={"engine": engine})}
            )
        fatal += _check_engine_names(config)
        voices = _load_voices(root, config, fatal)
        fatal += _check_sound_files(root, config)
    if fatal or config is None:
        raise ProjectError(fatal)
    ledger, ledger_problems = Ledger.load(root, config)
    notes: list[str] = approval_notes(config)
    announcements, problems = _load_announcements(root, config, notes)
    return Project(
        root,
        config,
        announcements,
        ledger,
        lexicon_extra,
        ledger_problems + problems,
        notes,
        voices,
    )


def approval_notes(config: ProjectConfig) -> list[str]:
    """Warnings about how approvals are checked, repeated by every `check` and build report."""
    from truyenthanh.resources import demo_public_keys

    notes = []
    if not config.approvals.require_signatures:
        notes.append(
            "CẢNH BÁO: dự án không yêu cầu chữ ký số (approvals.require_signatures: false): ai sửa được "
            "approvals.jsonl đều phê duyệt được dưới bất kỳ tên nào. Hãy tạo khóa (truyenthanh keys new), "
            "phê duyệt lại bằng khóa rồi bỏ dòng require_signatures: false."
        )
    demo = demo_public_keys()
    for approver in config.approvers:
        if approver.public_key in demo:
            notes.append(
                f"CẢNH BÁO: approvers: “{approver.name}” dùng KHÓA DEMO của dự án mẫu (khóa riêng của nó "
                "ai cũng có); chỉ để thử, không bao giờ dùng cho dự án thật."
            )
    return notes


def _check_engine_names(config: ProjectConfig) -> list[Problem]:
    from truyenthanh.speech import engine_names

    known = engine_names()
    problems = []
    for where, name in (
        ("audio.engine", config.audio.engine),
        ("audio.fallback_engine", config.audio.fallback_engine),
    ):
        if name is not None and name not in known:
            problems.append(
                Problem(
                    CONFIG_NAME,
                    f"{where}: không có bộ đọc “{name}”; dùng một trong: {', '.join(known)}",
                )
            )
    return problems


def _check_sound_files(root: Path, config: ProjectConfig) -> list[Problem]:
    from truyenthanh.audio import sound_files

    try:
        sound_files(config.audio, root)
    except TruyenThanhError as exc:
        return [Problem(CONFIG_NAME, exc.message)]
    return []


def _load_voices(
    root: Path, config: ProjectConfig, problems: list[Problem]
) -> dict[str, VoiceProfile]:
    """Every voice profile the project uses, parsed once (audio.voice and the areas' overrides)."""
    from truyenthanh.speech import load_voice_profile

    wanted = {config.audio.voice: "audio.voice"}
    for i, area in enumerate(config.areas):
        if area.voice:
            wanted.setdefault(area.voice, f"areas.{i}.voice")
    voices = {}
    for name, where in wanted.items():
        try:
            voices[name] = load_voice_profile(name, root)
        except TruyenThanhError as exc:
            problems.append(Problem(CONFIG_NAME, f"{where}: {exc.message}"))
    return voices


def _load_config(root: Path, problems: list[Problem]) -> ProjectConfig | None:
    src, problem = read_text(root / CONFIG_NAME, CONFIG_NAME)
    if problem:
        problems.append(problem)
        return None
    data, lines, problem = load_yaml(src.text, CONFIG_NAME)
    if problem:
        problems.append(problem)
        return None
    config, errs = validate(ProjectConfig, data, CONFIG_NAME, lines)
    problems.extend(errs)
    return config


def _load_lexicon(root: Path, problems: list[Problem]) -> dict:
    path = root / LEXICON_NAME
    if not path.exists():
        return {}
    src, problem = read_text(path, LEXICON_NAME)
    if problem:
        problems.append(problem)
        return {}
    data, lines, problem = load_yaml(src.text, LEXICON_NAME)
    if problem:
        problems.append(problem)
        return {}
    data = data or {}
    if not isinstance(data, dict):
        problems.append(Problem(LEXICON_NAME, "nội dung phải là một bảng khóa: giá trị", 1))
        return {}
    result: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if key not in ("abbreviations", "pronunciations"):
            problems.append(
                Problem(
                    LEXICON_NAME,
                    f"mục “{key}” không được hỗ trợ; dùng abbreviations hoặc pronunciations",
                    lines.line((key,)),
                )
            )
            continue
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            problems.append(
                Problem(
                    LEXICON_NAME,
                    f"{key}: mỗi mục phải có dạng “viết tắt: cách đọc” (chuỗi không rỗng)",
                    lines.line((key,)),
                )
            )
            continue
        if len(value) > MAX_LEXICON_ENTRIES:
            problems.append(
                Problem(
                    LEXICON_NAME,
                    f"{key}: quá nhiều mục ({vi_number(len(value))}; tối đa "
                    f"{vi_number(MAX_LEXICON_ENTRIES)})",
                    lines.line((key,)),
                )
            )
            continue
        result[key] = {k.strip(): v.strip() for k, v in value.items()}
    return result


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (yaml, body, body_first_line) or None when the file has no front matter."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    if end < 0:
        return None
    after = text.find("\n", end + 4)
    head = text[4 : end + 1]
    body = "" if after < 0 else text[after + 1 :]
    return head, body, head.count("\n") + 3


def _load_announcements(
    root: Path, config: ProjectConfig, notes: list[str]
) -> tuple[list[Announcement], list[Problem]]:
    folder = root / ANNOUNCEMENTS_DIR
    problems: list[Problem] = []
    loaded: list[Announcement] = []
    if not folder.is_dir():
        return [], [Problem(ANNOUNCEMENTS_DIR, "không có thư mục thông báo")]
    for path in sorted(folder.glob("*.md")):
        display = f"{ANNOUNCEMENTS_DIR}/{path.name}"
        ann, errs = _load_one(path, display, config, notes)
        if ann is not None and ann.meta.recording is not None:
            ann, errs = _with_recording(root, ann)
        problems.extend(errs)
        if ann is not None:
            loaded.append(ann)
    counts = Counter(a.id for a in loaded)
    dupes = {i for i, n in counts.items() if n > 1}
    for ann in loaded:
        if ann.id in dupes:
            others = ", ".join(a.source for a in loaded if a.id == ann.id and a is not ann)
            problems.append(
                Problem(ann.source, f"mã thông báo “{ann.id}” bị trùng với {others}", 2, ann.id)
            )
    return [a for a in loaded if a.id not in dupes], problems


def _with_recording(root: Path, ann: Announcement) -> tuple[Announcement | None, list[Problem]]:
    """The recording's digest enters the approved content; a missing or unusable file excludes the item."""
    from truyenthanh.audio.recording import recording_problem
    from truyenthanh.keys import sha256_file

    why = recording_problem(root, ann.meta.recording)
    digest = None if why else sha256_file(root / ann.meta.recording)
    if digest is None:
        return None, [
            Problem(
                ann.source,
                why or f"recording: không đọc được tệp “{ann.meta.recording}”",
                None,
                ann.id,
            )
        ]
    return ann.model_copy(update={"recording_sha256": digest}), []


def _load_one(
    path: Path, display: str, config: ProjectConfig, notes: list[str]
) -> tuple[Announcement | None, list[Problem]]:
    src, problem = read_text(path, display)
    if problem:
        return None, [problem]
    if src.encoding_note:
        notes.append(f"{display}: {src.encoding_note}")
    parts = split_front_matter(src.text)
    if parts is None:
        return None, [
            Problem(
                display,
                "thiếu phần đầu YAML: tệp phải bắt đầu bằng dòng “---”, khai báo id, title…, rồi dòng “---”",
                1,
            )
        ]
    head, body, body_line = parts
    data, lines, problem = load_yaml(head, display, line_offset=1)
    if problem:
        return None, [problem]
    meta, errs = validate(FrontMatter, data, display, lines)
    if errs:
        ann_id = (
            data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        )
        return None, [Problem(p.file, p.message, p.line, ann_id) for p in errs]
    body_line += body[: len(body) - len(body.lstrip())].count("\n")  # blank lines before it
    body = "\n".join(line.rstrip() for line in body.strip().split("\n"))
    problems: list[Problem] = []
    if len(body) > MAX_BODY_CHARS:
        problems.append(
            Problem(
                display,
                f"nội dung quá dài ({vi_number(len(body))} ký tự; tối đa "
                f"{vi_number(MAX_BODY_CHARS)}): hãy chia thành nhiều thông báo",
                body_line,
                meta.id,
            )
        )
    if not body.strip():
        problems.append(Problem(display, "nội dung thông báo trống", body_line, meta.id))
    if meta.areas != "all":
        unknown = [a for a in meta.areas if a not in config.area_ids]
        if unknown:
            problems.append(
                Problem(
                    display,
                    f"areas: mã địa bàn không có trong truyenthanh.yaml: {', '.join(unknown)}",
                    lines.line(("areas",)),
                    meta.id,
                )
            )
    if problems:
        return None, problems
    fields = [("title", ("title",)), ("summary", ("summary",))]
    fields += [(f"slogans.{i}", ("slogans", i)) for i in range(len(meta.slogans))]
    field_lines = tuple((name, line) for name, at in fields if (line := lines.line(at)) is not None)
    return (
        Announcement(
            meta=meta, body=body, source=display, body_line=body_line, field_lines=field_lines
        ),
        [],
    )


def check_templates(project: Project, week: IsoWeek | None = None) -> list[Problem]:
    """Render every announcement for every target area; collect template errors."""
    week = week or IsoWeek.current(project.config.issuer.timezone)
    problems = []
    for ann in project.announcements:
        for area_id in ann.targets(project.config.area_ids):
            try:
                render_announcement(
                    ann,
                    project.config.issuer,
                    project.config.area(area_id),
                    week,
                    "-",
                    project.config.audio.repeats,
                )
            except RenderError as exc:
                problems.append(
                    Problem(ann.source, f"{exc.detail} (địa bàn {area_id})", exc.line, ann.id)
                )
                break
    return problems


def check_resources(project: Project) -> list[Problem]:
    """Whether the configured engines can run on this machine (reported, not raised)."""
    from truyenthanh.speech import available_engines

    config = project.config
    problems: list[Problem] = []
    engines = available_engines()
    for name in filter(None, (config.audio.engine, config.audio.fallback_engine)):
        if engines.get(name):
            problems.append(
                Problem(
                    CONFIG_NAME,
                    f"audio: bộ đọc “{name}” không dùng được trên máy này: {engines[name]}",
                )
            )
    return problems
