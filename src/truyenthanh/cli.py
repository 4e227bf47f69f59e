"""The `truyenthanh` command: parse, load config, call the pipeline, map errors to exit codes.

Exit codes of `build`: 0 everything built; 1 some items failed (all others built
and published); 2 invalid project or usage (nothing built); 3 another build holds
the lock. Only this module configures logging.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import click

from truyenthanh import __version__, cli_vi
from truyenthanh.errors import TruyenThanhError, UsageError, os_reason
from truyenthanh.weeks import IsoWeek

EXIT_OK, EXIT_PARTIAL = 0, 1  # the others come with the errors (TruyenThanhError.exit_code)
log = logging.getLogger("truyenthanh")
cli_vi.install()

project_option = click.option(
    "-p",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Thư mục dự án (chứa truyenthanh.yaml).",
)
out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Thư mục đầu ra (trang tải về, gói tuần, tệp in).",
)


def _setup_logging(verbose: bool, log_file: Path | None = None) -> logging.Handler | None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(_Console("%(levelname)s: %(message)s"))
    root.handlers[:] = [console]
    if log_file is None:
        return None
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return handler


class _Console(logging.Formatter):
    """The officer's terminal: level names in Vietnamese (the run log keeps Python's)."""

    LEVELS = {
        "DEBUG": "GỠ LỖI",
        "INFO": "THÔNG TIN",
        "WARNING": "CẢNH BÁO",
        "ERROR": "LỖI",
        "CRITICAL": "LỖI NGHIÊM TRỌNG",
    }

    def format(self, record: logging.LogRecord) -> str:
        shown = logging.makeLogRecord(record.__dict__)
        shown.levelname = self.LEVELS.get(record.levelname, record.levelname)
        return super().format(shown)


class Cli(click.Group):
    """Maps every TruyenThanhError that reaches the top to its message and exit code, and speaks
    click's usage words in Vietnamese (cli_vi)."""

    def main(self, *args, **kwargs):
        cli_vi.localize(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TruyenThanhError as exc:
            click.echo(f"Lỗi: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


def _load(project_dir: Path, engine: str | None = None):
    from truyenthanh.project import load_project

    return load_project(project_dir, engine)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="truyenthanh")
@click.option("-v", "--verbose", is_flag=True, help="In chi tiết quá trình chạy.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """truyenthanh — biến thông báo đã phê duyệt thành chương trình phát thanh cho đài truyền thanh
    cơ sở và tệp in (tờ gấp, băng rôn, panô) trong một lần chạy hằng đêm.

    \b
    Bắt đầu:   truyenthanh init du-an && cd du-an
    Kiểm tra:  truyenthanh check
    Khóa ký:   truyenthanh keys new --name "Họ tên" --role "Chức vụ"
    Phê duyệt: truyenthanh approve MÃ-THÔNG-BÁO
    Dựng:      truyenthanh build
    Xem:       truyenthanh serve
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    _setup_logging(verbose)


@cli.command()
@click.argument("directory", metavar="THƯ-MỤC", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--name",
    metavar="HỌ-TÊN",
    default="Người phê duyệt",
    show_default=True,
    help="Họ tên người phê duyệt đầu tiên (một khóa ký mới được tạo cho người này).",
)
@click.option(
    "--role",
    metavar="CHỨC-VỤ",
    default="Lãnh đạo đơn vị",
    show_default=True,
    help="Chức vụ của người phê duyệt đầu tiên.",
)
def init(directory: Path, name: str, role: str) -> None:
    """Tạo dự án mới (mẫu huyện Tây Sơn) trong THƯ-MỤC, với một khóa ký mới."""
    from truyenthanh import signing
    from truyenthanh.resources import DEMO_KEYS_DIR, sample_project_dir

    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"Thư mục {directory} đã có nội dung; hãy chọn một thư mục trống.")
    sample = sample_project_dir()
    if not sample.is_dir():
        raise UsageError(f"Không tìm thấy dự án mẫu tại {sample}.")
    # The demo key and the approvals it signed stay in the sample: a new project starts unapproved.
    shutil.copytree(
        sample,
        directory,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            "output", ".cache", DEMO_KEYS_DIR, "approvals.jsonl", "README.md"
        ),
    )
    key_path = _free_path(
        signing.keys_dir(), f"{signing.slug(name)}-{signing.slug(directory.resolve().name)}"
    )
    new = signing.write_new_key(key_path)
    config = directory / "truyenthanh.yaml"
    config.write_text(
        _replace_approvers(
            config.read_text(encoding="utf-8"), approver_entry(name, role, new.public_key)
        ),
        encoding="utf-8",
    )
    click.echo(
        f"Đã tạo dự án mẫu tại {directory}, với khóa ký mới {new.path} cho “{name}” (sửa tên, chức vụ "
        f"trong approvers: của truyenthanh.yaml nếu cần). Tiếp theo: truyenthanh check -p {directory}"
    )


