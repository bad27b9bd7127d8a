"""A user's own .onnx file: checked before it is run, inputs read from the graph.

Checks, each with a message saying what to do: the file exists and is not too large for the free
memory, parses as ONNX, uses an opset ONNX Runtime can run, and has only tensor inputs of a type
the lab can fill. Symbolic dimensions take the values the user gives (`--dim sequence=128`); a
leading symbolic dimension is the batch size when not given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.errors import CapplanError

MAX_MODEL_BYTES = 1 << 30  # 1 GB, the upload limit
MEMORY_FACTOR = 3  # the protobuf, ORT's copy and its optimized graph live in memory at once
MIN_OPSET, INT_INPUT_HIGH = 7, 2  # ints are drawn from [0, 2): safe as ids, masks and indices
MAX_FEED_BYTES = 256 * 1024 * 1024  # all inputs of one batch together (a 4K image at batch 64 is ~200 MB)

_DTYPES: dict[int, type[np.generic]] = {
    1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32, 7: np.int64,
    9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64,
}


@dataclass(frozen=True)
class GraphInput:
    name: str
    elem_type: int
    dims: tuple[int | str, ...]  # int for fixed, str for symbolic ("?" when unnamed)

    @property
    def dtype(self) -> type[np.generic]:
        return _DTYPES[self.elem_type]


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    size_bytes: int
    opsets: dict[str, int]
    inputs: tuple[GraphInput, ...]

    @property
    def symbolic_dims(self) -> list[str]:
        return sorted({d for i in self.inputs for d in i.dims if isinstance(d, str)})

    def describe_inputs(self) -> str:
        return "; ".join(f"{i.name} {np.dtype(i.dtype).name}[{', '.join(str(d) for d in i.dims)}]" for i in self.inputs)


def available_memory_bytes() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def check_size(size_bytes: int, label: str) -> None:
    if size_bytes > MAX_MODEL_BYTES:
        raise CapplanError(f"{label} is {size_bytes / 1e9:.2f} GB; the lab takes models up to 1 GB")
    free = available_memory_bytes()
    if free is not None and size_bytes * MEMORY_FACTOR > free:
        raise CapplanError(f"{label} is {size_bytes / 1e6:,.0f} MB and needs about {size_bytes * MEMORY_FACTOR / 1e6:,.0f} MB "
                           f"of memory to load; only {free / 1e6:,.0f} MB are free. Close other work or use a smaller model")


def inspect_model(path: Path) -> ModelInfo:
    """Parse and check a user model; raise CapplanError with a clear message for anything it cannot run."""
    import onnx
    from google.protobuf.message import DecodeError

    label = path.name
    if not path.is_file():
        raise CapplanError(f"model file {path} does not exist")
    if path.suffix.lower() != ".onnx":
        raise CapplanError(f"{label} is not an .onnx file; export your model to ONNX first")
    size = path.stat().st_size
    check_size(size, label)
    try:
        model = onnx.load(str(path), load_external_data=False)
    except (DecodeError, ValueError, OSError, RuntimeError) as exc:
        raise CapplanError(f"{label} is not a readable ONNX model ({type(exc).__name__}); "
                           "check that the file is complete and really an ONNX export") from exc
    if not model.graph.node:
        raise CapplanError(f"{label} is not a readable ONNX model: its graph has no nodes")
    if any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer):
        raise CapplanError(f"{label} keeps its weights in external data files; save it as one file "
                           "(onnx.save_model(model, path, save_as_external_data=False))")
    opsets = {o.domain or "ai.onnx": int(o.version) for o in model.opset_import}
    core = opsets.get("ai.onnx")
    newest = onnx.defs.onnx_opset_version()
    if core is not None and not MIN_OPSET <= core <= newest:
        raise CapplanError(f"{label} uses opset {core}; ONNX Runtime here runs opsets {MIN_OPSET} to {newest}. "
                           "Re-export the model with a supported opset")
    initializers = {t.name for t in model.graph.initializer}
    inputs = []
    for value in model.graph.input:
        if value.name in initializers:
            continue  # an input with a default value (old exporters list weights as inputs)
        kind = value.type.WhichOneof("value")
        if kind != "tensor_type":
            raise CapplanError(f"{label}: input '{value.name}' is a {kind or 'untyped value'}; the lab can only feed "
                               "tensor inputs")
        elem = value.type.tensor_type.elem_type
        if elem not in _DTYPES:
            type_name = onnx.TensorProto.DataType.Name(elem) if elem else "undefined"
            raise CapplanError(f"{label}: input '{value.name}' has type {type_name}; the lab can feed float, int "
                               "and bool tensors")
        dims = tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
                     for d in value.type.tensor_type.shape.dim)
        inputs.append(GraphInput(value.name, elem, dims))
    if not inputs:
        raise CapplanError(f"{label} has no inputs to feed")
    return ModelInfo(path, size, opsets, tuple(inputs))


def _check_feed_size(info: ModelInfo, dims: dict[str, int], batch: int) -> None:
    """Refuse inputs larger than MAX_FEED_BYTES before allocating them (`seq=300000000` is 2.4 GB)."""
    total = 0
    for graph_input in info.inputs:
        elements = 1
        for position, dim in enumerate(graph_input.dims):
            elements *= batch if isinstance(dim, str) and dim not in dims and position == 0 else (
                dims[dim] if isinstance(dim, str) else max(int(dim), 1))
        total += elements * np.dtype(graph_input.dtype).itemsize
    if total > MAX_FEED_BYTES:
        raise CapplanError(f"{info.path.name}: the inputs at batch {batch} with {_dims_text(dims)} take "
                           f"{total / 1e6:,.0f} MB; the lab feeds at most {MAX_FEED_BYTES / 1e6:,.0f} MB per run. "
                           "Use smaller dimension sizes or batch")


def _dims_text(dims: dict[str, int]) -> str:
    return ", ".join(f"{k}={v:,}" for k, v in dims.items()) or "the model's fixed shapes"


def graph_feeds(info: ModelInfo, dims: dict[str, int]) -> Callable[[int], dict[str, npt.NDArray[np.generic]]]:
    """A feed maker: fixed-seed random inputs of each input's type, symbolic dims from `dims`."""
    for name, value in dims.items():
        if value < 1:
            raise CapplanError(f"dimension {name}={value}: sizes must be at least 1")
    unknown = [d for d in dims if d not in info.symbolic_dims]
    if unknown:
        known = ", ".join(info.symbolic_dims) or "none"
        raise CapplanError(f"{info.path.name} has no symbolic dimension {', '.join(unknown)} (its symbolic dimensions: {known})")
    missing: list[str] = []
    for graph_input in info.inputs:
        for position, dim in enumerate(graph_input.dims):
            if isinstance(dim, str) and dim not in dims and position > 0:
                missing.append(f"{graph_input.name}[{position}] '{dim}'")
    if missing:
        raise CapplanError(f"{info.path.name}: give a size for {', '.join(missing)} (e.g. --dim name=128); "
                           "only the leading dimension defaults to the batch size")

    def make(batch: int) -> dict[str, npt.NDArray[np.generic]]:
        _check_feed_size(info, dims, batch)
        rng = np.random.default_rng(0)
        feeds: dict[str, npt.NDArray[np.generic]] = {}
        for graph_input in info.inputs:
            lead = graph_input.dims[0] if graph_input.dims else None
            if batch > 1 and isinstance(lead, int) and lead != batch:
                raise CapplanError(f"{info.path.name}: input '{graph_input.name}' has a fixed leading dimension "
                                   f"{lead}, so it cannot run at batch {batch}; use batch 1 or export with a "
                                   "dynamic batch dimension")
            shape = [batch if isinstance(d, str) and d not in dims and position == 0
                     else (dims[d] if isinstance(d, str) else d) for position, d in enumerate(graph_input.dims)]
            dtype = graph_input.dtype
            if np.issubdtype(dtype, np.floating):
                feeds[graph_input.name] = rng.standard_normal(shape).astype(dtype)
            elif dtype is np.bool_:
                feeds[graph_input.name] = rng.integers(0, 2, shape).astype(np.bool_)
            else:
                feeds[graph_input.name] = rng.integers(0, INT_INPUT_HIGH, shape).astype(dtype)
        return feeds

    return make
