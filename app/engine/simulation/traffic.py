"""Arrivals per simulation step: synthetic from the scenario's hourly shape, or replayed telemetry.

Synthetic (the planner's hourly demand, `app/engine/workload.monthly_demand`): the hourly rate r(h)
requests/hour is held constant within each hour (hour 0 = Monday 00:00; a run longer than the
month's hours wraps around). The expected arrivals in a step of Δt seconds are

    μ_k = r(h_k) · Δt / 3600 · burst(k)

where burst(k) is the multiplier of any burst covering that step (overlapping bursts multiply).
With `noise: poisson` each step's count is drawn from Poisson(μ_k) with a seeded generator, so
the same seed gives the same series; with `noise: none` the counts are the (fractional) μ_k.

Replay: a recorded requests-per-minute series is spread evenly over the steps of each minute
(60/Δt steps), which keeps every minute's count exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.simulation.settings import STEP_SECONDS_ALLOWED, Burst, Noise

FloatArray = npt.NDArray[np.float64]
SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60


def check_step(step_s: int) -> int:
    """Steps divide a minute evenly, so every 1-minute metric point is made of whole steps."""
    if step_s not in STEP_SECONDS_ALLOWED:
        raise ModelInputError(f"step_seconds must divide 60 evenly (one of {', '.join(map(str, STEP_SECONDS_ALLOWED))}), "
                              f"got {step_s}")
    return SECONDS_PER_MINUTE // step_s


def step_count(days: float, step_s: int) -> int:
    """Whole minutes of `days`, in steps."""
    minutes = round(days * 24 * MINUTES_PER_HOUR)
    if minutes < 1:
        raise ModelInputError(f"days must cover at least one minute, got {days}")
    return minutes * check_step(step_s)


def burst_multiplier(bursts: tuple[Burst, ...], minutes: int) -> FloatArray:
    """Per-minute traffic multiplier: 1, times each burst's multiplier over its minutes."""
    factor = np.ones(minutes)
    for burst in bursts:
        if burst.multiplier < 0:
            raise ModelInputError(f"a burst multiplier must not be negative, got {burst.multiplier}")
        start = max(0, burst.start_minute)
        end = min(minutes, burst.start_minute + burst.minutes)
        if end > start:
            factor[start:end] *= burst.multiplier
    return factor


def expected_arrivals(requests_per_hour: FloatArray, days: float, step_s: int,
                      bursts: tuple[Burst, ...] = ()) -> FloatArray:
    """μ_k for every step: the hourly rate held within its hour, times the bursts."""
    steps = step_count(days, step_s)
    per_minute = SECONDS_PER_MINUTE // step_s
    minutes = steps // per_minute
    if len(requests_per_hour) == 0:
        raise ModelInputError("the hourly demand series is empty")
    hour_of_minute = (np.arange(minutes) // MINUTES_PER_HOUR) % len(requests_per_hour)
    rate_per_minute = requests_per_hour[hour_of_minute] / MINUTES_PER_HOUR * burst_multiplier(bursts, minutes)
    return np.repeat(rate_per_minute / per_minute, per_minute)


def synthetic_arrivals(requests_per_hour: FloatArray, days: float, step_s: int, bursts: tuple[Burst, ...] = (),
                       noise: Noise = "poisson", seed: int = 1) -> FloatArray:
    """Arrivals per step: Poisson(μ_k) with a seeded generator, or μ_k itself without noise."""
    mean = expected_arrivals(requests_per_hour, days, step_s, bursts)
    if noise == "none":
        return mean
    rng = np.random.default_rng(seed)
    return rng.poisson(mean).astype(np.float64)


def replayed_arrivals(requests_per_minute: FloatArray, step_s: int) -> FloatArray:
    """A recorded per-minute count spread evenly over the steps of its minute."""
    per_minute = check_step(step_s)
    counts = np.asarray(requests_per_minute, dtype=np.float64)
    if counts.ndim != 1 or len(counts) == 0:
        raise ModelInputError("a replayed requests-per-minute series must be a non-empty list of numbers")
    if not np.all(np.isfinite(counts)) or float(counts.min()) < 0:
        raise ModelInputError("a replayed requests-per-minute series must hold finite, non-negative counts")
    return np.repeat(counts / per_minute, per_minute)
