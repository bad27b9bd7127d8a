"""Hourly traffic shapes over a month: mean exactly 1 and maximum exactly peak_to_average.

Each shape starts from a raw weekly pattern g(t) (hour 0 = Monday 00:00) and is mapped affinely,
x(t) = α + β·g(t), with β = (p − 1)/(max g − mean g) and α = 1 − β·mean g, so that the mean is 1
and the peak is p exactly. A ratio that would need negative traffic in the quietest hours cannot
be reached by that shape and is an input error.

- flat: constant 1 (peak_to_average must be 1).
- business_hours: Monday–Friday 08:00–18:00 busy, nights and weekends quiet (one step).
- diurnal: every day a smooth curve peaking at 14:00, ((1 + cos(2π(h − 14)/24))/2)^3.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError

SHAPES = ("flat", "business_hours", "diurnal")
BUSINESS_START_HOUR = 8
BUSINESS_END_HOUR = 18
DIURNAL_PEAK_HOUR = 14


def _raw_pattern(shape: str, hours: int) -> npt.NDArray[np.float64]:
    t = np.arange(hours)
    hour_of_day = t % 24
    day_of_week = (t // 24) % 7  # 0 = Monday
    if shape == "business_hours":
        busy = (day_of_week < 5) & (hour_of_day >= BUSINESS_START_HOUR) & (hour_of_day < BUSINESS_END_HOUR)
        return np.asarray(busy, dtype=np.float64)
    if shape == "diurnal":
        curve = ((1.0 + np.cos(2.0 * np.pi * (hour_of_day - DIURNAL_PEAK_HOUR) / 24.0)) / 2.0) ** 3
        return np.asarray(curve, dtype=np.float64)
    raise ModelInputError(f"unknown traffic shape {shape!r}; expected one of {', '.join(SHAPES)}")


def max_peak_to_average(shape: str, hours: int) -> float:
    """The largest peak_to_average a shape can reach over `hours` without negative traffic."""
    if shape == "flat":
        return 1.0
    raw = _raw_pattern(shape, hours)
    mean, peak, low = raw.mean(), raw.max(), raw.min()
    return float(1.0 + (peak - mean) / (mean - low))


@lru_cache(maxsize=256)
def _cached_shape(shape: str, peak_to_average: float, hours: int) -> bytes:
    if hours < 1:
        raise ModelInputError(f"hours_per_month must be at least 1, got {hours}")
    if peak_to_average < 1.0:
        raise ModelInputError(f"peak_to_average must be at least 1 (the peak hour is never below the mean), got {peak_to_average}")
    if shape == "flat" or peak_to_average == 1.0:
        if shape == "flat" and peak_to_average != 1.0:
            raise ModelInputError(f"a flat traffic shape has peak_to_average 1, got {peak_to_average}; "
                                  "use business_hours or diurnal for a peak")
        if shape not in SHAPES:
            raise ModelInputError(f"unknown traffic shape {shape!r}; expected one of {', '.join(SHAPES)}")
        return np.ones(hours).tobytes()
    raw = _raw_pattern(shape, hours)
    mean, peak = raw.mean(), raw.max()
    if peak <= mean:  # e.g. business hours over the first 8 hours (Monday night): no peak to scale
        raise ModelInputError(
            f"a {shape} traffic shape has no peak within {hours} hours (hour 0 is Monday 00:00); "
            "use at least a day of hours_per_month (730 is a month) or the flat shape")
    reachable = max_peak_to_average(shape, hours)
    if peak_to_average > reachable + 1e-9:
        raise ModelInputError(
            f"a {shape} traffic shape reaches at most peak_to_average {reachable:.2f} over {hours} hours "
            f"(its quiet hours would need negative traffic); got {peak_to_average}. Lower it or choose another shape")
    beta = (peak_to_average - 1.0) / (peak - mean)
    alpha = 1.0 - beta * mean
    series = np.clip(alpha + beta * raw, 0.0, None)
    return np.asarray(series, dtype=np.float64).tobytes()


def hourly_shape(shape: str, peak_to_average: float, hours: int) -> npt.NDArray[np.float64]:
    """The hourly multiplier series x(t): mean 1, max = peak_to_average (read-only array)."""
    series = np.frombuffer(_cached_shape(shape, float(peak_to_average), int(hours)), dtype=np.float64)
    return series
