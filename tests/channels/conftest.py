"""A scratch commune built once for the channel tests (videos take a few seconds to encode)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.buildutil import WEEK, build
from tests.conftest import COMMUNE_CONFIG, approve_all, write_announcement

# The same text in every village: one district-wide set of files. Three paragraphs, a list,
# stacked diacritics (Ễ, ặ, ữ) and a phone number that must stay on one line.
SHARED_BODY = """\
Từ ngày 20/02/2023, người dân có thể nộp hồ sơ trực tuyến. Kết quả được trả ngay trên điện thoại.

Bà con cần chuẩn bị căn cước công dân. Nếu chưa có tài khoản, hãy đến Bộ phận một cửa để được hướng dẫn miễn phí. Cán bộ sẽ giúp bà con đăng ký tài khoản và nộp thử một hồ sơ.

- Nộp lệ phí qua ngân hàng hoặc ví điện tử.
- Nhận kết quả tại nhà qua bưu điện.

Mọi vướng mắc xin gọi đường dây nóng 0269 3880 111. Xin trân trọng thông báo."""


def write_project(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "truyenthanh.yaml").write_text(
        COMMUNE_CONFIG.replace("screens: false", "screens: true"), encoding="utf-8"
    )
    write_announcement(
        root,
        "dich-vu-cong",
        SHARED_BODY,
        title='"Dịch vụ công trực tuyến: nộp hồ sơ không cần đến trụ sở"',
        priority="priority",
        extra="summary: Nộp hồ sơ, theo dõi kết quả và nộp phí ngay trên điện thoại.\n"
        "url: https://dichvucong.gov.vn\n",
    )
    write_announcement(root, "hop-dan")  # names the village: a set per area
    approve_all(root)
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Path, dict]:
    base = tmp_path_factory.mktemp("channels")
    project = write_project(base / "xa")
    out = base / "out"
    code, report, output = build(project, out)
    assert code == 0, output
    return project, out, report


def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def probe(path: Path) -> dict:
    """Streams and duration from `ffmpeg -i` stderr (imageio-ffmpeg ships no ffprobe)."""
    text = subprocess.run(
        [ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr
    dur = re.search(r"Duration: (\d+):(\d+):(\d+\.\d+)", text)
    video = re.search(r"Stream #0:\d+.*?: Video: (\w+).*?, (\d+)x(\d+)", text)
    audio = re.search(r"Stream #0:\d+.*?: Audio: (\w+)", text)
    return {
        "duration": int(dur[1]) * 3600 + int(dur[2]) * 60 + float(dur[3]),
        "video": video and (video[1], int(video[2]), int(video[3])),
        "audio": audio and audio[1],
    }


def frame_at(path: Path, seconds: float, tmp: Path) -> Image.Image:
    png = tmp / f"frame-{seconds:.3f}.png"
    subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-y",
            "-ss",
            f"{seconds:.3f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            str(png),
        ],
        check=True,
    )
    return Image.open(png).convert("RGB")


__all__ = ["WEEK", "SHARED_BODY", "built", "frame_at", "probe"]
