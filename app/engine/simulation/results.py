"""Per-minute series and totals of a simulation run.

Definitions (stated so every figure can be checked):

- A minute violates the SLO when more than `failure_budget` (default 5%, so that its p95 request
  failed) of its requests were dropped (503) or throttled (429), or, with a latency SLO, when the
  p95 latency of its admitted requests exceeds the SLO. Spilled requests are served (by Standard).
- Goodput = requests answered within the latency SLO (online; all served requests without an
  SLO), or admitted plus spilled requests (PTU).
- Instance-hours = Σ billed instances (ready + provisioning) · Δt / 3600; cost = instance-hours ·
  hourly price (online), or PTU hours · hourly PTU cost + spilled requests · Standard cost per
  request (PTU).
- Conservation: requests = served + dropped + still queued at the end (online); requests =
  admitted + spilled + throttled (PTU).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from app.engine.simulation.events import ScaleEvent
from app.engine.simulation.latency import P50, P95, P99, minute_latency_levels, share_within
from app.engine.simulation.online import OnlineTrace
from app.engine.simulation.ptu import PtuTrace
from app.engine.simulation.settings import OnlineSystem, PtuSystem, RunSettings

FloatArray = npt.NDArray[np.float64]
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class Totals:
    requests: float
    served: float
    dropped: float  # HTTP 503 (queue wait limit)
    throttled: float  # HTTP 429 (PTU full, no spillover)
    spilled: float  # served by the Standard deployment
    still_queued: float
    instance_hours: float
    cost: float
    slo_violating_minutes: int
    goodput: float
    peak_instances: int  # PTU for a provisioned deployment
    worst_p95_ms: float | None

    @property
    def goodput_share(self) -> float:
        return self.goodput / self.requests if self.requests > 0 else 1.0

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "requests": self.requests, "served": self.served, "dropped_503": self.dropped,
            "throttled_429": self.throttled, "spilled": self.spilled, "still_queued": self.still_queued,
            "instance_hours": self.instance_hours, "cost": self.cost,
            "slo_violating_minutes": self.slo_violating_minutes, "goodput": self.goodput,
            "goodput_share": self.goodput_share, "peak_instances": self.peak_instances,
            "worst_p95_ms": self.worst_p95_ms,
        }


@dataclass(frozen=True)
class SimulationResult:
    name: str
    kind: str  # "online" | "ptu"
    step_s: int
    minutes: int
    series: dict[str, FloatArray]  # per minute; names carry units
    totals: Totals
    events: tuple[ScaleEvent, ...] = field(default=())


def _per_minute(values: FloatArray, per_minute: int, how: str = "sum") -> FloatArray:
    shaped = values.reshape(-1, per_minute)
    if how == "sum":
        return np.asarray(shaped.sum(axis=1), dtype=np.float64)
    if how == "mean":
        return np.asarray(shaped.mean(axis=1), dtype=np.float64)
    return np.asarray(shaped[:, -1], dtype=np.float64)


def _violations(failed: FloatArray, requests: FloatArray, budget: float) -> FloatArray:
    share = np.divide(failed, requests, out=np.zeros_like(failed), where=requests > 0)
    return np.asarray(share > budget + 1e-12, dtype=np.float64)


def summarize_online(name: str, trace: OnlineTrace, system: OnlineSystem, settings: RunSettings) -> SimulationResult:
    per_minute = 60 // trace.step_s
    requests = _per_minute(trace.arrivals, per_minute)
    served = _per_minute(trace.served, per_minute)
    dropped = _per_minute(trace.dropped, per_minute)
    ready_mean = _per_minute(trace.ready.astype(np.float64), per_minute, "mean")
    billed_mean = _per_minute(trace.billed.astype(np.float64), per_minute, "mean")
    slots = np.floor(ready_mean * trace.concurrency + 1e-9).astype(np.int64)
    levels = minute_latency_levels(trace.backlog_wait_s, trace.served, per_minute, served / 60.0, slots, system.service,
                                   system.max_queue_wait_ms / 1000.0)
    levels_ms = levels * 1000.0
    in_flight = _per_minute(trace.in_service + trace.backlog, per_minute, "mean")
    utilization = 100.0 * in_flight / np.maximum(ready_mean * trace.concurrency, 1e-9)
    minute_cost = billed_mean * system.instance_hourly_cost / 60.0
    violating = _violations(dropped, requests, settings.failure_budget)
    if settings.latency_slo_ms is not None:
        late = np.nan_to_num(levels_ms[:, P95], nan=0.0) > settings.latency_slo_ms
        violating = np.maximum(violating, late.astype(np.float64))
        good = served * share_within(levels, settings.latency_slo_ms / 1000.0)
    else:
        good = served
    series = {
        "requests": requests, "served": served, "dropped_503": dropped, "throttled_429": np.zeros_like(requests),
        "spilled": np.zeros_like(requests), "instances": billed_mean, "instances_ready": ready_mean,
        "utilization_pct": utilization, "queue": _per_minute(trace.backlog, per_minute, "last"),
        "capacity_rpm": ready_mean * trace.concurrency * 60.0 / (system.service.mean_ms / 1000.0),
        "latency_p50_ms": levels_ms[:, P50], "latency_p95_ms": levels_ms[:, P95], "latency_p99_ms": levels_ms[:, P99],
        "cost": minute_cost, "cost_cumulative": np.cumsum(minute_cost), "slo_violating": violating,
        "goodput": good,
    }
    p95 = levels_ms[:, P95]
    totals = Totals(
        requests=float(requests.sum()), served=float(served.sum()), dropped=float(dropped.sum()), throttled=0.0,
        spilled=0.0, still_queued=float(trace.backlog[-1]) if len(trace.backlog) else 0.0,
        instance_hours=float(trace.billed.sum()) * trace.step_s / SECONDS_PER_HOUR, cost=float(minute_cost.sum()),
        slo_violating_minutes=int(violating.sum()), goodput=float(good.sum()),
        peak_instances=int(trace.billed.max(initial=0)),
        worst_p95_ms=None if np.all(np.isnan(p95)) else float(np.nanmax(p95)),
    )
    return SimulationResult(name, "online", trace.step_s, len(requests), series, totals, trace.events)


def summarize_ptu(name: str, trace: PtuTrace, system: PtuSystem, settings: RunSettings) -> SimulationResult:
    per_minute = 60 // trace.step_s
    requests = _per_minute(trace.arrivals, per_minute)
    admitted = _per_minute(trace.admitted, per_minute)
    rejected = _per_minute(trace.rejected, per_minute)
    spilled = rejected if system.spillover else np.zeros_like(rejected)
    throttled = np.zeros_like(rejected) if system.spillover else rejected
    minute_cost = system.ptu_hourly_cost / 60.0 + spilled * system.spill_cost_per_request
    utilization = 100.0 * admitted * system.weighted_tokens_per_request / trace.tokens_per_minute_capacity
    violating = _violations(throttled, requests, settings.failure_budget)
    nan = np.full_like(requests, np.nan)
    series = {
        "requests": requests, "served": admitted + spilled, "dropped_503": np.zeros_like(requests),
        "throttled_429": throttled, "spilled": spilled, "instances": np.full_like(requests, float(system.ptu)),
        "instances_ready": np.full_like(requests, float(system.ptu)), "utilization_pct": utilization,
        "queue": _per_minute(trace.bucket_level, per_minute, "last") / trace.tokens_per_minute_capacity * 100.0,
        "capacity_rpm": np.full_like(requests, trace.tokens_per_minute_capacity / system.weighted_tokens_per_request
                                     if system.weighted_tokens_per_request > 0 else np.inf),
        "latency_p50_ms": nan, "latency_p95_ms": nan, "latency_p99_ms": nan,
        "cost": minute_cost, "cost_cumulative": np.cumsum(minute_cost), "slo_violating": violating,
        "goodput": admitted + spilled,
    }
    totals = Totals(
        requests=float(requests.sum()), served=float((admitted + spilled).sum()), dropped=0.0,
        throttled=float(throttled.sum()), spilled=float(spilled.sum()), still_queued=0.0,
        instance_hours=0.0, cost=float(minute_cost.sum()), slo_violating_minutes=int(violating.sum()),
        goodput=float((admitted + spilled).sum()), peak_instances=system.ptu, worst_p95_ms=None,
    )
    return SimulationResult(name, "ptu", trace.step_s, len(requests), series, totals, ())



_SUMMED = ("requests", "served", "dropped_503", "throttled_429", "spilled", "cost", "slo_violating", "goodput")
_LAST = ("queue", "cost_cumulative")
_MAXED = ("latency_p50_ms", "latency_p95_ms", "latency_p99_ms")


def resample(series: dict[str, FloatArray], window_minutes: int) -> dict[str, FloatArray]:
    """Per-window series for charts: counts and cost summed, latency percentiles the worst minute of
    the window (conservative), queue and cumulative cost at the window's end, the rest averaged.
    Also returns "minute": the first minute of each window."""
    minutes = len(next(iter(series.values())))
    window = max(1, int(window_minutes))
    count = -(-minutes // window)
    pad = count * window - minutes
    out: dict[str, FloatArray] = {"minute": np.arange(count, dtype=np.float64) * window}
    for name, values in series.items():
        padded = np.concatenate([values, np.full(pad, np.nan)]).reshape(count, window)
        if name in _SUMMED:
            out[name] = np.nansum(padded, axis=1)
        elif name in _LAST:
            out[name] = padded[np.arange(count), np.minimum(window - 1, minutes - 1 - np.arange(count) * window)]
        elif name in _MAXED:
            with np.errstate(all="ignore"):
                finite = np.where(np.isfinite(padded), padded, -np.inf).max(axis=1)
            out[name] = np.where(np.isfinite(finite), finite, np.nan)
        else:
            with np.errstate(all="ignore"):
                out[name] = np.nanmean(padded, axis=1)
    return out


def chart_window_minutes(minutes: int, max_points: int = 3000) -> int:
    """The smallest of 1, 5, 10, 15, 30, 60 minutes that keeps a chart under max_points points."""
    for window in (1, 5, 10, 15, 30, 60, 180, 360):
        if minutes / window <= max_points:
            return window
    return 1440
