"""Observed Azure OpenAI latency per deployment: time to first token and output tokens per second.

Azure Monitor reports per interval: AzureOpenAITimeToResponse (mean time until the first byte of the
response, measured at the gateway; for streaming requests the time to first token, for
non-streaming ones the whole response), AzureOpenAINormalizedTBTInMS (mean time between tokens of
streaming responses), AzureOpenAITTLTInMS (mean time to last byte), request counts and generated
tokens. Source: Azure Monitor supported metrics for Microsoft.CognitiveServices/accounts.

- TTFT p50 / p95: the request-weighted percentiles of the per-interval means. Each interval's mean
  stands for its requests (the inverse of the weighted empirical CDF, lower value at a tie); a
  percentile over requests cannot be rebuilt exactly from interval means, so this is the spread of
  typical latency across the window, not of single requests.
- Output tokens per second = 1000 / TBT, with TBT the generated-token-weighted mean of the
  per-interval time between tokens (a mean time per token, so tokens/s is its reciprocal).
  Without a TBT series: TBT_i = (TTLT_i − TTFT_i) / (C_i − 1), C_i the mean completion tokens per
  request of the interval (the first token arrives at TTFT, the C − 1 others follow one TBT apart).

`AoaiLatencyOverride` is the shape of a per-option latency override (time to first token and
generation speed) that a latency model of Azure OpenAI options can take.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def weighted_percentile(values: FloatArray, weights: FloatArray, q: float) -> float | None:
    """The smallest value whose cumulative weight reaches q% of the total (q in 0-100).

    Intervals where the value or weight is missing, or the weight is not positive, are skipped."""
    ok = ~np.isnan(values) & ~np.isnan(weights) & (weights > 0)
    if not ok.any():
        return None
    order = np.argsort(values[ok], kind="stable")
    v, w = values[ok][order], weights[ok][order]
    cumulative = np.cumsum(w) / float(np.sum(w))
    index = int(np.searchsorted(cumulative, q / 100.0 - 1e-12, side="left"))
    return float(v[min(index, v.size - 1)])


def weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    ok = ~np.isnan(values) & ~np.isnan(weights) & (weights > 0)
    if not ok.any():
        return None
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok]))


def tokens_per_second_from_tbt(tbt_ms: FloatArray, completion_tokens: FloatArray) -> float | None:
    """1000 / (generated-token-weighted mean TBT in ms)."""
    mean_tbt = weighted_mean(tbt_ms, completion_tokens)
    return None if mean_tbt is None or mean_tbt <= 0 else 1000.0 / mean_tbt


def tbt_from_ttlt(ttlt_ms: FloatArray, ttft_ms: FloatArray, completion_tokens: FloatArray,
                  requests: FloatArray) -> FloatArray:
    """Per-interval TBT = (TTLT − TTFT) / (C − 1), C = completion tokens / requests; NaN where C ≤ 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_request = completion_tokens / requests
        tbt = (ttlt_ms - ttft_ms) / (per_request - 1.0)
    return np.where((per_request > 1.0) & (ttlt_ms >= ttft_ms), tbt, np.nan)


@dataclass(frozen=True)
class AoaiLatencyOverride:
    """A per-option Azure OpenAI latency override: time to first token and generation speed."""

    ttft_ms: float
    tokens_per_second: float

    def as_dict(self) -> dict[str, float]:
        return {"ttft_ms": round(self.ttft_ms, 1), "tokens_per_second": round(self.tokens_per_second, 1)}


@dataclass(frozen=True)
class AoaiObservedLatency:
    """TTFT percentiles and output tokens per second of one deployment over a window."""

    ttft_p50_ms: float | None
    ttft_p95_ms: float | None
    tokens_per_second: float | None
    tokens_per_second_from: str  # "time between tokens", "time to last byte", or "" when unknown
    intervals: int  # intervals with a TTFT value

    @property
    def override(self) -> AoaiLatencyOverride | None:
        """The typical latency (TTFT p50, tokens/s) as an override; None when either is unknown."""
        if self.ttft_p50_ms is None or self.tokens_per_second is None:
            return None
        return AoaiLatencyOverride(self.ttft_p50_ms, self.tokens_per_second)


def observed_latency(ttft_ms: FloatArray, requests: FloatArray, tbt_ms: FloatArray, ttlt_ms: FloatArray,
                     completion_tokens: FloatArray) -> AoaiObservedLatency:
    """The module docstring's method on aligned per-interval arrays (empty arrays where not observed).

    Without request counts, every interval weighs the same."""
    n = ttft_ms.size
    weights = requests if requests.size == n and not np.isnan(requests).all() else np.ones(n)
    p50 = weighted_percentile(ttft_ms, weights, 50.0)
    p95 = weighted_percentile(ttft_ms, weights, 95.0)
    speed, source = None, ""
    tokens = completion_tokens if completion_tokens.size else np.zeros(0)
    if tbt_ms.size:
        speed = tokens_per_second_from_tbt(tbt_ms, tokens if tokens.size == tbt_ms.size else np.ones(tbt_ms.size))
        source = "time between tokens" if speed is not None else ""
    if speed is None and ttlt_ms.size == n and tokens.size == n and weights is requests:
        derived = tbt_from_ttlt(ttlt_ms, ttft_ms, tokens, requests)
        speed = tokens_per_second_from_tbt(derived, tokens)
        source = "time to last byte" if speed is not None else ""
    return AoaiObservedLatency(p50, p95, speed, source, int((~np.isnan(ttft_ms)).sum()))
