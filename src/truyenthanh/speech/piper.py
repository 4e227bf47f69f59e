"""Piper: a neural offline voice, from a voice file the officer installed.

Piper (the PyPI package `piper-tts`, GPL-3.0-or-later, optional extra
`truyenthanh[piper]`) speaks with a VITS model exported to ONNX: `NAME.onnx` plus
its config `NAME.onnx.json` (sample rate, espeak-ng voice for phonemes, phoneme id
map, inference scales). No Vietnamese voice ships inside a PyPI package and
nothing is ever downloaded here: the officer obtains a voice file, checks its
licence, and installs it with `truyenthanh voices add FILE.onnx --licence TEXT`,
which copies the model and its config into the project's `voices/piper/` and
records both files' sha256 and the licence in `voices/piper/index.json`.

A voice profile selects an installed voice with `piper: {voice: NAME, ...}`; the
voice is looked up in `piper/` beside the profile file (a project that uses piper
keeps its own copy of the profile in its `voices/`).

The model interface (piper's `PiperVoice.phoneme_ids_to_audio`): inputs `input`
(int64 [1, N] phoneme ids), `input_lengths` (int64 [1]), `scales` (float32
[noise, length, noise_w]) and, for multi-speaker voices, `sid` (int64 [1]); the
first output is the float waveform [1, 1, T] at the config's sample rate.

The cache identity covers the model's and the config's sha256, so replacing a
voice file (even under the same name) re-synthesises every phrase. Hashes are
memoised per (path, size, mtime): `cache_identity()` is asked once per phrase.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from truyenthanh.atomic import atomic_write_text
from truyenthanh.errors import EngineError, EngineUnavailable, UsageError
from truyenthanh.speech.base import AudioClip, EngineInfo
from truyenthanh.speech.profiles import PiperVoiceSettings, VoiceProfile

log = logging.getLogger(__name__)

NAME = "piper"
VOICES_SUBDIR = "piper"  # under a voices/ folder
INDEX_NAME = "index.json"
MODEL_SUFFIX = ".onnx"
_OUTPUT_VOLUME = 0.9  # piper peak-normalises each sentence; keep headroom for mastering

_MISSING = "thiếu gói Python piper-tts; cài thêm: pip install 'truyenthanh[piper]'"


# --- availability -------------------------------------------------------------------------------


def piper_availability() -> str | None:
    """None when piper-tts and onnxruntime import, else a Vietnamese reason."""
    try:
        import onnxruntime  # noqa: F401
        from piper import PiperVoice  # noqa: F401
    except ImportError:
        return _MISSING
    except Exception as exc:  # a broken native wheel must be a reason, not a crash
        return f"không nạp được piper-tts ({exc.__class__.__name__}: {exc})"
    return None


def piper_version() -> str:
    try:
        from importlib.metadata import version

        return version("piper-tts")
    except Exception:
        return "unknown"


# --- installed voices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InstalledVoice:
    name: str
    model: str  # file name inside voices/piper/
    config: str
    sha256: str  # of the model file
    config_sha256: str
    licence: str  # as the officer named it
    source: str  # the file name it was installed from
    added: str  # ISO 8601 UTC

    def model_path(self, folder: Path) -> Path:
        return folder / self.model


def voices_dir(project_root: Path) -> Path:
    return Path(project_root) / "voices" / VOICES_SUBDIR


def config_for(model: Path) -> Path | None:
    """The config beside a model: piper's `NAME.onnx.json`, else `NAME.json`."""
    for candidate in (model.with_name(model.name + ".json"), model.with_suffix(".json")):
        if candidate.is_file():
            return candidate
    return None


def read_index(folder: Path) -> dict[str, InstalledVoice]:
    path = folder / INDEX_NAME
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: InstalledVoice(**entry) for name, entry in raw.get("voices", {}).items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise UsageError(
            f"Tệp danh sách giọng {path} bị hỏng ({exc}); hãy cài lại giọng bằng truyenthanh voices add."
        ) from None


def _write_index(folder: Path, voices: dict[str, InstalledVoice]) -> None:
    body = {"voices": {name: asdict(v) for name, v in sorted(voices.items())}}
    atomic_write_text(folder / INDEX_NAME, json.dumps(body, ensure_ascii=False, indent=2) + "\n")


