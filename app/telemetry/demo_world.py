"""The seeded synthetic estate behind the demo recording: what each metric reads at each interval.

Two weeks at 5-minute grain (Monday 2026-10-05 to Monday 2026-10-19 UTC), with daily and weekly
cycles, a few missing data points, and one incident on Wednesday 2026-10-14 13:00-15:00 UTC: the
provisioned deployment saturates (429s) and the CPU endpoint's latency spikes. The Azure ML
endpoints' latency, instances and utilization follow one queueing model (see build_world), so a
calibration from them can be checked; the gateway logs split each deployment's tokens exactly
among four teams.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from app.engine.queueing import response_time_percentiles

SEED = 20261005
START = datetime(2026, 10, 5, tzinfo=UTC)
DAYS = 14
GRAIN_MINUTES = 5
END = START + timedelta(days=DAYS)
SUB = "3f2a9c1e-5b7d-4e2a-9c8f-0d1e2f3a4b5c"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-contoso-ai/providers"
WORKSPACE_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
CPU_ENDPOINT = f"{RG}/Microsoft.MachineLearningServices/workspaces/contoso-ml/onlineEndpoints/ticket-classifier"
GPU_ENDPOINT = f"{RG}/Microsoft.MachineLearningServices/workspaces/contoso-ml/onlineEndpoints/image-tagger"
AOAI_ACCOUNT = f"{RG}/Microsoft.CognitiveServices/accounts/contoso-openai-eastus"
TEAMS = {"team-support": 0.40, "team-sales": 0.25, "team-research": 0.20, "team-legal": 0.15}
# deployment -> (requests per 5 min at the mean, prompt tokens, completion tokens, prompt-cache share)
OPENAI = {"chat-gpt4o": (260.0, 1800.0, 350.0, 0.30), "rag-gpt4o-ptu": (60.0, 2600.0, 420.0, 0.45)}
PTU = 50  # the provisioned deployment's PTU (a 1-month reservation)
PTU_CAPACITY_TOKENS_PER_MIN = PTU * 2500.0  # gpt-4o: 2,500 input TPM per PTU
TIME_BETWEEN_TOKENS_MS = 11.0  # generation speed of both gpt-4o deployments, about 91 tokens/s
# endpoint -> (requests per minute at the mean, service time ms, its coefficient of variation,
#              autoscale threshold in requests per minute per instance (None: fixed), fixed instances, GPU)
AML = {"ticket-classifier": (2700.0, 28.0, 0.5, 1350.0, None, False),
       "image-tagger": (260.0, 95.0, 0.4, None, 2, True)}
IDLE_UTILIZATION = 0.02  # utilization of an instance serving nothing (runtime, health probes)
MAX_UTILIZATION = 0.97
INCIDENT = (datetime(2026, 10, 14, 13, tzinfo=UTC), datetime(2026, 10, 14, 15, tzinfo=UTC))

FloatArray = npt.NDArray[np.float64]


def demo_config() -> dict[str, object]:
    return {
        "window_days": float(DAYS),
        "granularity": "PT5M",
        "groups": [{
            "region": "eastus",
            "aml_endpoints": [
                {"resource_id": CPU_ENDPOINT, "deployments": ["blue"], "sku": "Standard_DS3_v2"},
                {"resource_id": GPU_ENDPOINT, "deployments": ["t4"], "sku": "Standard_NC4as_T4_v3"},
            ],
            "openai_accounts": [{
                "resource_id": AOAI_ACCOUNT,
                "deployments": {"chat-gpt4o": {"model": "gpt-4o", "level": "global", "type": "standard"},
                                "rag-gpt4o-ptu": {"model": "gpt-4o", "level": "global", "type": "provisioned",
                                                  "ptu": PTU, "billing": "monthly"}},
            }],
        }],
        "log_analytics": {"workspace_id": WORKSPACE_ID, "preset": "apim-llm-log"},
    }


@dataclass
class World:
    """Every series of the estate, computed once from the seed."""

    times: FloatArray  # epoch seconds of each interval start
    series: dict[tuple[str, str, str | None, str | None], dict[str, FloatArray]]  # (rid, metric, dep, status) -> agg

    def lookup(self, rid: str, metric: str, deployment: str | None, status: str | None) -> dict[str, FloatArray] | None:
        return self.series.get((rid.lower(), metric, deployment, status))


def _shape(rng: np.random.Generator, hours: FloatArray, weekday: FloatArray, weekend: float, peak_hour: float,
           width: float) -> FloatArray:
    """Daily bell around peak_hour (UTC), a weekend dip, and 8% noise; mean about 1."""
    daily = 0.15 + np.exp(-0.5 * ((hours - peak_hour) / width) ** 2)
    week = np.where(weekday >= 5, weekend, 1.0)
    raw = daily * week * rng.lognormal(0.0, 0.08, hours.size)
    return np.asarray(raw / raw.mean(), dtype=np.float64)


def _queue_latency(busy: FloatArray, instances: FloatArray, service_ms: float, service_cv: float) -> FloatArray:
    """p50, p90, p95, p99 (ms) of the M/G/c queue per interval; one evaluation per distinct (load, instances)."""
    cache: dict[tuple[float, int], tuple[float, ...]] = {}
    out = np.empty((busy.size, 4))
    for i, (rho, count) in enumerate(zip(np.round(busy, 4), instances.astype(int), strict=True)):
        key = (float(rho), int(count))
        if key not in cache:
            arrivals = max(float(rho), 1e-6) * count / (service_ms / 1000.0)
            found = response_time_percentiles(arrivals, service_ms / 1000.0, service_cv, int(count),
                                              (0.5, 0.9, 0.95, 0.99))
            assert found is not None  # busy is capped below 1
            cache[key] = tuple(1000.0 * x for x in found)
        out[i] = cache[key]
    return out


def build_world(days: int = DAYS) -> World:
    """The estate over `days` from START (the recording uses DAYS; tests use fewer)."""
    rng = np.random.default_rng(SEED)
    n = days * 24 * 60 // GRAIN_MINUTES
    times = START.timestamp() + np.arange(n) * GRAIN_MINUTES * 60.0
    hours = (times % 86400) / 3600.0
    weekday = (times // 86400 + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    incident = (times >= INCIDENT[0].timestamp()) & (times < INCIDENT[1].timestamp())
    out: dict[tuple[str, str, str | None, str | None], dict[str, FloatArray]] = {}

    def put(rid: str, metric: str, dep: str | None, status: str | None, **aggs: FloatArray) -> None:
        gaps = rng.random(n) < 0.002  # a few intervals Azure reports without a value
        out[(rid.lower(), metric, dep, status)] = {k: np.where(gaps, np.nan, v) for k, v in aggs.items()}

    # Azure ML: a CPU endpoint that autoscales on requests per instance, and a GPU endpoint with two fixed
    # instances. One request at a time per instance (concurrency 1), gamma service times; the latency
    # percentiles are the M/G/c queue's (app.engine.queueing) at each interval's load and instance count,
    # and the busiest resource's utilization follows the utilization law U = 2% + 96%·λS/n (idle work plus
    # the requests), so latency, instances and utilization describe the same physics.
    for rid, dep, spec in ((CPU_ENDPOINT, "blue", AML["ticket-classifier"]), (GPU_ENDPOINT, "t4", AML["image-tagger"])):
        mean_rpm, service_ms, service_cv, per_instance_rpm, fixed, gpu = spec
        rpm = mean_rpm * _shape(rng, hours, weekday, 0.4, 14.0, 3.2)
        instances = np.full(n, float(fixed)) if fixed else np.clip(np.ceil(rpm / per_instance_rpm), 2, 8)
        arrivals = rpm / 60.0
        busy = np.minimum(arrivals * service_ms / 1000.0 / instances, MAX_UTILIZATION)  # λS/(n·c), c = 1
        spike = np.where(incident, 4.0, 1.0) if not gpu else np.ones(n)
        noise = rng.lognormal(0, 0.04, n)
        latency = _queue_latency(busy, instances, service_ms, service_cv) * (noise * spike)[:, None]
        p50, p90, p95, p99 = latency.T
        put(rid, "RequestLatency_P50", None, None, average=p50)
        put(rid, "RequestLatency_P90", None, None, average=p90)
        put(rid, "RequestLatency_P95", None, None, average=p95)
        put(rid, "RequestLatency_P99", None, None, average=p99)
        put(rid, "RequestsPerMinute", None, None, average=rpm)
        put(rid, "ConnectionsActive", None, None, average=np.maximum(1.0, arrivals * p50 / 1000.0 * 1.2))  # Little's law
        drid = f"{rid}/deployments/{dep}"
        worked = IDLE_UTILIZATION + (1.0 - 2 * IDLE_UTILIZATION) * busy
        cpu = 100.0 * (0.04 + 0.25 * busy if gpu else worked)
        put(drid, "CpuUtilizationPercentage", None, None, average=cpu, minimum=cpu * 0.7,
            maximum=np.minimum(100.0, cpu * 1.3))
        mem = 38.0 + 6.0 * busy
        put(drid, "CpuMemoryUtilizationPercentage", None, None, average=mem, minimum=mem - 2.0, maximum=mem + 3.0)
        if gpu:
            g = 100.0 * worked
            put(drid, "GpuUtilizationPercentage", None, None, average=g, minimum=g * 0.6, maximum=np.minimum(100.0, g * 1.4))
            gm = 61.0 + 4.0 * busy
            put(drid, "GpuMemoryUtilizationPercentage", None, None, average=gm, minimum=gm - 1.0, maximum=gm + 1.0)
        lagged = np.maximum(instances, np.roll(instances, 1))
        put(drid, "DeploymentCapacity", None, None, average=instances, minimum=instances, maximum=lagged)

    # Azure OpenAI: a Standard and a provisioned deployment of gpt-4o
    between: dict[str, FloatArray] = {}
    for dep, (mean_requests, prompt, completion, cache_share) in OPENAI.items():
        requests = mean_requests * _shape(rng, hours, weekday, 0.3, 13.0, 2.6)
        if dep == "rag-gpt4o-ptu":
            requests = np.where(incident, requests * 2.6, requests)
        prompt_tokens = np.round(requests * prompt * rng.lognormal(0, 0.05, n))
        completion_tokens = np.round(requests * completion * rng.lognormal(0, 0.05, n))
        if dep == "rag-gpt4o-ptu":
            per_min = (prompt_tokens * (1 - cache_share) + 3.0 * completion_tokens) / GRAIN_MINUTES
            utilization = 100.0 * per_min / PTU_CAPACITY_TOKENS_PER_MIN
            throttled = np.clip(1.0 - 100.0 / np.maximum(utilization, 1e-9), 0.0, 1.0)
            put(AOAI_ACCOUNT, "AzureOpenAIProvisionedManagedUtilizationV2", dep, None,
                average=np.minimum(utilization, 100.0), maximum=np.minimum(utilization * 1.15, 100.0))
            match = 100.0 * cache_share * rng.lognormal(0, 0.06, n)
            put(AOAI_ACCOUNT, "AzureOpenAIContextTokensCacheMatchRate", dep, None, average=match, maximum=match * 1.2)
        else:
            throttled = np.where(rng.random(n) < 0.01, 0.01, 0.0)
        n429 = np.round(requests * throttled)
        ok = np.round(requests) - n429
        served = ok / np.maximum(np.round(requests), 1.0)
        put(AOAI_ACCOUNT, "AzureOpenAIRequests", dep, "200", total=ok)
        put(AOAI_ACCOUNT, "AzureOpenAIRequests", dep, "429", total=n429)
        put(AOAI_ACCOUNT, "ProcessedPromptTokens", dep, None, total=np.round(prompt_tokens * served))
        put(AOAI_ACCOUNT, "GeneratedTokens", dep, None, total=np.round(completion_tokens * served))
        ttr = (520.0 if dep == "chat-gpt4o" else 380.0) * rng.lognormal(0, 0.07, n) * np.where(incident, 2.5, 1.0)
        put(AOAI_ACCOUNT, "AzureOpenAITimeToResponse", dep, None, average=ttr, maximum=ttr * 2.2)
        per_token = TIME_BETWEEN_TOKENS_MS * rng.lognormal(0, 0.05, n)
        ttlt = ttr + completion * per_token
        put(AOAI_ACCOUNT, "AzureOpenAITTLTInMS", dep, None, average=ttlt, maximum=ttlt * 1.8)
        between[dep] = per_token * completion / (completion - 1.0)  # the C − 1 gaps after the first token
    for dep, tbt in between.items():  # drawn last, so every series above keeps its values
        put(AOAI_ACCOUNT, "AzureOpenAINormalizedTBTInMS", dep, None, average=tbt, maximum=tbt * 1.6)
    return World(times=times, series=out)
