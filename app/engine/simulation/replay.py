"""Replay recorded telemetry through the simulator, and measure how closely it reproduces it.

The adapter interface is `ReplaySeries`: plain per-minute arrays that any source can fill (the
demo recording, a live Azure Monitor pull, a CSV). The telemetry layer turns its recording into a
ReplaySeries; the engine never reads files.

- `requests_per_minute`: the deployment's RequestsPerMinute (PT1M), minute 0 = `start`.
- `deployment_capacity`: the recorded DeploymentCapacity (instances) per minute, optional.
- `latency_ms`: the recorded RequestLatency_P50/P95/P99 (`latency_statistic`), optional.

The fit compares the simulated instance count (ready + provisioning, as DeploymentCapacity
counts the deployment's instances) and latency percentile minute by minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.engine.errors import ModelInputError
from app.engine.simulation.results import SimulationResult
from app.engine.simulation.traffic import replayed_arrivals

FloatArray = npt.NDArray[np.float64]
LatencyStatistic = Literal["p50", "p95", "p99"]


@dataclass(frozen=True)
class ReplaySeries:
    source: str  # provenance shown with every figure: recording, resource, window
    start: str  # ISO-8601 UTC time of minute 0
    requests_per_minute: FloatArray
    deployment_capacity: FloatArray | None = None
    latency_ms: FloatArray | None = None
    latency_statistic: LatencyStatistic = "p95"

    def __post_init__(self) -> None:
        n = len(self.requests_per_minute)
        for name, series in (("deployment_capacity", self.deployment_capacity), ("latency_ms", self.latency_ms)):
            if series is not None and len(series) != n:
                raise ModelInputError(f"replay {self.source}: {name} has {len(series)} minutes, "
                                      f"requests_per_minute has {n}; they must cover the same minutes")

    def arrivals(self, step_s: int) -> FloatArray:
        return replayed_arrivals(self.requests_per_minute, step_s)

    @property
    def days(self) -> float:
        return len(self.requests_per_minute) / 1440.0


@dataclass(frozen=True)
class ReplayFit:
    minutes: int
    capacity_minutes: int  # minutes with a recorded capacity
    capacity_exact_share: float | None  # share of minutes where simulated == recorded instances
    capacity_mean_abs_error: float | None  # instances
    capacity_max_abs_error: float | None
    latency_minutes: int
    latency_median_abs_pct_error: float | None  # median |sim − rec| / rec over minutes with both
    latency_correlation: float | None


def replay_fit(result: SimulationResult, replay: ReplaySeries) -> ReplayFit:
    """Minute-by-minute agreement between a simulation of the replayed traffic and the recording."""
    minutes = min(result.minutes, len(replay.requests_per_minute))
    exact = mae = worst = None
    cap_n = 0
    if replay.deployment_capacity is not None:
        recorded = np.asarray(replay.deployment_capacity[:minutes], dtype=np.float64)
        simulated = result.series["instances"][:minutes]
        ok = np.isfinite(recorded)
        cap_n = int(ok.sum())
        if cap_n:
            diff = np.abs(simulated[ok] - recorded[ok])
            exact = float((diff < 0.5).mean())
            mae = float(diff.mean())
            worst = float(diff.max())
    lat_err = lat_corr = None
    lat_n = 0
    if replay.latency_ms is not None:
        recorded = np.asarray(replay.latency_ms[:minutes], dtype=np.float64)
        simulated = result.series[f"latency_{replay.latency_statistic}_ms"][:minutes]
        ok = np.isfinite(recorded) & np.isfinite(simulated) & (recorded > 0)
        lat_n = int(ok.sum())
        if lat_n:
            lat_err = float(np.median(np.abs(simulated[ok] - recorded[ok]) / recorded[ok]))
            if lat_n > 2 and float(recorded[ok].std()) > 0 and float(simulated[ok].std()) > 0:
                lat_corr = float(np.corrcoef(simulated[ok], recorded[ok])[0, 1])
    return ReplayFit(minutes, cap_n, exact, mae, worst, lat_n, lat_err, lat_corr)