def _free_path(folder: Path, stem: str) -> Path:
    n, path = 1, folder / f"{stem}.key"
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.key"
    return path


def _replace_approvers(text: str, entry: str) -> str:
    """Swap the sample's `approvers:` list (the demo key) for the new project's own entry."""
    import re

    block = re.compile(r"^approvers:[^\n]*\n(?:(?:[ #][^\n]*)?\n)*", re.MULTILINE)
    if not block.search(text):
        return text.rstrip("\n") + f"\n\napprovers:\n{entry}\n"
    return block.sub(lambda _m: f"approvers:\n{entry}\n\n", text, count=1)


@cli.command()
@project_option
@click.option(
    "--week",
    metavar="TUẦN",
    help="Tuần ISO để kiểm tra mẫu, dạng 2023-W08 (mặc định: tuần hiện tại).",
)
@click.pass_context
def check(ctx: click.Context, project_dir: Path, week: str | None) -> None:
    """Kiểm tra toàn bộ dự án, không dựng gì."""
    from truyenthanh.project import check_resources, check_templates

    project = _load(project_dir)
    wk = _week(week, project.config.issuer.timezone)
    problems = list(project.problems) + check_resources(project) + check_templates(project, wk)
    for note in project.notes:
        click.echo(note if note.startswith("CẢNH BÁO") else f"Lưu ý: {note}")
    from truyenthanh.audio.recording_samples import check_lines
    from truyenthanh.speech.catalogue import area_engine_lines

    for line in area_engine_lines(project) + check_lines(project):
        click.echo(line)
    if problems:
        click.echo(f"Dự án có {len(problems)} lỗi:", err=True)
        for p in problems:
            click.echo(f"  - {p}", err=True)
        ctx.exit(UsageError.exit_code)
    for problem in project.ledger.audit():
        click.echo(f"Cảnh báo: {problem}")
    verdicts = [project.ledger.verdict(a) for a in project.announcements]
    for verdict in verdicts:
        if verdict.refused or verdict.tampered:
            click.echo(f"Cảnh báo: {verdict.reason}")
    approved = sum(1 for v in verdicts if v.approved)
    click.echo(
        f"Dự án hợp lệ: {len(project.config.areas)} địa bàn, {len(project.announcements)} thông báo "
        f"({approved} đã phê duyệt nội dung hiện tại)."
    )


@cli.command()
@click.argument("announcement_id", metavar="MÃ-THÔNG-BÁO")
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp khóa riêng (ví dụ trên USB). Mặc định: khóa của bạn trong thư mục cấu hình "
    "(~/.config/truyenthanh/keys) khớp với approvers: của dự án.",
)
@click.option(
    "--by",
    "by",
    metavar="HỌ-TÊN",
    help="Họ tên người phê duyệt — chỉ cho dự án không yêu cầu chữ ký "
    "(approvals: {require_signatures: false}).",
)
@project_option
def approve(announcement_id: str, key_file: Path | None, by: str | None, project_dir: Path) -> None:
    """Ghi nhận phê duyệt (có ký số) nội dung hiện tại của thông báo MÃ-THÔNG-BÁO."""
    from truyenthanh.approvals import append_record, make_approval
    from truyenthanh.errors import ApprovalError
    from truyenthanh.project import check_templates

    project = _load(project_dir)
    try:
        ann = project.announcement(announcement_id)
    except KeyError:
        bad = [p for p in project.problems if p.announcement == announcement_id]
        detail = "; ".join(str(p) for p in bad) if bad else "không có thông báo nào mang mã này"
        raise UsageError(f"Không phê duyệt được “{announcement_id}”: {detail}.") from None
    problems = [p for p in check_templates(project) if p.announcement == announcement_id]
    if problems:
        raise UsageError(f"Không phê duyệt được “{announcement_id}”: {problems[0]}")
    tz = project.config.issuer.timezone
    if key_file is None and not project.ledger.signatures_required:
        if not by:
            raise UsageError('Cần --by "Họ tên" (dự án không yêu cầu chữ ký) hoặc --key TỆP_KHÓA.')
        record = make_approval(ann, by, tz)
    else:
        if by:
            raise UsageError(
                "Dự án này yêu cầu phê duyệt có chữ ký: không dùng --by; người phê duyệt là chủ "
                "khóa ký (truyenthanh approve ID [--key TỆP_KHÓA])."
            )
        key, approver = _approver_key(project, key_file)
        record = make_approval(ann, approver.name, tz, key)
    refusal = project.ledger.refusal(record, ann)
    if refusal:
        raise ApprovalError(f"Không ghi phê duyệt “{ann.id}”: {refusal}.")
    append_record(project.root, record)
    signed = ", có chữ ký số" if record.sig else ", KHÔNG có chữ ký số"
    click.echo(
        f"Đã ghi phê duyệt “{ann.id}” bởi {record.by} lúc {record.at_vi} "
        f"(SHA-256 {record.sha256[:12]}…{signed})."
    )


