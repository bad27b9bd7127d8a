"""Per-minute response-time percentiles of the simulated queue.

The count-based queue (online.py) gives, per step, the backlog that builds when arrivals outrun the
slots; the short waits of a stable M/G/c queue happen within a step and are modelled per minute
with the planning engine's own formulas, element-wise (`app/engine/queueing.py`: Erlang C,
Kleinrock 1975 §3.5; Allen–Cunneen, Allen 1990 §6.5). For a request admitted in minute w:

    latency = d + W + S

- d: the backlog wait, (backlog at the step's start + at its end)/2 · S / slots (fluid FCFS: the
  backlog drains at slots/S requests per second).
- W: 0 with probability P_W = C(c, a) (Erlang C, c slots, a = λS, ρ = a/c ≤ RHO_CAP), else
  exponential with mean m = ((1 + C_s²)/2) · S / (c·(1 − ρ)). λ is the minute's admitted rate and
  c its time-averaged ready slots (rounded down). When the queue is saturated (ρ ≥ RHO_CAP) the
  backlog wait d carries the overload and W uses ρ = RHO_CAP.
- S: service time: exponential, deterministic, or a benchmark run's samples.

Percentile q of a minute = (served-weighted q-quantile of d over its steps) + q-quantile of W + S,
capped at max_queue_wait + the q-quantile of S (a request that would wait longer is dropped). Near
saturation the fluid queue drops only what exceeds the wait limit on average, so 503s caused by
within-minute randomness alone are not counted.
The second term is exact for the model above (closed forms for exponential and deterministic
service, the empirical distribution of the samples otherwise) and is read from a table over
(P_W, log m/S) computed once per service distribution. With steps of 60 s d is one number and the
sum is exact; with shorter steps it is an approximation that is exact when the backlog is steady.

Goodput fraction of a minute = the share of its admitted requests within the SLO, interpolated on
the percentile levels LEVELS.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats

from app.engine.queueing import erlang_c_from, wait_over_service
from app.engine.simulation.settings import ServiceTimes

FloatArray = npt.NDArray[np.float64]
RHO_CAP = 0.98
LEVELS = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999)
P50, P95, P99 = LEVELS.index(0.5), LEVELS.index(0.95), LEVELS.index(0.99)
_RHO_POINTS = 513
_PW_GRID = np.linspace(0.0, 1.0, 41)
_LOG_M_GRID = np.linspace(-3.0, 3.0, 61)
_SAMPLE_POINTS = 128


def _rho_grid() -> FloatArray:
    u = np.linspace(0.0, 1.0, _RHO_POINTS)
    return RHO_CAP * (1.0 - (1.0 - u) ** 2)  # dense near the cap


@lru_cache(maxsize=512)
def _erlang_c_curve(servers: int) -> FloatArray:
    """C(c, a) on the ρ grid: the planning engine's Erlang C, element-wise over ρ."""
    rho = _rho_grid()
    return np.asarray(erlang_c_from(servers, rho * servers, rho), dtype=np.float64)


def waiting_probability(servers: npt.NDArray[np.int64], rho: FloatArray) -> FloatArray:
    """P_W per element: Erlang C at (servers, ρ), ρ clipped to [0, RHO_CAP]."""
    rho = np.clip(rho, 0.0, RHO_CAP)
    result = np.zeros_like(rho)
    grid = _rho_grid()
    for count in np.unique(servers):
        if count < 1:
            continue
        where = servers == count
        result[where] = np.interp(rho[where], grid, _erlang_c_curve(int(count)))
    return result


def conditional_wait_over_service(servers: npt.NDArray[np.int64], rho: FloatArray, service_cv: float) -> FloatArray:
    """m/S = ((1 + C_s²)/2) / (c·(1 − ρ)), the planning engine's formula, with ρ ≤ RHO_CAP."""
    slots = np.maximum(servers, 1).astype(np.float64)
    return np.asarray(wait_over_service(slots, np.clip(rho, 0.0, RHO_CAP), service_cv), dtype=np.float64)


