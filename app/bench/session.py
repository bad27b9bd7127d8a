"""ONNX Runtime session knobs and session creation with errors a user can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from app.errors import CapplanError

OptLevel = Literal["disable", "basic", "extended", "all"]
ExecutionMode = Literal["sequential", "parallel"]
OPT_LEVELS: tuple[OptLevel, ...] = ("disable", "basic", "extended", "all")
EXECUTION_MODES: tuple[ExecutionMode, ...] = ("sequential", "parallel")


@dataclass(frozen=True)
class Knobs:
    """Session options. 0 threads = ONNX Runtime's default (one per core)."""

    intra_op_threads: int = 1
    inter_op_threads: int = 1
    graph_optimization: OptLevel = "all"
    execution_mode: ExecutionMode = "sequential"
    allow_spinning: bool = False  # off: spinning threads steal the shared cores from other work

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return (f"{self.intra_op_threads} intra-op / {self.inter_op_threads} inter-op threads, "
                f"opt {self.graph_optimization}, {self.execution_mode}, spinning {'on' if self.allow_spinning else 'off'}")


def session_options(knobs: Knobs, profile_prefix: Path | None = None) -> Any:
    from app.bench.ort import onnxruntime

    ort = onnxruntime()
    levels = {"disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
              "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
              "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
              "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL}
    options = ort.SessionOptions()
    options.intra_op_num_threads = knobs.intra_op_threads
    options.inter_op_num_threads = knobs.inter_op_threads
    options.graph_optimization_level = levels[knobs.graph_optimization]
    options.execution_mode = (ort.ExecutionMode.ORT_PARALLEL if knobs.execution_mode == "parallel"
                              else ort.ExecutionMode.ORT_SEQUENTIAL)
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if knobs.allow_spinning else "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "1" if knobs.allow_spinning else "0")
    options.log_severity_level = 3  # errors only: warnings would go to the server's stderr
    if profile_prefix is not None:
        options.enable_profiling = True
        options.profile_file_prefix = str(profile_prefix)
    return options


def create_session(path: Path, knobs: Knobs, profile_prefix: Path | None = None) -> Any:
    """An InferenceSession on the CPU provider; ORT's load errors become a CapplanError."""
    from app.bench.ort import onnxruntime

    ort = onnxruntime()
    try:
        return ort.InferenceSession(str(path), sess_options=session_options(knobs, profile_prefix),
                                    providers=["CPUExecutionProvider"])
    except Exception as exc:  # ORT raises its own Fail/InvalidGraph/NotImplemented types
        text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        hint = ("the model uses an operator or opset this ONNX Runtime does not implement; re-export it with an "
                "older opset" if "opset" in text.lower() or "not implemented" in text.lower()
                else "check that the file is a complete ONNX model")
        raise CapplanError(f"ONNX Runtime cannot load {path.name}: {text} ({hint})") from exc


def run_error(exc: Exception, model_name: str) -> CapplanError:
    text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return CapplanError(f"{model_name} failed to run on the generated inputs: {text}. Check the dimension "
                        "sizes you gave (and that the batch size fits a fixed leading dimension)")
