"""A workload calibrated from observed telemetry (requests, traffic shape, tokens, service time).

- Volume: N = requests observed in the window · H / window hours (a month of H hours at the
  observed average rate).
- Traffic: the observed hourly request counts, divided by their mean, against each engine shape
  (app.engine.traffic) at the same hours of the week; the shape with the smallest root-mean-square
  error wins. Its peak_to_average is the observed max/mean of the hourly counts, capped at what the
  shape can reach (max_peak_to_average) so the engine accepts it.
- Tokens: mean prompt and completion tokens per request = token totals / requests served.
- Prompt cache: h = cached prompt tokens / prompt tokens.
- Service time: latency when there is no queue, estimated as the median of the per-interval p50
  latency over the quietest quarter of intervals (by request rate): at low load an M/G/c queue
  adds almost no waiting, so latency ≈ service time (Kleinrock, Queueing Systems vol. 1, ch. 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.traffic import SHAPES, hourly_shape, max_peak_to_average

FloatArray = npt.NDArray[np.float64]
HOURS_PER_WEEK = 168
QUIET_QUANTILE = 25.0


def requests_per_month(observed_requests: float, window_hours: float, hours_per_month: float) -> float:
    """N = n · H / T: the observed average rate over a month of H hours."""
    if window_hours <= 0:
        raise ModelInputError(f"the telemetry window must be longer than zero hours, got {window_hours}")
    return observed_requests * hours_per_month / window_hours


def observed_peak_to_average(hourly_requests: FloatArray) -> float:
    """max / mean of the hourly request counts (1.0 for a window without traffic)."""
    average = float(np.mean(hourly_requests)) if hourly_requests.size else 0.0
    return 1.0 if average <= 0 else float(np.max(hourly_requests)) / average


@dataclass(frozen=True)
class ShapeFit:
    shape: str
    peak_to_average: float  # reachable by the shape; what the scenario gets
    observed_peak_to_average: float
    rmse: dict[str, float]  # per shape: RMS error against the observed normalised series


def fit_traffic_shape(hourly_requests: FloatArray, first_hour_of_week: int, hours_per_month: int) -> ShapeFit:
    """The engine shape closest to the observed hours (hour 0 of the week = Monday 00:00 UTC)."""
    if hourly_requests.size == 0 or float(np.sum(hourly_requests)) <= 0:
        raise ModelInputError("no requests were observed in the window, so there is no traffic shape to fit")
    observed = hourly_requests / float(np.mean(hourly_requests))
    ratio = observed_peak_to_average(hourly_requests)
    week_hours = (first_hour_of_week + np.arange(hourly_requests.size)) % HOURS_PER_WEEK
    errors: dict[str, float] = {}
    ratios: dict[str, float] = {}
    for shape in SHAPES:
        reachable = max_peak_to_average(shape, hours_per_month)
        p = 1.0 if shape == "flat" else max(1.0, min(ratio, reachable))
        model = hourly_shape(shape if p > 1.0 else "flat", p, hours_per_month)
        errors[shape] = float(np.sqrt(np.mean((observed - model[week_hours]) ** 2)))
        ratios[shape] = p
    best = min(SHAPES, key=lambda s: (round(errors[s], 12), SHAPES.index(s)))
    return ShapeFit(best, round(ratios[best], 3), ratio, errors)


def mean_per_request(tokens: float, requests: float) -> float:
    """Tokens per request; 0 when nothing was served."""
    return tokens / requests if requests > 0 else 0.0


def cache_hit_rate(cached_prompt_tokens: float, prompt_tokens: float) -> float:
    """h = cached / prompt, clamped to [0, 1] (logs and metrics can disagree slightly)."""
    if prompt_tokens <= 0:
        return 0.0
    return min(1.0, max(0.0, cached_prompt_tokens / prompt_tokens))


def service_time_at_low_load(latency_p50_ms: FloatArray, requests_per_minute: FloatArray) -> float | None:
    """Median p50 latency over intervals whose load is at or below the quietest quartile (load > 0)."""
    ok = ~np.isnan(latency_p50_ms) & ~np.isnan(requests_per_minute) & (requests_per_minute > 0)
    if not ok.any():
        return None
    load = requests_per_minute[ok]
    threshold = np.percentile(load, QUIET_QUANTILE)
    return float(np.median(latency_p50_ms[ok][load <= threshold]))