def _approver_key(project, key_file: Path | None):
    """The private key to sign with and its `approvers:` entry; refuses unknown and revoked keys."""
    from truyenthanh import signing

    config = project.config
    if key_file is None:
        listed = {a.public_key for a in config.approvers if not a.revoked}
        found = signing.find_keys(listed)
        if not found:
            raise UsageError(
                f"Không tìm thấy khóa ký nào của bạn trong {signing.keys_dir()} khớp với approvers: của dự án. "
                'Tạo khóa: truyenthanh keys new --name "Họ tên" (rồi thêm dòng nó in ra vào approvers:), '
                "hoặc chỉ tệp khóa bằng --key TỆP."
            )
        if len(found) > 1:
            raise UsageError(
                "Có nhiều khóa ký khớp với dự án: "
                + ", ".join(str(p) for p in found)
                + "; hãy chọn một bằng --key TỆP."
            )
        key_file = found[0]
    passphrase = None
    if signing.is_encrypted(key_file):
        passphrase = os.environ.get(signing.PASSPHRASE_ENV) or click.prompt(
            f"Mật khẩu của khóa {key_file}", hide_input=True, err=True
        )
    key = signing.load_private_key(key_file, passphrase)
    public = signing.public_key_text(key.public_key())
    approver = config.approver(public)
    if approver is None:
        raise UsageError(
            f"Khóa {key_file} ({public[:20]}…) không có trong approvers: của truyenthanh.yaml; "
            "hãy thêm mục do truyenthanh keys new in ra."
        )
    if approver.revoked:
        raise UsageError(
            f"Quyền phê duyệt của {approver.name} đã bị thu hồi (revoked) trong truyenthanh.yaml."
        )
    return key, approver


@cli.group()
def keys() -> None:
    """Khóa ký của người phê duyệt."""


@keys.command("new")
@click.option(
    "--name",
    metavar="HỌ-TÊN",
    required=True,
    help="Họ tên người phê duyệt (đúng như sẽ ghi trong approvers:).",
)
@click.option("--role", metavar="CHỨC-VỤ", help="Chức vụ, ví dụ “Phó Giám đốc Trung tâm VH-TT-TT”.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Nơi ghi khóa riêng (ví dụ trên USB). Mặc định: ~/.config/truyenthanh/keys/.",
)
@click.option(
    "--passphrase",
    is_flag=True,
    help="Bảo vệ khóa riêng bằng mật khẩu (hỏi khi tạo và mỗi lần phê duyệt).",
)
def keys_new(name: str, role: str | None, out_file: Path | None, passphrase: bool) -> None:
    """Tạo cặp khóa ký; in mục cần thêm vào approvers: của truyenthanh.yaml."""
    from truyenthanh import signing

    name = " ".join(name.split())
    if not name:
        raise UsageError("--name không được để trống.")
    path = out_file or signing.keys_dir() / f"{signing.slug(name)}{signing.KEY_SUFFIX}"
    project = _project_containing(path.resolve().parent)
    if project is not None:
        raise UsageError(
            f"Không ghi khóa riêng vào trong dự án ({project}): ai sửa được dự án sẽ ký thay bạn. "
            "Hãy chọn --out ở nơi khác (thư mục cá nhân, USB)."
        )
    secret = None
    if passphrase:
        secret = os.environ.get(signing.PASSPHRASE_ENV) or click.prompt(
            "Mật khẩu cho khóa", hide_input=True, confirmation_prompt=True, err=True
        )
    new = signing.write_new_key(path, secret)
    click.echo(
        f"Đã tạo khóa riêng {new.path} (chỉ bạn đọc được, quyền 0600"
        f"{', có mật khẩu' if secret else ''}). Giữ kín và sao lưu; đừng gửi tệp này cho ai.",
        err=True,
    )
    click.echo("Thêm mục sau vào approvers: trong truyenthanh.yaml của dự án:", err=True)
    click.echo(approver_entry(name, role, new.public_key))


