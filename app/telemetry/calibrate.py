"""Build a scenario from observed telemetry: the workload from one endpoint or deployment.

The numbers come from app.engine.calibration; this module picks the series, aligns them to hours
and writes the provenance (source, window, resource) into the scenario description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from app.catalog.scenario_schema import ScenarioFile
from app.engine import calibration as cal
from app.engine.aoai_observed_latency import AoaiObservedLatency
from app.engine.prices import PriceBook
from app.engine.scenario import DEFAULT_HOURS_PER_MONTH
from app.errors import CapplanError
from app.telemetry.calibrate_online import CheckFigure, calibrate_online
from app.telemetry.data import FloatArray, TelemetryData
from app.telemetry.summary import _values, aml_requests, aoai_latency, cached_tokens, openai_requests

PENDING_SCENARIO_KEY = "capplan.pending_scenario"  # st.session_state key the Studio reads


@dataclass(frozen=True)
class Calibration:
    scenario: ScenarioFile
    fit: cal.ShapeFit
    observed_requests: float
    notes: list[str]
    method: list[str] = field(default_factory=list)  # how each figure was derived, one line each
    check: list[CheckFigure] = field(default_factory=list)  # online endpoints: observed vs modelled
    latency: AoaiObservedLatency | None = None  # Azure OpenAI deployments: TTFT and tokens per second

    def report(self) -> str:
        """The method, the latency figures and the check, for the CLI and the page."""
        lines = [f"Calibrated {self.scenario.name.removeprefix('Calibrated: ')}:"]
        lines += [f"  - {m}" for m in self.method]
        if self.check:
            lines.append("Check (the calibrated option evaluated by the engine, against the telemetry, per hour):")
            lines += [f"  - {c.name}: observed {c.observed:,.2f}, modelled {c.modelled:,.2f} ({c.gap:.1%} apart)"
                      for c in self.check]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)


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


def calibrate(data: TelemetryData, resource: str, deployment: str | None, prices: PriceBook,
              hours_per_month: int = DEFAULT_HOURS_PER_MONTH) -> Calibration:
    """A scenario whose workload follows the observed window of one AML endpoint or OpenAI deployment.

    An online endpoint's option is checked against the telemetry by the engine (CalibrationRefused
    when it cannot reproduce it); `prices` prices that check."""
    notes: list[str] = []
    check: list[CheckFigure] = []
    latency: AoaiObservedLatency | None = None
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
    method = [f"{workload['requests_per_month']:,.0f} requests per month: {observed:,.0f} observed in "
              f"{data.window_hours:,.1f} h, at that rate over {hours_per_month} h",
              f"traffic {fit.shape}, peak/average {fit.peak_to_average:g}: the engine shape closest to the observed "
              f"hourly counts (RMS error {fit.rmse[fit.shape]:.2f}; observed peak/average "
              f"{fit.observed_peak_to_average:.2f})"]
    options: list[dict[str, object]] = []
    label = resource
    if account is not None and deployment is not None:
        label = f"{resource}/{deployment}"
        prompt = float(np.nansum(_values(data, "openai", resource, deployment, "ProcessedPromptTokens", "total")))
        completion = float(np.nansum(_values(data, "openai", resource, deployment, "GeneratedTokens", "total")))
        served = float(np.nansum(_values(data, "openai", resource, deployment, "AzureOpenAIRequests", "total",
                                         status="200"))) or observed
        per_prompt = round(cal.mean_per_request(prompt, served), 1)
        per_completion = round(cal.mean_per_request(completion, served), 1)
        workload["tokens"] = {"prompt": per_prompt, "completion": per_completion}
        cached = cached_tokens(data, deployment)
        if cached is None:
            notes.append("no cached-token counts in the Log Analytics data: prompt cache hit rate set to 0")
        hit_rate = round(cal.cache_hit_rate(cached or 0.0, prompt), 4)
        workload["caching"] = {"prompt_cache_hit_rate": hit_rate}
        priced = account.deployments.get(deployment)
        model, level = (priced.model, priced.level) if priced else ("gpt-4o", "global")
        if priced is None:
            notes.append(f"{deployment} is not priced in the telemetry configuration; options assume gpt-4o global")
        options = [{"name": "Standard", "kind": "aoai-standard", "model": model, "deployment": level},
                   {"name": "PTU monthly + spillover", "kind": "aoai-provisioned", "model": model, "deployment": level,
                    "ptu": "auto", "billing": "monthly", "spillover": True}]
        if priced is not None and priced.ptu is not None:
            options.append({"name": f"PTU as deployed ({priced.ptu})", "kind": "aoai-provisioned", "model": model,
                            "deployment": level, "ptu": priced.ptu, "billing": priced.billing, "spillover": False})
        method.append(f"tokens per request {per_prompt:,.1f} prompt, {per_completion:,.1f} completion: "
                      f"ProcessedPromptTokens and GeneratedTokens over {served:,.0f} requests served (HTTP 200)")
        method.append(f"prompt cache hit rate {hit_rate:.1%}: cached prompt tokens (gateway logs) over prompt tokens")
        latency = aoai_latency(data, resource, deployment)
        method.append(latency_line(latency))
    else:
        if aml is None:
            raise CapplanError(f"{resource} is neither an Azure OpenAI deployment nor an Azure ML endpoint in the telemetry")
        sku = aml.sku or "Standard_DS3_v2"
        if aml.sku is None:
            notes.append(f"{resource} has no sku in the telemetry configuration; the option assumes Standard_DS3_v2")
        p95 = _values(data, "aml-endpoint", resource, None, "RequestLatency_P95", "average")
        observed_p95 = float(np.nanpercentile(p95, 95)) if p95.size and not np.isnan(p95).all() else None
        if observed_p95:
            workload["latency_slo_ms"] = slo_with_headroom(observed_p95)
            method.append(f"latency SLO {workload['latency_slo_ms']:g} ms: the p95 latency of the busiest intervals "
                          f"({observed_p95:,.1f} ms, 95th percentile of the interval p95) plus "
                          f"{SLO_HEADROOM:.0%} headroom, rounded up; replace it with the service's own target")
        online = calibrate_online(data, aml, workload, sku, prices, hours_per_month)
        options = [online.option]
        method += online.method
        check = online.check
        method.append("checked: " + "; ".join(f"{c.name} {c.modelled:,.2f} modelled vs {c.observed:,.2f} observed"
                                              for c in check))
    description = (f"Calibrated from {data.source} telemetry of {label}, {data.describe_window()}. Source: "
                   f"{'the demo recording (synthetic)' if data.source == 'demo' else data.origin or data.source}. "
                   "Method: " + "; ".join(method) + ".")
    if notes:
        description += " Notes: " + "; ".join(notes) + "."
    scenario = ScenarioFile.model_validate({
        "name": f"Calibrated: {label}"[:120], "description": description[:4000], "hours_per_month": hours_per_month,
        "workload": workload, "options": options})
    return Calibration(scenario, fit, observed, notes, method, check, latency)


SLO_HEADROOM = 0.2


def slo_with_headroom(observed_ms: float) -> float:
    """observed · 1.2 rounded up to 1, 5 or 10 ms (below 20 ms, below 100 ms, above)."""
    wanted = observed_ms * (1.0 + SLO_HEADROOM)
    step = 10.0 if wanted >= 100 else 5.0 if wanted >= 20 else 1.0
    return float(math.ceil(wanted / step - 1e-9) * step)


def latency_line(latency: AoaiObservedLatency) -> str:
    """The observed Azure OpenAI latency in words (what an option's latency override would take)."""
    def ms(value: float | None) -> str:
        return "not observed" if value is None else f"{value:,.0f} ms"
    speed = ("not observed" if latency.tokens_per_second is None
             else f"{latency.tokens_per_second:,.1f} output tokens/s (from the {latency.tokens_per_second_from})")
    return (f"time to first token p50 {ms(latency.ttft_p50_ms)}, p95 {ms(latency.ttft_p95_ms)} "
            f"(AzureOpenAITimeToResponse, request-weighted over {latency.intervals} intervals); {speed}")
