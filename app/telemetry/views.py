"""Series for the telemetry page's charts: which metric goes in which chart, as plain traces
(name, times, values) that app.charts.telemetry turns into chart specs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from app.engine.observed import ratio_series
from app.telemetry.data import Series, TelemetryData

Trace = tuple[str, list[pd.Timestamp], list[float]]
Unit = Literal["ms", "count", "percent", "share"]  # percent: 0–100, as Azure reports; share: 0–1
Pick = tuple[str, str, str, str | None]  # kind, metric, aggregation, status code ("*" = all)


@dataclass(frozen=True)
class ChartSeries:
    """What one chart shows; app.charts.telemetry.time_series lays it out."""

    chart_id: str
    title: str
    y_title: str
    unit: Unit
    source: str  # the metrics and window, for the caption
    traces: list[Trace]


# chart id, title, y-axis title, unit, picks
CHARTS: list[tuple[str, str, str, Unit, list[Pick]]] = [
    ("aml_latency", "Latency percentiles (Azure ML)", "Latency (ms)", "ms",
     [("aml-endpoint", f"RequestLatency_P{q}", "average", "*") for q in (50, 95, 99)]),
    ("openai_time_to_response", "Time to response (Azure OpenAI)", "Time to response (ms)", "ms",
     [("openai", "AzureOpenAITimeToResponse", "average", "*")]),
    ("aml_requests", "Requests per minute (Azure ML)", "Requests per minute", "count",
     [("aml-endpoint", "RequestsPerMinute", "average", "*")]),
    ("openai_requests", "Successful requests per interval (Azure OpenAI, HTTP 200)", "Requests per interval", "count",
     [("openai", "AzureOpenAIRequests", "total", "200")]),
    ("openai_throttled", "Throttled requests, HTTP 429", "Requests per interval", "count",
     [("openai", "AzureOpenAIRequests", "total", "429")]),
    ("aml_utilization", "CPU and GPU utilization (Azure ML)", "Utilization (%)", "percent",
     [("aml-deployment", "CpuUtilizationPercentage", "average", "*"),
      ("aml-deployment", "GpuUtilizationPercentage", "average", "*")]),
    ("aml_instances", "Instances (Azure ML)", "Instances", "count",
     [("aml-deployment", "DeploymentCapacity", "maximum", "*")]),
    ("openai_tokens", "Tokens per interval (Azure OpenAI)", "Tokens per interval", "count",
     [("openai", "ProcessedPromptTokens", "total", "*"), ("openai", "GeneratedTokens", "total", "*")]),
    ("openai_ptu_utilization", "PTU utilization (Azure OpenAI)", "PTU utilization (%)", "percent",
     [("openai", "AzureOpenAIProvisionedManagedUtilizationV2", "average", "*")]),
]
SUFFIXES = {"ProcessedPromptTokens": "prompt", "GeneratedTokens": "completion", "CpuUtilizationPercentage": "CPU",
            "GpuUtilizationPercentage": "GPU"}


def _times(series: Series) -> list[pd.Timestamp]:
    return list(pd.to_datetime(series.times, unit="s", utc=True))


def _source(picks: list[Pick], data: TelemetryData) -> str:
    metrics = ", ".join(dict.fromkeys(
        f"{metric} ({aggregation}{'' if status in ('*', None) else f', StatusCode {status}'})"
        for _, metric, aggregation, status in picks))
    return f"Azure Monitor: {metrics}, per {data.granularity_minutes}-minute interval. {data.describe_window()}."


def chart_traces(data: TelemetryData, labels: Iterable[str]) -> list[ChartSeries]:
    """The charts that have at least one series among the chosen resources, in CHARTS order."""
    chosen = set(labels)
    out = []
    for chart_id, title, y_title, unit, picks in CHARTS:
        traces: list[Trace] = []
        for kind, metric, aggregation, status in picks:
            for s in data.select(kind=kind, metric=metric, aggregation=aggregation):  # type: ignore[arg-type]
                if s.label in chosen and (status == "*" or s.status_code == status) and s.values.size:
                    suffix = SUFFIXES.get(metric, metric.replace("RequestLatency_", ""))
                    name = s.label + (f" {suffix}" if len(picks) > 1 else "")
                    traces.append((name, _times(s), [float(v) for v in s.values]))
        if traces:
            out.append(ChartSeries(chart_id, title, y_title, unit, _source(picks, data), traces))
    cached = cached_share_trace(data, chosen)
    if cached:
        out.append(ChartSeries("openai_cached_share", "Cached share of prompt tokens (Azure OpenAI)",
                               "Cached share of prompt tokens", "share",
                               f"Log Analytics: cached_tokens query, hourly. {data.describe_window()}.", cached))
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
