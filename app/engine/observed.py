"""Statistics of observed telemetry series (Azure Monitor metrics), with gaps as NaN.

Azure Monitor returns one value per interval, or none (a gap). These reductions skip gaps and
return None when nothing was observed, so a missing figure never reads as zero. Sources: the
metric definitions in Azure Monitor's supported-metrics reference (RequestsPerMinute is an
average rate per minute over the interval; RequestLatency_P95 is the 95th percentile within the
interval; AzureOpenAIRequests is a count per interval).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def total(values: FloatArray) -> float | None:
    """Sum over the observed intervals; None when every interval is a gap."""
    if values.size == 0 or np.isnan(values).all():
        return None
    return float(np.nansum(values))


def requests_from_rate(requests_per_minute: FloatArray, interval_minutes: float) -> FloatArray:
    """Requests in each interval from an average per-minute rate: n_i = rpm_i · minutes (gaps stay NaN)."""
    return np.asarray(requests_per_minute * interval_minutes, dtype=np.float64)


def mean(values: FloatArray) -> float | None:
    if values.size == 0 or np.isnan(values).all():
        return None
    return float(np.nanmean(values))


def peak(values: FloatArray) -> float | None:
    if values.size == 0 or np.isnan(values).all():
        return None
    return float(np.nanmax(values))


def low(values: FloatArray) -> float | None:
    if values.size == 0 or np.isnan(values).all():
        return None
    return float(np.nanmin(values))


def percentile(values: FloatArray, q: float) -> float | None:
    """The q-th percentile (0-100) of the observed interval values, linear interpolation."""
    kept = values[~np.isnan(values)]
    if kept.size == 0:
        return None
    return float(np.percentile(kept, q))


def weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    """Σ wᵢ·xᵢ / Σ wᵢ over intervals where both are observed and w > 0.

    Used for per-interval latency percentiles: the request-weighted mean of each interval's p95
    (a percentile over a window cannot be rebuilt exactly from per-interval percentiles)."""
    ok = ~np.isnan(values) & ~np.isnan(weights) & (weights > 0)
    if not ok.any():
        return None
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok]))


def share(part: float | None, whole: float | None) -> float | None:
    """part / whole, or None when the whole is unknown or zero (e.g. 429 share of requests)."""
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def count_gaps(values: FloatArray) -> int:
    return int(np.isnan(values).sum())


def ratio_series(part: FloatArray, whole: FloatArray) -> FloatArray:
    """part / whole per interval (e.g. cached share of prompt tokens); NaN where whole is 0 or a gap."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / whole, np.nan)
