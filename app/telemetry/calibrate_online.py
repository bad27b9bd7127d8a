"""Calibrate an Azure ML online endpoint from its telemetry, and check the result against that telemetry.

The method is app.engine.online_calibration's (service time from low-load latency, service demand
from the utilization law, the concurrency that reconciles them, the autoscale target that reproduces
the observed instance counts). This module picks and aligns the series, then evaluates the
calibrated option with the engine and compares it with what was observed, hour by hour (the
engine's grain): the instance range and the peak utilization must agree within 15%, or the
calibration is refused with the figures that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.catalog.scenario_schema import ScenarioFile
from app.engine import online_calibration as oc
from app.engine.comparison import evaluate
from app.engine.prices import PriceBook
from app.errors import CapplanError
from app.telemetry.config import AmlEndpointEntry
from app.telemetry.data import FloatArray, TelemetryData
from app.telemetry.summary import _values, aml_requests


class CalibrationRefused(CapplanError):
    """The telemetry cannot support a calibrated capacity; the message says why and what would."""


@dataclass(frozen=True)
class CheckFigure:
    name: str
    observed: float
    modelled: float

    @property
    def gap(self) -> float:
        return oc.relative_gap(self.modelled, self.observed)

    @property
    def holds(self) -> bool:
        return self.gap <= oc.TOLERANCE + 1e-9


@dataclass(frozen=True)
class OnlineCalibration:
    """What the option rests on, for the scenario's description and the calibration report."""

    workload: dict[str, object]  # service_time_ms, service_time_cv, latency_slo_ms
    option: dict[str, object]
    method: list[str]
    check: list[CheckFigure]


@dataclass(frozen=True)
class _Observed:
    arrivals: FloatArray  # requests/s per interval
    requests: FloatArray  # per interval
    instances: FloatArray  # all deployments of the endpoint, per interval
    utilization: FloatArray  # % of the bottleneck resource, instance-weighted over the deployments
    resource: str  # "CPU" or "GPU"
    deployments: list[str]


def _sum_series(found: list[FloatArray]) -> FloatArray:
    stacked = np.vstack(found)
    return np.where(np.isnan(stacked).all(axis=0), np.nan, np.nansum(stacked, axis=0))


def _observe(data: TelemetryData, endpoint: AmlEndpointEntry, size: int) -> _Observed:
    name = endpoint.name
    per_interval = aml_requests(data, name)
    capacity = {s.deployment: s.values for s in data.select(kind="aml-deployment", resource=name,
                                                            metric="DeploymentCapacity", aggregation="average")
                if s.deployment is not None and s.values.size == size}
    if not capacity:
        raise CalibrationRefused(
            f"{name}: no DeploymentCapacity for its deployments in {data.describe_window()}, so the instances that "
            "carried the load are unknown. Without instances and utilization the service time cannot be checked "
            "against the load, and a calibrated capacity would be a guess. List the deployments under "
            "aml_endpoints[].deployments in the telemetry configuration and pull again.")
    instances = _sum_series(list(capacity.values()))
    demands: dict[str, tuple[float, FloatArray]] = {}
    for resource, metric in (("CPU", "CpuUtilizationPercentage"), ("GPU", "GpuUtilizationPercentage")):
        found = {dep: _values(data, "aml-deployment", name, dep, metric, "average") for dep in capacity}
        weighted = [u * capacity[dep] for dep, u in found.items() if u.size == size and not np.isnan(u).all()]
        if not weighted:
            continue
        utilization = _sum_series(weighted) / instances
        demand = oc.service_demand_s(utilization, instances, per_interval, data.granularity_minutes * 60.0)
        if demand is not None:
            demands[resource] = (demand, utilization)
    if not demands:
        raise CalibrationRefused(
            f"{name}: no CPU or GPU utilization alongside the request rate in {data.describe_window()}, so how much "
            "of an instance each request uses is unknown (the utilization law needs both). Check that the "
            "deployments' CpuUtilizationPercentage arrives (see the warnings) and pull again.")
    resource = max(demands, key=lambda r: demands[r][0])  # the bottleneck: the largest service demand
    return _Observed(per_interval / (data.granularity_minutes * 60.0), per_interval, instances, demands[resource][1],
                     resource, sorted(capacity))