def approver_entry(name: str, role: str | None, public_key: str) -> str:
    """The YAML list item for `approvers:` (JSON strings are valid YAML scalars)."""
    import json

    lines = [f"  - name: {json.dumps(name, ensure_ascii=False)}"]
    if role:
        lines.append(f"    role: {json.dumps(role, ensure_ascii=False)}")
    lines.append(f"    public_key: {public_key}")
    return "\n".join(lines)


def _project_containing(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "truyenthanh.yaml").is_file():
            return candidate
    return None


@cli.command()
@click.argument("text", metavar="[VĂN-BẢN]...", nargs=-1)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Đọc văn bản từ tệp.",
)
@click.option(
    "--voice",
    metavar="GIỌNG",
    help="Hồ sơ giọng (northern, central, southern) quyết định cách đọc vùng miền.",
)
@project_option
def script(text: tuple[str, ...], file: Path | None, voice: str | None, project_dir: Path) -> None:
    """In kịch bản đọc (dạng nói) của văn bản: mỗi dòng vào cho một dòng ra.

    Văn bản lấy từ đối số, từ --file, hoặc từ đầu vào chuẩn khi không có cả hai.
    Nếu có dự án (-p), dùng thêm từ điển lexicon.yaml của dự án.
    """
    from truyenthanh.normalize import Dialect, Lexicon, spoken_lines
    from truyenthanh.speech import load_voice_profile
    from truyenthanh.stages.texts import lexicon_for

    lexicon, root = Lexicon.default(), None
    voice_name = voice or "central"
    if (project_dir / "truyenthanh.yaml").is_file():
        project = _load(project_dir)
        lexicon, root = lexicon_for(project), project.root
        voice_name = voice or project.config.audio.voice
    dialect = Dialect.named(load_voice_profile(voice_name, root).dialect)
    if file is not None:
        from truyenthanh.sources import read_text

        src, problem = read_text(file, str(file))
        if problem:
            raise UsageError(str(problem))
        source = src.text
    elif text:
        source = "\n".join(text)
    else:
        source = sys.stdin.read()
    for line in spoken_lines(source, lexicon, dialect):
        click.echo(line)


@cli.group(invoke_without_command=True)
@project_option
@click.pass_context
def voices(ctx: click.Context, project_dir: Path) -> None:
    """Liệt kê bộ đọc (dùng được hay không, vì sao), giọng piper đã cài và hồ sơ giọng."""
    if ctx.invoked_subcommand is not None:
        return
    from truyenthanh.speech.catalogue import engine_lines, installed_voice_lines, profile_lines

    for line in engine_lines() + installed_voice_lines(project_dir) + profile_lines(project_dir):
        click.echo(line)


@voices.command("add")
@click.argument("model", metavar="TỆP-ONNX", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--licence",
    "--license",
    "licence",
    metavar="GIẤY-PHÉP",
    help="Giấy phép của giọng, đúng như nơi cung cấp ghi (ví dụ CC BY 4.0).",
)
@project_option
def voices_add(model: Path, licence: str | None, project_dir: Path) -> None:
    """Cài giọng piper TỆP-ONNX (.onnx, kèm tệp .onnx.json) vào voices/piper/ của dự án."""
    from truyenthanh.speech.piper import install_voice

    if not (project_dir / "truyenthanh.yaml").is_file():
        raise UsageError(
            f"{project_dir} không phải thư mục dự án (thiếu truyenthanh.yaml); dùng -p THƯ-MỤC-DỰ-ÁN."
        )
    voice = install_voice(project_dir, model, licence)
    click.echo(
        f"Đã cài giọng piper “{voice.name}” (SHA-256 {voice.sha256[:12]}…, giấy phép: {voice.licence})."
    )
    click.echo(
        f"Để dùng: ghi “piper: {{voice: {voice.name}}}” vào hồ sơ giọng voices/<tên>.yaml của dự án "
        "và đặt audio.engine: piper."
    )
    if not licence:
        click.echo(
            'Lưu ý: chưa ghi giấy phép; hãy cài lại với --licence "…" đúng như nơi cung cấp giọng ghi.'
        )