def service_cv(service: ServiceTimes) -> float:
    if service.distribution == "exponential":
        return 1.0
    if service.distribution == "deterministic":
        return 0.0
    if service.distribution == "gamma":
        return service.cv
    samples = np.asarray(service.samples_ms, dtype=np.float64)
    return float(samples.std() / samples.mean())


def _normalized_samples(service: ServiceTimes) -> FloatArray:
    """Service times of mean 1 as equally likely points (128 quantiles of a gamma or of the samples)."""
    if service.distribution == "gamma":
        shape = 1.0 / max(service.cv, 1e-3) ** 2
        points = stats.gamma(a=shape, scale=1.0 / shape).ppf((np.arange(_SAMPLE_POINTS) + 0.5) / _SAMPLE_POINTS)
        return np.asarray(points / points.mean(), dtype=np.float64)
    samples = np.sort(np.asarray(service.samples_ms, dtype=np.float64))
    samples = samples / samples.mean()
    if len(samples) > _SAMPLE_POINTS:
        samples = np.quantile(samples, (np.arange(_SAMPLE_POINTS) + 0.5) / _SAMPLE_POINTS)
    return np.asarray(samples, dtype=np.float64)


def _cdf(y: FloatArray, p_wait: FloatArray, m: FloatArray, service: ServiceTimes) -> FloatArray:
    """P(W + S ≤ y) with S of mean 1; W = 0 w.p. 1 − P_W, else exponential of mean m."""
    if service.distribution == "exponential":
        theta = 1.0 / m
        theta = np.where(np.abs(theta - 1.0) < 1e-6, 1.0 + 1e-6, theta)
        both = 1.0 - (np.exp(-theta * y) - theta * np.exp(-y)) / (1.0 - theta)
        return np.asarray((1.0 - p_wait) * (1.0 - np.exp(-y)) + p_wait * both, dtype=np.float64)
    if service.distribution == "deterministic":
        return np.where(y < 1.0, 0.0, 1.0 - p_wait * np.exp(-(y - 1.0) / m))
    x = _normalized_samples(service)
    gap = y[..., None] - x
    inside = np.where(gap >= 0.0, 1.0 - p_wait[..., None] * np.exp(-np.maximum(gap, 0.0) / m[..., None]), 0.0)
    return np.asarray(inside.mean(axis=-1), dtype=np.float64)


def _table_key(service: ServiceTimes) -> tuple[str, tuple[float, ...], float]:
    samples = tuple(service.samples_ms) if service.distribution == "samples" else ()
    return service.distribution, samples, service.cv if service.distribution == "gamma" else 1.0


@lru_cache(maxsize=16)
def _quantile_table(key: tuple[str, tuple[float, ...], float]) -> FloatArray:
    """Q_q(W + S)/S on the (P_W, log10 m/S) grid for every level: shape (41, 61, len(LEVELS))."""
    distribution, samples, cv = key
    service = ServiceTimes(mean_ms=1.0, distribution=distribution, samples_ms=samples, cv=cv)  # type: ignore[arg-type]
    if distribution in ("samples", "gamma"):
        return _sampled_quantile_table(_normalized_samples(service))
    p_wait, log_m = np.meshgrid(_PW_GRID, _LOG_M_GRID, indexing="ij")
    m = 10.0 ** log_m
    levels = np.asarray(LEVELS)
    p_wait = np.broadcast_to(p_wait[..., None], (*p_wait.shape, len(levels)))
    m = np.broadcast_to(m[..., None], p_wait.shape)
    tail = 12.0 if distribution == "exponential" else 1.0
    low = np.zeros(p_wait.shape)
    high = np.full(p_wait.shape, tail) + m * 16.0
    for _ in range(48):
        mid = (low + high) / 2.0
        below = _cdf(mid, p_wait, m, service) < levels
        low = np.where(below, mid, low)
        high = np.where(below, high, mid)
    return np.asarray((low + high) / 2.0, dtype=np.float64)