def install_voice(project_root: Path, model: Path, licence: str | None) -> InstalledVoice:
    """Copy `model` and its `.json` config into the project's voices/piper/ and record them."""
    model = Path(model)
    if not model.is_file():
        raise UsageError(f"Không tìm thấy tệp giọng {model}.")
    if model.suffix.lower() != MODEL_SUFFIX:
        raise UsageError(
            f"Tệp {model} không phải giọng piper: cần tệp .onnx (kèm tệp cấu hình .onnx.json)."
        )
    config = config_for(model)
    if config is None:
        raise UsageError(
            f"Thiếu tệp cấu hình của giọng {model.name}: cần tệp {model.name}.json nằm cạnh nó "
            "(tải cả hai tệp .onnx và .onnx.json của giọng)."
        )
    settings = _read_config(config)
    name = model.name[: -len(MODEL_SUFFIX)]
    from truyenthanh.speech.profiles import _PIPER_VOICE_NAME

    if not _PIPER_VOICE_NAME.match(name):
        raise UsageError(
            f"Tên giọng “{name}” không dùng được: chỉ dùng chữ, chữ số, “_”, “-”, “.”; hãy đổi tên tệp."
        )
    folder = voices_dir(project_root)
    folder.mkdir(parents=True, exist_ok=True)
    index = read_index(folder)
    dest_model, dest_config = (
        folder / f"{name}{MODEL_SUFFIX}",
        folder / f"{name}{MODEL_SUFFIX}.json",
    )
    if model.resolve() != dest_model.resolve():
        _copy(model, dest_model)
    if config.resolve() != dest_config.resolve():
        _copy(config, dest_config)
    voice = InstalledVoice(
        name=name,
        model=dest_model.name,
        config=dest_config.name,
        sha256=file_sha256(dest_model),
        config_sha256=file_sha256(dest_config),
        licence=(licence or "").strip() or "chưa ghi giấy phép",
        source=model.name,
        added=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    index[name] = voice
    _write_index(folder, index)
    log.info(
        "installed piper voice %s (%s Hz, sha256 %s)",
        name,
        settings.get("sample_rate"),
        voice.sha256,
    )
    return voice


def _copy(src: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)


def _read_config(config: Path) -> dict:
    """The parts of a piper config this project relies on; a Vietnamese error otherwise."""
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        out = {
            "sample_rate": int(data["audio"]["sample_rate"]),
            "espeak_voice": str(data["espeak"]["voice"]),
            "num_speakers": int(data.get("num_speakers", 1)),
        }
        if not isinstance(data["phoneme_id_map"], dict) or not data["phoneme_id_map"]:
            raise ValueError("phoneme_id_map rỗng")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"Tệp cấu hình giọng {config} không đúng định dạng của piper "
            f"(cần audio.sample_rate, espeak.voice, phoneme_id_map): {exc}."
        ) from None
    if not 8000 <= out["sample_rate"] <= 48000:
        raise UsageError(
            f"Tệp cấu hình giọng {config}: tần số lấy mẫu {out['sample_rate']} Hz không hợp lệ."
        )
    return out


_HASHES: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    st = path.stat()
    memo = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if memo not in _HASHES:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _HASHES[memo] = h.hexdigest()
    return _HASHES[memo]


# --- the engine ---------------------------------------------------------------------------------