@cli.command()
@project_option
@out_option
@click.option(
    "--week",
    metavar="TUẦN",
    help="Tuần ISO cần dựng, dạng 2023-W08 (mặc định: tuần hiện tại theo giờ Việt Nam).",
)
@click.option(
    "--engine", metavar="BỘ-ĐỌC", help="Thay bộ đọc trong cấu hình (xem: truyenthanh check)."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Số tiến trình song song (mặc định: số lõi CPU).",
)
@click.option(
    "--dry-run", is_flag=True, help="Chỉ liệt kê những gì sẽ dựng và lý do, không ghi gì."
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục bộ nhớ đệm giọng nói (mặc định: .cache/speech trong thư mục đầu ra).",
)
@click.option(
    "--executor",
    "executor_name",
    type=click.Choice(["local", "dask"]),
    help="Nơi chạy các việc: local (máy này, mặc định) hoặc dask (cụm máy Dask; cần --scheduler).",
)
@click.option(
    "--scheduler", metavar="ĐỊA-CHỈ", help="Địa chỉ bộ lập lịch Dask, ví dụ tcp://10.0.0.5:8786."
)
@click.pass_context
def build(
    ctx,
    project_dir: Path,
    out_dir: Path,
    week: str | None,
    engine: str | None,
    jobs: int | None,
    dry_run: bool,
    cache_dir: Path | None,
    executor_name: str | None,
    scheduler: str | None,
) -> None:
    """Chạy lô hằng đêm: dựng âm thanh, bản in, gói tuần và trang tải về."""
    from truyenthanh import uptodate

    if not dry_run and executor_name is None and scheduler is None:
        quick = uptodate.build_if_unchanged(project_dir, out_dir, week, engine)
        if quick is not None:  # nothing changed since the last complete run
            _print_report(quick, out_dir)
            ctx.exit(EXIT_OK)
    files = None if dry_run else uptodate.fingerprint(project_dir, out_dir)  # before reading
    if not dry_run and executor_name in (None, "local") and not scheduler and jobs != 1:
        from truyenthanh.executor import start_worker_server

        start_worker_server()  # its imports run on the other core while this one loads and plans

    from truyenthanh.build import BuildOptions, open_executor, run_build
    from truyenthanh.errors import LockHeldError
    from truyenthanh.executor import chosen, default_jobs

    project = _load(project_dir, engine)
    wk = _week(week, project.config.issuer.timezone)
    name, address = chosen(executor_name, scheduler, project.config.build)
    inputs = (
        None
        if files is None
        else uptodate.inputs_record(files, wk.label, engine, project.config.issuer.timezone, name)
    )
    options = BuildOptions(
        out=out_dir,
        week=wk,
        jobs=jobs or default_jobs(),
        dry_run=dry_run,
        cache_dir=cache_dir,
        executor=name,
        scheduler=address,
        inputs=inputs,
    )
    executor = open_executor(
        options
    )  # connects first: an unreachable scheduler stops here, OUT untouched
    if executor is not None:
        ctx.call_on_close(executor.shutdown)
    # Streamed to a hidden per-process part file, published under the run id when complete.
    log_part = None if dry_run else out_dir / "runs" / f".build-{os.getpid()}.log"
    handler = _setup_logging(ctx.obj["verbose"], log_part)
    show = sys.stderr.isatty() and not ctx.obj["verbose"]
    try:
        result = run_build(project, options, progress=_progress_printer(show), executor=executor)
    except LockHeldError:
        if log_part is not None:
            log_part.unlink(missing_ok=True)
        raise
    finally:
        if handler is not None:
            handler.close()
            logging.getLogger().removeHandler(handler)
    if show:
        click.echo("", err=True)
    if dry_run:
        _print_plan(result)
        return
    _publish_log(out_dir, result.report.run_id, log_part)
    _print_report(result.report, out_dir)
    ctx.exit(EXIT_OK if result.report.status == "ok" else EXIT_PARTIAL)


