"""Build a scenario from observed telemetry: the workload from one endpoint or deployment.

The numbers come from app.engine.calibration; this module picks the series, aligns them to hours
and writes the provenance (source, window, resource) into the scenario description.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.catalog.scenario_schema import ScenarioFile
from app.engine import calibration as cal
from app.engine.scenario import DEFAULT_HOURS_PER_MONTH
from app.errors import CapplanError
from app.telemetry.data import FloatArray, TelemetryData
from app.telemetry.summary import _values, aml_requests, cached_tokens, openai_requests

PENDING_SCENARIO_KEY = "capplan.pending_scenario"  # st.session_state key the Studio reads


@dataclass(frozen=True)
class Calibration:
    scenario: ScenarioFile
    fit: cal.ShapeFit
    observed_requests: float
    notes: list[str]


def hourly(data: TelemetryData, per_interval: FloatArray) -> tuple[FloatArray, int]:
    """Interval counts summed into whole UTC hours of the window, and the first hour's hour-of-week."""
    start = int(data.start.timestamp()) // 3600 * 3600
    hours = max(1, int(np.ceil((data.end.timestamp() - start) / 3600)))
    series = next(s for s in data.series if s.values is not None and s.values.size == per_interval.size)
    index = ((series.times - start) // 3600).astype(np.int64)
    keep = (index >= 0) & (index < hours) & ~np.isnan(per_interval)
    counts = np.bincount(index[keep], weights=per_interval[keep], minlength=hours)[:hours]
    first_hour_of_week = int(((start // 86400 + 3) % 7) * 24 + (start % 86400) // 3600)  # 1970-01-01 was a Thursday
    return counts.astype(np.float64), first_hour_of_week


def calibrate(data: TelemetryData, resource: str, deployment: str | None = None,
              hours_per_month: int = DEFAULT_HOURS_PER_MONTH) -> Calibration:
    """A scenario whose workload follows the observed window of one AML endpoint or OpenAI deployment."""
    notes: list[str] = []
    config = data.config
    aml = next((e for g in config.groups for e in g.aml_endpoints if e.name == resource), None)
    account = next((a for g in config.groups for a in g.openai_accounts if a.name == resource), None)
    if aml is None and account is None:
        raise CapplanError(f"{resource!r} is not an endpoint or account of this telemetry")
    if aml is not None:
        per_interval = aml_requests(data, resource)
    else:
        if deployment is None:
            raise CapplanError(f"choose a deployment of {resource} to calibrate from")
        per_interval = openai_requests(data, resource, deployment)
    if per_interval.size == 0 or not np.nansum(per_interval) > 0:
        raise CapplanError(f"no requests were observed for {resource}{'/' + deployment if deployment else ''} in "
                           f"{data.describe_window()}; choose another resource or window")
    observed = float(np.nansum(per_interval))
    counts, first = hourly(data, per_interval)
    fit = cal.fit_traffic_shape(counts, first, hours_per_month)
    if fit.peak_to_average < round(fit.observed_peak_to_average, 3) - 1e-9:
        notes.append(f"observed peak-to-average {fit.observed_peak_to_average:.2f} is above what a {fit.shape} shape "
                     f"reaches; capped at {fit.peak_to_average:.2f}")
    workload: dict[str, object] = {
        "requests_per_month": round(cal.requests_per_month(observed, data.window_hours, hours_per_month), 1),
        "traffic": {"shape": fit.shape, "peak_to_average": fit.peak_to_average},
    }
    options: list[dict[str, object]] = []
    label = resource
    if account is not None and deployment is not None:
        label = f"{resource}/{deployment}"
        prompt = float(np.nansum(_values(data, "openai", resource, deployment, "ProcessedPromptTokens", "total")))
        completion = float(np.nansum(_values(data, "openai", resource, deployment, "GeneratedTokens", "total")))
        served = float(np.nansum(_values(data, "openai", resource, deployment, "AzureOpenAIRequests", "total",
                                         status="200"))) or observed
        workload["tokens"] = {"prompt": round(cal.mean_per_request(prompt, served), 1),
                              "completion": round(cal.mean_per_request(completion, served), 1)}
        cached = cached_tokens(data, deployment)
        if cached is None:
            notes.append("no cached-token counts in the Log Analytics data: prompt cache hit rate set to 0")
        workload["caching"] = {"prompt_cache_hit_rate": round(cal.cache_hit_rate(cached or 0.0, prompt), 4)}
        priced = account.deployments.get(deployment)
        model, level = (priced.model, priced.level) if priced else ("gpt-4o", "global")
        if priced is None:
            notes.append(f"{deployment} is not priced in the telemetry configuration; options assume gpt-4o global")
        options = [{"name": "Standard", "kind": "aoai-standard", "model": model, "deployment": level},
                   {"name": "PTU monthly + spillover", "kind": "aoai-provisioned", "model": model, "deployment": level,
                    "ptu": "auto", "billing": "monthly", "spillover": True}]
    elif aml is not None:
        p50 = _values(data, "aml-endpoint", resource, None, "RequestLatency_P50", "average")
        rpm = _values(data, "aml-endpoint", resource, None, "RequestsPerMinute", "average")
        service = cal.service_time_at_low_load(p50, rpm) if p50.size == rpm.size else None
        if service is None:
            raise CapplanError(f"{resource}: no latency observed at low load, so the service time is unknown")
        workload["service_time_ms"] = round(service, 2)
        p95 = _values(data, "aml-endpoint", resource, None, "RequestLatency_P95", "average")
        observed_p95 = float(np.nanpercentile(p95, 95)) if p95.size and not np.isnan(p95).all() else None
        if observed_p95:
            workload["latency_slo_ms"] = round(observed_p95, 1)
        sku = aml.sku or "Standard_DS3_v2"
        if aml.sku is None:
            notes.append(f"{resource} has no sku in the telemetry configuration; the option assumes Standard_DS3_v2")
        capacity = [s for s in data.select(kind="aml-deployment", resource=resource, metric="DeploymentCapacity",
                                           aggregation="maximum")]
        top = int(max((np.nanmax(s.values) for s in capacity if not np.isnan(s.values).all()), default=3))
        options = [{"name": "Online endpoint (autoscale)", "kind": "aml-online", "sku": sku,
                    "autoscale": {"min": 1, "max": max(3, top * 2), "target_utilization": 0.7}, "concurrency": 1}]
    description = (f"Calibrated from {data.source} telemetry of {label}, {data.describe_window()}: "
                   f"{observed:,.0f} requests observed; traffic fitted as {fit.shape} "
                   f"(observed peak/average {fit.observed_peak_to_average:.2f}). Source: "
                   f"{'the demo recording (synthetic)' if data.source == 'demo' else data.origin or data.source}.")
    if notes:
        description += " Notes: " + "; ".join(notes) + "."
    scenario = ScenarioFile.model_validate({
        "name": f"Calibrated: {label}"[:120], "description": description[:4000], "hours_per_month": hours_per_month,
        "workload": workload, "options": options})
    return Calibration(scenario, fit, observed, notes)
