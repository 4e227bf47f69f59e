"""The e-screen video: slides timed to the programme, H.264 + AAC in MP4 (ffmpeg of imageio-ffmpeg).

The picture is never encoded here: each distinct slide was encoded once, as one
GOP, by the stills stage (channels/stills.py), and the silent variant (for boards
without speakers) is cut and joined from those GOPs, timed to the programme. The
variant with sound copies that video stream and adds the programme as AAC.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from truyenthanh import layout
from truyenthanh.audio.encoders import BITEXACT, ffmpeg_exe, run_ffmpeg
from truyenthanh.channels import mux, stills
from truyenthanh.channels.draw import ChannelError
from truyenthanh.channels.slides import Deck, paginate, slide_view
from truyenthanh.channels.stills import ENCODER, FPS, X264, encoder_identity, still_key
from truyenthanh.channels.timeline import Reading, readings, sentence_times, spans
from truyenthanh.entries import CacheReads

__all__ = [
    "ENCODER",
    "FPS",
    "X264",
    "Soundtrack",
    "encoder_identity",
    "silent_video",
    "with_sound",
    "probe",
]

log = logging.getLogger(__name__)

# 44.1 kHz, the rate every player takes; mono, as the programme is: the AAC encoder is the slow part of
# the mux (3-minute programme under load: 48 kHz stereo 17.1 s, 44.1 kHz mono 10.9 s, 22.05 kHz mono 7.4 s).
# ffmpeg's "fast" coder instead of the default "twoloop": a 5:45 bulletin, idle machine, 13.1 s -> 4.5 s;
# at 96 kb/s for one voice the two are not told apart (the test decodes it and checks the loudness).
AAC = ["-c:a", "aac", "-aac_coder", "fast", "-b:a", "96k", "-ar", "44100", "-ac", "1"]


@dataclass(frozen=True)
class Soundtrack:
    """What the programme is made of, to time the slides: parts in playing order and where they meet."""

    parts: tuple[tuple[str, str], ...]  # (kind, text) per segment
    joins: tuple[int, ...]  # decoded sample offsets where parts meet
    rate: int
    duration_s: float
    spoken_title: str
    spoken_paragraphs: tuple[tuple[str, ...], ...]


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


def silent_video(
    deck: Deck, track: Soundtrack, w: int, h: int, stills_read: CacheReads | None = None
) -> tuple[bytes, dict]:
    """The silent MP4 and what it shows when (metadata for the page and the tests).

    The picture is joined from each slide's GOP in the still cache (stages/stills.py made
    them; `stills_read` says where, and lets a remote worker get them shipped); a missing or
    damaged entry is encoded here instead.
    """
    cache_root = stills_read.root if stills_read is not None else None
    started = time.perf_counter()
    runs = frames_of(schedule(deck, track, w, h), track.duration_s)
    pages = paginate(deck, w, h)
    gops: dict[str | int, list[bytes]] = {}
    encoded = 0
    for slide in dict.fromkeys(s for s, _ in runs):
        view = slide_view(deck, w, h, slide)
        gops[slide] = _cached_gop(cache_root, still_key(view))
        if gops[slide] is None:
            encoded += 1
            gops[slide] = stills.unpack(stills.encode_still(view), still_key(view))
    total = sum(c for _, c in runs)
    data = stills.mp4(b"".join(stills.held(gops[slide], count) for slide, count in runs), total)
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
        "stills_encoded_here": encoded,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return data, meta


def _cached_gop(cache_root: str | None, key: str) -> list[bytes] | None:
    if cache_root is None:
        return None
    try:
        return stills.unpack((Path(cache_root) / layout.still_path(key)).read_bytes(), key)
    except (OSError, ChannelError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.info("still %s unusable (%s); encoding it again", key[:12], exc)
        return None


def with_sound(video: bytes, mp3: bytes) -> bytes:
    """The silent video's stream copied, the programme MP3 added as AAC."""
    with tempfile.TemporaryDirectory(prefix="tt-mux-") as tmp:
        folder = Path(tmp)
        (folder / "v.mp4").write_bytes(video)
        (folder / "a.mp3").write_bytes(mp3)
        out = folder / "av.mp4"
        run_ffmpeg(
            ["-y", "-i", str(folder / "v.mp4"), "-i", str(folder / "a.mp3")]
            + ["-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", *AAC]
            + ["-movflags", "+faststart", *BITEXACT, str(out)],
            what="Không ghép được tiếng vào video",
            error=ChannelError,
            timeout=1800,
            output=False,
        )
        return out.read_bytes()


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO = re.compile(r"Stream #\d+:\d+.*?: Audio: (\w+)")


def probe(data: bytes) -> dict:
    """Codec, size and duration of an MP4 from `ffmpeg -i` (the package ships no ffprobe)."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as fh:
        fh.write(data)
        fh.flush()
        proc = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-i", fh.name], capture_output=True, timeout=60
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


# --- the soundtrack from AAC encoded once per segment (audio/aac.py) ------------------------------


def with_soundtrack(
    video_path: str, track, cache_root: str | None, speech_cache: str
) -> tuple[bytes, dict]:
    """The silent video's stream copied + the programme's soundtrack joined from per-segment AAC
    packets (`audio.aac.AacTrack`), copied too: nothing is encoded here."""
    from truyenthanh.audio.aac import AacSource, soundtrack

    started = time.perf_counter()
    adts, meta = soundtrack(track, AacSource(cache_root, speech_cache))
    data = mux.mp4_with_sound(Path(video_path), adts, track.rate)
    return data, {**meta, "seconds": round(time.perf_counter() - started, 3)}
