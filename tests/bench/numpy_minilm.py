"""An independent numpy forward pass of all-MiniLM-L6-v2 (torch layout: y = x·Wᵀ + b), for the tests."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _linear(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    return x @ w[f"{name}.weight"].astype(np.float64).T + w[f"{name}.bias"]


def encode(w: dict, input_ids: np.ndarray, attention_mask: np.ndarray, token_type_ids: np.ndarray) -> np.ndarray:
    w = {k: v.astype(np.float64) for k, v in w.items()}
    batch, seq = input_ids.shape
    h = (w["embeddings.word_embeddings.weight"][input_ids] + w["embeddings.position_embeddings.weight"][:seq][None]
         + w["embeddings.token_type_embeddings.weight"][token_type_ids])
    h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    mask = attention_mask.astype(np.float64)
    bias = (1.0 - mask)[:, None, None, :] * -10000.0
    heads, dim = 12, 32
    for i in range(6):
        p = f"encoder.layer.{i}"

        def split(x: np.ndarray) -> np.ndarray:
            return x.reshape(batch, seq, heads, dim).transpose(0, 2, 1, 3)

        q, k, v = (split(_linear(h, w, f"{p}.attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dim) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, heads * dim)
        a = _layer_norm(_linear(ctx, w, f"{p}.attention.output.dense") + h,
                        w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"])
        inner = _linear(a, w, f"{p}.intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        h = _layer_norm(_linear(inner, w, f"{p}.output.dense") + a, w[f"{p}.output.LayerNorm.weight"],
                        w[f"{p}.output.LayerNorm.bias"])
    pooled = (h * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
