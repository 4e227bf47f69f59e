"""ID3v2.3 tags with mutagen: pydub's "comment" tag would land in a user-defined text frame,
not in COMM where players look for it.

`Tags` is part of what the main process plans; mutagen is loaded by the workers that write
tags (executor.WORKER_PRELOAD), not by the planner."""

from __future__ import annotations

import io
from dataclasses import dataclass

from truyenthanh.errors import AudioError


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str  # the station
    album: str  # area + ISO week
    date: str  # ISO date
    comment: str


def tag_mp3(mp3: bytes, tags: Tags) -> bytes:
    """`mp3` with `tags` (replacing any ID3 tag it has)."""
    if mp3[:3] != b"ID3":
        return id3_tag(tags) + mp3
    return _saved(tags, mp3)


def id3_tag(tags: Tags) -> bytes:
    """The ID3 tag alone: what mutagen puts before an untagged MP3's frames."""
    return _saved(tags, b"")


def _saved(tags: Tags, mp3: bytes) -> bytes:
    from mutagen.id3 import COMM, ID3, TALB, TDRC, TIT2, TLAN, TPE1, Encoding

    id3 = ID3()
    id3.add(TIT2(encoding=Encoding.UTF16, text=[tags.title]))
    id3.add(TPE1(encoding=Encoding.UTF16, text=[tags.artist]))
    id3.add(TALB(encoding=Encoding.UTF16, text=[tags.album]))
    id3.add(TDRC(encoding=Encoding.UTF16, text=[tags.date]))  # stored as TYER/TDAT in v2.3
    id3.add(COMM(encoding=Encoding.UTF16, lang="vie", desc="", text=[tags.comment]))
    id3.add(TLAN(encoding=Encoding.UTF16, text=["vie"]))
    buf = io.BytesIO(mp3)
    try:
        id3.save(buf, v2_version=3, padding=lambda info: 0)
    except Exception as exc:  # mutagen raises its own error types for odd input
        raise AudioError(f"Không ghi được thẻ ID3 vào MP3 ({exc}).") from None
    return buf.getvalue()
