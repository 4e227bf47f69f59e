"""A recorded voice as a first-class input (issue 14).

The "announcer" is a stand-in made here: a phrase spoken by the project's espeak
engine, with a second of room silence before it, more after it, and 40 Hz rumble
under all of it, written as a 44.1 kHz WAV (as a phone would) and converted to
MP3 / OGG / M4A with ffmpeg.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import decode_independently, measure

from tests.buildutil import WEEK, build
from tests.conftest import COMMUNE_CONFIG, approve_all, write_announcement
from truyenthanh.audio import recording as recorded
from truyenthanh.audio import recording_samples as samples
from truyenthanh.audio.codec import pcm16_to_float, resample
from truyenthanh.audio.encoders import ffmpeg_exe
from truyenthanh.project import load_project
from truyenthanh.speech.profiles import load_voice_profile
from truyenthanh.speech.registry import get_engine

PHRASE = "Bà con nhớ mang theo căn cước công dân khi đến bộ phận một cửa của xã."
BODY = "Bà con nhớ mang theo căn cước công dân khi đến bộ phận một cửa của xã."
FILE_RATE = 44_100
LEAD_S, TAIL_S = 1.0, 1.5
RUMBLE = 0.08  # amplitude of the 40 Hz hum: louder than the room, far below the voice


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """The phrase as espeak speaks it, at the file rate, trimmed of espeak's own silence."""
    clip = get_engine("espeak", load_voice_profile("central")).synthesize(PHRASE)
    x = resample(pcm16_to_float(clip.data), clip.sample_rate, FILE_RATE)
    loud = np.flatnonzero(np.abs(x) > 1e-3)
    return x[loud[0] : loud[-1] + 1] * 0.5


def phone_recording(voice: np.ndarray) -> np.ndarray:
    x = np.concatenate(
        [np.zeros(int(LEAD_S * FILE_RATE)), voice, np.zeros(int(TAIL_S * FILE_RATE))]
    )
    t = np.arange(len(x)) / FILE_RATE
    noise = np.random.default_rng(7).normal(0, 0.002, len(x))  # a quiet room
    return x + RUMBLE * np.sin(2 * np.pi * 40 * t) + noise


def write_wav(path: Path, x: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(FILE_RATE)
        w.writeframes(np.round(np.clip(x, -1, 0.9999) * 32767).astype("<i2").tobytes())
    return path


def convert(wav: Path, ext: str) -> Path:
    out = wav.with_suffix(ext)
    codec = {
        ".mp3": ["-c:a", "libmp3lame", "-b:a", "96k"],
        ".ogg": ["-c:a", "libvorbis"],
        ".m4a": ["-c:a", "aac", "-b:a", "96k"],
    }[ext]
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), *codec, str(out)], check=True
    )
    return out


def recorded_project(
    root: Path, recording: Path | None, *, body: str = BODY, repeat: int = 1, extra: str = ""
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "truyenthanh.yaml").write_text(COMMUNE_CONFIG, encoding="utf-8")
    if recording is not None:
        extra = f"recording: {recording.relative_to(root).as_posix()}\nrepeat: {repeat}\n" + extra
    write_announcement(
        root, "giay-to", body=body, title="Mang giấy tờ khi làm thủ tục", extra=extra
    )
    return root


def programme_audio(out: Path, report: dict, area: str) -> tuple[bytes, dict]:
    art = next(
        a
        for a in report["artifacts"]
        if a["kind"] == "audio" and a["area"] == area and a["announcement"] == "giay-to"
    )
    return (out / art["path"]).read_bytes(), art


def recipe_parts(root: Path, out: Path):
    from truyenthanh.selection import select_week
    from truyenthanh.stages.context import Context
    from truyenthanh.stages.programmes import recipes
    from truyenthanh.weeks import IsoWeek

    project = load_project(root)
    week = IsoWeek.parse(WEEK)
    ctx = Context(project, select_week(project, week), out, out / ".cache" / "speech", False)
    return recipes(ctx)


