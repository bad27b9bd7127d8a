"""Per resource and deployment: the figures of `capplan telemetry summary` and the page's table.

Every reduction is a formula in app.engine.observed; this module only picks the series.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from app.engine import observed as ob
from app.engine.aoai_observed_latency import AoaiObservedLatency, observed_latency
from app.telemetry.data import FloatArray, ResourceKind, TelemetryData

EMPTY: FloatArray = np.zeros(0)


def _values(data: TelemetryData, kind: ResourceKind, resource: str, deployment: str | None, metric: str,
            aggregation: str, status: str | None = "*") -> FloatArray:
    """One series' values; with several (split by status code), their sum per interval."""
    found = [s for s in data.select(kind=kind, resource=resource, deployment=deployment, metric=metric,
                                    aggregation=aggregation) if status == "*" or s.status_code == status]
    if not found:
        return EMPTY
    if len(found) == 1:
        return found[0].values
    stacked = np.vstack([s.values for s in found if s.values.size == found[0].values.size])
    summed = np.nansum(stacked, axis=0)
    return np.where(np.isnan(stacked).all(axis=0), np.nan, summed)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def openai_requests(data: TelemetryData, resource: str, deployment: str | None) -> FloatArray:
    return _values(data, "openai", resource, deployment, "AzureOpenAIRequests", "total")


def aml_requests(data: TelemetryData, resource: str) -> FloatArray:
    rpm = _values(data, "aml-endpoint", resource, None, "RequestsPerMinute", "average")
    return ob.requests_from_rate(rpm, data.granularity_minutes)


def aoai_latency(data: TelemetryData, resource: str, deployment: str | None) -> AoaiObservedLatency:
    """Time to first token p50/p95 and output tokens per second (app.engine.aoai_observed_latency)."""
    def series(metric: str, aggregation: str) -> FloatArray:
        return _values(data, "openai", resource, deployment, metric, aggregation)
    ttft = series("AzureOpenAITimeToResponse", "average")
    aligned = lambda values: values if values.size == ttft.size else EMPTY  # noqa: E731
    return observed_latency(ttft, aligned(openai_requests(data, resource, deployment)),
                            series("AzureOpenAINormalizedTBTInMS", "average"),
                            aligned(series("AzureOpenAITTLTInMS", "average")),
                            series("GeneratedTokens", "total"))


def cached_tokens(data: TelemetryData, deployment: str | None) -> float | None:
    frame = data.logs.get("cached_tokens")
    if frame is None or frame.empty or deployment is None:
        return None
    rows = frame[frame["Deployment"] == deployment]["CachedTokens"]
    return None if rows.empty or rows.isna().all() else float(rows.sum())


def summary_rows(data: TelemetryData) -> list[dict[str, Any]]:
    rows = []
    for kind, resource, deployment in data.units():
        row: dict[str, Any] = {"kind": kind, "resource": resource, "deployment": deployment}
        gaps = sum(ob.count_gaps(s.values) for s in data.select(kind=kind, resource=resource, deployment=deployment))
        if kind == "aml-endpoint":
            requests = aml_requests(data, resource)
            row["requests"] = _round(ob.total(requests), 1)
            for q in ("50", "95", "99"):
                p = _values(data, kind, resource, None, f"RequestLatency_P{q}", "average")
                row[f"latency_p{q}_ms"] = _round(ob.weighted_mean(p, requests) if p.size == requests.size else ob.mean(p), 2)
            row["connections_mean"] = _round(ob.mean(_values(data, kind, resource, None, "ConnectionsActive", "average")), 2)
        elif kind == "aml-deployment":
            cpu = _values(data, kind, resource, deployment, "CpuUtilizationPercentage", "average")
            cpu_max = _values(data, kind, resource, deployment, "CpuUtilizationPercentage", "maximum")
            gpu = _values(data, kind, resource, deployment, "GpuUtilizationPercentage", "average")
            gpu_max = _values(data, kind, resource, deployment, "GpuUtilizationPercentage", "maximum")
            row["cpu_utilization_mean_pct"] = _round(ob.mean(cpu), 2)
            row["cpu_utilization_peak_pct"] = _round(ob.peak(cpu_max), 2)
            row["gpu_utilization_mean_pct"] = _round(ob.mean(gpu), 2)
            row["gpu_utilization_peak_pct"] = _round(ob.peak(gpu_max), 2)
            row["memory_utilization_mean_pct"] = _round(ob.mean(_values(
                data, kind, resource, deployment, "CpuMemoryUtilizationPercentage", "average")), 2)
            row["instances_min"] = _round(ob.low(_values(data, kind, resource, deployment, "DeploymentCapacity", "minimum")), 1)
            row["instances_max"] = _round(ob.peak(_values(data, kind, resource, deployment, "DeploymentCapacity", "maximum")), 1)
        else:
            requests = openai_requests(data, resource, deployment)
            throttled = _values(data, kind, resource, deployment, "AzureOpenAIRequests", "total", status="429")
            all_requests = ob.total(requests)
            row["requests"] = _round(all_requests, 1)
            row["throttled_429_share"] = _round(ob.share(ob.total(throttled) if throttled.size else 0.0, all_requests), 6)
            speed = aoai_latency(data, resource, deployment)
            row["ttft_p50_ms"] = _round(speed.ttft_p50_ms, 2)
            row["ttft_p95_ms"] = _round(speed.ttft_p95_ms, 2)
            row["output_tokens_per_second"] = _round(speed.tokens_per_second, 2)
            prompt = ob.total(_values(data, kind, resource, deployment, "ProcessedPromptTokens", "total"))
            row["prompt_tokens"] = _round(prompt, 1)
            row["completion_tokens"] = _round(ob.total(_values(data, kind, resource, deployment, "GeneratedTokens", "total")), 1)
            cached = cached_tokens(data, deployment)
            row["cached_tokens"] = _round(cached, 1)
            row["cache_hit_rate"] = _round(ob.share(cached, prompt), 6)
            ptu = _values(data, kind, resource, deployment, "AzureOpenAIProvisionedManagedUtilizationV2", "average")
            row["ptu_utilization_mean_pct"] = _round(ob.mean(ptu), 2)
            row["ptu_utilization_p95_pct"] = _round(ob.percentile(ptu, 95), 2)
        row["missing_points"] = gaps
        rows.append(row)
    return rows


def summary_json(data: TelemetryData) -> dict[str, Any]:
    return {
        "source": data.source,
        "window": {"start": data.start.isoformat(), "end": data.end.isoformat(),
                   "granularity_minutes": data.granularity_minutes},
        "rows": summary_rows(data),
        "issues": list(data.issues),
    }
