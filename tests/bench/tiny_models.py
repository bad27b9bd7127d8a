"""Small ONNX files written with onnx.helper for the tests: a good one and each kind of bad one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def write_scale_model(path: Path, opset: int = 17, elem: int = TensorProto.FLOAT,
                      dims: tuple[str | int, ...] = ("batch", "features")) -> Path:
    """y = x · 2 (+ an int input summed, to show int feeding): x [batch, features] float."""
    x = helper.make_tensor_value_info("x", elem, list(dims))
    y = helper.make_tensor_value_info("y", elem, list(dims))
    two = numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")
    node = helper.make_node("Mul", ["x", "two"], ["y"])
    graph = helper.make_graph([node], "scale", [x], [y], initializer=[two])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save_model(model, str(path))
    return path


def write_string_input_model(path: Path) -> Path:
    x = helper.make_tensor_value_info("text", TensorProto.STRING, ["batch"])
    y = helper.make_tensor_value_info("out", TensorProto.STRING, ["batch"])
    graph = helper.make_graph([helper.make_node("Identity", ["text"], ["out"])], "strings", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save_model(model, str(path))
    return path
