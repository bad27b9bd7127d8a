"""Service time, concurrency and autoscale target of an Azure ML online deployment, from its telemetry.

The engine's online model (app.engine.online_endpoint) has utilization ρ = λ·S / (n·c): λ requests/s,
S mean service time, n instances, c concurrent requests per instance. Telemetry observes λ, n, the
deployment's CPU/GPU utilization U and the latency percentiles. Two independent readings of S follow:

1. **Latency at low load.** With almost no queue, response time ≈ service time (Kleinrock, Queueing
   Systems vol. 1, 1975, ch. 3). Over the quietest quarter of intervals (by request rate), the
   median of the per-interval p50 and p95 latency are matched to the gamma distribution the engine
   uses for service times (mean S, coefficient of variation C_s): C_s solves
   q95(C_s)/q50(C_s) = p95/p50 for the gamma quantiles, then S = p50 / q50(C_s) with q taken at
   mean 1. Without a p95, C_s = 1 (exponential) and S = p50 / ln 2.
2. **Utilization law.** U = X·D per instance (Denning & Buzen, "The operational analysis of queueing
   network models", ACM Computing Surveys 10(3), 1978; Lazowska et al., Quantitative System
   Performance, 1984, ch. 3): the service demand D (instance-seconds of the busiest resource per
   request) is the busy instance-time over the requests served,
       D = Σ_i U_i·n_i·Δt / Σ_i N_i,
   with U the utilization of the bottleneck (GPU on GPU SKUs when reported, else CPU).

The engine's ρ equals U when S / c = D, so the concurrency that reconciles the two readings is
c = max(1, round(S / D)) unless the deployment's configured concurrency is known. The readings agree
when S / (c·D) is within the tolerance; otherwise latency and utilization describe different work
(CPU used by something other than these requests, a request spread over several instances' worth
of cores, or metrics of another resource) and no calibration of capacity can be trusted.

The autoscale target is the one that best reproduces the observed instance counts from the observed
load: n_i = clamp(ceil(λ_i·S / (c·target)), min, max), searched on a 0.01 grid (the middle of the
best-scoring run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]
QUIET_QUANTILE = 25.0
TOLERANCE = 0.15  # relative disagreement allowed between readings, and between model and observation
_CV_RANGE = (0.02, 4.0)


def _gamma_quantile(q: float, cv: float) -> float:
    """Quantile q of a gamma distribution with mean 1 and coefficient of variation cv."""
    shape = 1.0 / cv**2
    return float(special.gammaincinv(shape, q)) / shape


def _tail_ratio(cv: float) -> float:
    """q95 / q50 of the gamma distribution with coefficient of variation cv."""
    return _gamma_quantile(0.95, cv) / _gamma_quantile(0.5, cv)


def gamma_from_quantiles(p50: float, p95: float | None) -> tuple[float, float]:
    """(mean, cv) of the gamma distribution whose median is p50 and 95th percentile p95.

    p95/p50 falls as cv falls (1 for a deterministic time); a ratio outside the range of cv in
    [0.02, 4] is clamped to it. Without p95 (or p95 ≤ p50): cv = 1, mean = p50 / ln 2."""
    if p50 <= 0:
        raise ValueError("the median latency must be positive")
    if p95 is None or p95 <= p50:
        return p50 / math.log(2.0), 1.0
    ratio = p95 / p50
    lo, hi = _CV_RANGE
    if ratio <= _tail_ratio(lo):
        cv = lo
    elif ratio >= _tail_ratio(hi):
        cv = hi
    else:
        for _ in range(60):  # bisection: the ratio grows with cv
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if _tail_ratio(mid) < ratio else (lo, mid)
        cv = 0.5 * (lo + hi)
    return p50 / _gamma_quantile(0.5, cv), cv


@dataclass(frozen=True)
class LowLoadLatency:
    """Latency over the quietest intervals, and the service time it implies."""

    intervals: int
    latency_p50_ms: float
    latency_p95_ms: float | None
    service_time_ms: float
    service_time_cv: float


def service_time_from_latency(p50_ms: FloatArray, p95_ms: FloatArray, load: FloatArray) -> LowLoadLatency | None:
    """Method 1 of the module docstring. `load` is any per-interval request rate (> 0 where served).

    None when no interval has both a latency and a positive load."""
    ok = ~np.isnan(p50_ms) & ~np.isnan(load) & (load > 0) & (p50_ms > 0)
    if not ok.any():
        return None
    threshold = np.percentile(load[ok], QUIET_QUANTILE)
    quiet = ok & (load <= threshold)
    p50 = float(np.median(p50_ms[quiet]))
    tail = p95_ms[quiet] if p95_ms.size == p50_ms.size else np.zeros(0)
    tail = tail[~np.isnan(tail)]
    p95 = float(np.median(tail)) if tail.size else None
    mean, cv = gamma_from_quantiles(p50, p95)
    return LowLoadLatency(int(quiet.sum()), p50, p95, mean, cv)


def service_demand_s(utilization_pct: FloatArray, instances: FloatArray, requests: FloatArray,
                     interval_s: float) -> float | None:
    """Method 2: D = Σ U_i·n_i·Δt / Σ N_i over intervals where all three are observed (seconds/request).

    None when no request was observed alongside a utilization and an instance count."""
    ok = ~np.isnan(utilization_pct) & ~np.isnan(instances) & ~np.isnan(requests) & (instances > 0)
    served = float(np.sum(requests[ok]))
    if not ok.any() or served <= 0:
        return None
    busy = float(np.sum(utilization_pct[ok] / 100.0 * instances[ok])) * interval_s
    return busy / served


def reconciling_concurrency(service_time_s: float, demand_s: float, configured: int | None = None) -> tuple[int, float]:
    """(c, S / (c·D)): the configured concurrency, else the whole number nearest S / D (at least 1)."""
    if demand_s <= 0:
        raise ValueError("the service demand must be positive")
    c = configured if configured is not None else max(1, round(service_time_s / demand_s))
    return c, service_time_s / (c * demand_s)


def fit_target_utilization(arrivals_per_s: FloatArray, instances: FloatArray, service_time_s: float,
                           concurrency: int, minimum: int, maximum: int) -> tuple[float, float]:
    """(target, share of intervals whose instance count it reproduces exactly), on a 0.01 grid in [0.05, 1]."""
    ok = ~np.isnan(arrivals_per_s) & ~np.isnan(instances)
    load = arrivals_per_s[ok] * service_time_s / concurrency
    observed = np.rint(instances[ok])
    if load.size == 0:
        raise ValueError("no interval has both a request rate and an instance count")
    grid = np.round(np.arange(5, 101) / 100.0, 2)
    scores = np.array([float(np.mean(np.clip(np.ceil(load / t - 1e-9), minimum, maximum) == observed)) for t in grid])
    best = float(scores.max())
    top = np.flatnonzero(np.isclose(scores, best))
    runs = np.split(top, np.flatnonzero(np.diff(top) > 1) + 1)
    run = max(runs, key=len)  # the widest plateau of best scores; its middle is the most robust choice
    return float(grid[run[len(run) // 2]]), best


def relative_gap(model: float, observed: float) -> float:
    """|model − observed| / observed (0 when both are 0, infinite when only the observation is 0)."""
    if observed == 0:
        return 0.0 if model == 0 else math.inf
    return abs(model - observed) / abs(observed)