def test_recorded_announcement_builds_every_area_on_target(tmp_path, speech):
    root = tmp_path / "xa"
    wav = write_wav(root / "recordings" / "giay-to.wav", phone_recording(speech))
    recorded_project(root, wav)
    approve_all(root)
    out = tmp_path / "out"
    code, report, output = build(root, out)
    assert code == 0, output + str(report.get("failures"))
    for area in ("thon-1", "thon-2"):
        mp3, art = programme_audio(out, report, area)
        lufs, peak = measure(mp3, 22050)
        assert abs(lufs + 16) <= 0.5, (area, lufs)
        assert peak <= -1.0, (area, peak)
        assert (
            art["engine"] == "recording+espeak"
        )  # the announcer reads the body; espeak the title and closing
    assert not [n for n in report["notes"] if "ghi âm" in n], report[
        "notes"
    ]  # the right length: no warning

    parts = recipe_parts(root, out)[("giay-to", "thon-1")].parts
    kinds = [(p.kind, p.sound.name if p.sound else p.text) for p in parts if p.kind != "silence"]
    assert kinds[0] == ("sound", "ident") and kinds[-1] == ("sound", "closing")
    assert [k for k, _ in kinds].count("recording") == 2  # first reading + one repeat
    assert ("speech", "Xin nhắc lại.") in kinds
    assert (
        kinds[-2][0] == "speech" and "Một vừa phát xong" in kinds[-2][1]
    )  # the engine names the area
    # One recording segment, encoded once, shared by both areas.
    other = recipe_parts(root, out)[("giay-to", "thon-2")].parts
    assert {p.key for p in parts if p.kind == "recording"} == {
        p.key for p in other if p.kind == "recording"
    }


