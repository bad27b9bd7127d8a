"""The workload a scenario describes, and the demand it puts on each option hour by hour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.engine.traffic import hourly_shape

TrafficShape = Literal["flat", "business_hours", "diurnal"]
DataResidency = Literal["none", "data-zone", "region"]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Traffic:
    shape: TrafficShape = "flat"
    peak_to_average: float = 1.0


@dataclass(frozen=True)
class Workload:
    """Monthly volume and per-request means. Rates are shares in [0, 1]."""

    requests_per_month: float
    traffic: Traffic = field(default_factory=Traffic)
    prompt_tokens: float = 0.0
    completion_tokens: float = 0.0
    prompt_cache_hit_rate: float = 0.0
    result_cache_hit_rate: float = 0.0
    service_time_ms: float | None = None
    service_time_cv: float = 1.0  # coefficient of variation of the service time; 1 = exponential
    latency_slo_ms: float | None = None
    deadline_hours: float | None = None
    ttft_slo_ms: float | None = None  # p95 time to first token at the busiest hour (streamed responses)
    data_residency: DataResidency = "none"  # where requests may be processed: anywhere, the data zone, the region

    @property
    def model_requests_per_month(self) -> float:
        """N_m = N·(1 − r): requests that reach the model past the gateway result cache."""
        return self.requests_per_month * (1.0 - self.result_cache_hit_rate)


@dataclass(frozen=True)
class Demand:
    """The month as an hourly series. requests_per_hour sums to N_m exactly."""

    hours: int
    shape: FloatArray  # mean exactly 1, max exactly peak_to_average
    requests_per_hour: FloatArray

    @property
    def requests_per_second(self) -> FloatArray:
        return self.requests_per_hour / 3600.0

    @property
    def requests_per_minute(self) -> FloatArray:
        return self.requests_per_hour / 60.0


def monthly_demand(workload: Workload, hours: int) -> Demand:
    """Spread N_m over the month's hours along the traffic shape: r(t) = N_m·x(t)/H."""
    shape = hourly_shape(workload.traffic.shape, workload.traffic.peak_to_average, hours)
    per_hour = workload.model_requests_per_month * shape / hours
    return Demand(hours=hours, shape=shape, requests_per_hour=per_hour)
