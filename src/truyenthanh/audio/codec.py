"""Sample arrays in and out: WAV files, engine clips and MP3.

Signals inside the audio stage are mono float64 numpy arrays in [-1, 1] at one
sample rate. MP3 is encoded in this process with LAME (lameenc) and decoded with
PyAV (FFmpeg's mp3float); everything else (AAC, video, recordings in any format)
goes through imageio-ffmpeg's binary (`encoders.run_ffmpeg`), which ships no ffprobe.
"""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path

import numpy as np

from truyenthanh.audio import dsp
from truyenthanh.audio.encoders import LAME_QUALITY, lameenc, pyav
from truyenthanh.errors import AudioError
from truyenthanh.speech.base import AudioClip

log = logging.getLogger(__name__)


def resample(x: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target or len(x) == 0:
        return x
    return dsp.resample(x, target, rate)


def pcm16_to_float(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def float_to_pcm16(x: np.ndarray) -> bytes:
    return np.round(np.clip(x, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()


# Measured: LAME scales its input by 0.95 (-0.446 dB) at every rate and bitrate; whoever
# levels before encoding raises the samples by the inverse so the MP3 lands on target.
LAME_SCALE = 0.95


def encode_mp3(x: np.ndarray, rate: int, bitrate_kbps: int) -> bytes:
    """Mono CBR MP3 frames, encoded in this process: no Xing/Info frame, no tags.

    One independent stream (LAME starts with an empty bit reservoir), at the input's rate (LAME
    would otherwise pick its own). In-process through lameenc rather than the ffmpeg program:
    5.0 ms per second of speech against 10.5 ms through a process per segment (30 sample
    segments; same LAME and quality; the bytes differ a little, the level not: both scale by
    LAME_SCALE).
    """
    if rate < 32000 and bitrate_kbps > 160:
        raise AudioError(
            f"Bitrate {bitrate_kbps} kbps không dùng được với tần số {rate} Hz (MP3 dưới 32 kHz tối đa 160 kbps): "
            "hãy giảm bitrate_kbps hoặc tăng sample_rate trong phần audio của truyenthanh.yaml."
        )
    encoder = lameenc().Encoder()
    try:
        encoder.silence()
        encoder.set_channels(1)
        encoder.set_in_sample_rate(rate)
        encoder.set_out_sample_rate(rate)
        encoder.set_bit_rate(bitrate_kbps)
        encoder.set_quality(LAME_QUALITY)
        return bytes(encoder.encode(float_to_pcm16(x))) + bytes(encoder.flush())
    except RuntimeError as exc:
        raise AudioError(
            f"Không mã hóa được MP3 ({rate} Hz, {bitrate_kbps} kbps): {exc}."
        ) from None


def decode_mp3(data: bytes, what: str = "MP3") -> tuple[np.ndarray, int]:
    """Decode MP3 bytes to (mono float samples, sample rate), in this process (PyAV).

    A build decodes every segment it encodes, to measure it: in-process this takes ~5 ms for
    6 s of speech, against ~35 ms through an ffmpeg process.

    Every frame decodes to its samples, the encoder's delay included (there is no gapless
    trimming without a LAME tag, and ours carry none): a segment of n frames is n frames
    of samples, which is what joining frames relies on.
    """
    from truyenthanh.audio.frames import stream_format

    failed = f"Không giải mã được {what}: tệp MP3 hỏng hoặc không phải MP3"
    try:
        rate = stream_format(data).sample_rate
    except AudioError as exc:
        raise AudioError(f"{failed} ({exc.message}).") from None
    av = pyav()
    blocks: list[np.ndarray] = []
    try:
        # The mp3 demuxer, as the ffmpeg program would: ID3 tags and the Info frame are skipped.
        with av.open(io.BytesIO(data), format="mp3") as container:
            for frame in container.decode(audio=0):
                blocks.append(_mono(frame))
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise AudioError(f"{failed} ({exc}).") from None
    if not blocks:
        raise AudioError(f"{failed} (không có khung âm thanh nào).")
    return np.concatenate(blocks).astype(np.float64), rate


def _mono(frame) -> np.ndarray:
    """A decoded frame's samples, channels averaged. FFmpeg's MP3 decoder gives planar float:
    its planes are read as they are (`to_ndarray` stacks them first: a third of the decode
    time of a short segment, which is ~1,100 frames a minute)."""
    if frame.format.name != "fltp":
        samples = frame.to_ndarray()
        return samples.mean(axis=0) if samples.shape[0] > 1 else samples[0]
    planes = [np.frombuffer(plane, np.float32, frame.samples) for plane in frame.planes]
    return planes[0] if len(planes) == 1 else np.mean(planes, axis=0)


def read_wav(path: Path, rate: int, what: str) -> np.ndarray:
    """A WAV file as mono float samples at `rate`."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, src_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(
            f"Không đọc được {what} {path}: {exc}. Hãy tạo lại bằng scripts/make-idents."
        ) from None
    if width != 2:
        raise AudioError(f"{what} {path} phải là WAV PCM 16 bit (tệp này {8 * width} bit).")
    x = pcm16_to_float(frames[: len(frames) - len(frames) % (2 * channels)])
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    if len(x) == 0:
        raise AudioError(f"{what} {path} không có âm thanh.")
    return resample(x, src_rate, rate)


def clip_to_array(clip: AudioClip, rate: int) -> np.ndarray:
    if clip.format == "pcm_s16le":
        return resample(pcm16_to_float(clip.data), clip.sample_rate, rate)
    x, src_rate = decode_mp3(clip.data, "âm thanh của bộ đọc")
    return resample(x, src_rate, rate)
