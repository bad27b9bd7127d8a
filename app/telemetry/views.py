"""Series for the telemetry page's charts: which metric goes in which chart, as plain traces
(name, times, values) that app.charts.telemetry turns into figures."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from app.engine.observed import ratio_series
from app.telemetry.data import Series, TelemetryData

Trace = tuple[str, list[pd.Timestamp], list[float]]

# chart title, y-axis title, [(kind, metric, aggregation, status or None or "*")]
CHARTS: list[tuple[str, str, list[tuple[str, str, str, str | None]]]] = [
    ("Latency percentiles (Azure ML)", "ms", [("aml-endpoint", f"RequestLatency_P{q}", "average", "*") for q in (50, 95, 99)]),
    ("Time to response (Azure OpenAI)", "ms", [("openai", "AzureOpenAITimeToResponse", "average", "*")]),
    ("Requests per minute (Azure ML)", "requests/min", [("aml-endpoint", "RequestsPerMinute", "average", "*")]),
    ("Requests per interval (Azure OpenAI)", "requests", [("openai", "AzureOpenAIRequests", "total", "200")]),
    ("Throttled requests, HTTP 429", "requests", [("openai", "AzureOpenAIRequests", "total", "429")]),
    ("Utilization", "%", [("aml-deployment", "CpuUtilizationPercentage", "average", "*"),
                          ("aml-deployment", "GpuUtilizationPercentage", "average", "*")]),
    ("Instances", "instances", [("aml-deployment", "DeploymentCapacity", "maximum", "*")]),
    ("Tokens per interval", "tokens", [("openai", "ProcessedPromptTokens", "total", "*"),
                                       ("openai", "GeneratedTokens", "total", "*")]),
    ("PTU utilization", "%", [("openai", "AzureOpenAIProvisionedManagedUtilizationV2", "average", "*")]),
]


def _times(series: Series) -> list[pd.Timestamp]:
    return list(pd.to_datetime(series.times, unit="s", utc=True))


def chart_traces(data: TelemetryData, labels: Iterable[str]) -> list[tuple[str, str, list[Trace]]]:
    chosen = set(labels)
    out = []
    for title, unit, picks in CHARTS:
        traces: list[Trace] = []
        for kind, metric, aggregation, status in picks:
            for s in data.select(kind=kind, metric=metric, aggregation=aggregation):  # type: ignore[arg-type]
                if s.label in chosen and (status == "*" or s.status_code == status) and s.values.size:
                    suffix = metric.replace("RequestLatency_", "").replace("Percentage", "").replace("Utilization", "")
                    name = s.label + (f" {suffix}" if len(picks) > 1 else "")
                    traces.append((name, _times(s), [float(v) for v in s.values]))
        if traces:
            out.append((title, unit, traces))
    cached = cached_share_trace(data, chosen)
    if cached:
        out.append(("Cached share of prompt tokens (Log Analytics, hourly)", "share", cached))
    return out


def cached_share_trace(data: TelemetryData, chosen: set[str]) -> list[Trace]:
    frame = data.logs.get("cached_tokens")
    if frame is None or frame.empty:
        return []
    traces: list[Trace] = []
    for deployment, rows in frame.groupby("Deployment"):
        label = next((s.label for s in data.series if s.deployment == deployment and s.kind == "openai"), None)
        if label not in chosen:
            continue
        rows = rows.sort_values("TimeGenerated")
        share = ratio_series(rows["CachedTokens"].to_numpy(dtype=np.float64), rows["PromptTokens"].to_numpy(dtype=np.float64))
        traces.append((str(deployment), list(rows["TimeGenerated"]), [float(v) for v in share]))
    return traces