def test_duration_follows_the_recording_and_silence_is_trimmed(tmp_path, speech):
    """Twice the speech in the recording: the programme grows by the extra speech, once per reading."""
    durations = {}
    for name, voice in (
        ("once", speech),
        ("twice", np.concatenate([speech, np.zeros(FILE_RATE // 2), speech])),
    ):
        root = tmp_path / name
        wav = write_wav(root / "ghi-am.wav", phone_recording(voice))
        recorded_project(root, wav, repeat=1)
        approve_all(root)
        out = tmp_path / f"out-{name}"
        code, report, output = build(root, out)
        assert code == 0, output
        mp3, art = programme_audio(out, report, "thon-1")
        durations[name] = (len(decode_independently(mp3, 22050)) / 22050, len(voice) / FILE_RATE)
        seg = [
            p for p in recipe_parts(root, out)[("giay-to", "thon-1")].parts if p.kind == "recording"
        ][0]
        kept = samples.voice_seconds(seg.recording, 22050, 200)
        # The room silence (1 s + 1.5 s) is gone; the voice and a short breath around it stay.
        assert len(voice) / FILE_RATE <= kept <= len(voice) / FILE_RATE + 0.25, (
            kept,
            len(voice) / FILE_RATE,
        )
    grown = durations["twice"][0] - durations["once"][0]
    extra_voice = durations["twice"][1] - durations["once"][1]
    assert abs(grown - 2 * extra_voice) <= 0.15, (grown, extra_voice)


@pytest.mark.parametrize("ext", [".mp3", ".ogg", ".m4a"])
def test_phone_formats(tmp_path, speech, ext):
    root = tmp_path / "xa"
    wav = write_wav(root / "recordings" / "doc.wav", phone_recording(speech))
    rec = convert(wav, ext)
    wav.unlink()
    recorded_project(root, rec, repeat=0)
    approve_all(root)
    out = tmp_path / "out"
    code, report, output = build(root, out)
    assert code == 0, output + str(report.get("failures"))
    mp3, _art = programme_audio(out, report, "thon-2")
    lufs, peak = measure(mp3, 22050)
    assert abs(lufs + 16) <= 0.5 and peak <= -1.0, (ext, lufs, peak)


def test_changed_recording_voids_the_approval(tmp_path, speech):
    root = tmp_path / "xa"
    wav = write_wav(root / "ghi-am.wav", phone_recording(speech))
    recorded_project(root, wav)
    approve_all(root)
    project = load_project(root)
    ann = project.announcement("giay-to")
    assert project.ledger.verdict(ann).approved
    assert ann.recording_sha256 and ann.recording_sha256 in ann.canonical
    write_wav(wav, phone_recording(speech * 0.9))  # the announcer records it again
    project = load_project(root)
    verdict = project.ledger.verdict(project.announcement("giay-to"))
    assert not verdict.approved and verdict.tampered
    out = tmp_path / "out"
    code, report, _ = build(root, out)
    assert [s["announcement"] for s in report["skipped"]] == ["giay-to"]


def test_announcements_without_recording_keep_their_approval_hash(tmp_path):
    root = recorded_project(tmp_path / "xa", None)
    ann = load_project(root).announcement("giay-to")
    assert (
        "recording" not in ann.canonical
    )  # the hash approved before recordings existed still holds


def test_corrupt_recording_fails_that_item_only(tmp_path):
    root = tmp_path / "xa"
    recorded_project(root, None)  # a spoken item that must still build
    bad = root / "recordings" / "hong.mp3"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(np.random.default_rng(1).bytes(20_000))
    write_announcement(root, "hong", extra="recording: recordings/hong.mp3\n")
    approve_all(root)
    out = tmp_path / "out"
    code, report, output = build(root, out)
    assert code == 1, output
    failed = {(f["announcement"], f["area"]) for f in report["failures"]}
    assert failed == {("hong", "thon-1"), ("hong", "thon-2")}
    assert all("tệp ghi âm “recordings/hong.mp3”" in f["error"] for f in report["failures"])
    built = {a["announcement"] for a in report["artifacts"] if a["kind"] == "audio"}
    assert built == {"giay-to"}


def test_missing_recording_is_a_problem_of_that_announcement(tmp_path):
    root = recorded_project(tmp_path / "xa", None)
    write_announcement(root, "thieu", extra="recording: recordings/khong-co.wav\n")
    write_announcement(root, "ngoai", extra="recording: ../ngoai.wav\n")
    project = load_project(root)
    problems = {p.announcement: p.message for p in project.problems}
    assert "không tìm thấy tệp ghi âm" in problems["thieu"]
    assert "ngoài thư mục dự án" in problems["ngoai"] or "tương đối" in problems["ngoai"]
    assert [a.id for a in project.announcements] == ["giay-to"]


def test_far_too_short_recording_is_noted(tmp_path, speech):
    root = tmp_path / "xa"
    wav = write_wav(root / "ngan.wav", phone_recording(speech))
    long_body = "\n\n".join([BODY] * 4)  # the script takes four times as long to read
    recorded_project(root, wav, body=long_body)
    approve_all(root)
    out = tmp_path / "out"
    code, report, output = build(root, out)
    assert code == 0, output
    notes = [n for n in report["notes"] if "ngan.wav" in n]
    assert len(notes) == 2 and all("ngắn hơn nhiều" in n for n in notes), report["notes"]
    # The note stays while the file does: a second build reuses the programmes and says it again.
    code, report, _ = build(root, out)
    assert len([n for n in report["notes"] if "ngan.wav" in n]) == 2
    assert not [a for a in report["artifacts"] if a["kind"] == "audio" and a["built"]]


def test_recorded_title_and_area_closing_clip(tmp_path, speech):
    root = tmp_path / "xa"
    wav = write_wav(root / "ghi-am.wav", phone_recording(speech))
    recorded_project(root, wav, repeat=0, extra="recording_covers_title: true\n")
    write_wav(
        root / "voices" / "clips" / "thon-1-closing.wav", phone_recording(speech[: FILE_RATE * 2])
    )
    approve_all(root)
    out = tmp_path / "out"
    code, report, output = build(root, out)
    assert code == 0, output
    _mp3, one = programme_audio(out, report, "thon-1")
    _mp3, two = programme_audio(out, report, "thon-2")
    assert one["engine"] == "recording"  # the announcer's recording and the area's recorded closing
    assert (
        two["engine"] == "recording+espeak"
    )  # no clip for thôn Hai: espeak reads its closing line
    parts = recipe_parts(root, out)[("giay-to", "thon-1")].parts
    assert [p.kind for p in parts if p.kind in ("speech", "recording")] == [
        "recording",
        "recording",
    ]
    lufs, peak = measure(_mp3, 22050)
    assert abs(lufs + 16) <= 0.5 and peak <= -1.0


def test_trim_and_duration_rules():
    rate = 16_000
    voice = np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 0.3
    x = np.concatenate([np.zeros(rate), voice, np.zeros(2 * rate)]) + np.random.default_rng(
        2
    ).normal(0, 1e-3, 4 * rate)
    kept = samples.trim_silence(x, rate)
    assert 1.0 <= len(kept) / rate <= 1.0 + 2 * samples.TRIM_MARGIN_S + 0.02
    assert recorded.duration_note(10, 10, 2.0, "a.wav") is None
    assert "ngắn hơn nhiều" in recorded.duration_note(4, 10, 2.0, "a.wav")
    assert "dài hơn nhiều" in recorded.duration_note(25, 10, 2.0, "a.wav")
    assert recorded.estimated_seconds(["một hai ba", "bốn năm"], 150) == pytest.approx(2.0)
