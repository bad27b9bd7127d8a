"""What a pull returns: metric series as numpy arrays, Log Analytics tables, and what went wrong.

Units are in the metric names Azure uses (RequestLatency_* in ms, *Percentage in %, tokens as
counts per interval). Times are UTC epoch seconds of each interval's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from app.telemetry.config import TelemetryConfig

Source = Literal["live", "demo", "recording"]
ResourceKind = Literal["aml-endpoint", "aml-deployment", "openai"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Series:
    """One time series of one metric and aggregation for one resource (and deployment)."""

    resource_id: str
    resource: str  # short name: the endpoint or account name
    kind: ResourceKind
    deployment: str | None  # AML deployment, or the ModelDeploymentName dimension
    metric: str  # canonical name (the older Azure OpenAI name when a Foundry fallback was used)
    aggregation: str  # "average", "total", "minimum", "maximum"
    unit: str
    status_code: str | None  # the StatusCode dimension, when split by it
    times: IntArray
    values: FloatArray  # NaN where Azure returned no value for the interval
    source_metric: str = ""  # the metric Azure was asked for, when it differs from `metric`

    @property
    def label(self) -> str:
        return f"{self.resource}/{self.deployment}" if self.deployment else self.resource


@dataclass
class TelemetryData:
    source: Source
    start: datetime
    end: datetime
    granularity_minutes: int
    config: TelemetryConfig
    series: list[Series] = field(default_factory=list)
    logs: dict[str, pd.DataFrame] = field(default_factory=dict)  # "cached_tokens", "consumer_tokens"
    issues: list[str] = field(default_factory=list)  # what failed or was missing; the rest is usable
    requests_made: int = 0
    origin: str = ""  # recording folder, or "Azure Monitor"
    # per Log Analytics query ("cached_tokens", "consumer_tokens"): "ok", "partial" (Azure answered part and
    # reported an error), "incomplete" (columns missing), "failed"; absent when the query did not run
    log_status: dict[str, str] = field(default_factory=dict)
    log_failures: dict[str, str] = field(default_factory=dict)  # query -> the message of its failure

    @property
    def window_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0

    def describe_window(self) -> str:
        fmt = "%Y-%m-%d %H:%M"
        return f"{self.start.strftime(fmt)} to {self.end.strftime(fmt)} UTC ({self.window_hours / 24:.1f} days, " \
               f"{self.granularity_minutes}-minute grain)"

    def select(self, *, kind: ResourceKind | None = None, resource: str | None = None,
               deployment: str | None = None, metric: str | None = None,
               aggregation: str | None = None) -> list[Series]:
        return [s for s in self.series
                if (kind is None or s.kind == kind) and (resource is None or s.resource == resource)
                and (deployment is None or s.deployment == deployment) and (metric is None or s.metric == metric)
                and (aggregation is None or s.aggregation == aggregation)]

    def units(self) -> list[tuple[ResourceKind, str, str | None]]:
        """Every (kind, resource, deployment) that has at least one series, in a stable order."""
        seen: dict[tuple[ResourceKind, str, str | None], None] = {}
        for s in self.series:
            seen.setdefault((s.kind, s.resource, s.deployment), None)
        return sorted(seen, key=lambda u: (u[0], u[1], u[2] or ""))

    def between(self, start: datetime, end: datetime) -> TelemetryData:
        """The same data cut to [start, end): a sub-window of what was pulled."""
        lo, hi = int(start.timestamp()), int(end.timestamp())
        cut = []
        for s in self.series:
            keep = (s.times >= lo) & (s.times < hi)
            cut.append(Series(s.resource_id, s.resource, s.kind, s.deployment, s.metric, s.aggregation, s.unit,
                              s.status_code, s.times[keep], s.values[keep], s.source_metric))
        logs = {}
        for name, frame in self.logs.items():
            if "TimeGenerated" in frame.columns:
                t = frame["TimeGenerated"]
                frame = frame[(t >= pd.Timestamp(start)) & (t < pd.Timestamp(end))]
            logs[name] = frame
        return TelemetryData(self.source, max(start, self.start), min(end, self.end), self.granularity_minutes,
                             self.config, cut, logs, list(self.issues), self.requests_made, self.origin,
                             dict(self.log_status), dict(self.log_failures))


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)
