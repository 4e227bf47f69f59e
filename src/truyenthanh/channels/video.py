"""The e-screen video: slides timed to the programme, H.264 + AAC in MP4 (ffmpeg of imageio-ffmpeg).

Made in two steps so the picture is encoded once per deck and size: the silent
variant (for boards without speakers) is the encode; the variant with sound
copies its video stream and adds the programme MP3 as AAC. Slides change only
at sentence starts, so the video runs at a low frame rate (FPS) with x264's
still-image tuning: a 3-minute programme is a few seconds of encoding.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from truyenthanh.channels.draw import ChannelError, png_bytes
from truyenthanh.channels.slides import Deck, paginate, render
from truyenthanh.channels.timeline import Reading, readings, sentence_times, spans

# Constant frame rate, low: slide changes land within 0.25 s of the sentence start, and LED-board
# players that choke on variable frame rates play it. Measured on the 2-core machine under load
# (3-minute programme): 4 fps veryfast 38 s, 2 fps veryfast 22 s, 2 fps ultrafast 12 s; ultrafast also
# drops CABAC and B-frames, which the cheapest hardware decoders like. Still slides cost almost nothing
# per frame, so the files stay small (~300 kb/s).
FPS = 2
ENCODER = "libx264"
X264 = [
    "-c:v",
    ENCODER,
    "-preset",
    "ultrafast",
    "-tune",
    "stillimage",
    "-crf",
    "20",
    "-pix_fmt",
    "yuv420p",
    "-level",
    "4.1",
    "-g",
    str(FPS * 10),
]
# 44.1 kHz, the rate every player takes; mono, as the programme is: the AAC encoder is the slow part of
# the mux (3-minute programme under load: 48 kHz stereo 17.1 s, 44.1 kHz mono 10.9 s, 22.05 kHz mono 7.4 s).
AAC = ["-c:a", "aac", "-b:a", "96k", "-ar", "44100", "-ac", "1"]


@dataclass(frozen=True)
class Soundtrack:
    """What the programme is made of, to time the slides: parts in playing order and where they meet."""

    parts: tuple[tuple[str, str], ...]  # (kind, text) per segment
    joins: tuple[int, ...]  # decoded sample offsets where parts meet
    rate: int
    duration_s: float
    spoken_title: str
    spoken_paragraphs: tuple[tuple[str, ...], ...]


def ffmpeg() -> str:
    from truyenthanh.audio.codec import ffmpeg_exe

    return ffmpeg_exe()


def schedule(deck: Deck, track: Soundtrack, w: int, h: int) -> list[tuple[float, str | int]]:
    """(time, slide) events: the title, then each page from its first sentence's start, the title again
    before each repeat, and the hotline slide from the end of the last reading."""
    timeline = spans(track.parts, track.joins, track.rate, track.duration_s)
    sentences = [s for p in track.spoken_paragraphs for s in p]
    found = readings(timeline, track.spoken_title, sentences)
    if not found:
        raise ChannelError(
            "Không tìm thấy lượt đọc nội dung trong chương trình để canh giờ các trang chiếu."
        )
    pages = paginate(deck, w, h)
    events: list[tuple[float, str | int]] = [(0.0, "title")]
    for n, reading in enumerate(found):
        starts = _page_starts(deck, pages, track, reading)
        if n > 0:
            events.append((found[n - 1].end, "title"))
        events += [(t, i) for i, t in enumerate(starts)]
    events.append((found[-1].end, "closing"))
    return events


def _page_starts(deck: Deck, pages, track: Soundtrack, reading: Reading) -> list[float]:
    times = sentence_times(deck.paragraphs, track.spoken_paragraphs, reading)
    starts = []
    for page in pages:
        first = page.pieces[0]
        start, end = times[first.para][first.sentence]
        same = [
            p
            for pg in pages
            for p in pg.pieces
            if (p.para, p.sentence) == (first.para, first.sentence)
        ]
        if len(same) > 1:  # a sentence cut across pages: share its time by characters
            total = sum(len(p.text) for p in same)
            before = sum(len(p.text) for p in same[: same.index(first)])
            start += (end - start) * before / total
        starts.append(start)
    return starts


def frames_of(
    events: Sequence[tuple[float, str | int]], duration_s: float
) -> list[tuple[str | int, int]]:
    """(slide, frame count) runs at FPS, boundaries on whole frames; total = round(duration * FPS)."""
    total = max(1, round(duration_s * FPS))
    marks = [min(total, round(t * FPS)) for t, _ in events] + [total]
    runs = []
    for (_t, slide), a, b in zip(events, marks, marks[1:]):
        if b > a:
            if runs and runs[-1][0] == slide:
                runs[-1] = (slide, runs[-1][1] + b - a)
            else:
                runs.append((slide, b - a))
    return runs


def silent_video(deck: Deck, track: Soundtrack, w: int, h: int) -> tuple[bytes, dict]:
    """The silent MP4 and what it shows when (metadata for the page and the tests)."""
    started = time.perf_counter()
    runs = frames_of(schedule(deck, track, w, h), track.duration_s)
    pages = paginate(deck, w, h)
    with tempfile.TemporaryDirectory(prefix="tt-slides-") as tmp:
        folder = Path(tmp)
        files = {}
        for slide in dict.fromkeys(s for s, _ in runs):
            name = f"s-{slide}.png"
            (folder / name).write_bytes(png_bytes(render(deck, w, h, slide)))
            files[slide] = name
        lines = ["ffconcat version 1.0"]
        for slide, count in runs:
            lines += [f"file {files[slide]}", f"duration {count / FPS:.6f}"]
        lines.append(f"file {files[runs[-1][0]]}")  # the concat demuxer needs the last file twice
        (folder / "list.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = folder / "v.mp4"
        total = sum(c for _, c in runs)
        _run(
            [
                ffmpeg(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(folder / "list.txt"),
                "-vf",
                f"fps={FPS}:round=near,format=yuv420p",
                "-frames:v",
                str(total),
                *X264,
                "-an",
                "-movflags",
                "+faststart",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                str(out),
            ],
            "mã hóa video",
        )
        data = out.read_bytes()
    shown, t = [], 0.0
    for slide, count in runs:
        shown.append(
            {
                "slide": slide if isinstance(slide, str) else f"page-{slide}",
                "start_s": round(t, 3),
                "end_s": round(t + count / FPS, 3),
                "lines": [list(b) for b in pages[slide].blocks] if isinstance(slide, int) else [],
            }
        )
        t += count / FPS
    meta = {
        "width": w,
        "height": h,
        "fps": FPS,
        "encoder": ENCODER,
        "duration_s": round(total / FPS, 3),
        "pages": len(pages),
        "slides": shown,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return data, meta


def with_sound(video: bytes, mp3: bytes) -> bytes:
    """The silent video's stream copied, the programme MP3 added as AAC."""
    with tempfile.TemporaryDirectory(prefix="tt-mux-") as tmp:
        folder = Path(tmp)
        (folder / "v.mp4").write_bytes(video)
        (folder / "a.mp3").write_bytes(mp3)
        out = folder / "av.mp4"
        _run(
            [
                ffmpeg(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(folder / "v.mp4"),
                "-i",
                str(folder / "a.mp3"),
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                "-c:v",
                "copy",
                *AAC,
                "-movflags",
                "+faststart",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                str(out),
            ],
            "ghép tiếng",
        )
        return out.read_bytes()


def _run(cmd: list[str], what: str) -> None:
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChannelError(f"ffmpeg không chạy được khi {what}: {exc}.") from None
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise ChannelError(f"ffmpeg báo lỗi khi {what}: {' | '.join(tail)}.")


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO = re.compile(r"Stream #\d+:\d+.*?: Audio: (\w+)")


def probe(data: bytes) -> dict:
    """Codec, size and duration of an MP4 from `ffmpeg -i` (the package ships no ffprobe)."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as fh:
        fh.write(data)
        fh.flush()
        proc = subprocess.run(
            [ffmpeg(), "-hide_banner", "-i", fh.name], capture_output=True, timeout=60
        )
    text = proc.stderr.decode("utf-8", "replace")
    d, v, a = _DURATION.search(text), _VIDEO.search(text), _AUDIO.search(text)
    return {
        "duration_s": int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3))
        if d
        else None,
        "video": v.group(1) if v else None,
        "width": int(v.group(2)) if v else None,
        "height": int(v.group(3)) if v else None,
        "audio": a.group(1) if a else None,
    }
