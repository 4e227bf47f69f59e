"""Incremental by content: each change rebuilds exactly what depends on it (issue 7)."""

from __future__ import annotations

from tests.buildutil import WEEK, build, built_paths


def rebuilt_after(project, out, change) -> set[str]:
    assert build(project, out)[0] == 0
    change()
    code, report, output = build(project, out)
    assert code == 0, output
    return built_paths(report) - {"index.html"}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed(print_project, out_dir):
    assert rebuilt_after(print_project, out_dir, lambda: None) == set()


def test_one_announcement_changed(print_project, out_dir):
    from tests.conftest import approve_all

    def change():
        edit(print_project / "announcements" / "hop-dan.md", "7h30", "8h00")
        approve_all(print_project)

    rebuilt = rebuilt_after(print_project, out_dir, change)
    w = WEEK
    assert rebuilt == {
        f"{w}/texts/hop-dan/thon-1.txt", f"{w}/texts/hop-dan/thon-2.txt",
        f"{w}/texts/hop-dan/thon-1.spoken.txt", f"{w}/texts/hop-dan/thon-2.spoken.txt",
        f"{w}/audio/thon-1/hop-dan.mp3", f"{w}/audio/thon-2/hop-dan.mp3",
        f"{w}/audio/thon-1/bulletin.mp3", f"{w}/audio/thon-2/bulletin.mp3",
        f"{w}/operator/thon-1.pdf", f"{w}/operator/thon-2.pdf",
        f"{w}/bundles/thon-1-{w}.zip", f"{w}/bundles/thon-2-{w}.zip",
    }  # and not the other notice's audio or any print file of it


def test_slots_changed_rebuilds_only_that_area(print_project, out_dir):
    rebuilt = rebuilt_after(print_project, out_dir,
                            lambda: edit(print_project / "truyenthanh.yaml", 'slots: ["06:00"]', 'slots: ["06:15"]'))
    # The operator script prints the slots, so it changes with them; no audio is re-encoded.
    assert rebuilt == {f"{WEEK}/operator/thon-2.pdf", f"{WEEK}/bundles/thon-2-{WEEK}.zip"}


def test_loudness_changed_rebuilds_audio_not_pdfs(print_project, out_dir):
    rebuilt = rebuilt_after(print_project, out_dir,
                            lambda: edit(print_project / "truyenthanh.yaml", "repeats: 0", "repeats: 0\n  loudness_lufs: -18"))
    assert not any(p.endswith(".pdf") for p in rebuilt)
    assert {p for p in rebuilt if p.endswith(".mp3")} == {
        f"{WEEK}/audio/{a}/{n}.mp3" for a in ("thon-1", "thon-2") for n in ("hop-dan", "dvc", "bulletin")
    }


def test_damaged_output_is_rebuilt(print_project, out_dir):
    def damage():
        target = out_dir / WEEK / "audio" / "thon-1" / "dvc.mp3"
        target.write_bytes(target.read_bytes()[:100])

    rebuilt = rebuilt_after(print_project, out_dir, damage)
    assert f"{WEEK}/audio/thon-1/dvc.mp3" in rebuilt
    assert f"{WEEK}/audio/thon-2/dvc.mp3" not in rebuilt


def test_speech_is_shared_across_areas(print_project, out_dir):
    _, report, _ = build(print_project, out_dir)
    # "dvc" reads the same in both villages: its sentences are segments made (and synthesised) once.
    audio = [a for a in report["artifacts"] if a["kind"] == "audio" and "/dvc.mp3" in a["path"]]
    assert len(audio) == 2
    made = list((out_dir / ".cache" / "segments").rglob("*.seg"))
    assert 0 < report["stats"]["tts_requests"] and len(made) < sum(a["segments"] for a in audio)