@cli.command()
@out_option
@click.option(
    "--host", metavar="ĐỊA-CHỈ", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe."
)
@click.option(
    "--port",
    metavar="CỔNG",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Cổng.",
)
def serve(out_dir: Path, host: str, port: int) -> None:
    """Phục vụ thư mục đầu ra (chỉ đọc) để đài xã và cơ sở in tải về."""
    from truyenthanh.serve import serve as run_server

    if not out_dir.is_dir():
        raise UsageError(f"Chưa có thư mục đầu ra {out_dir}; hãy chạy truyenthanh build trước.")
    click.echo(f"Đang phục vụ {out_dir} tại http://{host}:{port}/ (Ctrl+C để dừng)")
    try:
        run_server(out_dir, host, port)
    except OSError as exc:
        raise UsageError(f"Không mở được cổng {host}:{port}: {os_reason(exc)}.") from None
    except KeyboardInterrupt:
        pass


def _week(week: str | None, timezone: str) -> IsoWeek:
    if week is None:
        return IsoWeek.current(timezone)
    try:
        return IsoWeek.parse(week)
    except ValueError as exc:
        raise UsageError(f"--week: {exc}.") from None


def _progress_printer(show: bool):
    """Stage headings to the log; on a terminal, a one-line progress bar of the jobs published
    out of those declared so far."""
    width = 28

    def progress(message: str, done: int | None = None, total: int | None = None) -> None:
        if done is None or not total:
            log.info("%s", message)
            if show:
                click.echo(f"\r\033[K{message}", err=True)
            return
        log.debug("[%d/%d] %s", done, total, message)
        if show:
            filled = width * done // total
            bar = "█" * filled + "·" * (width - filled)
            click.echo(f"\r\033[K{bar} {done}/{total}  {message[-60:]}", err=True, nl=done == total)

    return progress


def _publish_log(out_dir: Path, run_id: str, part: Path | None) -> None:
    if part is not None and part.exists():
        part.replace(out_dir / "runs" / f"{run_id}.log")


def _print_plan(result) -> None:
    plan, report = result.plan, result.report
    todo = [p for p in plan if p.action == "build"]
    for item in todo:
        click.echo(f"sẽ dựng  {item.path}  ({item.why})")
    click.echo(
        f"Tổng: {len(todo)} tệp sẽ dựng, {len(plan) - len(todo)} tệp còn nguyên, "
        f"{len(report.skipped)} thông báo bỏ qua, {len(report.failures)} lỗi."
    )
    for s in report.skipped:
        click.echo(f"bỏ qua   {s['announcement']}: {s['reason']}")
    for f in report.failures:
        click.echo(f"lỗi      {f['announcement'] or '-'} [{f['stage']}]: {f['error']}")


def _print_report(report, out_dir: Path) -> None:
    click.echo(report.summary_vi())
    for s in report.skipped:
        click.echo(f"  Bỏ qua {s['announcement']}: {s['reason']}")
    for f in report.failures:
        where = " / ".join(x for x in (f["announcement"], f["area"]) if x) or "-"
        click.echo(f"  LỖI {where} [{f['stage']}]: {f['error']}", err=True)
    click.echo(f"Báo cáo: {out_dir / 'runs' / 'latest.json'}")
    click.echo(f"Trang tải về: {out_dir / 'index.html'}")


def main() -> None:
    try:
        cli(prog_name="truyenthanh")
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """End the process once the command is complete, without tearing the interpreter down.

    Everything a command makes is durable before it returns (files fsynced and renamed, the
    build state closed, the report and log published, the workers shut down), so what is left
    is flushing the output and the logs. Python's own teardown of numpy, PIL, reportlab and
    the rest took ~0.1–0.2 s after every build: nearly 4 % of a nightly run that changed one
    announcement."""
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):  # sys.exit("message"), as Python itself would show it
        print(code, file=sys.stderr)
        code = 1
    # Only a run that loaded the executor can have started a fork server; a warm build that
    # found nothing to do did not, and importing it here (multiprocessing, ~20 ms) was a tenth
    # of that run.
    executor = sys.modules.get("truyenthanh.executor")
    if executor is not None:
        executor.end_worker_server()
    # What would run at exit still runs: logging's flush, multiprocessing's finalizers (they
    # unregister the pool's semaphores, or its resource tracker warns of leaks).
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
