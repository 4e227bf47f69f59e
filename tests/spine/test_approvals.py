"""The approvals ledger: signed, append-only, approves content not names, refuses what does not hold.

Every refusal is tested the way it happens: a real line in approvals.jsonl (written
by `truyenthanh approve` or edited by hand as a forger would), a real Ed25519 key,
and the selection or build that reads it.
"""

from __future__ import annotations

import json
import os
import stat

import yaml
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.buildutil import build
from tests.conftest import APPROVER_KEYS, AUTHOR, approve_all, write_announcement
from truyenthanh.approvals import append_approval
from truyenthanh.cli import cli
from truyenthanh.project import load_project
from truyenthanh.selection import select_week
from truyenthanh.signing import keys_dir, public_key_text
from truyenthanh.weeks import IsoWeek

WEEK = IsoWeek.parse("2023-W08")
BINH = "Trần Thị Bình"


def ledger_lines(root) -> list[dict]:
    return [
        json.loads(line)
        for line in (root / "approvals.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def write_ledger(root, records: list[dict]) -> None:
    (root / "approvals.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def add_lines(root, *records: dict) -> None:
    with open(root / "approvals.jsonl", "a", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def edit_config(root, old: str, new: str) -> None:
    cfg = root / "truyenthanh.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert old in text
    cfg.write_text(text.replace(old, new, 1), encoding="utf-8")


def skipped(sel, ann_id: str) -> tuple[str, str]:
    [(reason, stage)] = [(s.reason, s.stage) for s in sel.skipped if s.announcement == ann_id]
    return reason, stage


def new_key(_runner: CliRunner, name: str, *extra: str) -> str:
    """`keys new`; returns its stdout: the entry for `approvers:` (the advice goes to stderr)."""
    result = CliRunner(mix_stderr=False).invoke(cli, ["keys", "new", "--name", name, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- signing and approving -----------------------------------------------------------------


def test_keys_new_writes_a_private_key_outside_the_project_and_prints_the_entry(commune_project):
    runner = CliRunner()
    entry = new_key(runner, "Võ Thị Hạnh", "--role", "Phó Chủ tịch UBND xã")
    path = keys_dir() / "vo-thi-hanh.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in path.read_bytes() and b"ENCRYPTED" not in path.read_bytes()
    [item] = yaml.safe_load(entry)  # the printed entry is a YAML list item, ready to paste
    assert item["name"] == "Võ Thị Hạnh" and item["role"] == "Phó Chủ tịch UBND xã"
    assert item["public_key"] == path.with_suffix(".pub").read_text().strip()
    again = runner.invoke(cli, ["keys", "new", "--name", "Võ Thị Hạnh"])
    assert again.exit_code == 2 and "không ghi đè" in again.output
    inside = runner.invoke(
        cli, ["keys", "new", "--name", "X", "--out", str(commune_project / "k.key")]
    )
    assert inside.exit_code == 2 and "Không ghi khóa riêng vào trong dự án" in inside.output
    assert not (commune_project / "k.key").exists()


def test_approve_signs_with_the_users_key_and_the_build_takes_it(commune_project):
    runner = CliRunner()
    entry = new_key(runner, "Võ Thị Hạnh", "--role", "Phó Chủ tịch UBND xã")
    edit_config(commune_project, "approvals:\n", f"{entry}\napprovals:\n")
    write_announcement(commune_project, "moi")
    before = (commune_project / "approvals.jsonl").read_text(encoding="utf-8").splitlines()
    result = runner.invoke(cli, ["approve", "moi", "-p", str(commune_project)])
    assert result.exit_code == 0, result.output
    assert (
        "Đã ghi phê duyệt “moi” bởi Võ Thị Hạnh" in result.output
        and "có chữ ký số" in result.output
    )
    after = (commune_project / "approvals.jsonl").read_text(encoding="utf-8").splitlines()
    assert after[: len(before)] == before  # append-only
    record = json.loads(after[-1])
    assert record["by"] == "Võ Thị Hạnh" and record["sig"] and record["key"].startswith("ed25519:")
    project = load_project(commune_project)
    assert record["sha256"] == project.announcement("moi").content_sha256
    sel = select_week(project, WEEK)
    text = sel.texts[("moi", "thon-1")]
    assert (text.approved_by, text.approved_role) == ("Võ Thị Hạnh", "Phó Chủ tịch UBND xã")


def test_approve_with_a_passphrase_protected_key_on_a_usb_stick(
    commune_project, tmp_path, monkeypatch
):
    runner = CliRunner()
    usb = tmp_path / "usb" / "hanh.key"
    monkeypatch.setenv("TRUYENTHANH_KEY_PASSPHRASE", "mật khẩu dài")
    entry = new_key(runner, "Võ Thị Hạnh", "--out", str(usb), "--passphrase")
    assert b"ENCRYPTED" in usb.read_bytes()
    edit_config(commune_project, "approvals:\n", f"{entry}\napprovals:\n")
    write_announcement(commune_project, "moi")
    monkeypatch.delenv("TRUYENTHANH_KEY_PASSPHRASE")
    wrong = runner.invoke(
        cli, ["approve", "moi", "--key", str(usb), "-p", str(commune_project)], input="sai\n"
    )
    assert wrong.exit_code == 2 and "Sai mật khẩu" in wrong.output
    ok = runner.invoke(
        cli,
        ["approve", "moi", "--key", str(usb), "-p", str(commune_project)],
        input="mật khẩu dài\n",
    )
    assert ok.exit_code == 0, ok.output
    assert ("moi", "thon-1") in select_week(load_project(commune_project), WEEK).texts


def test_by_is_refused_when_signatures_are_required(commune_project):
    write_announcement(commune_project, "moi")
    result = CliRunner().invoke(
        cli, ["approve", "moi", "--by", "Lê Văn Cường", "-p", str(commune_project)]
    )
    assert result.exit_code == 2 and "yêu cầu phê duyệt có chữ ký" in result.output
    assert all(r["announcement"] != "moi" for r in ledger_lines(commune_project))


def test_a_key_not_in_approvers_cannot_approve(commune_project, tmp_path):
    stranger = tmp_path / "usb" / "la.key"
    new_key(CliRunner(), "Người Lạ", "--out", str(stranger))
    result = CliRunner().invoke(
        cli, ["approve", "hop-dan", "--key", str(stranger), "-p", str(commune_project)]
    )
    assert result.exit_code == 2 and "không có trong approvers:" in result.output


# -- what the build refuses ----------------------------------------------------------------


def test_copied_signature_is_refused_and_the_rest_builds(commune_project):
    write_announcement(commune_project, "moi", body="Thông báo mới cho bà con {{ area.name }}.")
    [good] = ledger_lines(commune_project)
    sha = load_project(commune_project).announcement("moi").content_sha256
    add_lines(
        commune_project, {**good, "announcement": "moi", "sha256": sha}
    )  # hop-dan's signature, moi's content
    sel = select_week(load_project(commune_project), WEEK)
    reason, stage = skipped(sel, "moi")
    assert stage == "approval"
    assert "chữ ký không khớp nội dung bản ghi" in reason and "approvals.jsonl:2" in reason
    assert ("hop-dan", "thon-1") in sel.texts and not any(a == "moi" for a, _ in sel.texts)


def test_edited_hash_is_refused(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    [good] = ledger_lines(commune_project)
    sha = load_project(commune_project).announcement("hop-dan").content_sha256
    add_lines(commune_project, {**good, "sha256": sha})  # the forger re-hashes the edited text
    reason, stage = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert stage == "approval" and "chữ ký không khớp nội dung bản ghi" in reason


def test_edited_name_is_refused(commune_project):
    [good] = ledger_lines(commune_project)
    write_ledger(commune_project, [{**good, "by": "Chủ tịch UBND huyện"}])
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert "chữ ký không khớp nội dung bản ghi" in reason


def test_name_that_is_not_the_keys_owner_is_refused(commune_project):
    """A line signed correctly by Bình's key but naming someone else (hand-made with her key)."""
    ann = load_project(commune_project).announcement("hop-dan")
    write_ledger(commune_project, [])
    append_approval(commune_project, ann, "Phạm Văn Dũng", "Asia/Ho_Chi_Minh", APPROVER_KEYS[BINH])
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert "không phải tên của chủ khóa ký (“Trần Thị Bình”)" in reason


def test_unknown_key_is_refused(commune_project):
    ann = load_project(commune_project).announcement("hop-dan")
    write_ledger(commune_project, [])
    append_approval(commune_project, ann, BINH, "Asia/Ho_Chi_Minh", Ed25519PrivateKey.generate())
    reason, stage = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert stage == "approval" and "không có trong danh sách approvers:" in reason


def test_revoked_approver_no_longer_counts(commune_project):
    key = public_key_text(APPROVER_KEYS[BINH].public_key())
    edit_config(
        commune_project, f"    public_key: {key}\n", f"    public_key: {key}\n    revoked: true\n"
    )
    reason, stage = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert stage == "approval" and "quyền phê duyệt của Trần Thị Bình đã bị thu hồi" in reason
    result = CliRunner().invoke(cli, ["check", "-p", str(commune_project), "--week", "2023-W08"])
    assert (
        "Cảnh báo: approvals.jsonl:1: “hop-dan”: quyền phê duyệt của Trần Thị Bình đã bị thu hồi"
        in result.output
    )


def test_removed_approver_no_longer_counts(commune_project):
    text = (commune_project / "truyenthanh.yaml").read_text(encoding="utf-8")
    start = text.index("  - name: Trần Thị Bình")
    end = text.index("  - name: Phạm Văn Dũng")
    (commune_project / "truyenthanh.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert "không có trong danh sách approvers:" in reason


def test_unsigned_line_is_refused_when_signatures_are_required(commune_project):
    ann = load_project(commune_project).announcement("hop-dan")
    write_ledger(commune_project, [])
    append_approval(commune_project, ann, BINH, "Asia/Ho_Chi_Minh")
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "hop-dan")
    assert "bản ghi không có chữ ký số" in reason


# -- four eyes ------------------------------------------------------------------------


def test_author_cannot_approve_their_own_notice(commune_project):
    write_announcement(commune_project, "tu-duyet", author=BINH)
    result = CliRunner().invoke(
        cli,
        [
            "approve",
            "tu-duyet",
            "--key",
            str(write_key(commune_project.parent, BINH)),
            "-p",
            str(commune_project),
        ],
    )
    assert (
        result.exit_code == 2
        and "là tác giả của thông báo nên không được tự phê duyệt" in result.output
    )
    assert all(
        r["announcement"] != "tu-duyet" for r in ledger_lines(commune_project)
    )  # nothing written
    approve_all(commune_project)  # the same line, forced into the ledger by hand
    sel = select_week(load_project(commune_project), WEEK)
    reason, stage = skipped(sel, "tu-duyet")
    assert stage == "approval" and "nguyên tắc bốn mắt" in reason
    assert ("hop-dan", "thon-1") in sel.texts  # the rest builds
    approve_all(commune_project, by="Phạm Văn Dũng")  # a second person
    assert ("tu-duyet", "thon-1") in select_week(load_project(commune_project), WEEK).texts


def test_four_eyes_needs_the_author(commune_project):
    write_announcement(commune_project, "vo-danh", author=None)
    approve_all(commune_project)
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "vo-danh")
    assert "chưa ghi tác giả (author:" in reason


def test_emergency_role_may_approve_alone(commune_project):
    write_announcement(
        commune_project,
        "bao",
        priority="emergency",
        author="Phạm Văn Dũng",
        body="Bão số 3 đổ bộ; bà con {{ area.name }} chằng chống nhà cửa.",
    )
    approve_all(commune_project, by="Phạm Văn Dũng")
    reason, _ = skipped(select_week(load_project(commune_project), WEEK), "bao")
    assert "nguyên tắc bốn mắt" in reason
    edit_config(
        commune_project, "  four_eyes: true\n", "  four_eyes: true\n  emergency_role: Trực ban\n"
    )
    assert ("bao", "thon-1") in select_week(load_project(commune_project), WEEK).texts


def test_four_eyes_can_be_turned_off(commune_project):
    write_announcement(commune_project, "tu-duyet", author=BINH)
    approve_all(commune_project)
    edit_config(commune_project, "  four_eyes: true\n", "  four_eyes: false\n")
    assert ("tu-duyet", "thon-1") in select_week(load_project(commune_project), WEEK).texts


def write_key(folder, name: str):
    from cryptography.hazmat.primitives import serialization

    path = folder / f"{name}.pem"
    path.write_bytes(
        APPROVER_KEYS[name].private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(path, 0o600)
    return path


# -- content, not names ------------------------------------------------------------------


def test_edited_after_approval_is_refused_naming_the_approver(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    sel = select_week(load_project(commune_project), WEEK)
    reason, stage = skipped(sel, "hop-dan")
    assert stage == "approval"
    assert (
        "đã bị sửa sau khi được Trần Thị Bình phê duyệt" in reason and "Cần phê duyệt lại" in reason
    )
    assert not sel.texts and not sel.failures  # never built: skipped, not a failure


def test_reapproval_takes_the_new_content(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("7h30", "8h00"), encoding="utf-8")
    approve_all(commune_project)
    sel = select_week(load_project(commune_project), WEEK)
    assert not sel.failures
    assert "8h00" in sel.texts[("hop-dan", "thon-1")].body


def test_whitespace_in_yaml_does_not_void_an_approval(commune_project):
    path = commune_project / "announcements" / "hop-dan.md"
    text = (
        path.read_text(encoding="utf-8")
        .replace("priority: normal", "priority:    normal")
        .replace("\n", "\r\n")
    )
    path.write_bytes(text.encode("utf-8"))
    sel = select_week(load_project(commune_project), WEEK)
    assert not sel.failures and sel.texts


def test_unapproved_is_skipped_with_reason(commune_project):
    write_announcement(commune_project, "chua-duyet")
    sel = select_week(load_project(commune_project), WEEK)
    assert skipped(sel, "chua-duyet") == (
        "Thông báo “chua-duyet” chưa được phê duyệt; chạy: truyenthanh approve chua-duyet",
        "approval",
    )
    assert all(a != "chua-duyet" for a, _ in sel.texts)


def test_approve_unknown_id(commune_project):
    result = CliRunner().invoke(cli, ["approve", "khong-co", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "không có thông báo nào mang mã này" in result.output


def test_approve_refuses_a_broken_template(commune_project):
    write_announcement(commune_project, "loi-mau", body="{{ area.ten }}")
    result = CliRunner().invoke(cli, ["approve", "loi-mau", "-p", str(commune_project)])
    assert result.exit_code == 2
    assert "biến mẫu không xác định" in result.output


def test_corrupt_ledger_line_is_reported_not_fatal(commune_project):
    with open(commune_project / "approvals.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n" + "x" * 100_000 + "\n")
    project = load_project(commune_project)
    assert [p.line for p in project.problems if "bản ghi phê duyệt hỏng" in str(p)] == [2, 3]
    assert select_week(project, WEEK).texts


# -- migration: unsigned projects ---------------------------------------------------------


def test_unsigned_project_keeps_working_and_check_warns_every_run(commune_project):
    edit_config(commune_project, "  require_signatures: true\n", "  require_signatures: false\n")
    write_announcement(commune_project, "cu")
    result = CliRunner().invoke(
        cli, ["approve", "cu", "--by", "Lê Văn Cường", "-p", str(commune_project)]
    )
    assert result.exit_code == 0, result.output
    assert "KHÔNG có chữ ký số" in result.output
    assert "sig" not in ledger_lines(commune_project)[-1]
    assert ("cu", "thon-1") in select_week(load_project(commune_project), WEEK).texts
    for _ in range(2):
        check = CliRunner().invoke(cli, ["check", "-p", str(commune_project), "--week", "2023-W08"])
        assert check.exit_code == 0, check.output
        assert (
            "CẢNH BÁO: dự án không yêu cầu chữ ký số (approvals.require_signatures: false)"
            in check.output
        )
    # a signed line is still verified in an unsigned project
    [good] = ledger_lines(commune_project)[:1]
    write_ledger(commune_project, [{**good, "by": "Người khác"}])
    assert (
        "chữ ký không khớp"
        in skipped(select_week(load_project(commune_project), WEEK), "hop-dan")[0]
    )


# -- the build: skipped with stage "approval"; exit 1 only for what went out before --------


def test_refused_approval_is_skipped_in_the_report_exit_0_when_never_built(
    commune_project, out_dir
):
    write_announcement(commune_project, "tu-duyet", author=BINH)
    approve_all(commune_project)
    code, report, output = build(commune_project, out_dir)
    assert code == 0, output
    [entry] = [s for s in report["skipped"] if s["announcement"] == "tu-duyet"]
    assert entry["stage"] == "approval" and "nguyên tắc bốn mắt" in entry["reason"]
    assert {a["announcement"] for a in report["artifacts"] if a["announcement"]} == {"hop-dan"}
    assert "Bỏ qua tu-duyet" in output


def test_refusing_what_was_built_last_time_exits_1(commune_project, out_dir):
    assert build(commune_project, out_dir)[0] == 0
    key = public_key_text(APPROVER_KEYS[BINH].public_key())
    edit_config(
        commune_project, f"    public_key: {key}\n", f"    public_key: {key}\n    revoked: true\n"
    )
    code, report, output = build(commune_project, out_dir)
    assert code == 1, output
    assert report["status"] != "ok"
    [failure] = report["failures"]
    assert (failure["announcement"], failure["stage"]) == ("hop-dan", "approval")
    assert "đã bị thu hồi" in failure["error"] and "đã được dựng ở lần trước" in failure["error"]
    assert [s["stage"] for s in report["skipped"] if s["announcement"] == "hop-dan"] == ["approval"]


def test_author_field_in_front_matter_is_validated(commune_project):
    write_announcement(commune_project, "x", author="[1, 2]")
    project = load_project(commune_project)
    assert any("author: phải là một chuỗi văn bản" in str(p) for p in project.problems)
    assert AUTHOR == "Lê Văn Soạn"
