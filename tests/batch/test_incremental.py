"""Incremental by content: each change rebuilds exactly what depends on it (issue 7)."""

from __future__ import annotations

from tests.buildutil import WEEK, build, built_paths
from truyenthanh import layout
from truyenthanh.weeks import IsoWeek

W = IsoWeek.parse(WEEK)


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
        f"{w}/texts/hop-dan/thon-1.txt",
        f"{w}/texts/hop-dan/thon-2.txt",
        f"{w}/texts/hop-dan/thon-1.spoken.txt",
        f"{w}/texts/hop-dan/thon-2.spoken.txt",
        *(layout.programme_path(W, a, "hop-dan") for a in ("thon-1", "thon-2")),
        *(layout.daily_bulletin_path(W, a, d) for a in ("thon-1", "thon-2") for d in W.days()),
        *(layout.operator_path(W, a) for a in ("thon-1", "thon-2")),
        *(layout.bundle_path(W, a) for a in ("thon-1", "thon-2")),
        *(layout.feed_path(a) for a in ("thon-1", "thon-2")),  # the feeds list the new programmes
        *channel_files(
            "hop-dan", ("thon-1", "thon-2")
        ),  # its cards and posts (the text names the area)
    }  # and not the other notice's audio or any print file of it


def channel_files(ann: str, areas: tuple[str, ...]) -> set[str]:
    # (the scratch commune turns screen videos off: tests/channels covers their keys)
    return {
        p
        for a in areas
        for p in (
            layout.social_card_path(W, ann, 1080, 1080, a),
            layout.social_card_path(W, ann, 1080, 1350, a),
            layout.post_text_path(W, ann, a),
            layout.web_post_path(W, ann, a, "html"),
            layout.web_post_path(W, ann, a, "md"),
        )
    }


def test_slots_changed_rebuilds_only_that_area(print_project, out_dir):
    rebuilt = rebuilt_after(
        print_project,
        out_dir,
        lambda: edit(print_project / "truyenthanh.yaml", 'slots: ["06:00"]', 'slots: ["06:15"]'),
    )
    # The operator script prints the slots, so it changes with them; no audio is re-encoded.
    assert rebuilt == {layout.operator_path(W, "thon-2"), layout.bundle_path(W, "thon-2")}


def test_loudness_changed_rebuilds_audio_not_pdfs(print_project, out_dir):
    rebuilt = rebuilt_after(
        print_project,
        out_dir,
        lambda: edit(
            print_project / "truyenthanh.yaml", "repeats: 0", "repeats: 0\n  loudness_lufs: -18"
        ),
    )
    assert not any(p.endswith(".pdf") for p in rebuilt)
    assert {p for p in rebuilt if p.endswith(".mp3")} == {
        *(layout.programme_path(W, a, n) for a in ("thon-1", "thon-2") for n in ("hop-dan", "dvc")),
        *(layout.daily_bulletin_path(W, a, d) for a in ("thon-1", "thon-2") for d in W.days()),
    }


def test_damaged_output_is_rebuilt(print_project, out_dir):
    def damage():
        target = out_dir / layout.programme_path(W, "thon-1", "dvc")
        target.write_bytes(target.read_bytes()[:100])

    rebuilt = rebuilt_after(print_project, out_dir, damage)
    assert layout.programme_path(W, "thon-1", "dvc") in rebuilt
    assert layout.programme_path(W, "thon-2", "dvc") not in rebuilt


def test_speech_is_shared_across_areas(print_project, out_dir):
    _, report, _ = build(print_project, out_dir)
    # "dvc" reads the same in both villages: its sentences are segments made (and synthesised) once.
    audio = [a for a in report["artifacts"] if a["kind"] == "audio" and a["announcement"] == "dvc"]
    assert len(audio) == 2
    made = list((out_dir / ".cache" / "segments").rglob("*.seg"))
    programmes = [a for a in report["artifacts"] if a["kind"] == "audio"]
    uses = sum(a["segments"] for a in programmes)  # segment uses by the four programmes alone
    assert 0 < report["stats"]["tts_requests"] < uses and len(made) < uses
