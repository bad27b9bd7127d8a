"""Response-time percentiles of an M/G/c queue (FCFS, Poisson arrivals, c parallel servers).

Model (documented approximation, validated in tests/engine/test_queueing_vs_simulation.py against a
discrete-event simulation of the same queue):

- Probability of waiting: Erlang C, P_W = C(c, a) with offered load a = λ·S (exact for M/M/c).
- Waiting time of the requests that wait: exponential with mean
      m = ((C_a² + C_s²) / 2) · S / (c · (1 − ρ)),     ρ = a / c,
  the M/M/c conditional wait scaled by the Allen–Cunneen variability factor (C_a = 1 for Poisson
  arrivals, C_s = coefficient of variation of the service time). For C_s = 1 this is exact.
- Service time: gamma distributed with mean S and CV C_s (C_s = 1: exponential; C_s = 0:
  deterministic).
- Response time R = W + service; its CDF
      F_R(r) = F_S(r) − P_W · ∫₀ʳ f_S(s) · exp(−(r − s)/m) ds
  is evaluated on a grid (the integral as an exponential recurrence over the service-time mass in
  each cell) and inverted for the percentiles.

Sources: Erlang C and M/M/c waiting time (Kleinrock, Queueing Systems vol. 1, 1975, §3.5);
Allen–Cunneen approximation (Allen, Probability, Statistics and Queueing Theory, 1990, §6.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import signal, special

GRID_POINTS = 2048
TAIL_MASS = 1e-6
RECURRENCE_SERVERS = 1000  # above this, Erlang B in closed form: constant time for any server count

# A float, or an array of them: the formulas below work element-wise on either (the planning
# engine calls them with numbers, the time-series simulation with arrays over ρ).
Number = TypeVar("Number", float, npt.NDArray[np.float64])


def erlang_c_from(servers: int, offered_load: Number, utilization: Number) -> Number:
    """C(c, a) = B / (1 − ρ·(1 − B)) with the stable Erlang B recurrence
    B(0) = 1; B(k) = a·B(k−1) / (k + a·B(k−1)); valid for ρ = a/c < 1.

    Above RECURRENCE_SERVERS servers (10,000 instances × 1,024 concurrent requests would loop ten
    million times), B(c) = Poisson pmf(c; a) / Poisson cdf(c; a), the same quantity in closed
    form (Kleinrock §3.6), computed in logarithms: constant time for any server count.
    """
    if servers > RECURRENCE_SERVERS:
        with np.errstate(divide="ignore"):  # a = 0 gives log 0 = −inf, so B = 0: no load, no wait
            log_pmf = servers * np.log(offered_load) - offered_load - math.lgamma(servers + 1)
            blocking = np.exp(log_pmf - np.log(special.pdtr(servers, offered_load)))
        return blocking / (1.0 - utilization * (1.0 - blocking))  # type: ignore[no-any-return]
    blocking = offered_load * 0.0 + 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking / (1.0 - utilization * (1.0 - blocking))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits, C(c, a) (0 without load, 1 when ρ = a/c ≥ 1)."""
    if servers < 1:
        raise ValueError("servers must be at least 1")
    if offered_load <= 0:
        return 0.0
    utilization = offered_load / servers
    if utilization >= 1.0:
        return 1.0
    return erlang_c_from(servers, offered_load, utilization)


def wait_over_service(servers: Number | int, utilization: Number, service_cv: float) -> Number:
    """m / S = ((1 + C_s²) / 2) / (c · (1 − ρ)): the mean wait of requests that do wait, in units of
    the mean service time (Allen–Cunneen scaled M/M/c)."""
    variability = (1.0 + service_cv**2) / 2.0
    return variability / (servers * (1.0 - utilization))


def mean_conditional_wait(servers: int, arrival_rate: float, service_time: float, service_cv: float) -> float:
    """m: the mean wait of requests that do wait (Allen–Cunneen scaled M/M/c)."""
    utilization = arrival_rate * service_time / servers
    return service_time * wait_over_service(servers, utilization, service_cv)


def response_time_percentiles(arrival_rate: float, service_time: float, service_cv: float, servers: int,
                              quantiles: Sequence[float] = (0.5, 0.95, 0.99)) -> tuple[float, ...] | None:
    """Response-time percentiles (same unit as service_time), or None if the queue is unstable (ρ ≥ 1)."""
    if service_time <= 0:
        raise ValueError("service_time must be positive")
    if arrival_rate < 0:
        raise ValueError("arrival_rate must not be negative")
    utilization = arrival_rate * service_time / servers
    if utilization >= 1.0:
        return None
    p_wait = erlang_c(servers, arrival_rate * service_time)
    m = mean_conditional_wait(servers, arrival_rate, service_time, service_cv) if p_wait > 0 else 0.0

    if service_cv < 1e-3:  # deterministic service: R = S + W exactly
        return tuple(service_time + _wait_quantile(q, p_wait, m) for q in quantiles)

    shape = 1.0 / service_cv**2
    scale = service_time / shape
    wait_tail = m * math.log(p_wait / TAIL_MASS) if p_wait > TAIL_MASS else 0.0
    upper = float(special.gammaincinv(shape, 1.0 - TAIL_MASS)) * scale + wait_tail
    grid = np.linspace(0.0, upper, GRID_POINTS)
    step = grid[1] - grid[0]
    service_cdf = special.gammainc(shape, grid / scale)  # the gamma CDF with mean S and CV C_s
    cell_mass = np.diff(service_cdf, prepend=0.0)
    if p_wait > 0 and m > 0:
        decay = math.exp(-step / m)
        # y[n] = decay·y[n−1] + mass[n]  ≈  ∫₀^{r_n} f_S(s)·exp(−(r_n − s)/m) ds
        # the mass of cell n sits on average half a step before r_n
        convolved = signal.lfilter([1.0], [1.0, -decay], cell_mass * math.exp(-step / (2.0 * m)))
        response_cdf = service_cdf - p_wait * convolved
    else:
        response_cdf = service_cdf
    response_cdf = np.maximum.accumulate(np.clip(response_cdf, 0.0, 1.0))
    return tuple(float(np.interp(q, response_cdf, grid)) for q in quantiles)


def _wait_quantile(q: float, p_wait: float, m: float) -> float:
    """Quantile of W: 0 with probability 1 − P_W, else exponential with mean m."""
    if q <= 1.0 - p_wait or m <= 0:
        return 0.0
    return m * math.log(p_wait / (1.0 - q))
