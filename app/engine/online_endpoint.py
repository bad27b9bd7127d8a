"""Azure ML managed online endpoints: hourly autoscale, latency at the busiest hour, quota.

Sources: Microsoft Learn, "Managed online endpoints SKU list" (20% quota reserve, at least 3
instances for high availability; learn.microsoft.com/azure/machine-learning/reference-managed-online-
endpoints-vm-sku-list) and "Autoscale an online endpoint" (min/max instances; .../how-to-autoscale-endpoints).

- Arrival rate λ(t) (requests/s) from N_m and the traffic shape; c = instances × concurrency
  parallel servers; utilization ρ(t) = λ(t)·S / c.
- Autoscale: instances(t) = the fewest n with λ(t)·S / (n·concurrency) ≤ target, clamped to
  [min, max]:   n(t) = clamp(ceil(λ(t)·S / (concurrency · target)), min, max).
- Quota (vCPUs) = ceil((1 + quota_reserve) · max instances) · vCPUs per instance (no reserve for
  SKUs marked skip_quota_reserve). Max instances = the autoscale maximum (Azure checks quota for
  the instances a deployment may scale to) or the fixed count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.queueing import response_time_percentiles

FloatArray = npt.NDArray[np.float64]
HIGH_AVAILABILITY_INSTANCES = 3


def autoscaled_instances(arrivals_per_second: FloatArray, service_time_s: float, concurrency: int,
                         target_utilization: float, minimum: int, maximum: int) -> npt.NDArray[np.int64]:
    """n(t) = clamp(ceil(λ(t)·S / (concurrency·target)), min, max)."""
    needed = np.ceil(arrivals_per_second * service_time_s / (concurrency * target_utilization) - 1e-9)
    return np.clip(needed, minimum, maximum).astype(np.int64)


def quota_vcpus(max_instances: int, vcpus: int, quota_reserve: float, skip_reserve: bool) -> int:
    """ceil((1 + reserve) · instances) · vCPUs; e.g. 10 × DS3_v2 (4 cores) → 48 cores."""
    reserve = 0.0 if skip_reserve else quota_reserve
    return math.ceil((1.0 + reserve) * max_instances - 1e-9) * vcpus


@dataclass(frozen=True)
class BusiestHour:
    """The hour whose p95 response time is worst (None latency when unstable)."""

    hour: int
    instances: int
    utilization: float
    latency_s: tuple[float, float, float] | None


def busiest_hour_latency(arrivals_per_second: FloatArray, instances: npt.NDArray[np.int64], concurrency: int,
                         service_time_s: float, service_cv: float) -> BusiestHour:
    """Latency percentiles (p50, p95, p99) at the hour with the worst p95.

    For a given server count the percentiles grow with λ, so only the busiest hour of each distinct
    instance count needs the queueing model.
    """
    utilization = arrivals_per_second * service_time_s / (instances * concurrency)
    if float(utilization.max(initial=0.0)) >= 1.0:
        hour = int(np.argmax(utilization))
        return BusiestHour(hour, int(instances[hour]), float(utilization[hour]), None)
    worst: BusiestHour | None = None
    for count in np.unique(instances):
        hours = np.flatnonzero(instances == count)
        hour = int(hours[np.argmax(arrivals_per_second[hours])])
        latency = response_time_percentiles(float(arrivals_per_second[hour]), service_time_s, service_cv,
                                            int(count) * concurrency)
        if latency is None:  # unstable after all (utilization rounds to 1): no latency to report
            return BusiestHour(hour, int(count), float(utilization[hour]), None)
        p50, p95, p99 = latency
        if worst is None or worst.latency_s is None or p95 > worst.latency_s[1]:
            worst = BusiestHour(hour, int(count), float(utilization[hour]), (p50, p95, p99))
    if worst is None:
        raise ModelInputError("the month has no hours to evaluate (hours_per_month must be at least 1)")
    return worst
