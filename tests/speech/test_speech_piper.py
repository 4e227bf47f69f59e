"""The piper engine, through a tiny ONNX model of piper's interface built here (nothing downloaded).

The model takes what piper feeds a voice (`input` int64 [1, N] phoneme ids,
`input_lengths` int64 [1], `scales` float32 [3]) and returns a waveform [1, 1, N*HOP]
that depends on the ids, so the tests see real phonemisation by piper's espeak-ng
and real inference by onnxruntime.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

onnx = pytest.importorskip("onnx")
pytest.importorskip("piper")

from onnx import TensorProto, helper  # noqa: E402

from truyenthanh.cli import cli  # noqa: E402
from truyenthanh.errors import EngineError, UsageError  # noqa: E402
from truyenthanh.speech import piper as piper_engine  # noqa: E402
from truyenthanh.speech.profiles import PiperVoiceSettings, load_voice_profile  # noqa: E402

HOP = 256
RATE = 16_000  # not espeak's 22,050: the clip's rate must come from the voice's config


def tiny_model(path: Path, pitch: float = 0.37) -> Path:
    """A piper-shaped ONNX voice: audio = 0.5·sin(pitch·id), each id held for HOP samples."""
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["ids_f", "axis1"], ["ids_3d"]),  # [1, 1, N]
            helper.make_node("Unsqueeze", ["ids_3d", "axis3"], ["ids_4d"]),  # [1, 1, N, 1]
            helper.make_node("Tile", ["ids_4d", "repeats"], ["held"]),  # [1, 1, N, HOP]
            helper.make_node("Reshape", ["held", "out_shape"], ["wave_ids"]),  # [1, 1, N*HOP]
            helper.make_node("Mul", ["wave_ids", "pitch"], ["phase"]),
            helper.make_node("Sin", ["phase"], ["sine"]),
            helper.make_node("Mul", ["sine", "half"], ["output"]),
        ],
        "tiny_piper",
        [
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
        initializer=[
            helper.make_tensor("axis1", TensorProto.INT64, [1], [1]),
            helper.make_tensor("axis3", TensorProto.INT64, [1], [3]),
            helper.make_tensor("repeats", TensorProto.INT64, [4], [1, 1, 1, HOP]),
            helper.make_tensor("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
            helper.make_tensor("pitch", TensorProto.FLOAT, [], [pitch]),
            helper.make_tensor("half", TensorProto.FLOAT, [], [0.5]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # readable by every onnxruntime piper-tts accepts
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())
    return path


def tiny_config(model: Path) -> Path:
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    config = {
        "audio": {"sample_rate": RATE},
        "espeak": {"voice": "vi"},
        "phoneme_type": "espeak",
        "num_symbols": 256,
        "num_speakers": 1,
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
    }
    path = model.with_name(model.name + ".json")
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def voice_file(tmp_path) -> Path:
    (tmp_path / "download").mkdir()
    model = tiny_model(tmp_path / "download" / "vi_VN-tiny-x_low.onnx")
    tiny_config(model)
    return model


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


def samples(clip) -> np.ndarray:
    return np.frombuffer(clip.data, dtype=np.int16)


def test_engine_synthesises_through_the_model(voice_file):
    engine = piper_engine.PiperEngine.from_file(voice_file)
    assert engine.availability() is None
    short = engine.synthesize("Xin chào bà con.")
    long = engine.synthesize("Xin chào bà con xã Bình Nghi, hôm nay đài phát thông báo quan trọng.")
    assert short.format == "pcm_s16le" and short.sample_rate == RATE
    s, lg = samples(short), samples(long)
    # One HOP of samples per phoneme id: the shape the model returned, nothing invented around it.
    assert len(s) % HOP == 0 and len(lg) % HOP == 0
    assert len(lg) > 2 * len(s) > 0
    assert np.abs(s).max() > 20_000  # peak-normalised by piper, with headroom below full scale
    assert np.abs(s).max() < 32_000
    # The waveform follows the phoneme ids (different text, different sound), deterministically.
    assert not np.array_equal(s, lg[: len(s)])
    assert engine.synthesize("Xin chào bà con.").data == short.data


def test_cache_identity_covers_the_voice_files_hash(voice_file, tmp_path):
    engine = piper_engine.PiperEngine.from_file(voice_file)
    before = engine.cache_identity()
    assert before["engine"] == "piper" and before["voice"] == "vi_VN-tiny-x_low"
    assert before["sha256"] == piper_engine.file_sha256(voice_file)
    assert engine.cache_identity() == before

    tiny_model(voice_file, pitch=0.41)  # the same name, other weights
    after = engine.cache_identity()
    assert after["sha256"] != before["sha256"]
    assert {k for k in before if before[k] != after[k]} == {"sha256"}
    # ...and the new weights are the ones that speak.
    old = tiny_model(tmp_path / "old.onnx")
    tiny_config(old)
    assert (
        engine.synthesize("Xin chào.").data
        != piper_engine.PiperEngine.from_file(old).synthesize("Xin chào.").data
    )

    slower = piper_engine.PiperEngine.from_file(voice_file, PiperVoiceSettings(length_scale=1.2))
    assert slower.cache_identity()["length_scale"] == 1.2
    assert slower.cache_identity() != after


def test_a_corrupt_voice_file_is_a_vietnamese_engine_error(tmp_path):
    model = tmp_path / "hong.onnx"
    model.write_bytes(b"not an onnx model at all")
    tiny_config(model)
    with pytest.raises(EngineError) as err:
        piper_engine.PiperEngine.from_file(model).synthesize("Xin chào.")
    assert "Không nạp được giọng piper" in err.value.message


def test_profile_without_an_installed_voice_says_what_to_do(tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "central.yaml").write_text(
        "name: central\ndialect: central\npiper: {voice: vi_VN-chua-cai, length_scale: 1.1}\n",
        encoding="utf-8",
    )
    profile = load_voice_profile("central", tmp_path)
    assert profile.piper.voice == "vi_VN-chua-cai" and profile.piper.length_scale == 1.1
    engine = piper_engine.ENGINE_INFO.factory(profile)
    assert engine.cache_identity()["sha256"] == "missing"
    with pytest.raises(EngineError) as err:
        engine.synthesize("Xin chào.")
    assert "truyenthanh voices add" in err.value.message and "vi_VN-chua-cai" in err.value.message
    with pytest.raises(EngineError, match="chưa chọn giọng piper"):
        piper_engine.ENGINE_INFO.factory(load_voice_profile("northern", tmp_path)).synthesize(
            "Xin chào."
        )


@pytest.mark.parametrize(
    "bad, message",
    [
        ("piper: {length_scale: 5}", "piper.length_scale"),
        ("piper: {voice: 'a b/c'}", "piper.voice"),
        ("piper: {speed: 1}", "khóa lạ “piper.speed”"),
    ],
)
def test_bad_piper_section_is_reported(tmp_path, bad, message):
    from truyenthanh.errors import VoiceProfileError

    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "x.yaml").write_text(
        f"name: x\ndialect: north\n{bad}\n", encoding="utf-8"
    )
    with pytest.raises(VoiceProfileError, match=message):
        load_voice_profile("x", tmp_path)


def test_voices_add_refuses_a_file_without_its_json(tmp_path, project):
    model = tiny_model(tmp_path / "le-loi.onnx")
    with pytest.raises(UsageError) as err:
        piper_engine.install_voice(project, model, "CC BY 4.0")
    assert "Thiếu tệp cấu hình" in err.value.message and "le-loi.onnx.json" in err.value.message
    assert not (project / "voices" / "piper").exists()

    result = CliRunner().invoke(cli, ["voices", "add", str(model), "-p", str(project)])
    assert result.exit_code == 2
    assert "Thiếu tệp cấu hình" in result.output and "Traceback" not in result.output
    assert not (project / "voices" / "piper").exists()

    outside = CliRunner().invoke(
        cli, ["voices", "add", str(model), "-p", str(tmp_path / "khong-co")]
    )
    assert outside.exit_code == 2 and "không phải thư mục dự án" in outside.output


def test_voices_add_installs_and_the_listing_and_engine_use_it(voice_file, tmp_path, project):
    result = CliRunner().invoke(
        cli,
        [
            "voices",
            "add",
            str(voice_file),
            "--licence",
            "CC BY 4.0 (thử nghiệm)",
            "-p",
            str(project),
        ],
    )
    assert result.exit_code == 0, result.output
    folder = project / "voices" / "piper"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))["voices"][
        "vi_VN-tiny-x_low"
    ]
    assert index["sha256"] == piper_engine.file_sha256(voice_file)
    assert index["licence"] == "CC BY 4.0 (thử nghiệm)"
    assert (folder / "vi_VN-tiny-x_low.onnx").read_bytes() == voice_file.read_bytes()
    assert (folder / "vi_VN-tiny-x_low.onnx.json").is_file()

    listing = CliRunner().invoke(cli, ["voices", "-p", str(project)])
    assert listing.exit_code == 0, listing.output
    assert "espeak" in listing.output and "piper" in listing.output and "gtts" in listing.output
    assert "vi_VN-tiny-x_low" in listing.output and "CC BY 4.0 (thử nghiệm)" in listing.output
    assert index["sha256"][:12] in listing.output

    # A project profile selecting the installed voice speaks with it.
    (project / "voices" / "central.yaml").write_text(
        "name: central\ndialect: central\npiper: {voice: vi_VN-tiny-x_low}\n", encoding="utf-8"
    )
    engine = piper_engine.ENGINE_INFO.factory(load_voice_profile("central", project))
    assert engine.cache_identity()["sha256"] == index["sha256"]
    assert engine.synthesize("Xin chào bà con.").sample_rate == RATE

    # A voice file changed after installation is flagged in the listing.
    shutil.copyfile(
        tiny_model(tmp_path / "other.onnx", pitch=0.9), folder / "vi_VN-tiny-x_low.onnx"
    )
    listing = CliRunner().invoke(cli, ["voices", "-p", str(project)])
    assert "đã bị thay đổi" in listing.output


def test_check_names_the_engine_and_voice_of_every_area(project):
    result = CliRunner().invoke(cli, ["check", "-p", str(project), "--week", "2023-W08"])
    assert result.exit_code == 0, result.output
    from truyenthanh.project import load_project

    areas = load_project(project).config.areas
    lines = [line.strip() for line in result.output.splitlines()]
    for area in areas:
        assert any(line.startswith(f"{area.id}: espeak (giọng ") for line in lines), area.id