def _hourly(data: TelemetryData, times: np.ndarray, values: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """Per UTC hour of the window: the (weighted) mean of the interval values; NaN for an hour without any."""
    start = int(data.start.timestamp()) // 3600 * 3600
    index = ((times - start) // 3600).astype(np.int64)
    w = np.ones_like(values) if weights is None else weights
    ok = ~np.isnan(values) & ~np.isnan(w) & (index >= 0)
    hours = int(index.max()) + 1 if index.size else 0
    total = np.bincount(index[ok], weights=values[ok] * w[ok], minlength=hours)
    weight = np.bincount(index[ok], weights=w[ok], minlength=hours)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def calibrate_online(data: TelemetryData, endpoint: AmlEndpointEntry, workload: dict[str, object], sku: str,
                     prices: PriceBook, hours_per_month: int) -> OnlineCalibration:
    """The option and service time that reproduce the endpoint's telemetry, checked by the engine."""
    name = endpoint.name
    rpm = _values(data, "aml-endpoint", name, None, "RequestsPerMinute", "average")
    times = next(s.times for s in data.select(kind="aml-endpoint", resource=name, metric="RequestsPerMinute"))
    seen = _observe(data, endpoint, rpm.size)
    p50 = _values(data, "aml-endpoint", name, None, "RequestLatency_P50", "average")
    p95 = _values(data, "aml-endpoint", name, None, "RequestLatency_P95", "average")
    low = oc.service_time_from_latency(p50, p95, rpm) if p50.size == rpm.size else None
    if low is None:
        raise CalibrationRefused(f"{name}: no RequestLatency_P50 alongside the request rate in {data.describe_window()}, "
                                 "so the service time is unknown; pull a window in which the endpoint served requests")
    demand = oc.service_demand_s(seen.utilization, seen.instances, seen.requests, data.granularity_minutes * 60.0)
    assert demand is not None  # _observe kept a resource only where it has one
    service_s = low.service_time_ms / 1000.0
    concurrency, agreement = oc.reconciling_concurrency(service_s, demand, endpoint.concurrency)
    source = "configured" if endpoint.concurrency is not None else "derived"
    if abs(agreement - 1.0) > oc.TOLERANCE:
        raise CalibrationRefused(
            f"{name}: latency and utilization disagree, so no service time reproduces both. At low load a request "
            f"takes {low.service_time_ms:,.1f} ms (p50 {low.latency_p50_ms:,.1f} ms over the quietest quarter of "
            f"intervals), but each request keeps {1000 * demand:,.1f} ms of an instance's {seen.resource} busy "
            f"(utilization × instances / requests); with concurrency {concurrency} ({source}) the two differ by "
            f"{abs(agreement - 1):.0%} (at most {oc.TOLERANCE:.0%} is accepted). The {seen.resource} is busy with work "
            "other than these requests, a request uses more than its share of the instance, or the metrics belong "
            "to other resources. Set concurrency (max_concurrent_requests_per_instance) for this endpoint in the "
            "telemetry configuration if it is known, or check the deployments listed for it.")
    observed_min = int(np.nanmin(np.rint(seen.instances)))
    observed_max = int(np.nanmax(np.rint(seen.instances)))
    option: dict[str, object] = {"name": "Online endpoint (calibrated)", "kind": "aml-online", "sku": sku}
    method = [
        f"service time {low.service_time_ms:,.1f} ms, CV {low.service_time_cv:.2f}: the gamma distribution whose median "
        f"and 95th percentile are the latency p50 {low.latency_p50_ms:,.1f} ms and p95 "
        + (f"{low.latency_p95_ms:,.1f} ms" if low.latency_p95_ms is not None else "(not observed: CV 1 assumed)")
        + f" over the quietest quarter of intervals ({low.intervals})",
        f"service demand {1000 * demand:,.1f} ms of {seen.resource} per request: utilization × instances × interval "
        f"/ requests over the window ({', '.join(seen.deployments)})",
        f"concurrency {concurrency} ({source}; service time / (concurrency × demand) = {agreement:.2f})",
    ]
    if observed_min == observed_max:
        option["instances"] = observed_min
        method.append(f"{observed_min} instance(s) throughout, as observed")
    else:
        target, matched = oc.fit_target_utilization(seen.arrivals, seen.instances, service_s, concurrency,
                                                    observed_min, observed_max)
        option["autoscale"] = {"min": observed_min, "max": observed_max, "target_utilization": target}
        method.append(f"autoscale {observed_min}-{observed_max} instances (the observed 5-minute range) at target utilization {target:.0%}, "
                      f"which reproduces {matched:.0%} of the observed instance counts from the observed load")
    option["concurrency"] = concurrency
    workload.update({"service_time_ms": round(low.service_time_ms, 2), "service_time_cv": round(low.service_time_cv, 3)})
    scenario = ScenarioFile.model_validate({"name": "check", "hours_per_month": hours_per_month,
                                            "workload": workload, "options": [option]})
    result = evaluate(scenario.to_engine(), prices).options[0]
    hourly_instances = _hourly(data, times, seen.instances)
    hourly_utilization = _hourly(data, times, seen.utilization, seen.instances) / 100.0
    check = [
        CheckFigure("fewest instances in an hour", float(np.nanmin(hourly_instances)),
                    float(result.capacity["instances_min_used"])),
        CheckFigure("most instances in an hour", float(np.nanmax(hourly_instances)),
                    float(result.capacity["instances_peak"])),
        CheckFigure("peak hourly utilization", float(np.nanmax(hourly_utilization)),
                    float(result.capacity["utilization_peak"])),
    ]
    failing = [c for c in check if not c.holds]
    if failing:
        raise CalibrationRefused(
            f"{name}: the calibrated option does not reproduce the telemetry it came from: "
            + "; ".join(f"{c.name} observed {c.observed:,.2f}, modelled {c.modelled:,.2f} ({c.gap:.0%} apart)"
                        for c in failing)
            + f" (at most {oc.TOLERANCE:.0%} is accepted). The traffic of the window does not follow one of the "
            "engine's traffic shapes closely enough, or the deployment's scaling does not follow its load "
            "(manual scaling, a schedule). Choose a window of steady operation and calibrate again.")
    return OnlineCalibration(workload, option, method, check)