def _sampled_quantile_table(x: FloatArray) -> FloatArray:
    """The same table for service times given as equally likely points x_k (mean 1).

    F(y) = F_S(y) − P_W · G(y; m), G(y; m) = (1/K) Σ_{x_k ≤ y} exp(−(y − x_k)/m), on a y grid per m
    (dense over the service times, then geometric over the wait tail), inverted by interpolation.
    """
    m = 10.0 ** _LOG_M_GRID
    top = float(x.max())
    body = np.linspace(0.0, top, 160)
    tail = top + m[:, None] * np.geomspace(1e-3, 20.0, 160)[None, :]
    y = np.concatenate([np.broadcast_to(body, (len(m), len(body))), tail], axis=1)  # (61, 320)
    gap = y[..., None] - x  # (61, 320, K)
    inside = gap >= 0.0
    f_s = inside.mean(axis=-1)
    g = np.where(inside, np.exp(-np.maximum(gap, 0.0) / m[:, None, None]), 0.0).mean(axis=-1)
    cdf = f_s[None, ...] - _PW_GRID[:, None, None] * g[None, ...]  # (41, 61, 320)
    cdf = np.maximum.accumulate(cdf, axis=-1)
    table = np.empty((len(_PW_GRID), len(m), len(LEVELS)))
    for n, q in enumerate(LEVELS):
        idx = np.clip((cdf < q).sum(axis=-1), 1, y.shape[1] - 1)  # first grid point with F ≥ q
        f0 = np.take_along_axis(cdf, (idx - 1)[..., None], axis=-1)[..., 0]
        f1 = np.take_along_axis(cdf, idx[..., None], axis=-1)[..., 0]
        y_full = np.broadcast_to(y, cdf.shape)
        y0 = np.take_along_axis(y_full, (idx - 1)[..., None], axis=-1)[..., 0]
        y1 = np.take_along_axis(y_full, idx[..., None], axis=-1)[..., 0]
        share = np.clip((q - f0) / np.where(f1 > f0, f1 - f0, 1.0), 0.0, 1.0)
        table[..., n] = y0 + share * (y1 - y0)
    return table


def queue_quantiles(p_wait: FloatArray, m_over_s: FloatArray, service: ServiceTimes) -> FloatArray:
    """Q_q(W + S)/S for each element and level (bilinear in P_W and log10 m/S): shape (n, levels)."""
    table = _quantile_table(_table_key(service))
    fi = np.clip(p_wait, 0.0, 1.0) * (len(_PW_GRID) - 1)
    fj = (np.clip(np.log10(np.maximum(m_over_s, 1e-12)), _LOG_M_GRID[0], _LOG_M_GRID[-1]) - _LOG_M_GRID[0]) \
        / (_LOG_M_GRID[1] - _LOG_M_GRID[0])
    i0 = np.minimum(fi.astype(np.int64), len(_PW_GRID) - 2)
    j0 = np.minimum(fj.astype(np.int64), len(_LOG_M_GRID) - 2)
    di = (fi - i0)[:, None]
    dj = (fj - j0)[:, None]
    return np.asarray(table[i0, j0] * (1 - di) * (1 - dj) + table[i0 + 1, j0] * di * (1 - dj)
                      + table[i0, j0 + 1] * (1 - di) * dj + table[i0 + 1, j0 + 1] * di * dj, dtype=np.float64)


