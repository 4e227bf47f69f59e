"""Shared helpers of the audio tests: a sample request and independent loudness measurement."""

from __future__ import annotations

import subprocess

import numpy as np

from truyenthanh.audio import ProgrammeRequest

BODY = (
    (
        "Thực hiện kế hoạch của Ủy ban nhân dân huyện Tây Sơn về tuyên truyền cải cách hành chính năm hai nghìn "
        "không trăm hai mươi ba.",
        "Bà con có thể nộp hồ sơ trực tuyến trên cổng dịch vụ công quốc gia.",
    ),
    ("Mọi thắc mắc xin liên hệ bộ phận một cửa của xã.",),
)


def make_request(**overrides) -> ProgrammeRequest:
    fields = dict(
        announcement_id="cchc-2023",
        title="Tuyên truyền cải cách hành chính năm 2023",
        area_name="xã Bình Hòa",
        station="Đài Truyền thanh xã Bình Hòa",
        week="2023-W08",
        date="2023-02-20",
        approval_sha256="a" * 64,
        spoken_paragraphs=BODY,
        spoken_title="Tuyên truyền cải cách hành chính năm hai nghìn không trăm hai mươi ba",
        repeats=1,
        priority="normal",
    )
    fields.update(overrides)
    return ProgrammeRequest(**fields)


def decode_independently(mp3: bytes, rate: int) -> np.ndarray:
    """Decode with ffmpeg directly (not through the code under test) to float samples at `rate`."""
    import imageio_ffmpeg

    out = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "mp3",
            "-i",
            "-",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-f",
            "f32le",
            "-",
        ],
        input=mp3,
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float64)


def measure(mp3: bytes, rate: int) -> tuple[float, float]:
    """(integrated LUFS by pyloudnorm, true peak dBTP by 4x oversampling) of an MP3."""
    import pyloudnorm
    from scipy.signal import resample_poly

    x = decode_independently(mp3, rate)
    lufs = pyloudnorm.Meter(rate).integrated_loudness(x)
    peak = 20 * np.log10(np.max(np.abs(resample_poly(x, 4, 1))))
    return float(lufs), float(peak)
