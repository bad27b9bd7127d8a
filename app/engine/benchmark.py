"""Benchmark arithmetic: latency summaries, the scaling rule to a target SKU, and the model check.

Pure functions over numbers measured by the ONNX Runtime lab (`app.bench`); no I/O here.

Sources:
- Percentiles: linear interpolation between order statistics (Hyndman & Fan 1996, definition 7,
  numpy's default), the definition MLPerf LoadGen and onnxruntime_perf_test report.
- Scaling rule (documented assumption, shown on screen): a request on the target SKU gets the same
  number of intra-op threads as it had locally, so its service time only changes with the speed of
  one core:
      service_time_on_sku = local_service_time × local_core_speed / relative_core_speed
  where `relative_core_speed` (compute sheet, per SKU, default 1.0) is the SKU's core speed
  relative to the reference core and `local_core_speed` is the measuring machine's (default 1.0:
  "this machine is the reference"). The SKU then runs vCPUs // threads requests in parallel per
  instance (the `concurrency` of an `aml-online` option).
- Model check: the engine's M/G/c queue (`app.engine.queueing.response_time_percentiles`) fed with
  the single-stream mean and CV of the service time predicts p50/p95 at a load ρ, the arrival rate
  being λ = ρ·c/S; the error is (predicted − measured) / measured.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.queueing import response_time_percentiles

SUMMARY_QUANTILES = {"p50": 0.50, "p90": 0.90, "p95": 0.95, "p99": 0.99, "p999": 0.999}
MODEL_CHECK_LOADS = (0.3, 0.5, 0.7, 0.9)


@dataclass(frozen=True)
class LatencySummary:
    """Milliseconds. cv = stdev / mean (sample stdev, n − 1)."""

    count: int
    mean: float
    stdev: float
    minimum: float
    maximum: float
    p50: float
    p90: float
    p95: float
    p99: float
    p999: float

    @property
    def cv(self) -> float:
        return self.stdev / self.mean if self.mean > 0 else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"count": self.count, "mean": self.mean, "stdev": self.stdev, "cv": self.cv, "min": self.minimum,
                "max": self.maximum, "p50": self.p50, "p90": self.p90, "p95": self.p95, "p99": self.p99,
                "p999": self.p999}


def summarize_latency(samples_ms: Sequence[float]) -> LatencySummary:
    """Mean, sample stdev (n − 1), min, max and p50/p90/p95/p99/p99.9 (linear interpolation)."""
    values = np.asarray(samples_ms, dtype=np.float64)
    if values.size == 0:
        raise ValueError("no latency samples")
    q = np.quantile(values, list(SUMMARY_QUANTILES.values()))
    stdev = float(values.std(ddof=1)) if values.size > 1 else 0.0
    return LatencySummary(int(values.size), float(values.mean()), stdev, float(values.min()), float(values.max()),
                          *(float(x) for x in q))


def empirical_cdf(samples_ms: Sequence[float]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The empirical CDF at each sample: sorted x₍ᵢ₎ and F̂(x₍ᵢ₎) = i / n for i = 1…n.

    F̂(x) = (1/n)·#{xⱼ ≤ x}, the standard empirical distribution function (e.g. Wasserman, All of
    Statistics, §7.1)."""
    ordered = sorted(float(x) for x in samples_ms)
    count = len(ordered)
    return tuple(ordered), tuple((i + 1) / count for i in range(count))


def throughput_per_second(items: int, seconds: float) -> float:
    """Items completed / wall-clock seconds."""
    if seconds <= 0:
        raise ValueError("duration must be positive")
    return items / seconds


def sku_service_time_ms(local_service_time_ms: float, relative_core_speed: float = 1.0,
                        local_core_speed: float = 1.0) -> float:
    """service_time_on_sku = local_time × local_core_speed / relative_core_speed (same threads per request)."""
    if local_service_time_ms <= 0 or relative_core_speed <= 0 or local_core_speed <= 0:
        raise ValueError("service time and core speeds must be positive")
    return local_service_time_ms * local_core_speed / relative_core_speed


def sku_concurrency(vcpus: int, threads_per_request: int) -> int:
    """Parallel requests per instance when each keeps its local thread count: max(1, vCPUs // threads)."""
    return max(1, vcpus // max(1, threads_per_request))


def arrival_rate_for_load(load: float, service_time_s: float, servers: int) -> float:
    """λ = ρ·c / S (requests per second at utilization ρ with c servers of mean service time S)."""
    if service_time_s <= 0 or servers < 1:
        raise ValueError("service time must be positive and servers at least 1")
    return load * servers / service_time_s


@dataclass(frozen=True)
class LoadPrediction:
    load: float
    arrival_rate: float  # requests per second
    p50_ms: float
    p95_ms: float


def predict_at_loads(service_time_ms: float, service_cv: float, servers: int,
                     loads: Sequence[float] = MODEL_CHECK_LOADS) -> list[LoadPrediction]:
    """The M/G/c model's p50/p95 at each load, from the single-stream service time (mean, CV)."""
    service_s = service_time_ms / 1000.0
    out = []
    for load in loads:
        rate = arrival_rate_for_load(load, service_s, servers)
        percentiles = response_time_percentiles(rate, service_s, service_cv, servers, quantiles=(0.5, 0.95))
        if percentiles is None:
            raise ValueError(f"load {load} is not below 1: the queue is unstable")
        p50, p95 = percentiles
        out.append(LoadPrediction(load, rate, p50 * 1000.0, p95 * 1000.0))
    return out


def predict_at_rate(arrival_rate: float, service_time_ms: float, service_cv: float,
                    servers: int) -> tuple[float, float] | None:
    """(p50, p95) in ms of the M/G/c model at a given arrival rate (1/s), or None when ρ = λ·S/c ≥ 1.

    Used with the service time measured *during* a server run, it separates the queueing model's own
    error from a machine that slowed down between calibration and measurement.
    """
    result = response_time_percentiles(arrival_rate, service_time_ms / 1000.0, service_cv, servers,
                                       quantiles=(0.5, 0.95))
    return None if result is None else (result[0] * 1000.0, result[1] * 1000.0)


def percent_error(predicted: float, measured: float) -> float:
    """(predicted − measured) / measured × 100; positive when the model is pessimistic."""
    if measured <= 0 or math.isnan(measured):
        raise ValueError("the measured value must be positive")
    return (predicted - measured) / measured * 100.0