_LOADED: dict[str, object] = {}  # model sha256 -> piper.PiperVoice, per process
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PiperEngine:
    model: str  # path of the .onnx file ("" when the profile names no voice)
    settings: PiperVoiceSettings = field(default_factory=PiperVoiceSettings)
    profile: str = ""  # for messages
    name: str = NAME

    @classmethod
    def from_profile(cls, profile: VoiceProfile) -> PiperEngine:
        """The profile's piper voice, looked up in `piper/` beside the profile file.

        Never raises: a profile without an installed voice gives an engine whose
        `synthesize` says what to do, so one misconfigured voice fails its items only.
        """
        model = ""
        if profile.piper.voice and profile.source:
            model = str(
                Path(profile.source).parent / VOICES_SUBDIR / f"{profile.piper.voice}{MODEL_SUFFIX}"
            )
        return cls(model, profile.piper, profile.name)

    @classmethod
    def from_file(
        cls, model: Path | str, settings: PiperVoiceSettings | None = None
    ) -> PiperEngine:
        return cls(str(model), settings or PiperVoiceSettings(), "")

    def availability(self) -> str | None:
        return piper_availability()

    def cache_identity(self) -> dict:
        path = Path(self.model) if self.model else None
        config = config_for(path) if path is not None and path.is_file() else None
        return {
            "engine": NAME,
            "library": f"piper-tts {piper_version()}",
            "voice": path.name[: -len(MODEL_SUFFIX)] if path else "",
            "sha256": file_sha256(path) if config is not None else "missing",
            "config_sha256": file_sha256(config) if config is not None else "missing",
            "length_scale": self.settings.length_scale,
            "noise_scale": self.settings.noise_scale,
            "noise_w_scale": self.settings.noise_w_scale,
        }

    def synthesize(self, phrase: str) -> AudioClip:
        voice = self._voice()
        from piper import SynthesisConfig

        syn = SynthesisConfig(
            length_scale=self.settings.length_scale,
            noise_scale=self.settings.noise_scale,
            noise_w_scale=self.settings.noise_w_scale,
            normalize_audio=True,
            volume=_OUTPUT_VOLUME,
        )
        try:
            chunks = list(voice.synthesize(phrase, syn_config=syn))
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EngineError(
                f"Giọng piper {Path(self.model).name} lỗi khi đọc câu “{phrase[:60]}” ({exc.__class__.__name__}). "
                "Tệp giọng có thể hỏng hoặc không phải giọng piper: cài lại bằng truyenthanh voices add."
            ) from None
        pcm = b"".join(c.audio_int16_bytes for c in chunks)
        if not pcm:
            raise EngineError(
                f"Giọng piper không tạo ra âm thanh cho câu “{phrase[:60]}”. Kiểm tra câu có chữ để đọc."
            )
        return AudioClip(pcm, "pcm_s16le", int(chunks[0].sample_rate))

    def _voice(self):
        reason = piper_availability()
        if reason is not None:
            raise EngineUnavailable(f"Bộ đọc piper không dùng được trên máy này: {reason}.")
        path = self._model_path()
        config = config_for(path)
        if config is None:
            raise EngineError(
                f"Thiếu tệp cấu hình {path.name}.json của giọng piper; cài lại bằng truyenthanh voices add."
            )
        digest = file_sha256(path)
        with _LOAD_LOCK:
            if digest not in _LOADED:
                _read_config(config)
                from piper import PiperVoice

                try:
                    _LOADED[digest] = PiperVoice.load(path, config_path=config)
                except Exception as exc:
                    raise EngineError(
                        f"Không nạp được giọng piper {path} ({exc.__class__.__name__}: {str(exc)[:120]}). "
                        "Tệp có thể hỏng: tải lại và cài bằng truyenthanh voices add."
                    ) from None
                log.debug("piper voice %s loaded (sha256 %s)", path, digest)
            return _LOADED[digest]

    def _model_path(self) -> Path:
        who = f"Hồ sơ giọng “{self.profile}”" if self.profile else "Bộ đọc piper"
        if not self.model:
            raise EngineError(
                f"{who} chưa chọn giọng piper. Cài giọng bằng truyenthanh voices add TỆP.onnx, rồi ghi "
                "“piper: {voice: TÊN-GIỌNG}” vào tệp voices/<hồ sơ>.yaml của dự án."
            )
        path = Path(self.model)
        if not path.is_file():
            raise EngineError(
                f"{who} chọn giọng piper “{path.name}” nhưng không có tệp {path}. "
                "Cài giọng bằng truyenthanh voices add TỆP.onnx (kèm tệp .onnx.json)."
            )
        return path


def _factory(profile: VoiceProfile) -> PiperEngine:
    return PiperEngine.from_profile(profile)


ENGINE_INFO = EngineInfo(
    NAME, "Piper (giọng nơ-ron ngoại tuyến, cần cài giọng)", _factory, piper_availability
)
