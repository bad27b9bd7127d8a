"""Latency of Azure OpenAI deployments: time to first token plus completion tokens over output speed.

A streamed chat request takes R = T + C / V: T the time to first token, C the completion tokens
and V the output speed (tokens per second after the first token), the split Microsoft Learn
recommends for measuring per-call latency ("Performance and latency": time to response, then the
token generation rate). Percentiles are those of R at the busiest hour:

    T(z) = T50 · exp(σ_T · z)        V(z) = max(V_floor, V50 · exp(−σ_V · z))
    R_q  = T(z_q) + C / V(z_q)       z_q = Φ⁻¹(q): 0 (p50), 1.645 (p95), 2.326 (p99)

A slow request is slow in both parts (one z drives T and V), so R is monotone in z and R_q is
exact for this model; treating the parts as independent would give lower percentiles.

Where the figures come from (pricing/azure-openai-service.yaml, each entry with its source):

- T50 and V50: the model's median time to first token and output speed measured on Microsoft
  Azure endpoints by Artificial Analysis (artificialanalysis.ai, provider benchmarks). Where no
  measurement of a model was found, V50 is Microsoft's published latency target of the model and
  T50 is the measured median of a sibling model; the sheet's note says which.
- V_floor: provisioned (PTU) deployments have per-model latency targets, "99% > N tokens per
  second" (Learn: provisioned throughput onboarding, latency target values); priority processing
  has its own (Learn: priority processing). A deployment with a target never runs slower than it
  (when a calibrated median is below the target, the median is used). Standard has no latency
  target and no latency SLA.
- σ_T and σ_V: the spread of requests around the medians, per deployment tier. Microsoft and the
  benchmarks publish medians, not distributions, so these are planning assumptions stated in the
  sheet (Standard σ_T 0.5, σ_V 0.25: p95 time to first token 2.3 × the median; provisioned 0.3,
  0.15). Replace them with your own percentiles from telemetry where you have them.
- Standard above the model's monthly usage tier: Learn (quotas and limits, usage tiers) says
  latency "may be more than two times higher"; the planner multiplies T50 and divides V50 by 2.
- Provisioned load: Learn gives no curve for latency against PTU utilization. The planner keeps
  the medians up to a knee utilization u₀ (0.7 in the sheet) and slows the median output speed
  linearly to the latency target at 100%:
      V50(u) = V50 − (V50 − V_floor) · max(0, (u − u₀) / (1 − u₀)),   T50(u) = T50 · V50 / V50(u)
- Spillover: requests above the PTU capacity in the busiest hour are served by Standard; the
  percentiles are those of the mixture (share s on Standard, 1 − s on PTU), read off its CDF on a
  grid of 1,601 scores from z = −8 to 8.
- A per-option override (`latency: {ttft_ms, tokens_per_second}`, e.g. medians observed in Azure
  Monitor) replaces T50 and V50; the spread and targets stay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
from scipy import special

from app.engine.results import LatencyPercentiles
from app.engine.service_facts import ServiceFacts, Tier

QUANTILES = (0.5, 0.95, 0.99)
_NORMAL = NormalDist()
_Z_GRID = np.linspace(-8.0, 8.0, 1601)  # request scores for mixtures (spillover); Φ(±8) is 1 within 1e-15
_PHI_GRID = special.ndtr(_Z_GRID)


@dataclass(frozen=True)
class LatencyOverride:
    """Medians for one option (from telemetry or a load test), replacing the sheet's: the option key
    `latency: {ttft_ms, tokens_per_second}`."""

    ttft_ms: float
    tokens_per_second: float

    def as_dict(self) -> dict[str, float]:
        """The option's `latency` mapping, to 0.1 ms and 0.1 tokens/s."""
        return {"ttft_ms": round(self.ttft_ms, 1), "tokens_per_second": round(self.tokens_per_second, 1)}


@dataclass(frozen=True)
class LatencyBasis:
    """The per-request latency of one model on one deployment tier: medians, spread, floor."""

    ttft_ms: float
    tokens_per_second: float
    ttft_sigma: float
    speed_sigma: float
    floor_tokens_per_second: float | None = None
    sources: tuple[str, ...] = ()  # where the medians, the floor and the spread come from

    def at(self, z: float, completion_tokens: float) -> tuple[float, float]:
        """(end-to-end ms, time to first token ms) of a request at standard-normal score z."""
        ttft = self.ttft_ms * math.exp(self.ttft_sigma * z)
        speed = self.tokens_per_second * math.exp(-self.speed_sigma * z)
        if self.floor_tokens_per_second is not None:
            speed = max(speed, min(self.floor_tokens_per_second, self.tokens_per_second))
        return ttft + 1000.0 * completion_tokens / speed, ttft


@dataclass(frozen=True)
class ResponseLatency:
    """Percentiles at the busiest hour, in milliseconds."""

    end_to_end: LatencyPercentiles
    ttft: LatencyPercentiles
    source: str


