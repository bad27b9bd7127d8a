"""Recorded telemetry as a replay series for the simulator (`app.engine.simulation.replay`).

`replay_series(data, endpoint, deployment)` picks an Azure ML endpoint's RequestsPerMinute and
RequestLatency_P50/P95/P99 and its deployment's DeploymentCapacity from a pull or a recording and
spreads each interval over its minutes (a 5-minute point holds for 5 minutes; the RPM metric is
already a per-minute rate). A missing point (NaN) carries the previous value, because a gap in
Azure Monitor is not a minute without traffic.

`replay_provider` resolves the scenario YAML's `simulation.replay.recording`: "demo" is the
embedded demo recording; any other name is a recording folder under <data_dir>/recordings/.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from app.catalog.simulation_schema import ReplayEntry
from app.engine.simulation.replay import ReplaySeries
from app.errors import InputError, InputIssue
from app.settings import get_settings
from app.telemetry.data import FloatArray, TelemetryData
from app.telemetry.sources import replay, replay_demo

RECORDINGS_FOLDER = "recordings"


def _per_minute(values: FloatArray, grain_minutes: int) -> FloatArray:
    filled = np.asarray(values, dtype=np.float64).copy()
    for i in range(len(filled)):
        if not np.isfinite(filled[i]):
            filled[i] = filled[i - 1] if i else np.nan
    if len(filled) and not np.isfinite(filled[0]):
        first = np.flatnonzero(np.isfinite(filled))
        filled[: first[0] if len(first) else len(filled)] = filled[first[0]] if len(first) else 0.0
    return np.repeat(filled, grain_minutes)


def replay_series(data: TelemetryData, endpoint: str, deployment: str | None = None,
                  latency_statistic: str = "p95") -> ReplaySeries:
    rpm = data.select(kind="aml-endpoint", resource=endpoint, metric="RequestsPerMinute", aggregation="average")
    if not rpm:
        known = sorted({s.resource for s in data.series if s.kind == "aml-endpoint"})
        raise InputError(InputIssue(data.origin or data.source, None, "simulation.replay.endpoint",
                                    f"no RequestsPerMinute for endpoint {endpoint!r} in this telemetry; "
                                    f"endpoints: {', '.join(known) or 'none'}"))
    capacity = data.select(kind="aml-deployment", resource=endpoint, deployment=deployment, metric="DeploymentCapacity",
                           aggregation="average")
    latency = data.select(kind="aml-endpoint", resource=endpoint, metric=f"RequestLatency_{latency_statistic.upper()}",
                          aggregation="average")
    grain = data.granularity_minutes
    chosen = capacity[0].deployment if capacity else deployment
    where = f"{endpoint}/{chosen}" if chosen else endpoint
    return ReplaySeries(
        source=f"{'demo recording' if data.source == 'demo' else (data.origin or data.source)}: {where}, "
               f"{data.describe_window()}",
        start=data.start.isoformat(),
        requests_per_minute=_per_minute(rpm[0].values, grain),
        deployment_capacity=_per_minute(capacity[0].values, grain) if capacity else None,
        latency_ms=_per_minute(latency[0].values, grain) if latency else None,
        latency_statistic=latency_statistic,  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def _demo() -> TelemetryData:
    return replay_demo()


def replay_provider(entry: ReplayEntry) -> ReplaySeries:
    """The ReplayProvider the CLI and the dashboard hand to the simulation loader."""
    if entry.recording == "demo":
        data = _demo()
    else:
        folder: Path = get_settings().data_dir / RECORDINGS_FOLDER / entry.recording
        if not folder.is_dir():
            raise InputError(InputIssue("simulation.replay", None, "recording",
                                        f"no recording named {entry.recording!r}: use 'demo' or the name of a folder "
                                        f"in {folder.parent} (made with capplan telemetry pull --record)"))
        data = replay(folder)
    return replay_series(data, entry.endpoint, entry.deployment, entry.latency)
