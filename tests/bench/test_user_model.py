"""User .onnx files: inputs read from the graph, and a clear message for each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.bench.runner import Run, RunRequest
from app.bench.store import ResultStore
from app.bench.uploads import list_uploads, safe_name, save_upload
from app.bench.user_model import graph_feeds, inspect_model
from app.errors import CapplanError
from tests.bench.tiny_models import write_scale_model, write_string_input_model


def test_inputs_and_symbolic_dims_come_from_the_graph(tmp_path: Path) -> None:
    info = inspect_model(write_scale_model(tmp_path / "scale.onnx"))
    assert info.symbolic_dims == ["batch", "features"]
    assert info.describe_inputs() == "x float32[batch, features]"
    feeds = graph_feeds(info, {"features": 7})(3)
    assert feeds["x"].shape == (3, 7) and feeds["x"].dtype == np.float32


def test_missing_dimension_is_named(tmp_path: Path) -> None:
    info = inspect_model(write_scale_model(tmp_path / "scale.onnx"))
    with pytest.raises(CapplanError, match=r"give a size for x\[1\] 'features'"):
        graph_feeds(info, {})
    with pytest.raises(CapplanError, match="no symbolic dimension width"):
        graph_feeds(info, {"features": 2, "width": 3})


@pytest.mark.parametrize(("content", "message"), [
    (b"this is not a model at all", "not a readable ONNX model"),
    (b"", "not a readable ONNX model"),
])
def test_corrupt_files_get_a_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.onnx"
    path.write_bytes(content)
    with pytest.raises(CapplanError, match=message):
        inspect_model(path)


def test_truncated_model_is_refused(tmp_path: Path) -> None:
    good = write_scale_model(tmp_path / "good.onnx").read_bytes()
    path = tmp_path / "cut.onnx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(CapplanError, match="not a readable ONNX model"):
        inspect_model(path)


def test_unsupported_opset_and_input_type(tmp_path: Path) -> None:
    with pytest.raises(CapplanError, match="uses opset 99"):
        inspect_model(write_scale_model(tmp_path / "future.onnx", opset=99))
    with pytest.raises(CapplanError, match="input 'text' has type STRING"):
        inspect_model(write_string_input_model(tmp_path / "strings.onnx"))


def test_not_onnx_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "model.pt").write_bytes(b"torch")
    with pytest.raises(CapplanError, match=r"not an \.onnx file"):
        inspect_model(tmp_path / "model.pt")
    with pytest.raises(CapplanError, match="does not exist"):
        inspect_model(tmp_path / "nothing.onnx")


def test_too_large_for_free_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The one stand-in: the machine's free memory (not our code) is set small.
    import app.bench.user_model as user_model

    monkeypatch.setattr(user_model, "available_memory_bytes", lambda: 100)
    with pytest.raises(CapplanError, match="only 0 MB are free"):
        inspect_model(write_scale_model(tmp_path / "scale.onnx"))


def test_a_user_model_runs_end_to_end_and_is_stored(tmp_path: Path) -> None:
    model = write_scale_model(tmp_path / "scale.onnx")
    record = Run(RunRequest(model="file", file=model, dims=(("features", 16),), mode="single", iterations=30,
                            warmup=2, duration_s=None), tmp_path / "data").execute()
    assert record["status"] == "complete"
    assert record["model"]["input_shapes"] == {"x": [1, 16]}
    assert record["results"]["single_stream"]["summary"]["count"] == 30


def test_bad_user_model_leaves_no_record(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage")
    data = tmp_path / "data"
    with pytest.raises(CapplanError):
        Run(RunRequest(model="file", file=bad, iterations=5, duration_s=None), data).execute()
    assert ResultStore(data / "bench" / "runs").run_ids() == []
    # a model whose fixed leading dimension cannot take batch 4 fails before anything is stored
    fixed = write_scale_model(tmp_path / "fixed.onnx", dims=(1, 8))
    with pytest.raises(CapplanError, match="fixed leading dimension 1, so it cannot run at batch 4"):
        Run(RunRequest(model="file", file=fixed, batch_size=4, iterations=5, duration_s=None), data).execute()
    assert ResultStore(data / "bench" / "runs").run_ids() == []


def test_uploads_are_checked_and_kept_inside_the_data_folder(tmp_path: Path) -> None:
    good = write_scale_model(tmp_path / "scale.onnx")
    with good.open("rb") as stream:
        path, _info = save_upload("../../etc/evil name.onnx", good.stat().st_size, stream, tmp_path)
    assert path.parent == tmp_path / "uploads" and path.name == "evil_name.onnx"
    assert safe_name("..") == "model.onnx"
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"nope")
    with bad.open("rb") as stream, pytest.raises(CapplanError, match="not a readable ONNX model"):
        save_upload("bad.onnx", 4, stream, tmp_path)
    assert [p.name for p in list_uploads(tmp_path)] == ["evil_name.onnx"]  # no half-written upload left