def weighted_row_quantiles(values: FloatArray, weights: FloatArray) -> FloatArray:
    """For each row, the weighted q-quantile of its values at every level: shape (rows, levels)."""
    order = np.argsort(values, axis=1)
    v = np.take_along_axis(values, order, axis=1)
    w = np.take_along_axis(weights, order, axis=1)
    cum = np.cumsum(w, axis=1)
    total = cum[:, -1:]
    total = np.where(total > 0, total, 1.0)
    share = cum / total
    result = np.empty((values.shape[0], len(LEVELS)))
    for n, q in enumerate(LEVELS):
        idx = np.minimum((share < q - 1e-12).sum(axis=1), values.shape[1] - 1)
        result[:, n] = v[np.arange(values.shape[0]), idx]
    return result


def minute_latency_levels(backlog_wait_s: FloatArray, served: FloatArray, per_minute: int, admitted_rate: FloatArray,
                          slots: npt.NDArray[np.int64], service: ServiceTimes, max_wait_s: float) -> FloatArray:
    """Latency (s) at every level of LEVELS for every minute: shape (minutes, levels); NaN if none served.

    No admitted request waits longer than the queue's wait limit (it would have been dropped), so
    each level is capped at max_wait + the same level of the service time alone.
    """
    mean_s = service.mean_ms / 1000.0
    minutes = len(admitted_rate)
    d = backlog_wait_s[: minutes * per_minute].reshape(minutes, per_minute)
    w = served[: minutes * per_minute].reshape(minutes, per_minute)
    if per_minute == 1:
        backlog_levels = np.repeat(d, len(LEVELS), axis=1)
    else:
        backlog_levels = np.zeros((minutes, len(LEVELS)))
        waiting = d.max(axis=1) > 0.0  # most minutes have no backlog at all
        if waiting.any():
            backlog_levels[waiting] = weighted_row_quantiles(d[waiting], w[waiting])
    rho = admitted_rate * mean_s / np.maximum(slots, 1)
    p_wait = waiting_probability(slots, rho)
    m = conditional_wait_over_service(slots, rho, service_cv(service))
    levels = backlog_levels + mean_s * queue_quantiles(p_wait, m, service)
    service_alone = mean_s * _quantile_table(_table_key(service))[0, 0]
    levels = np.minimum(levels, max_wait_s + service_alone)
    levels[w.sum(axis=1) <= 0] = np.nan
    return np.asarray(levels, dtype=np.float64)


def mean_latency_s(backlog_wait_s: float, admitted_rate: float, slots: int, service: ServiceTimes, cv: float) -> float:
    """Mean latency of a minute (for the RequestLatency metric): d + P_W·m + S."""
    mean_s = service.mean_ms / 1000.0
    if slots < 1:
        return backlog_wait_s + mean_s
    rho = min(admitted_rate * mean_s / slots, RHO_CAP)
    p_wait = float(np.interp(rho, _rho_grid(), _erlang_c_curve(slots)))
    m = mean_s * wait_over_service(slots, rho, cv)
    return backlog_wait_s + p_wait * m + mean_s


def share_within(levels_s: FloatArray, limit_s: float) -> FloatArray:
    """Per minute, the share of admitted requests with latency ≤ limit (linear between LEVELS, from
    (0 s, 0) up to the last level; 1 beyond it; 1 for minutes with nothing served)."""
    rows, count = levels_s.shape
    full = np.concatenate([np.zeros((rows, 1)), np.nan_to_num(levels_s, nan=0.0)], axis=1)
    qs = np.concatenate([[0.0], np.asarray(LEVELS)])
    idx = (full <= limit_s).sum(axis=1)  # ≥ 1: latency 0 is never above the limit
    lo = np.minimum(idx - 1, count)
    hi = np.minimum(idx, count)
    r = np.arange(rows)
    x0, x1 = full[r, lo], full[r, hi]
    gap = np.where(x1 > x0, x1 - x0, 1.0)
    share = qs[lo] + (qs[hi] - qs[lo]) * np.clip((limit_s - x0) / gap, 0.0, 1.0)
    share = np.where(idx > count, 1.0, share)
    return np.asarray(np.where(np.isnan(levels_s[:, 0]), 1.0, share), dtype=np.float64)