def basis_for(facts: ServiceFacts | None, model: str, deployment: str, tier: Tier,
              override: LatencyOverride | None = None) -> LatencyBasis | None:
    """The latency basis of `model` on `tier`, or None when neither the sheet nor an override has
    medians for it. The deployment level (global, data zone, regional) does not change the figures:
    the public measurements are of Global endpoints."""
    if facts is None:
        return None
    spread = facts.spread.get(tier) or facts.spread.get("standard")
    if spread is None:
        return None
    figures = facts.model_latency(model)
    target = {"provisioned": figures.provisioned_target, "priority": figures.priority_target}.get(tier)
    floor = target.tokens_per_second if target is not None else None
    spread_source = (f"{tier} spread σ_T {spread.ttft_sigma:g}, σ_V {spread.speed_sigma:g}: "
                     + spread.provenance.source.split(":")[0])
    floor_source = (f"{tier} latency target {target.tokens_per_second:g} tokens/s: {target.provenance.source}",) \
        if target is not None else ()
    if override is not None:
        return LatencyBasis(override.ttft_ms, override.tokens_per_second, spread.ttft_sigma, spread.speed_sigma,
                            floor, ("medians from the option's latency override", *floor_source, spread_source))
    if figures.median is None:
        return None
    median = figures.median
    median_source = "medians: " + median.provenance.source + (
        f" ({median.provenance.note})" if median.provenance.note else "")
    return LatencyBasis(median.ttft_ms, median.tokens_per_second, spread.ttft_sigma, spread.speed_sigma, floor,
                        (median_source, *floor_source, spread_source))


def above_usage_tier(basis: LatencyBasis, factor: float) -> LatencyBasis:
    """Standard above the monthly usage tier: T50 · factor and V50 / factor (latency × factor)."""
    return replace(basis, ttft_ms=basis.ttft_ms * factor, tokens_per_second=basis.tokens_per_second / factor)


def under_load(basis: LatencyBasis, utilization: float, knee: float) -> LatencyBasis:
    """Provisioned at utilization u: V50 falls linearly from the knee to the floor at u = 1."""
    if basis.floor_tokens_per_second is None or knee >= 1.0:
        return basis
    floor = min(basis.floor_tokens_per_second, basis.tokens_per_second)
    ramp = min(1.0, max(0.0, (utilization - knee) / (1.0 - knee)))
    speed = basis.tokens_per_second - (basis.tokens_per_second - floor) * ramp
    return replace(basis, ttft_ms=basis.ttft_ms * basis.tokens_per_second / speed, tokens_per_second=speed)


def _curve(basis: LatencyBasis, completion_tokens: float, part: int) -> npt.NDArray[np.float64]:
    """The request's latency (part 0: end to end, 1: first token) at each score of the z grid."""
    ttft = basis.ttft_ms * np.exp(basis.ttft_sigma * _Z_GRID)
    if part == 1:
        return np.asarray(ttft, dtype=np.float64)
    speed = basis.tokens_per_second * np.exp(-basis.speed_sigma * _Z_GRID)
    if basis.floor_tokens_per_second is not None:
        speed = np.maximum(speed, min(basis.floor_tokens_per_second, basis.tokens_per_second))
    return np.asarray(ttft + 1000.0 * completion_tokens / speed, dtype=np.float64)


def _mixture_quantiles(parts: Sequence[tuple[float, LatencyBasis]], completion_tokens: float,
                       part: int) -> list[float]:
    """p50/p95/p99 of the mixture: exact for one part; for several, the mixed CDF
    Σ share · Φ(z(r)) on the union of the parts' latency grids, inverted by interpolation."""
    if len(parts) == 1:
        return [parts[0][1].at(_NORMAL.inv_cdf(q), completion_tokens)[part] for q in QUANTILES]
    curves = [_curve(basis, completion_tokens, part) for _, basis in parts]
    values = np.sort(np.concatenate(curves))
    cdf = np.zeros_like(values)
    for (share, _), curve in zip(parts, curves, strict=True):
        cdf += share * np.interp(values, curve, _PHI_GRID, left=0.0, right=1.0)
    return [float(x) for x in np.interp(QUANTILES, np.maximum.accumulate(cdf), values)]


def response_latency(parts: Sequence[tuple[float, LatencyBasis]], completion_tokens: float) -> ResponseLatency:
    """p50/p95/p99 of end-to-end time and of time to first token for requests served by `parts`
    (share, basis); one part for a plain deployment, two for PTU with spillover."""
    live = [(w, b) for w, b in parts if w > 0]
    if not live:
        raise ValueError("at least one part must serve a positive share of the requests")
    total = sum(w for w, _ in live)
    live = [(w / total, b) for w, b in live]
    e2e = _mixture_quantiles(live, completion_tokens, 0)
    ttft = _mixture_quantiles(live, completion_tokens, 1)
    sources = dict.fromkeys(piece for _, basis in live for piece in basis.sources)
    return ResponseLatency(LatencyPercentiles(*e2e), LatencyPercentiles(*ttft), "; ".join(sources))
